"""Situational help (ситуационное наставничество) on aiogram-dialog.

- HelpAsk: /sos or «🆘 Нужна помощь» asks to describe the situation; `/sos <text>` takes the
  text at once. The request then goes through the delivery queue (bot/help_relay.py).
- HelpThread: writing in one request (start data: its id, the notice to show, and the id of
  an answer that may be taken back); everything sent is stored, then relayed.
- HelpThreads: a person's open threads (/requests opens one; a reply typed without «Ответить»
  to several of them asks which, see handlers/fallback.py).
The buttons on relayed messages (answer, close, rate, pass) are plain `HelpCb` handlers; each
checks the tapping person's place in the request through `thread_access`.
"""

from __future__ import annotations

import contextlib
from operator import itemgetter
from typing import Any

from aiogram import F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject, Filter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, ContentType, KeyboardButton, Message, ReplyKeyboardMarkup
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Cancel, ScrollingGroup, Select
from aiogram_dialog.widgets.text import Case, Format
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.help_relay import (
    HelpCb,
    Relay,
    RelayResult,
    can_pass,
    controls,
    mentee_and_helper,
    relay_message,
    send_history,
)
from bot.i18n import LANGUAGES
from bot.services import help_requests
from bot.services.errors import UserFacingError
from bot.services.help_requests import Access, Content, Side, Thread
from bot.services.people import Actor
from bot.ui import button, error_text, format_moment, keyboard
from handlers.dialog_kit import Fl, Gone, bounded_text, middleware, owned, start_id, text_input
from handlers.roles import MENTEE
from models import HelpMessage, HelpStatus, Organisation, Role

TEXT_LIMIT = 4096  # Telegram's own: a relay puts a longer text apart from its header
PREVIEW = 60  # characters of a withdrawn answer quoted in the note about it
NOTICES = ("help-continue", "help-sent-mentor", "help-sent-desk", "help-added", "help-nobody")
NOTICES += ("help-write-prompt", "help-taken", "help-answer-withdrawn")


class HelpAsk(StatesGroup):
    describe = State()


class HelpThread(StatesGroup):
    writing = State()


class HelpThreads(StatesGroup):
    choosing = State()


async def thread_access(session: AsyncSession, actor: Actor, request_id: int) -> Access | None:
    """The person's place in the request, or None: the check behind every step."""
    return await help_requests.access(session, request_id, actor.user.id if actor.user else None)


class HelpButton(Filter):
    """The reply-keyboard button «🆘 Нужна помощь», in any language, pressed by a mentee."""

    async def __call__(self, message: Message, i18n: I18nContext, actor: Actor) -> bool:
        if not message.text or Role.MENTEE not in actor.roles:
            return False
        return message.text in {i18n.core.get("help-button", locale) for locale in LANGUAGES}


def help_keyboard(i18n: I18nContext) -> ReplyKeyboardMarkup:
    """The mentee's standing «Нужна помощь» button (other dialogs may show it too)."""
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=i18n.get("help-button"))]],
        resize_keyboard=True,
        is_persistent=True,
    )


def content_of(message: Message) -> Content | None:
    """What a message carries, by Telegram file id; None for what a thread does not take."""
    if message.photo:
        return Content("photo", message.caption, message.photo[-1].file_id)
    for kind in ("animation", "voice", "video", "video_note", "document", "audio"):
        media = getattr(message, kind)  # animation before document: a GIF carries both
        if media is not None:
            return Content(kind, message.caption, media.file_id)
    return None


def relay_of(data: dict[str, Any]) -> Relay:
    return Relay(data["mail"], data["i18n"].core, data["settings"].default_language)


async def post(
    message: Message, manager: DialogManager, access: Access, content: Content
) -> HelpMessage | None:
    """Store a message of the thread and relay it; what could not be done is said."""
    data = manager.middleware_data
    session, i18n, now = data["session"], data["i18n"], data["clock"].now()
    try:
        stored = await help_requests.add_message(session, access, content, now)
    except UserFacingError as error:  # closed meanwhile
        await message.answer(error_text(i18n, error))
        return None
    author = await help_requests.person(session, access.membership_id)
    assert author is not None
    result = await relay_message(relay_of(data), session, access.request, stored, author, now)
    if not result.delivered and not result.failed:
        await message.answer(i18n.get("help-nobody", number=str(access.request.id)))
    await report_failures(message, data, result)
    return stored


