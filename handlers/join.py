"""The profile questionnaire (bot/services/profile_form.py drives it) as one dialog: a window
for the questions answered by a tap or in words, one for the phone (Telegram's "share my
number" button lives on a reply keyboard). Each answer is stored at once, so a restart or
/cancel loses nothing; /start or /profile resume at the first question left."""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, ContentType, Message, ReplyKeyboardRemove
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import (
    Button,
    Column,
    ManagedMultiselect,
    Multiselect,
    RequestContact,
    Row,
    Select,
)
from aiogram_dialog.widgets.markup.reply_keyboard import ReplyKeyboardFactory
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.notify import tell_each
from bot.services import onboarding
from bot.services import profile_form as form
from bot.services.errors import UserFacingError
from bot.services.people import Actor, desk_recipients
from bot.services.profile_form import Kind, Question
from bot.ui import error_text, esc
from handlers.dialog_kit import Fl, bounded_text, owned, start_id, text_input
from models import Membership, Organisation, Profile, Role, User

MULTI = "profile_multi"


class ProfileForm(StatesGroup):
    question = State()  # start data: membership_id, field, edit
    phone = State()


async def load_form(
    session: AsyncSession, actor: Actor, membership_id: int
) -> tuple[Membership, Profile] | None:
    """The membership and profile the dialog fills: this person's own, still active (the
    person may have joined in this very update, after `actor` was loaded)."""
    user_id = (
        actor.user.id
        if actor.user
        else await session.scalar(select(User.id).where(User.telegram_id == actor.telegram_id))
    )
    return await onboarding.form_target(session, user_id, membership_id) if user_id else None


async def open_form(
    manager: DialogManager,
    membership: Membership,
    profile: Profile,
    field: str | None = None,
    mode: StartMode = StartMode.NORMAL,
) -> bool:
    """The first question left (or `field` alone, to change it); False when none is left."""
    question = (
        form.BY_FIELD[field] if field else form.next_question(profile, Role(membership.role))
    )
    if question is None:
        return False
    data = {"membership_id": membership.id, "field": question.field, "edit": field is not None}
    await manager.start(ProfileForm.question, data, mode=mode, show_mode=ShowMode.SEND)
    return True


async def refuse(callback: CallbackQuery, manager: DialogManager) -> None:
    """A button of another step (a stale or forged one): the polite answer, nothing changes."""
    i18n: I18nContext = manager.middleware_data["i18n"]
    await callback.answer(i18n.get("error-stale-button"), show_alert=True)


def current(manager: DialogManager) -> Question:
    return form.BY_FIELD[manager.dialog_data["field"]]


async def target(manager: DialogManager) -> tuple[Membership, Profile]:
    return await owned(manager, load_form, start_id(manager, "membership_id"))


def multiselect(manager: DialogManager) -> ManagedMultiselect[str]:
    widget = manager.find(MULTI)
    assert isinstance(widget, ManagedMultiselect)
    return widget


async def go_to(manager: DialogManager, question: Question, profile: Profile) -> None:
    manager.dialog_data.update(field=question.field, other=None, awaiting_other=False)
    if question.kind is Kind.MULTI:
        picks = multiselect(manager)
        await picks.reset_checked()
        for code in getattr(profile, question.field) or []:
            await picks.set_checked(code, True)
        if question.other_field:
            manager.dialog_data["other"] = getattr(profile, question.other_field)
    phone = question.kind is Kind.PHONE
    await manager.switch_to(ProfileForm.phone if phone else ProfileForm.question)


async def on_start(_: Any, manager: DialogManager) -> None:
    _, profile = await target(manager)
    await go_to(manager, form.BY_FIELD[str(start_id(manager, "field"))], profile)


async def question_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    membership, __ = await target(dialog_manager)
    i18n: I18nContext = dialog_manager.middleware_data["i18n"]
    question, data = current(dialog_manager), dialog_manager.dialog_data
    number, total = form.progress(Role(membership.role), question.field)
    lines = [
        i18n.get("form-progress", number=number, total=total),
        i18n.get(f"q-{question.field}"),
    ]
    if data.get("other"):
        lines.append(i18n.get("form-other-noted", text=esc(data["other"])))
    if data.get("awaiting_other"):
        lines.append(i18n.get("form-type-other"))
    field = question.field
    return {
        "question": "\n".join(lines),
        "options": [(code, i18n.get(f"opt-{field}-{code}")) for code in question.options],
        **{kind.value: question.kind is kind for kind in Kind},
        "back": not start_id(dialog_manager, "edit") and number != 1,
    }


