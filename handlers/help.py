"""Situational help (ситуационное наставничество): /sos or «🆘 Нужна помощь» asks (HelpAsk),
HelpThread writes in one request, HelpThreads lists one's open ones (/requests) or asks where a
reply typed without «Ответить» goes (fallback.py). Messages go to the others through the queue
(bot/help_relay.py); the buttons on them are plain `HelpCb` handlers (`thread_access` checks)."""

from __future__ import annotations

import contextlib
from typing import Any

from aiogram import F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    ContentType,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Cancel
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext

from bot import help_relay
from bot.help_relay import HelpCb, Relay, content_of
from bot.i18n import LANGUAGES
from bot.services import help_requests
from bot.services.errors import UserFacingError
from bot.services.help_requests import Access, Content, Side, answerable, thread_access
from bot.services.typed_text import typed_text
from bot.ui import MESSAGE_LIMIT, error_text, format_moment
from handlers.dialog_kit import (
    Ctx,
    Fl,
    Gone,
    Typed,
    bounded_text,
    choice,
    ctx,
    middleware,
    owned,
    paged,
    safe_id,
    start_id,
    text_input,
)
from handlers.roles import MENTEE
from models import HelpMessage, HelpRequest, HelpStatus, Role

QUOTED = 60  # characters of a withdrawn answer quoted in the note about it


class HelpAsk(StatesGroup):
    describe = State()


class HelpThread(StatesGroup):
    writing = State()


class HelpThreads(StatesGroup):
    choosing = State()


async def help_button(message: Message, i18n: I18nContext) -> bool:
    """The reply-keyboard button «🆘 Нужна помощь», in any language (it stays in the chat of
    one who is no longer a mentee: `sos` answers them and takes it away)."""
    labels = {i18n.core.get("help-button", locale) for locale in LANGUAGES}
    return message.text in labels


def help_keyboard(i18n: I18nContext) -> ReplyKeyboardMarkup:
    """The mentee's standing «Нужна помощь» button (other dialogs may show it too)."""
    button = KeyboardButton(text=i18n.get("help-button"))
    return ReplyKeyboardMarkup(keyboard=[[button]], resize_keyboard=True, is_persistent=True)


def content_inputs(widget_id: str, on_content: Any) -> tuple[Any, MessageInput]:
    """A thread's input: text (bounded) or media; anything else gets a polite refusal."""

    async def typed(message: Message, _: Any, manager: DialogManager, text: str) -> None:
        await on_content(message, manager, Content("text", text, None))

    async def media(message: Message, _: MessageInput, manager: DialogManager) -> None:
        content = content_of(message)
        if content is not None:
            await on_content(message, manager, content)
            return
        manager.show_mode = ShowMode.NO_UPDATE
        await message.answer(manager.middleware_data["i18n"].get("help-unsupported"))

    # Telegram's own limit: a relay puts a longer text apart from its header.
    text = text_input(widget_id, typed, bounded_text(MESSAGE_LIMIT))[0]
    return text, MessageInput(media, content_types=[ContentType.ANY], filter=Typed(text=False))


def relay_of(c: Ctx) -> Relay:
    return Relay(c.mail, c.i18n.core, c.settings.default_language)


async def relay(
    message: Message, c: Ctx, request: HelpRequest, stored: HelpMessage, first: bool
) -> bool:
    """Relay a stored message to the others; tell the writer who could not be reached (their
    message is kept all the same). False when there was nobody to relay it to."""
    i18n, relaying = c.i18n, relay_of(c)
    author = await help_requests.person(c.session, stored.author_membership_id)
    assert author is not None
    result = await help_relay.relay_message(
        relaying, c.session, request, stored, author, c.clock.now(), first=first
    )
    if result.failed:
        names = ", ".join(relaying.name(person, i18n.locale) for person in result.failed)
        key = "help-not-delivered-escalated" if result.escalated else "help-not-delivered"
        await message.answer(i18n.get(key, names=names))
    return bool(result.delivered or result.failed)