async def report_failures(message: Message, data: dict[str, Any], result: RelayResult) -> None:
    """Tell the writer who could not be reached; their message is kept all the same."""
    if result.failed:
        i18n, relay = data["i18n"], relay_of(data)
        names = ", ".join(relay.name(person, i18n.locale) for person in result.failed)
        key = "help-not-delivered-escalated" if result.escalated else "help-not-delivered"
        await message.answer(i18n.get(key, names=names))


async def enter_thread(
    manager: DialogManager, start: dict[str, Any], *, beside: bool = False
) -> None:
    """Into a thread's dialog; `beside` a relayed message, in a message of its own (the relayed
    one keeps its text and buttons)."""
    if not beside:
        await manager.start(HelpThread.writing, start, mode=StartMode.RESET_STACK)
        return
    await manager.reset_stack(remove_keyboard=False)
    await manager.start(HelpThread.writing, start, show_mode=ShowMode.SEND)


# --- asking ------------------------------------------------------------------------------------


async def sos(
    message: Message,
    dialog_manager: DialogManager,
    actor: Actor,
    session: AsyncSession,
    i18n: I18nContext,
    command: CommandObject | None = None,
) -> None:
    mentee = actor.membership(Role.MENTEE)
    if mentee is None:  # an administrator without a mentee's membership
        await message.answer(i18n.get("help-only-mentees"))
        return
    typed = (command.args or "").strip() if command else ""
    if typed:  # "/sos The parents ask for a meeting again": that is the request
        await ask(message, dialog_manager, Content("text", typed, None))
        return
    existing = await help_requests.open_request_of(session, mentee.id)
    if existing is not None:
        await enter_thread(dialog_manager, {"id": existing.id, "notice": "help-continue"})
        return
    await dialog_manager.start(HelpAsk.describe, mode=StartMode.RESET_STACK)


async def describe_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    session, actor = middleware(dialog_manager)
    mentee = actor.membership(Role.MENTEE)
    paired = await help_requests.active_mentor(session, mentee.id) if mentee else None
    name = relay_of(dialog_manager.middleware_data).plain_name(
        paired[1] if paired else None, dialog_manager.middleware_data["i18n"].locale
    )
    return {"paired": paired is not None, "name": name}


async def ask(message: Message, manager: DialogManager, content: Content) -> None:
    """The mentee's message starts a request (or joins the open one) and goes out at once."""
    data = manager.middleware_data
    session, actor = middleware(manager)
    mentee, organisation, now = (
        actor.membership(Role.MENTEE),
        actor.organisation,
        data["clock"].now(),
    )
    if mentee is None or organisation is None:
        raise Gone
    request, stored, created = await help_requests.start(
        session, mentee, organisation, content, now
    )
    author = await help_requests.person(session, mentee.id)
    assert author is not None
    relay = relay_of(data)
    result = await relay_message(relay, session, request, stored, author, now, first=created)
    await report_failures(message, data, result)
    if not result.delivered and not result.failed:
        notice = "help-nobody"
    elif not created:
        notice = "help-added"
    else:
        notice = "help-sent-desk" if request.escalated_at else "help-sent-mentor"
    await enter_thread(manager, {"id": request.id, "notice": notice})


# --- the thread --------------------------------------------------------------------------------


def content_inputs(widget_id: str, on_content: Any) -> tuple[Any, MessageInput]:
    """Text (bounded) or media for a thread; anything else gets a polite refusal."""

    async def typed(message: Message, _: Any, manager: DialogManager, text: str) -> None:
        await on_content(message, manager, Content("text", text, None))

    async def media(message: Message, _: MessageInput, manager: DialogManager) -> None:
        content = content_of(message)
        if content is None:
            manager.show_mode = ShowMode.NO_UPDATE
            await message.answer(manager.middleware_data["i18n"].get("help-unsupported"))
            return
        await on_content(message, manager, content)

    text = text_input(widget_id, typed, bounded_text(TEXT_LIMIT))[0]
    not_text = MessageInput(media, content_types=[ContentType.ANY], filter=~F.text)
    return text, not_text


async def thread_started(start: dict[str, Any], manager: DialogManager) -> None:
    manager.dialog_data.update(start)


