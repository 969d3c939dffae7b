"""Situational help: /sos (or the «Нужна помощь» button), the thread, closing, rating, passing on.

A person writing in a thread is in HelpFlow.writing with the request's id; /cancel (in
handlers/common) or the close button leaves it. Every button re-checks on the server that the
tapping person takes part in that request (bot.services.help_requests.access).
"""

from __future__ import annotations

import contextlib

from aiogram import F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
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
from bot.mail import Mail
from bot.services import help_requests
from bot.services.clock import Clock
from bot.services.errors import UserFacingError
from bot.services.help_requests import Access, Content, HelpPerson, Side
from bot.services.people import Actor
from bot.ui import button, error_text, format_moment, keyboard
from handlers.roles import MENTEE
from models import HelpRequest, HelpStatus, Organisation, Role


class HelpFlow(StatesGroup):
    describing = State()  # the mentee is about to describe the situation
    writing = State()  # data: help_request_id


class HelpButton(Filter):
    """The reply-keyboard button «🆘 Нужна помощь», in any language, pressed by a mentee."""

    async def __call__(self, message: Message, i18n: I18nContext, actor: Actor) -> bool:
        if not message.text or Role.MENTEE not in actor.roles:
            return False
        return message.text in {i18n.core.get("help-button", locale) for locale in LANGUAGES}


def not_command(message: Message) -> bool:
    """Commands are never thread messages: they go on to their own handlers."""
    return not (message.text or "").startswith("/")


def help_keyboard(i18n: I18nContext) -> ReplyKeyboardMarkup:
    """The mentee's standing «Нужна помощь» button (other dialogs may show it too)."""
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=i18n.get("help-button"))]],
        resize_keyboard=True,
        is_persistent=True,
    )


def content_of(message: Message) -> Content | None:
    """What a message carries, by Telegram file id; None for what a thread does not take."""
    caption = message.caption
    if message.text is not None:
        return Content("text", message.text, None)
    if message.photo:
        return Content("photo", caption, message.photo[-1].file_id)
    if message.animation is not None:  # before document: a GIF carries both
        return Content("animation", caption, message.animation.file_id)
    for kind in ("voice", "video", "video_note", "document", "audio"):
        media = getattr(message, kind)
        if media is not None:
            return Content(kind, caption, media.file_id)
    return None


def relay_for(mail: Mail, i18n: I18nContext, settings: Settings) -> Relay:
    return Relay(mail, i18n.core, settings.default_language)


def close_keyboard(i18n: I18nContext, request_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [button(i18n.get("help-close"), HelpCb(action="close", request_id=request_id))]
    )


async def access_of(session: AsyncSession, actor: Actor, request_id: int) -> Access | None:
    """The server-side check behind every step: is this person in that request?"""
    return await help_requests.access(session, request_id, actor.user.id if actor.user else None)


async def tapped_access(
    query: CallbackQuery,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
    request_id: int,
    *,
    on_desk: bool = False,
) -> tuple[Access, Message] | None:
    """The tapping person's part in the request (on its desk side, if `on_desk`) and the
    button's message; otherwise a polite alert and None."""
    access = await access_of(session, actor, request_id)
    if (
        access is None
        or (on_desk and not access.on_desk)
        or not isinstance(query.message, Message)
    ):
        await query.answer(i18n.get("help-not-yours"), show_alert=True)
        return None
    return access, query.message


async def writing_in(state: FSMContext, request_id: int) -> None:
    await state.set_state(HelpFlow.writing)
    await state.set_data({"help_request_id": request_id})