# --- answers ---------------------------------------------------------------------------------


async def save(
    manager: DialogManager, value: Any, other: str | None = None, skip: bool = False
) -> None:
    membership, profile = await target(manager)
    data = manager.middleware_data
    question, now = current(manager), data["clock"].now()
    was_complete = profile.completed_at is not None
    if skip:
        onboarding.skip(profile, Role(membership.role), question.field, now)
    else:
        await onboarding.save_answer(
            data["session"], membership, profile, question.field, value,
            now=now, language=data["i18n"].locale, other=other,
        )  # fmt: skip
    following = form.next_question(profile, Role(membership.role))
    if start_id(manager, "edit"):
        await manager.done()  # back to the profile card, which shows the new value
    elif following is not None:
        await go_to(manager, following, profile)
    else:
        await manager.done()
        await finished(manager, membership, profile, was_complete)


async def finished(
    manager: DialogManager, membership: Membership, profile: Profile, was_complete: bool
) -> None:
    """The last answer: thanks, and the curators learn of a form complete only now."""
    data = manager.middleware_data
    i18n: I18nContext = data["i18n"]
    chat_id = data["event_chat"].id
    await data["bot"].send_message(
        chat_id, i18n.get("form-complete"), reply_markup=ReplyKeyboardRemove()
    )
    if was_complete:
        return
    session: AsyncSession = data["session"]
    organisation = await session.get(Organisation, membership.organisation_id)
    core = i18n.core

    def render(locale: str) -> str:
        return core.get(
            "desk-member-joined",
            locale,
            name=esc(profile.full_name or "—"),
            role=core.get(f"role-{membership.role}", locale),
            organisation=esc(organisation.short_name if organisation else "—"),
        )

    recipients = await desk_recipients(session, membership.organisation_id)
    await tell_each(data["mail"], recipients, render, i18n.locale)


async def typed_value(manager: DialogManager, question: Question, text: str) -> Any:
    """A typed answer checked against the question (and the answers before it)."""
    membership, profile = await target(manager)
    session: AsyncSession = manager.middleware_data["session"]
    organisation = await session.get(Organisation, membership.organisation_id)
    today = manager.middleware_data["clock"].today(organisation.timezone if organisation else "")
    kind = question.kind
    if kind is Kind.NAME:
        return form.parse_full_name(text)
    if kind is Kind.TEXT:
        return form.clean_text(text, question.max_length)
    if kind is Kind.YEAR_OF_BIRTH:
        return form.parse_birth_year(text, today)
    if kind is Kind.NUMBER:
        number = form.parse_number(text, *question.bounds)
        return onboarding.validate_cross_fields(profile, question, number, today)
    if kind is Kind.DATE:
        return today if text is None else form.parse_start_date(text, today, profile.birth_year)
    if kind is Kind.PHONE:
        return form.parse_phone(text)
    if kind is Kind.CHOICE and manager.dialog_data.get("awaiting_other"):
        return form.clean_text(text, form.SHORT_TEXT)
    raise UserFacingError("form-use-buttons")


async def answer_typed(message: Message, _: Any, manager: DialogManager, text: str) -> None:
    question, i18n = current(manager), manager.middleware_data["i18n"]
    try:
        if question.kind is Kind.PHONE and text == i18n.get("form-skip"):
            await save(manager, None, skip=True)  # an old client sends the label as text
        elif question.kind is Kind.MULTI:
            limit = form.LONG_TEXT if question.other_field else form.SHORT_TEXT
            manager.dialog_data["other"] = form.clean_text(text, limit)
        else:
            await save(manager, await typed_value(manager, question, text))
    except UserFacingError as error:
        manager.show_mode = ShowMode.SEND  # the answer, then the question again below it
        await message.answer(error_text(i18n, error))


async def contact_shared(message: Message, _: Any, manager: DialogManager) -> None:
    contact = message.contact
    if contact is None or message.from_user is None or contact.user_id != message.from_user.id:
        manager.show_mode = ShowMode.SEND
        await message.answer(manager.middleware_data["i18n"].get("error-phone-not-yours"))
        return
    await answer_typed(message, None, manager, contact.phone_number)