async def thread_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    access = await owned(dialog_manager, thread_access, start_id(dialog_manager))
    data = dialog_manager.middleware_data
    _, helper = await mentee_and_helper(data["session"], access.request)
    return {
        "number": str(access.request.id),
        "name": relay_of(data).plain_name(helper, data["i18n"].locale),
        "notice": dialog_manager.dialog_data.get("notice", "help-write-prompt"),
        "taken": bool(dialog_manager.dialog_data.get("taken")),
    }


async def wrote(message: Message, manager: DialogManager, content: Content) -> None:
    """A message in the thread: stored and relayed; the window stays where it is."""
    access = await owned(manager, thread_access, start_id(manager))
    manager.show_mode = ShowMode.NO_UPDATE
    if await post(message, manager, access, content) is None:
        await manager.done()


async def answer_with(message: Message, manager: DialogManager, access: Access, text: str) -> None:
    """A reply typed without «Ответить» goes to the thread; it is said so, and it may be taken
    back (handlers/fallback.py)."""
    stored = await post(message, manager, access, Content("text", text, None))
    if stored is not None:
        start = {"id": access.request.id, "notice": "help-taken", "taken": stored.id}
        await enter_thread(manager, start)


async def take_back(callback: CallbackQuery, _: Button, manager: DialogManager) -> None:
    """The answer has gone out already (the queue sends at once): a note that it is withdrawn
    follows it to the same people and stays in the thread. When it was the only answer, the
    escalation timer runs again."""
    taken = manager.dialog_data.pop("taken", None)
    if not taken or not isinstance(callback.message, Message):
        return  # taken back already: a double tap
    access = await owned(manager, thread_access, start_id(manager))
    data = manager.middleware_data
    answer = await data["session"].get(HelpMessage, taken)
    if answer is None or answer.author_membership_id != access.membership_id:
        raise Gone
    quoted = (answer.text or "")[:PREVIEW] + ("…" if len(answer.text or "") > PREVIEW else "")
    note = data["i18n"].get("help-withdrawn-note", text=quoted)
    answered = access.request.answered_at
    if await post(callback.message, manager, access, Content("text", note, None)) is None:
        return
    if answered == answer.created_at:
        access.request.answered_at = None
    manager.dialog_data["notice"] = "help-answer-withdrawn"


async def close_clicked(callback: CallbackQuery, _: Button, manager: DialogManager) -> None:
    await close_thread(callback, manager, await owned(manager, thread_access, start_id(manager)))


async def close_thread(query: CallbackQuery, manager: DialogManager, access: Access) -> None:
    data = manager.middleware_data
    i18n, request = data["i18n"], access.request
    try:
        help_requests.close(access, data["clock"].now())
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    await query.answer()
    current = manager.current_context() if manager.has_context() else None
    if current and current.state == HelpThread.writing and start_id(manager) == request.id:
        await manager.reset_stack()
    relay, session = relay_of(data), data["session"]
    closer = await help_requests.person(session, access.membership_id)
    number = str(request.id)
    for person, side in await help_requests.audience(session, request):
        if person.membership_id == access.membership_id:
            continue
        locale = relay.locale(person)
        text = relay.core.get(
            "help-closed-notice", locale, number=number, who=relay.name(closer, locale)
        )
        markup = None
        if side is Side.MENTEE and request.answered_at is not None:
            text += "\n\n" + relay.core.get("help-rate-ask", locale, number=number)
            markup = rating_keyboard(request.id)
        await relay.mail.send(person.telegram_id, text, markup, purpose="help")
    assert isinstance(query.message, Message)
    if access.side is Side.MENTEE and request.answered_at is not None:
        await query.message.answer(
            i18n.get("help-rate-ask", number=number), reply_markup=rating_keyboard(request.id)
        )
    else:
        mentee = access.side is Side.MENTEE
        await query.message.answer(
            i18n.get("help-closed-by-you", number=number),
            reply_markup=help_keyboard(i18n) if mentee else None,
        )


def rating_keyboard(request_id: int) -> Any:
    return keyboard(
        [
            button(str(value), HelpCb(action="rate", request_id=request_id, value=value))
            for value in help_requests.RATINGS
        ]
    )


# --- the buttons on relayed messages ------------------------------------------------------------