async def post(
    message: Message, manager: DialogManager, access: Access, content: Content
) -> HelpMessage | None:
    """Store a message of the thread, then relay it; None when the thread is closed (said)."""
    c = ctx(manager)
    try:
        stored = await help_requests.add_message(c.session, access, content, c.clock.now())
    except UserFacingError as error:
        await message.answer(error_text(c.i18n, error))
        return None
    if not await relay(message, c, access.request, stored, first=False):
        await message.answer(c.i18n.get("help-nobody", number=str(access.request.id)))
    return stored


async def enter_thread(
    manager: DialogManager, start: dict[str, Any], beside: bool = False
) -> None:
    """Into a thread's dialog; `beside` a relayed message, in a message of its own (the relayed
    one keeps its text and buttons)."""
    show = ShowMode.SEND if beside else None
    await manager.start(HelpThread.writing, start, StartMode.RESET_STACK, show)


# --- asking ------------------------------------------------------------------------------------


async def sos(
    message: Message,
    dialog_manager: DialogManager,
    i18n: I18nContext,
    command: CommandObject | None = None,
) -> None:
    session, actor = middleware(dialog_manager)
    mentee = actor.membership(Role.MENTEE)
    if mentee is None:  # the standing button of one whose mentee's membership ended
        await message.answer(i18n.get("help-only-mentees"), reply_markup=ReplyKeyboardRemove())
    elif command is not None and (asked := typed_text(command.args).strip()):  # "/sos Help…"
        await ask(message, dialog_manager, Content("text", asked, None))
    elif existing := await help_requests.open_request_of(session, mentee.id):
        await enter_thread(dialog_manager, {"id": existing.id, "notice": "help-continue"})
    else:
        await dialog_manager.start(HelpAsk.describe, mode=StartMode.RESET_STACK)


async def describe_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    c = ctx(dialog_manager)
    mentee = c.actor.membership(Role.MENTEE)
    paired = await help_requests.active_mentor(c.session, mentee.id) if mentee else None
    name = relay_of(c).plain_name(paired[1] if paired else None, c.i18n.locale)
    return {"paired": paired is not None, "name": name}


async def ask(message: Message, manager: DialogManager, content: Content) -> None:
    """The mentee's message starts a request (or joins the open one) and goes out at once."""
    c = ctx(manager)
    mentee, organisation = c.actor.membership(Role.MENTEE), c.actor.organisation
    if mentee is None or organisation is None:
        raise Gone
    request, stored, created = await help_requests.start(
        c.session, mentee, organisation, content, c.clock.now()
    )
    if not await relay(message, c, request, stored, first=created):
        notice = "help-nobody"
    elif not created:
        notice = "help-added"
    else:
        notice = "help-sent-desk" if request.escalated_at else "help-sent-mentor"
    await enter_thread(manager, {"id": request.id, "notice": notice})


# --- the thread --------------------------------------------------------------------------------


async def thread_started(start: dict[str, Any], manager: DialogManager) -> None:
    manager.dialog_data.update(start)