async def choice_picked(
    callback: CallbackQuery, _: Any, manager: DialogManager, code: str
) -> None:
    question = current(manager)
    if question.kind is not Kind.CHOICE or code not in question.options:
        await refuse(callback, manager)
    elif code == form.OTHER:
        manager.dialog_data["awaiting_other"] = True
    else:
        await save(manager, code)


async def multi_done(callback: CallbackQuery, _: Any, manager: DialogManager) -> None:
    question = current(manager)
    if question.kind is not Kind.MULTI:
        await refuse(callback, manager)
        return
    picks = multiselect(manager)
    chosen = [code for code in question.options if picks.is_checked(code)]
    other = manager.dialog_data.get("other")
    if not chosen and not other:
        manager.show_mode = ShowMode.SEND
        i18n: I18nContext = manager.middleware_data["i18n"]
        await callback.message.answer(i18n.get("error-pick-something"))  # type: ignore[union-attr]
        return
    await save(manager, chosen, other=other)


def button_for(kind: Kind, value: Any = None, skip: bool = False) -> Any:
    """A tap that answers a question of `kind`: today's date, the mentor's consent, a skip."""

    async def tapped(callback: CallbackQuery, _: Any, manager: DialogManager) -> None:
        question = current(manager)
        if question.kind is not kind:
            await refuse(callback, manager)
        elif kind is Kind.DATE:
            await save(manager, await typed_value(manager, question, None))  # type: ignore[arg-type]
        else:
            await save(manager, value, skip=skip)

    return tapped


async def go_back(callback: CallbackQuery, _: Any, manager: DialogManager) -> None:
    membership, profile = await target(manager)
    previous = form.previous_question(Role(membership.role), current(manager).field)
    if previous is None or start_id(manager, "edit"):
        await refuse(callback, manager)
        return
    await go_to(manager, previous, profile)


async def unknown_command(
    message: Message, i18n: I18nContext, dialog_manager: DialogManager
) -> None:
    """After every feature's commands: a command none of them knows, in the middle of the form
    (anywhere else it goes on to the dialogs and the fallback)."""
    if (
        not dialog_manager.has_context()
        or dialog_manager.current_context().state not in ProfileForm
    ):
        raise SkipHandler
    await message.answer(i18n.get("form-unknown-command"))


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(unknown_command, F.text.startswith("/"))
    return router


def dialogs() -> list[Dialog]:
    back = Button(Fl("form-back"), id="profile_back", on_click=go_back, when="back")
    typed = text_input("profile_answer", answer_typed, bounded_text(4096))
    option = Format("{item[1]}")
    return [
        Dialog(
            Window(
                Format("{question}"),
                Column(
                    Select(
                        option,
                        id="profile_choice",
                        item_id_getter=itemgetter(0),
                        items="options",
                        on_click=choice_picked,
                        when="choice",
                    ),
                    Multiselect(
                        Format("✅ {item[1]}"),
                        option,
                        id=MULTI,
                        item_id_getter=itemgetter(0),
                        items="options",
                        when="multi",
                    ),
                ),
                Button(
                    Fl("form-done"),
                    id="profile_multi_done",
                    on_click=multi_done,
                    when="multi",
                ),
                Button(
                    Fl("form-today"),
                    id="profile_today",
                    on_click=button_for(Kind.DATE),
                    when="date",
                ),
                Button(
                    Fl("form-mentor-consent-agree"),
                    id="profile_mentor_consent",
                    on_click=button_for(Kind.CONSENT),
                    when="consent",
                ),
                back,
                *typed,
                state=ProfileForm.question,
                getter=question_getter,
            ),
            Window(
                Format("{question}"),
                RequestContact(Fl("form-share-phone")),
                Row(
                    Button(
                        Fl("form-skip"),
                        id="profile_phone_skip",
                        on_click=button_for(Kind.PHONE, skip=True),
                    ),
                    back,
                ),
                MessageInput(contact_shared, content_types=[ContentType.CONTACT]),
                *typed,
                markup_factory=ReplyKeyboardFactory(resize_keyboard=True, one_time_keyboard=True),
                state=ProfileForm.phone,
                getter=question_getter,
            ),
            on_start=on_start,
        )
    ]