async def tapped(
    query: CallbackQuery, manager: DialogManager, request_id: int, *, on_desk: bool = False
) -> Access | None:
    """The tapping person's part in the request (on its desk side, if `on_desk`); otherwise a
    polite alert and None."""
    access = await thread_access(*middleware(manager), request_id)
    if (
        access is None
        or (on_desk and not access.on_desk)
        or not isinstance(query.message, Message)
    ):
        await query.answer(manager.middleware_data["i18n"].get("help-not-yours"), show_alert=True)
        return None
    return access


async def answer_tapped(
    query: CallbackQuery, callback_data: HelpCb, dialog_manager: DialogManager, i18n: I18nContext
) -> None:
    access = await tapped(query, dialog_manager, callback_data.request_id)
    if access is None:
        return
    if access.request.status != HelpStatus.OPEN:
        await query.answer(i18n.get("help-closed", number=str(access.request.id)), show_alert=True)
        return
    await query.answer()
    await enter_thread(dialog_manager, {"id": access.request.id}, beside=True)


async def close_tapped(
    query: CallbackQuery, callback_data: HelpCb, dialog_manager: DialogManager
) -> None:
    access = await tapped(query, dialog_manager, callback_data.request_id)
    if access is not None:
        await close_thread(query, dialog_manager, access)


async def rate_tapped(
    query: CallbackQuery, callback_data: HelpCb, dialog_manager: DialogManager, i18n: I18nContext
) -> None:
    access = await tapped(query, dialog_manager, callback_data.request_id)
    if access is None or not isinstance(query.message, Message):
        return
    try:
        help_requests.rate(access, callback_data.value)
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    await query.answer()
    with contextlib.suppress(TelegramAPIError):  # the rating is stored either way
        await query.message.edit_reply_markup(reply_markup=None)
    await query.message.answer(
        i18n.get("help-rated", rating=callback_data.value), reply_markup=help_keyboard(i18n)
    )


async def pass_tapped(
    query: CallbackQuery, callback_data: HelpCb, dialog_manager: DialogManager, i18n: I18nContext
) -> None:
    """A curator hands the request to a psychologist (a choice of them when there are several)."""
    access = await tapped(query, dialog_manager, callback_data.request_id, on_desk=True)
    if access is None or not isinstance(query.message, Message):
        return
    request, session = access.request, dialog_manager.middleware_data["session"]
    available = await help_requests.psychologists(session, request.organisation_id)
    chosen = callback_data.value or (available[0].membership_id if len(available) == 1 else 0)
    if available and not chosen:
        await query.answer()
        rows = [
            [
                button(
                    p.full_name or i18n.get("help-no-name"),
                    callback_data.model_copy(update={"value": p.membership_id}),
                )
            ]
            for p in available
        ]
        text = i18n.get("help-choose-psychologist", number=str(request.id))
        await query.message.answer(text, reply_markup=keyboard(*rows))
        return
    previous = await help_requests.person(session, request.helper_membership_id)
    try:
        psychologist = await help_requests.pass_to_psychologist(session, access, chosen)
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    await query.answer()
    relay = relay_of(dialog_manager.middleware_data)
    name = relay.plain_name(psychologist, i18n.locale)
    await query.message.answer(i18n.get("help-passed", number=str(request.id), name=name))
    # The psychologist gets the thread; the mentee and the former helper are told.
    core, number = relay.core, str(request.id)
    mentee = await help_requests.person(session, request.mentee_membership_id)
    locale = relay.locale(psychologist)
    text = core.get("help-passed-to-you", locale, number=number, mentee=relay.name(mentee, locale))
    await relay.mail.send(psychologist.telegram_id, text, purpose="help")
    markup = controls(relay, psychologist, request, can_pass=False)
    await send_history(relay, session, psychologist, request, markup)
    told = [(mentee, "help-passed-mentee")]
    if previous and previous.telegram_id not in {
        psychologist.telegram_id,
        mentee.telegram_id if mentee else 0,
    }:
        told.append((previous, "help-passed-previous"))
    for person, key in told:
        if person is not None:
            locale = relay.locale(person)
            text = core.get(
                key, locale, number=number, name=relay.plain_name(psychologist, locale)
            )
            await relay.mail.send(person.telegram_id, text, purpose="help")


# --- a person's open threads -------------------------------------------------------------------


async def answerable(session: AsyncSession, actor: Actor) -> list[Thread]:
    """Open threads the person answers in (as helper or curator), not their own requests."""
    if actor.organisation is None:
        return []
    own = {membership.id for membership in actor.memberships}
    threads = await help_requests.open_threads(session, actor.organisation.id, actor.memberships)
    return [thread for thread in threads if thread.request.mentee_membership_id not in own]