async def report_failures(
    message: Message,
    relay: Relay,
    i18n: I18nContext,
    result: RelayResult,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Tell the writer who could not be reached; their message is kept all the same."""
    if not result.failed:
        return
    names = ", ".join(relay.name(person, i18n.locale) for person in result.failed)
    text = (
        i18n.get("help-not-delivered-escalated", names=names)
        if result.escalated
        else i18n.get("help-not-delivered", names=names)
    )
    await message.answer(text, reply_markup=markup)


# --- asking ------------------------------------------------------------------------------------


async def sos(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    mentee = actor.membership(Role.MENTEE)
    if mentee is None:  # an administrator without a mentee's membership
        await message.answer(i18n.get("help-only-mentees"))
        return
    existing = await help_requests.open_request_of(session, mentee.id)
    if existing is not None:
        await writing_in(state, existing.id)
        await message.answer(
            i18n.get("help-continue", number=str(existing.id)),
            reply_markup=close_keyboard(i18n, existing.id),
        )
        return
    paired = await help_requests.active_mentor(session, mentee.id)
    await state.set_state(HelpFlow.describing)
    await state.set_data({})
    if paired is None:
        await message.answer(i18n.get("help-describe-desk"))
        return
    name = relay_for(mail, i18n, settings).plain_name(paired[1], i18n.locale)
    await message.answer(i18n.get("help-describe-mentor", name=name))


async def described(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    content = content_of(message)
    if content is None:
        await message.answer(i18n.get("help-unsupported"))
        return
    mentee = actor.membership(Role.MENTEE)
    if mentee is None or actor.organisation is None:
        await state.clear()
        await message.answer(i18n.get("error-not-allowed"))
        return
    now = clock.now()
    request, stored, created = await help_requests.start(
        session, mentee, actor.organisation, content, now
    )
    relay = relay_for(mail, i18n, settings)
    author = await help_requests.person(session, mentee.id)
    assert author is not None
    result = await relay_message(relay, session, request, stored, author, now, first=created)
    await writing_in(state, request.id)
    markup = close_keyboard(i18n, request.id)
    if not result.delivered and not result.failed:
        await message.answer(i18n.get("help-nobody", number=str(request.id)), reply_markup=markup)
        return
    if result.failed:
        await report_failures(message, relay, i18n, result, markup)
    elif not created:
        await message.answer(i18n.get("help-added", number=str(request.id)), reply_markup=markup)
    elif request.helper_membership_id is not None and request.pair_id is not None:
        helper = await help_requests.person(session, request.helper_membership_id)
        await message.answer(
            i18n.get(
                "help-sent-mentor",
                number=str(request.id),
                name=relay.plain_name(helper, i18n.locale),
            ),
            reply_markup=markup,
        )
    else:
        await message.answer(
            i18n.get("help-sent-desk", number=str(request.id)), reply_markup=markup
        )


# --- writing in a thread -----------------------------------------------------------------------


async def wrote(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    content = content_of(message)
    if content is None:
        await message.answer(i18n.get("help-unsupported"))
        return
    request_id = int((await state.get_data()).get("help_request_id", 0))
    access = await access_of(session, actor, request_id)
    if access is None:  # e.g. the request was passed on to the psychologist
        await state.clear()
        await message.answer(i18n.get("help-not-yours"))
        return
    now = clock.now()
    try:
        stored = await help_requests.add_message(session, access, content, now)
    except UserFacingError as error:
        await state.clear()
        await message.answer(error_text(i18n, error))
        return
    author = await help_requests.person(session, access.membership_id)
    assert author is not None
    relay = relay_for(mail, i18n, settings)
    result = await relay_message(relay, session, access.request, stored, author, now)
    if not result.delivered and not result.failed:
        await message.answer(i18n.get("help-nobody", number=str(request_id)))
    await report_failures(message, relay, i18n, result)


# --- buttons -----------------------------------------------------------------------------------


async def answer_tapped(
    query: CallbackQuery,
    callback_data: HelpCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    found = await tapped_access(query, session, actor, i18n, callback_data.request_id)
    if found is None:
        return
    access, message = found
    request = access.request
    if request.status != HelpStatus.OPEN:
        await query.answer(i18n.get("help-closed", number=str(request.id)), show_alert=True)
        return
    await writing_in(state, request.id)
    await query.answer()
    await message.answer(
        i18n.get("help-write-prompt", number=str(request.id)),
        reply_markup=close_keyboard(i18n, request.id),
    )


async def close_tapped(
    query: CallbackQuery,
    callback_data: HelpCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    found = await tapped_access(query, session, actor, i18n, callback_data.request_id)
    if found is None:
        return
    access, message = found
    request = access.request
    try:
        help_requests.close(access, clock.now())
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    data = await state.get_data()
    if data.get("help_request_id") == request.id:
        await state.clear()
    await query.answer()
    relay = relay_for(mail, i18n, settings)
    closer = await help_requests.person(session, access.membership_id)
    for person, side in await help_requests.audience(session, request):
        if person.membership_id == access.membership_id:
            continue
        await _tell_closed(relay, person, side, request, closer)
    if access.side is Side.MENTEE and request.answered_at is not None:
        await message.answer(
            i18n.get("help-rate-ask", number=str(request.id)),
            reply_markup=rating_keyboard(request.id),
        )
    elif access.side is Side.MENTEE:
        await message.answer(
            i18n.get("help-closed-by-you", number=str(request.id)),
            reply_markup=help_keyboard(i18n),
        )
    else:
        await message.answer(i18n.get("help-closed-by-you", number=str(request.id)))


def rating_keyboard(request_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [
            button(str(value), HelpCb(action="rate", request_id=request_id, value=value))
            for value in help_requests.RATINGS
        ]
    )


async def _tell_closed(
    relay: Relay,
    person: HelpPerson,
    side: Side,
    request: HelpRequest,
    closer: HelpPerson | None,
) -> None:
    """The others learn who closed it; the mentee is asked to rate the help, if there was any."""
    core, locale = relay.core, relay.locale(person)
    text = core.get(
        "help-closed-notice", locale, number=str(request.id), who=relay.name(closer, locale)
    )
    markup = None
    if side is Side.MENTEE and request.answered_at is not None:
        text += "\n\n" + core.get("help-rate-ask", locale, number=str(request.id))
        markup = rating_keyboard(request.id)
    await relay.mail.send(person.telegram_id, text, markup, purpose="help")


async def rate_tapped(
    query: CallbackQuery,
    callback_data: HelpCb,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    found = await tapped_access(query, session, actor, i18n, callback_data.request_id)
    if found is None:
        return
    access, message = found
    try:
        help_requests.rate(access, callback_data.value)
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    await query.answer()
    with contextlib.suppress(TelegramAPIError):  # the rating is stored either way
        await message.edit_reply_markup(reply_markup=None)
    await message.answer(
        i18n.get("help-rated", rating=callback_data.value), reply_markup=help_keyboard(i18n)
    )


async def pass_tapped(
    query: CallbackQuery,
    callback_data: HelpCb,
    session: AsyncSession,
    actor: Actor,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    found = await tapped_access(
        query, session, actor, i18n, callback_data.request_id, on_desk=True
    )
    if found is None:
        return
    access, message = found
    request = access.request
    available = await help_requests.psychologists(session, request.organisation_id)
    if not available:
        await query.answer(i18n.get("help-no-psychologist"), show_alert=True)
        return
    relay = relay_for(mail, i18n, settings)
    chosen_id = callback_data.value or (available[0].membership_id if len(available) == 1 else 0)
    if not chosen_id:  # several psychologists: the curator picks one
        await query.answer()
        rows = [
            [
                button(
                    p.full_name or i18n.get("help-no-name"),
                    HelpCb(action="pass", request_id=request.id, value=p.membership_id),
                )
            ]
            for p in available
        ]
        await message.answer(
            i18n.get("help-choose-psychologist", number=str(request.id)),
            reply_markup=keyboard(*rows),
        )
        return
    previous = await help_requests.person(session, request.helper_membership_id)
    try:
        psychologist = await help_requests.pass_to_psychologist(session, access, chosen_id)
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    await query.answer()
    await message.answer(
        i18n.get(
            "help-passed", number=str(request.id), name=relay.plain_name(psychologist, i18n.locale)
        )
    )
    await _tell_passed(relay, session, request, psychologist, previous)


async def _tell_passed(
    relay: Relay,
    session: AsyncSession,
    request: HelpRequest,
    psychologist: HelpPerson,
    previous: HelpPerson | None,
) -> None:
    """The psychologist gets the thread; the mentee and the former helper are told."""
    core = relay.core
    mentee = await help_requests.person(session, request.mentee_membership_id)
    locale = relay.locale(psychologist)
    await relay.mail.send(
        psychologist.telegram_id,
        core.get(
            "help-passed-to-you", locale, number=str(request.id), mentee=relay.name(mentee, locale)
        ),
        purpose="help",
    )
    markup = controls(relay, psychologist, request, can_pass=False)
    await send_history(relay, session, psychologist, request, markup)
    notices = []
    if mentee is not None:
        notices.append((mentee, "mentee"))
    if previous is not None and previous.telegram_id not in {
        psychologist.telegram_id,
        mentee.telegram_id if mentee else 0,
    }:
        notices.append((previous, "previous"))
    for person, who in notices:
        locale = relay.locale(person)
        name = relay.plain_name(psychologist, locale)
        text = (
            core.get("help-passed-mentee", locale, number=str(request.id), name=name)
            if who == "mentee"
            else core.get("help-passed-previous", locale, number=str(request.id), name=name)
        )
        await relay.mail.send(person.telegram_id, text, purpose="help")


# --- /requests ---------------------------------------------------------------------------------


async def requests_command(
    message: Message, session: AsyncSession, actor: Actor, i18n: I18nContext
) -> None:
    if actor.organisation is None:
        await message.answer(i18n.get("help-requests-empty"))
        return
    threads = await help_requests.open_threads(session, actor.organisation.id, actor.memberships)
    if not threads:
        await message.answer(i18n.get("help-requests-empty"))
        return
    timezone = actor.organisation.timezone
    rows = []
    for thread in threads:
        request = thread.request
        # a button's text is not HTML: the name goes in as typed
        mentee = thread.mentee.full_name if thread.mentee and thread.mentee.full_name else "—"
        moment = format_moment(request.created_at, timezone)
        label = (
            i18n.get(
                "help-requests-row-waiting", number=str(request.id), mentee=mentee, moment=moment
            )
            if request.answered_at is None
            else i18n.get(
                "help-requests-row", number=str(request.id), mentee=mentee, moment=moment
            )
        )
        rows.append([button(label, HelpCb(action="open", request_id=request.id))])
    await message.answer(
        i18n.get("help-requests-header", count=len(threads)), reply_markup=keyboard(*rows)
    )


async def open_tapped(
    query: CallbackQuery,
    callback_data: HelpCb,
    session: AsyncSession,
    actor: Actor,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    found = await tapped_access(query, session, actor, i18n, callback_data.request_id)
    if found is None:
        return
    access, message = found
    request = access.request
    relay = relay_for(mail, i18n, settings)
    reader = await help_requests.person(session, access.membership_id)
    assert reader is not None
    mentee, helper = await mentee_and_helper(session, request)
    organisation = await session.get(Organisation, request.organisation_id)
    await query.answer()
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
    markup = (
        controls(relay, reader, request, can_pass(access.on_desk, helper))
        if request.status == HelpStatus.OPEN
        else None
    )
    await send_history(relay, session, reader, request, markup)


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(sos, HelpButton())
    router.message.register(sos, Command("sos"), flags=MENTEE)
    router.callback_query.register(answer_tapped, HelpCb.filter(F.action == "answer"))
    router.callback_query.register(close_tapped, HelpCb.filter(F.action == "close"))
    router.callback_query.register(rate_tapped, HelpCb.filter(F.action == "rate"))
    router.callback_query.register(pass_tapped, HelpCb.filter(F.action == "pass"))
    # A help thread's messages, on a router of their own: other states skip it.
    form = Router(name=f"{__name__}.form")
    form.message.filter(StateFilter(HelpFlow))
    form.message.register(described, HelpFlow.describing, not_command)
    form.message.register(wrote, HelpFlow.writing, not_command)
    # /requests after the thread, where it always was: a photo captioned "/requests" in a
    # thread is relayed.
    requests = Router(name=f"{__name__}.requests")
    requests.message.register(requests_command, Command("requests"))
    requests.callback_query.register(open_tapped, HelpCb.filter(F.action == "open"))
    router.include_routers(form, requests)
    return router
