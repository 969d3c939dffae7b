"""/profile: what the bank holds about me (a card), and changing it field by field; each change
is the questionnaire (handlers/join.py) on one question, on the stack above the card.

Reading the card is a plain message: a look at one's profile writes nothing (no dialog state,
no record of the update). Its buttons start the dialog, which takes over that message."""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Back, Button, SwitchTo
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import final_reports, onboarding
from bot.services import profile_form as form
from bot.services.people import Actor
from bot.ui import button, esc, keyboard
from handlers.cards import profile_lines
from handlers.dialog_kit import Fl, OutOfRange, command_router, ctx, start_id
from handlers.join import choose, open_form, target
from handlers.report_view import person_lines
from models import Membership, Profile, Role


class ProfileView(StatesGroup):
    card, fields = State(), State()  # start data: membership_id, then (the button tapped)


class ProfileCb(CallbackData, prefix="profile"):
    """A button of the plain card: "edit" (choose a field) or "continue" (the questionnaire)."""

    action: str


async def card_text(
    session: AsyncSession, i18n: I18nContext, actor: Actor, loaded: tuple[Membership, Profile]
) -> tuple[str, bool]:
    """The card's text, and whether questions are left to answer."""
    membership, profile = loaded
    role = Role(membership.role)
    incomplete = form.next_question(profile, role) is not None
    lines = [i18n.get("profile-header", role=i18n.get(f"role-{role}"))]
    if incomplete:
        lines.append(i18n.get("profile-incomplete"))
    lines += ["", *profile_lines(i18n, role, profile, actor.timezone)]
    reports = await final_reports.reports_by(session, [membership.id], membership.organisation_id)
    if reports:  # my final reports; /final_report writes or reads them
        lines += ["", *person_lines(i18n, reports, actor.timezone), i18n.get("final-report-hint")]
    return "\n".join(lines), incomplete


async def profile_command(message: Message, dialog_manager: DialogManager) -> None:
    c = ctx(dialog_manager)
    loaded = await onboarding.own_profile(c.session, c.actor)
    if loaded is None:
        membership = c.actor.bank_membership or c.actor.primary_membership
        role = membership and c.i18n.get(f"role-{membership.role}")
        organisation = esc(c.actor.organisation.name if c.actor.organisation else "—")
        key = "profile-staff-only" if membership else "profile-none"
        await message.answer(c.i18n.get(key, role=role or "", organisation=organisation))
        return
    text, incomplete = await card_text(c.session, c.i18n, c.actor, loaded)
    actions = ("continue", "edit") if incomplete else ("edit",)
    rows = [[button(c.i18n.get(f"profile-{name}"), ProfileCb(action=name))] for name in actions]
    await message.answer(text, reply_markup=keyboard(*rows))


async def card_tapped(
    query: CallbackQuery, callback_data: ProfileCb, dialog_manager: DialogManager
) -> None:
    """The plain card's button: the dialog (on the person's own membership) takes the message."""
    c = ctx(dialog_manager)
    loaded = await onboarding.own_profile(c.session, c.actor)
    if loaded is None or callback_data.action not in ("edit", "continue"):
        await query.answer(c.i18n.get("error-stale-button"), show_alert=True)
        return
    await query.answer()
    data = {"membership_id": loaded[0].id, "then": callback_data.action}
    step = ProfileView.fields if callback_data.action == "edit" else ProfileView.card
    await dialog_manager.start(step, data, mode=StartMode.RESET_STACK)


async def card_opened(_: Any, manager: DialogManager) -> None:
    if start_id(manager, "then") == "continue":
        await open_form(manager, (await target(manager))[0])


async def card_getter(dialog_manager: DialogManager, **data: Any) -> dict[str, Any]:
    loaded = await target(dialog_manager)
    text, incomplete = await card_text(data["session"], data["i18n"], data["actor"], loaded)
    return {"text": text, "incomplete": incomplete}


async def fields_getter(
    dialog_manager: DialogManager, i18n: I18nContext, **_: Any
) -> dict[str, Any]:
    """The fields to choose from (the card's text and its reports are not read again here)."""
    membership, __ = await target(dialog_manager)
    questions = form.questions_for(Role(membership.role))
    return {"fields": [(q.field, i18n.get(f"field-{q.field}")) for q in questions]}


async def continue_form(callback: CallbackQuery, _: Any, manager: DialogManager) -> None:
    if not await open_form(manager, (await target(manager))[0]):
        raise OutOfRange  # nothing left to answer: a stale button


async def edit_field(callback: CallbackQuery, _: Any, manager: DialogManager, field: str) -> None:
    membership, __ = await target(manager)
    if field not in {q.field for q in form.questions_for(Role(membership.role))}:
        raise OutOfRange
    await manager.switch_to(ProfileView.card)
    await open_form(manager, membership, field)


def router() -> Router:
    profile_router = command_router(__name__, "profile", profile_command)
    profile_router.callback_query.register(card_tapped, ProfileCb.filter())
    return profile_router


def dialogs() -> list[Dialog]:
    card = Window(
        Format("{text}"),
        Button(Fl("profile-continue"), "profile_continue", continue_form, when="incomplete"),
        SwitchTo(Fl("profile-edit"), id="profile_edit", state=ProfileView.fields),
        state=ProfileView.card,
        getter=card_getter,
    )
    fields = Window(
        Fl("profile-choose-field"),
        choose("profile_field", "fields", edit_field),
        Back(Fl("form-back"), id="profile_fields_back"),
        state=ProfileView.fields,
        getter=fields_getter,
    )
    return [Dialog(card, fields, on_start=card_opened)]