async def threads_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    session, actor = middleware(dialog_manager)
    i18n: I18nContext = dialog_manager.middleware_data["i18n"]
    replying = start_id(dialog_manager, "text")
    if replying:
        threads = await answerable(session, actor)
    elif actor.organisation is not None:
        threads = await help_requests.open_threads(
            session, actor.organisation.id, actor.memberships
        )
    else:
        threads = []
    timezone = actor.organisation.timezone if actor.organisation else "UTC"
    rows = []
    for thread in threads:
        request = thread.request
        key = "help-requests-row-waiting" if request.answered_at is None else "help-requests-row"
        label = i18n.get(
            key,
            number=str(request.id),
            # a button's text is not HTML: the name goes in as typed
            mentee=thread.mentee.full_name if thread.mentee and thread.mentee.full_name else "—",
            moment=format_moment(request.created_at, timezone),
        )
        rows.append((label, request.id))
    return {"threads": rows, "count": len(rows), "replying": bool(replying)}


async def thread_chosen(
    callback: CallbackQuery, _: Any, manager: DialogManager, item_id: str
) -> None:
    access = await owned(manager, thread_access, int(item_id) if item_id.isdigit() else None)
    text = start_id(manager, "text")
    if not isinstance(callback.message, Message):
        return
    if isinstance(text, str):
        await answer_with(callback.message, manager, access, text)
        return
    await manager.done()
    await show_thread(callback.message, manager, access)


async def show_thread(message: Message, manager: DialogManager, access: Access) -> None:
    """Who asked, when, who helps; then the thread's latest messages with its buttons."""
    data = manager.middleware_data
    session, i18n, relay, request = data["session"], data["i18n"], relay_of(data), access.request
    reader = await help_requests.person(session, access.membership_id)
    assert reader is not None
    mentee, helper = await mentee_and_helper(session, request)
    organisation = await session.get(Organisation, request.organisation_id)
    await message.answer(
        i18n.get(
            "help-open-summary",
            number=str(request.id),
            mentee=relay.name(mentee, i18n.locale),
            helper=relay.name(helper, i18n.locale),
            moment=format_moment(
                request.created_at, organisation.timezone if organisation else "UTC"
            ),
        )
    )
    markup = controls(relay, reader, request, can_pass(access.on_desk, helper))
    await send_history(relay, session, reader, request, markup)


async def requests_command(message: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(HelpThreads.choosing, mode=StartMode.RESET_STACK)


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(sos, HelpButton())
    router.message.register(sos, Command("sos"), flags=MENTEE)
    router.message.register(requests_command, Command("requests"))
    router.callback_query.register(answer_tapped, HelpCb.filter(F.action == "answer"))
    router.callback_query.register(close_tapped, HelpCb.filter(F.action == "close"))
    router.callback_query.register(rate_tapped, HelpCb.filter(F.action == "rate"))
    router.callback_query.register(pass_tapped, HelpCb.filter(F.action == "pass"))
    return router


def dialogs() -> list[Dialog]:
    close = Button(Fl("help-close"), id="help_close", on_click=close_clicked)
    return [
        Dialog(
            Window(
                Case(
                    {True: Fl("help-describe-mentor"), False: Fl("help-describe-desk")}, "paired"
                ),
                *content_inputs("help_describe", ask),
                state=HelpAsk.describe,
                getter=describe_getter,
            )
        ),
        Dialog(
            Window(
                Case({key: Fl(key) for key in NOTICES}, selector="notice"),
                *content_inputs("help_write", wrote),
                Button(
                    Fl("help-take-back"), id="help_take_back", on_click=take_back, when="taken"
                ),
                close,
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
                ScrollingGroup(
                    Select(
                        Format("{item[0]}"),
                        id="help_thread",
                        item_id_getter=itemgetter(1),
                        items="threads",
                        on_click=thread_chosen,
                    ),
                    id="help_threads_page",
                    width=1,
                    height=8,
                    hide_on_single_page=True,
                ),
                Cancel(Fl("help-reply-drop"), id="help_reply_drop", when="replying"),
                state=HelpThreads.choosing,
                getter=threads_getter,
            )
        ),
    ]