async def thread_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The notice the thread was opened or left with (a text key), about its request."""
    access = await owned(dialog_manager, thread_access, start_id(dialog_manager))
    c, data = ctx(dialog_manager), dialog_manager.dialog_data
    request, relaying, locale = access.request, relay_of(c), c.i18n.locale
    mentee, helper = await help_relay.mentee_and_helper(c.session, request)
    notice = c.i18n.get(
        data.get("notice", "help-write-prompt"),
        number=str(request.id),
        name=relaying.plain_name(helper, locale),
        mentee=relaying.name(mentee, locale),
        helper=relaying.name(helper, locale),
        moment=format_moment(request.created_at, c.actor.timezone),
    )
    return {"notice": notice, "taken": bool(data.get("taken"))}


async def wrote(message: Message, manager: DialogManager, content: Content) -> None:
    """A message in the thread: stored and relayed; the window stays where it is."""
    access = await owned(manager, thread_access, start_id(manager))
    manager.show_mode = ShowMode.NO_UPDATE
    if await post(message, manager, access, content) is None:
        await manager.done()


async def answer_with(message: Message, manager: DialogManager, access: Access, text: str) -> None:
    """A reply typed without «Ответить» goes to the thread, is said to, and may be taken back."""
    stored = await post(message, manager, access, Content("text", text, None))
    if stored is not None:
        start = {"id": access.request.id, "notice": "help-taken", "taken": stored.id}
        await enter_thread(manager, start)


async def take_back(callback: CallbackQuery, _: Button, manager: DialogManager) -> None:
    """The answer has gone out already (the queue sends at once), so a note that it is withdrawn
    follows it to the same people and stays in the thread; when it was the only answer, the
    escalation timer runs again."""
    taken = manager.dialog_data.pop("taken", None)
    if not taken or not isinstance(callback.message, Message):
        return  # taken back already: a double tap
    access = await owned(manager, thread_access, start_id(manager))
    c = ctx(manager)
    answer = await c.session.get(HelpMessage, taken)
    if answer is None or answer.author_membership_id != access.membership_id:
        raise Gone
    text = answer.text or ""
    quoted = text[:QUOTED] + ("…" if len(text) > QUOTED else "")
    note = c.i18n.get("help-withdrawn-note", text=quoted)
    answered = access.request.answered_at
    if await post(callback.message, manager, access, Content("text", note, None)) is not None:
        access.request.answered_at = None if answered == answer.created_at else answered
        manager.dialog_data["notice"] = "help-answer-withdrawn"


# --- buttons: the thread window's «Закрыть», and those on relayed messages ----------------------


async def close_clicked(callback: CallbackQuery, _: Button, manager: DialogManager) -> None:
    await press(callback, manager, "close", await owned(manager, thread_access, start_id(manager)))


async def help_tapped(
    query: CallbackQuery, callback_data: HelpCb, dialog_manager: DialogManager
) -> None:
    access = await thread_access(*middleware(dialog_manager), callback_data.request_id)
    await press(query, dialog_manager, callback_data.action, access, callback_data.value)


async def press(
    query: CallbackQuery,
    manager: DialogManager,
    action: str,
    access: Access | None,
    value: int = 0,
) -> None:
    """A help button, for someone in the request (on its desk side, to pass it on)."""
    i18n = manager.middleware_data["i18n"]
    mine = access is not None and (action != "pass" or access.on_desk)
    if not mine or access is None or not isinstance(query.message, Message):
        await query.answer(i18n.get("help-not-yours"), show_alert=True)
        return
    try:
        await BUTTONS[action](query.message, manager, access, value)
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    await query.answer()


async def answer(message: Message, manager: DialogManager, access: Access, _: int) -> None:
    if access.request.status != HelpStatus.OPEN:
        raise UserFacingError("help-closed", number=str(access.request.id))
    if not in_thread(manager, access.request.id):  # a double tap opens it once
        await enter_thread(manager, {"id": access.request.id}, beside=True)


def in_thread(manager: DialogManager, request_id: int) -> bool:
    writing = manager.has_context() and manager.current_context().state == HelpThread.writing
    return writing and start_id(manager) == request_id


async def close(message: Message, manager: DialogManager, access: Access, _: int) -> None:
    c, request = ctx(manager), access.request
    await help_requests.close(c.session, access, c.clock.now())
    if in_thread(manager, request.id):
        await manager.reset_stack()
    closer = await help_requests.person(c.session, access.membership_id)
    await help_relay.tell_closed(relay_of(c), c.session, request, closer)
    number, mentee = str(request.id), access.side is Side.MENTEE
    if mentee and request.answered_at is not None:
        markup: Any = help_relay.rating_keyboard(request.id)
        await message.answer(c.i18n.get("help-rate-ask", number=number), reply_markup=markup)
        return
    markup = help_keyboard(c.i18n) if mentee else None
    await message.answer(c.i18n.get("help-closed-by-you", number=number), reply_markup=markup)


async def rate(message: Message, manager: DialogManager, access: Access, value: int) -> None:
    help_requests.rate(access, value)
    i18n = manager.middleware_data["i18n"]
    with contextlib.suppress(TelegramAPIError):  # the rating is stored either way
        await message.edit_reply_markup(reply_markup=None)
    await message.answer(i18n.get("help-rated", rating=value), reply_markup=help_keyboard(i18n))


async def pass_on(message: Message, manager: DialogManager, access: Access, value: int) -> None:
    """A curator hands the request to a psychologist (chosen, when there are several)."""
    c, request = ctx(manager), access.request
    session, i18n = c.session, c.i18n
    available = await help_requests.psychologists(session, request.organisation_id)
    chosen = value or (available[0].membership_id if len(available) == 1 else 0)
    if available and not chosen:
        markup = help_relay.psychologists_keyboard(request.id, available, i18n.get("help-no-name"))
        text = i18n.get("help-choose-psychologist", number=str(request.id))
        await message.answer(text, reply_markup=markup)
        return
    previous = await help_requests.person(session, request.helper_membership_id)
    psychologist = await help_requests.pass_to_psychologist(session, access, chosen)
    name = relay_of(c).plain_name(psychologist, i18n.locale)
    await message.answer(i18n.get("help-passed", number=str(request.id), name=name))
    await help_relay.tell_passed(relay_of(c), session, request, psychologist, previous)


BUTTONS = {"answer": answer, "close": close, "rate": rate, "pass": pass_on}


# --- a person's open threads -------------------------------------------------------------------


async def threads_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    c = ctx(dialog_manager)
    i18n, actor = c.i18n, c.actor
    replying = start_id(dialog_manager, "text") is not None
    rows = []
    for thread in await answerable(c.session, actor, replying):
        request, mentee = thread.request, thread.mentee
        key = "help-requests-row-waiting" if request.answered_at is None else "help-requests-row"
        label = i18n.get(
            key,
            number=str(request.id),
            mentee=mentee.full_name if mentee and mentee.full_name else "—",  # a label: not HTML
            moment=format_moment(request.created_at, actor.timezone),
        )
        rows.append((request.id, label))
    return {"threads": rows, "count": len(rows), "replying": replying}


async def thread_chosen(
    callback: CallbackQuery, _: Any, manager: DialogManager, item: str
) -> None:
    """The reply waiting goes to the thread chosen; without one, the thread opens: who asked
    and who helps, and its latest messages (with their buttons) through the queue."""
    access = await owned(manager, thread_access, safe_id(item))
    text = start_id(manager, "text")
    if isinstance(callback.message, Message) and isinstance(text, str):
        await answer_with(callback.message, manager, access, text)
        return
    c = ctx(manager)
    await help_relay.show_thread(relay_of(c), c.session, access)
    await enter_thread(manager, {"id": access.request.id, "notice": "help-open-summary"})


async def requests_command(
    message: Message, dialog_manager: DialogManager, i18n: I18nContext
) -> None:
    """The open threads to choose from; none, a plain answer (no window with nothing to tap)."""
    if not await answerable(*middleware(dialog_manager), replying=False):
        await message.answer(i18n.get("help-requests-empty"))
        return
    await dialog_manager.start(HelpThreads.choosing, mode=StartMode.RESET_STACK)


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(sos, help_button)
    router.message.register(sos, Command("sos"), flags=MENTEE)
    router.message.register(requests_command, Command("requests"))
    router.callback_query.register(help_tapped, HelpCb.filter(F.action.in_(BUTTONS)))
    return router


def dialogs() -> list[Dialog]:
    return [
        Dialog(
            Window(
                Fl("help-describe-mentor", when="paired"),
                Fl("help-describe-desk", when=~F["paired"]),
                *content_inputs("help_describe", ask),
                state=HelpAsk.describe,
                getter=describe_getter,
            )
        ),
        Dialog(
            Window(
                Format("{notice}"),
                *content_inputs("help_write", wrote),
                Button(
                    Fl("help-take-back"), id="help_take_back", on_click=take_back, when="taken"
                ),
                Button(Fl("help-close"), id="help_close", on_click=close_clicked),
                state=HelpThread.writing,
                getter=thread_getter,
            ),
            on_start=thread_started,
        ),
        Dialog(
            Window(
                Fl("help-reply-which", when="replying"),
                Fl("help-requests-header", when=F["count"] & ~F["replying"]),
                Fl("help-requests-empty", when=~F["count"]),
                paged(choice("help_thread", "threads", thread_chosen), "help_threads"),
                Cancel(Fl("help-reply-drop"), id="help_reply_drop", when="replying"),
                state=HelpThreads.choosing,
                getter=threads_getter,
            )
        ),
    ]
