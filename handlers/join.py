"""The profile questionnaire (bot/services/profile_form.py) as one dialog: a window for the
questions, one for the phone (Telegram's "share my number" is on a reply keyboard). Each
answer is stored at once; /start or /profile resume at the first question left."""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, ContentType, Message, ReplyKeyboardRemove
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.widgets import kbd
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.markup.reply_keyboard import ReplyKeyboardFactory
from aiogram_dialog.widgets.text import Format

from bot.notify import tell_each
from bot.services import onboarding
from bot.services import profile_form as form
from bot.services.errors import UserFacingError
from bot.services.people import desk_recipients
from bot.services.profile_form import Kind, Question
from bot.ui import MESSAGE_LIMIT, error_text, esc
from handlers.desk_dialogs import ticks, widget
from handlers.dialog_kit import (
    Fl,
    OutOfRange,
    Typed,
    bounded_text,
    choice,
    ctx,
    owned,
    say,
    start_id,
    text_input,
    today,
)
from models import Membership, Organisation, Profile, Role

MULTI = "profile_multi"


class ProfileForm(StatesGroup):
    question, phone = State(), State()  # start data: membership_id, field, edit


def choose(widget_id: str, items: str, on_click: Any = None, when: Any = None) -> kbd.Column:
    """A list of (id, label) items from the getter as buttons, one a row."""
    return kbd.Column(choice(widget_id, items, on_click), when=when)


async def target(manager: DialogManager) -> tuple[Membership, Profile]:
    return await owned(manager, onboarding.form_target, start_id(manager, "membership_id"))


async def open_form(
    manager: DialogManager,
    membership: Membership,
    field: str | None = None,
    mode: StartMode = StartMode.NORMAL,
) -> bool:
    """The first question left (or `field` alone, to change it); False when none is left."""
    session = manager.middleware_data["session"]
    question = await onboarding.question_to_ask(session, membership, field)
    if question is None:
        return False
    data = {"membership_id": membership.id, "field": question.field, "edit": field is not None}
    await manager.start(ProfileForm.question, data, mode=mode, show_mode=ShowMode.SEND)
    return True


def current(manager: DialogManager) -> Question:
    return form.BY_FIELD[manager.dialog_data["field"]]


async def go_to(manager: DialogManager, question: Question, profile: Profile) -> None:
    manager.dialog_data.update(field=question.field, other=None, awaiting_other=False)
    if question.kind is Kind.MULTI:
        picks = widget(manager, MULTI)
        await picks.reset_checked()
        for code in getattr(profile, question.field) or []:
            await picks.set_checked(code, True)
        manager.dialog_data["other"] = getattr(profile, question.other_field or "", None)
    phone = question.kind is Kind.PHONE
    await manager.switch_to(ProfileForm.phone if phone else ProfileForm.question)


async def on_start(_: Any, manager: DialogManager) -> None:
    __, profile = await target(manager)
    await go_to(manager, form.BY_FIELD[str(start_id(manager, "field"))], profile)


async def question_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    membership, __ = await target(dialog_manager)
    i18n = dialog_manager.middleware_data["i18n"]
    question, data = current(dialog_manager), dialog_manager.dialog_data
    field = question.field
    number, total = form.progress(Role(membership.role), field)
    lines = [i18n.get("form-progress", number=number, total=total), i18n.get(f"q-{field}")]
    if data.get("other"):
        lines.append(i18n.get("form-other-noted", text=esc(data["other"])))
    if data.get("awaiting_other"):
        lines.append(i18n.get("form-type-other"))
    return {
        "question": "\n".join(lines),
        "options": [(code, i18n.get(f"opt-{field}-{code}")) for code in question.options],
        **{kind.value: question.kind is kind for kind in Kind},
        "back": not start_id(dialog_manager, "edit") and number != 1,
    }


# --- answers ---------------------------------------------------------------------------------


async def save(
    manager: DialogManager,
    value: Any,
    other: str | None = None,
    skip: bool = False,
    loaded: tuple[Membership, Profile] | None = None,
) -> None:
    membership, profile = loaded or await target(manager)
    c, role, field = ctx(manager), Role(membership.role), current(manager).field
    was_complete, now = profile.completed_at is not None, c.clock.now()
    if skip:
        onboarding.skip(profile, role, field, now)
    else:
        await onboarding.save_answer(
            c.session, membership, profile, field, value,
            now=now, language=c.i18n.locale, other=other,
        )  # fmt: skip
    following, edit = form.next_question(profile, role), start_id(manager, "edit")
    if following is not None and not edit:
        await go_to(manager, following, profile)
        return
    await manager.done()  # after a change, back to the profile card showing it
    if following is None and not edit:
        await finished(manager, membership, profile, was_complete)


async def finished(
    manager: DialogManager, membership: Membership, profile: Profile, was_complete: bool
) -> None:
    """The last answer: thanks, and the curators learn of a form complete only now."""
    c, chat = ctx(manager), manager.middleware_data["event_chat"]
    text = c.i18n.get("form-complete")
    await c.bot.send_message(chat.id, text, reply_markup=ReplyKeyboardRemove())
    if was_complete:
        return
    organisation = await c.session.get(Organisation, membership.organisation_id)
    core, name = c.i18n.core, esc(profile.full_name or "—")
    where = esc(organisation.short_name if organisation else "—")

    def render(locale: str) -> str:
        role = core.get(f"role-{membership.role}", locale)
        return core.get("desk-member-joined", locale, name=name, role=role, organisation=where)

    recipients = await desk_recipients(c.session, membership.organisation_id)
    await tell_each(c.mail, recipients, render, c.i18n.locale)


