"""/start: a deep link with an invitation code, the consent to personal data processing (a
dialog of one window), then the profile questionnaire (handlers/join.py)."""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import set_person_menu
from bot.services import invitations, onboarding
from bot.services.errors import UserFacingError
from bot.services.invitations import CodeStatus
from bot.ui import error_text, esc
from handlers.dialog_kit import Fl, ctx, start_id
from handlers.join import open_form
from models import Invitation, Organisation

CODE_PROBLEMS = {
    CodeStatus.UNKNOWN: "start-code-unknown",
    CodeStatus.EXPIRED: "start-code-expired",
    CodeStatus.REVOKED: "start-code-revoked",
    CodeStatus.USED_UP: "start-code-used-up",
}


class Joining(StatesGroup):
    consent = State()  # start data: invitation_id


async def start_with_code(
    message: Message, command: CommandObject, dialog_manager: DialogManager
) -> None:
    c = ctx(dialog_manager)
    checked = await invitations.check(c.session, command.args or "", c.clock.now())
    invitation, organisation, user = checked.invitation, checked.organisation, c.actor.user
    existing = await onboarding.returning_member(c.session, user, invitation)
    if checked.status is not CodeStatus.VALID and not existing:
        await message.answer(c.i18n.get(CODE_PROBLEMS[checked.status]))
        return
    assert invitation is not None and organisation is not None
    name = esc(organisation.name)
    if user is not None and existing:
        user.active_organisation_id = invitation.organisation_id
        await message.answer(c.i18n.get("start-already-member", organisation=name))
        await open_form(dialog_manager, existing, mode=StartMode.RESET_STACK)
        return
    role = c.i18n.get(f"role-{invitation.role}")
    await message.answer(c.i18n.get("start-greeting", organisation=name, role=role))
    data = {"invitation_id": invitation.id}
    await dialog_manager.start(Joining.consent, data, mode=StartMode.RESET_STACK)


async def start_plain(message: Message, dialog_manager: DialogManager) -> None:
    if dialog_manager.has_context() and dialog_manager.current_context().state in Joining:
        dialog_manager.dialog_data["waiting"] = True
        await dialog_manager.show(ShowMode.SEND)
        return
    c = ctx(dialog_manager)
    actor, i18n = c.actor, c.i18n
    if actor.organisation is None:
        await message.answer(i18n.get("start-admin" if actor.is_admin else "start-no-code"))
        return
    await message.answer(i18n.get("start-welcome-back", organisation=esc(actor.organisation.name)))
    membership = actor.bank_membership or actor.primary_membership
    if membership is not None:
        await open_form(dialog_manager, membership, mode=StartMode.RESET_STACK)


async def consent_getter(
    dialog_manager: DialogManager, session: AsyncSession, **_: Any
) -> dict[str, Any]:
    invitation = await session.get(Invitation, start_id(dialog_manager, "invitation_id"))
    organisation = await session.get(Organisation, invitation.organisation_id if invitation else 0)
    name = esc(organisation.name if organisation else "—")
    return {"organisation": name, "waiting": dialog_manager.dialog_data.get("waiting", False)}


async def waiting(message: Message, _: Any, manager: DialogManager) -> None:
    manager.dialog_data["waiting"] = True  # the consent again, with a word on what is awaited


async def declined(callback: CallbackQuery, _: Any, manager: DialogManager) -> None:
    await manager.done()
    text = ctx(manager).i18n.get("consent-declined")
    await callback.message.edit_text(text)  # type: ignore[union-attr]


async def agreed(callback: CallbackQuery, _: Any, manager: DialogManager) -> None:
    c, message = ctx(manager), callback.message
    now, i18n, invitation_id = c.clock.now(), c.i18n, start_id(manager, "invitation_id")
    await manager.done()
    assert isinstance(message, Message) and isinstance(invitation_id, int)
    telegram_id = callback.from_user.id
    try:
        membership = await onboarding.join(
            c.session,
            telegram_id=telegram_id,
            language=i18n.locale,
            invitation_id=invitation_id,
            now=now,
        )
    except UserFacingError as error:
        await message.edit_text(error_text(i18n, error))
        return
    await message.answer(i18n.get("consent-thanks"))
    await set_person_menu(c.bot, i18n.core, c.session, telegram_id, c.actor.is_admin, i18n.locale)
    await onboarding.ensure_profile(c.session, membership, now)
    await open_form(manager, membership)


def router() -> Router:
    start_router = Router(name=__name__)
    start_router.message.register(start_with_code, CommandStart(deep_link=True))
    start_router.message.register(start_plain, CommandStart())
    return start_router


def dialogs() -> list[Dialog]:
    consent = Window(
        Fl("consent-personal-data"),
        Fl("consent-waiting", when="waiting"),
        Button(Fl("consent-agree"), id="consent_agree", on_click=agreed),
        Button(Fl("consent-decline"), id="consent_decline", on_click=declined),
        MessageInput(waiting),
        state=Joining.consent,
        getter=consent_getter,
    )
    return [Dialog(consent)]