async def answer_typed(message: Message, _: Any, manager: DialogManager, text: str) -> None:
    question, i18n = current(manager), manager.middleware_data["i18n"]
    try:
        if question.kind is Kind.PHONE and text == i18n.get("form-skip"):
            await save(manager, None, skip=True)  # an old client sends the label as text
        elif question.kind is Kind.MULTI:
            limit = form.LONG_TEXT if question.other_field else form.SHORT_TEXT
            manager.dialog_data["other"] = form.clean_text(text, limit)
        else:
            loaded = await target(manager)
            other = bool(manager.dialog_data.get("awaiting_other"))
            value = onboarding.typed_answer(loaded[1], question, text, today(manager), other)
            await save(manager, value, loaded=loaded)
    except UserFacingError as error:
        await say(message, manager, error_text(i18n, error))  # then the question again below


async def contact_shared(message: Message, _: Any, manager: DialogManager) -> None:
    contact, sender = message.contact, message.from_user
    if contact is None or sender is None or contact.user_id != sender.id:
        await say(message, manager, ctx(manager).i18n.get("error-phone-not-yours"))
        return
    await answer_typed(message, None, manager, contact.phone_number)


async def choice_picked(
    callback: CallbackQuery, _: Any, manager: DialogManager, code: str
) -> None:
    question = current(manager)
    if question.kind is not Kind.CHOICE or code not in question.options:
        raise OutOfRange  # a button of another step, stale or forged
    if code == form.OTHER:
        manager.dialog_data["awaiting_other"] = True
    else:
        await save(manager, code)


async def multi_done(callback: CallbackQuery, _: Any, manager: DialogManager) -> None:
    question, other = current(manager), manager.dialog_data.get("other")
    chosen = [code for code in question.options if widget(manager, MULTI).is_checked(code)]
    if question.kind is not Kind.MULTI:
        raise OutOfRange
    if chosen or other:
        await save(manager, chosen, other=other)
    elif isinstance(callback.message, Message):
        manager.show_mode = ShowMode.SEND
        await callback.message.answer(manager.middleware_data["i18n"].get("error-pick-something"))


def tap(key: str, widget_id: str, kind: Kind, skip: bool = False) -> kbd.Button:
    """A button answering a question of `kind` by a tap: today's date, the mentor's consent, a
    skip (of the phone)."""

    async def tapped(callback: CallbackQuery, _: Any, manager: DialogManager) -> None:
        if current(manager).kind is not kind:
            raise OutOfRange
        await save(manager, today(manager) if kind is Kind.DATE else None, skip=skip)

    return kbd.Button(Fl(key), id=widget_id, on_click=tapped, when=kind.value)


async def go_back(callback: CallbackQuery, _: Any, manager: DialogManager) -> None:
    membership, profile = await target(manager)
    previous = form.previous_question(Role(membership.role), current(manager).field)
    if previous is None or start_id(manager, "edit"):
        raise OutOfRange
    await go_to(manager, previous, profile)


async def unknown_command(message: Message, dialog_manager: DialogManager, **data: Any) -> None:
    """After every feature's commands: a command none of them knows, in the middle of the form
    (anywhere else it goes on to the dialogs and the fallback)."""
    context = dialog_manager.has_context() and dialog_manager.current_context()
    if not context or context.state not in ProfileForm:
        raise SkipHandler
    await message.answer(data["i18n"].get("form-unknown-command"))


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(unknown_command, Typed(command=True))
    return router


def dialogs() -> list[Dialog]:
    back = kbd.Button(Fl("form-back"), id="profile_back", on_click=go_back, when="back")
    typed = text_input("profile_answer", answer_typed, bounded_text(MESSAGE_LIMIT))
    done = kbd.Button(Fl("form-done"), id="profile_multi_done", on_click=multi_done, when="multi")
    question = Format("{question}")
    return [
        Dialog(
            Window(
                question,
                choose("profile_choice", "options", choice_picked, when="choice"),
                kbd.Column(ticks(MULTI, "options"), when="multi"),
                done,
                tap("form-today", "profile_today", Kind.DATE),
                tap("form-mentor-consent-agree", "profile_mentor_consent", Kind.CONSENT),
                back,
                *typed,
                state=ProfileForm.question,
                getter=question_getter,
            ),
            Window(
                question,
                kbd.RequestContact(Fl("form-share-phone")),
                kbd.Row(tap("form-skip", "profile_phone_skip", Kind.PHONE, skip=True), back),
                typed[0],  # text first: the contact's magic filter runs in a worker thread
                MessageInput(contact_shared, content_types=[ContentType.CONTACT]),
                typed[1],
                markup_factory=ReplyKeyboardFactory(resize_keyboard=True, one_time_keyboard=True),
                state=ProfileForm.phone,
                getter=question_getter,
            ),
            on_start=on_start,
        )
    ]
