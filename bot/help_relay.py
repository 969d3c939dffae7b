"""Delivering help threads: relaying stored messages by Telegram file id, telling the curators.

The handlers in handlers/help.py and the escalation job in bot/jobs/help_escalation.py share
this. A message is always stored before it is relayed, and relayed through the delivery queue
(in the same transaction). A relay to someone known to have blocked the bot is recorded on the
message instead, and someone who can act is told.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram_i18n.cores import BaseCore
from sqlalchemy.ext.asyncio import AsyncSession

from bot.mail import Mail
from bot.services import help_requests
from bot.services.help_requests import Content, Escalation, HelpPerson, Side
from bot.ui import (
    CAPTION_LIMIT,
    MESSAGE_LIMIT,
    MaybeId,
    RecordId,
    button,
    esc,
    format_moment,
    keyboard,
    shown_length,
)
from models import HelpMessage, HelpRequest, Organisation, Role

log = logging.getLogger(__name__)
DESK_ROLES = (Role.CURATOR, Role.HEAD)
MEDIA_KINDS = {"photo", "voice", "video", "video_note", "audio", "animation", "document"}


class HelpCb(CallbackData, prefix="help"):
    action: str  # answer, close, rate, pass, open
    request_id: RecordId
    value: MaybeId = 0  # the rating, or the psychologist's membership id


@dataclass(frozen=True)
class Relay:
    """What it takes to write to people in their own language (through the delivery queue)."""

    mail: Mail
    core: BaseCore[object]
    default_locale: str

    def locale(self, person: HelpPerson) -> str:
        return person.language or self.default_locale

    def plain_name(self, person: HelpPerson | None, locale: str) -> str:
        """The full name, escaped, where the text already says who the person is."""
        core = self.core
        if person is None:
            return core.get("help-nobody-name", locale)
        return esc(person.full_name) if person.full_name else core.get("help-no-name", locale)

    def name(self, person: HelpPerson | None, locale: str) -> str:
        """'Full Name (role)' for a message header, escaped."""
        if person is None:
            return self.plain_name(person, locale)
        core = self.core
        return core.get(
            "help-person",
            locale,
            name=self.plain_name(person, locale),
            role=core.get(f"role-{person.role}", locale),
        )


@dataclass
class RelayResult:
    delivered: list[HelpPerson] = field(default_factory=list)
    failed: list[HelpPerson] = field(default_factory=list)
    escalated: bool = False  # the helper could not be reached, so the curators were brought in


def controls(
    relay: Relay, person: HelpPerson, request: HelpRequest, can_pass: bool
) -> InlineKeyboardMarkup:
    core, locale = relay.core, relay.locale(person)
    row = [
        button(core.get("help-answer", locale), HelpCb(action="answer", request_id=request.id)),
        button(core.get("help-close", locale), HelpCb(action="close", request_id=request.id)),
    ]
    extra = []
    if can_pass:
        extra = [
            button(core.get("help-pass", locale), HelpCb(action="pass", request_id=request.id))
        ]
    return keyboard(row, extra)


def content_of(message: Message) -> Content | None:
    """What a message carries, by Telegram file id; None for what a thread does not take."""
    if message.photo:
        return Content("photo", message.caption, message.photo[-1].file_id)
    for kind in ("animation", "voice", "video", "video_note", "document", "audio"):
        media = getattr(message, kind)  # an animation before a document: a GIF carries both
        if media is not None:
            return Content(kind, message.caption, media.file_id)
    return None


async def mentee_and_helper(
    session: AsyncSession, request: HelpRequest
) -> tuple[HelpPerson | None, HelpPerson | None]:
    """The request's mentee and its helper (if it has one), in one look-up."""
    found = await help_requests.people(
        session,
        [request.mentee_membership_id]
        + ([request.helper_membership_id] if request.helper_membership_id else []),
    )
    return found.get(request.mentee_membership_id), found.get(request.helper_membership_id or 0)


def can_pass(on_desk: bool, helper: HelpPerson | None) -> bool:
    """Curators may hand a request to the psychologist, unless it is already with one."""
    return on_desk and (helper is None or helper.role is not Role.PSYCHOLOGIST)


def psychologists_keyboard(
    request_id: int, available: list[HelpPerson], no_name: str
) -> InlineKeyboardMarkup:
    """A button for each psychologist a curator may hand the request to."""
    choice = partial(HelpCb, action="pass", request_id=request_id)
    return keyboard(
        *[[button(p.full_name or no_name, choice(value=p.membership_id))] for p in available]
    )


# --- sending one stored message ----------------------------------------------------------------


async def send_content(
    mail: Mail,
    chat_id: int,
    header: str,
    message: HelpMessage,
    markup: InlineKeyboardMarkup | None,
) -> None:
    """Queue a stored message under a header; the header goes apart when it would not fit."""
    kind, file_id = message.content_type, message.file_id or ""
    body = esc(message.text) if message.text else ""
    if kind == "text":
        combined = f"{header}\n{body}"
        if shown_length(combined) <= MESSAGE_LIMIT:
            await mail.send(chat_id, combined, markup, purpose="help")
            return
        await mail.send(chat_id, header, purpose="help")
        await mail.send(chat_id, body, markup, purpose="help")
        return
    caption: str | None = f"{header}\n{body}" if body else header
    if kind == "video_note" or shown_length(caption or "") > CAPTION_LIMIT:
        await mail.send(chat_id, header, purpose="help")
        caption = body or None
    if kind not in MEDIA_KINDS:
        kind = "document"
    await mail.send(chat_id, caption, markup, purpose="help", kind=kind, file_id=file_id)


async def deliver(
    mail: Mail,
    person: HelpPerson,
    header: str,
    message: HelpMessage,
    markup: InlineKeyboardMarkup | None,
) -> str | None:
    """Queue it; None when it is on its way, else why not (kept on the message)."""
    if person.blocked:
        return "blocked"
    await send_content(mail, person.telegram_id, header, message, markup)
    return None


async def send_history(
    relay: Relay,
    session: AsyncSession,
    reader: HelpPerson,
    request: HelpRequest,
    markup: InlineKeyboardMarkup | None,
) -> None:
    """Replay the thread's latest messages to someone joining it; buttons on the last one."""
    messages, total = await help_requests.history(session, request.id)
    authors = await help_requests.people(
        session, [m.author_membership_id for m in messages if m.author_membership_id]
    )
    core, locale = relay.core, relay.locale(reader)
    organisation = await session.get(Organisation, request.organisation_id)
    timezone = organisation.timezone if organisation else "UTC"
    if total > len(messages):
        await relay.mail.send(
            reader.telegram_id,
            core.get("help-history-more", locale, shown=len(messages), total=total),
            purpose="help",
        )
    for index, message in enumerate(messages):
        header = core.get(
            "help-history-header",
            locale,
            number=str(request.id),
            author=relay.name(authors.get(message.author_membership_id or 0), locale),
            moment=format_moment(message.created_at, timezone),
        )
        if not message.delivered:
            header += "\n" + core.get("help-history-undelivered", locale)
        buttons = markup if index == len(messages) - 1 else None
        if not message.text and not message.file_id:  # erased (a withdrawal, the retention)
            erased = f"{header}\n{core.get('help-history-erased', locale)}"
            await relay.mail.send(reader.telegram_id, erased, buttons, purpose="help")
            continue
        await send_content(relay.mail, reader.telegram_id, header, message, buttons)


async def show_thread(relay: Relay, session: AsyncSession, access: help_requests.Access) -> None:
    """Someone opens a thread from their list: its latest messages, with their buttons."""
    request = access.request
    reader = await help_requests.person(session, access.membership_id)
    helper = (await mentee_and_helper(session, request))[1]
    assert reader is not None
    markup = controls(relay, reader, request, can_pass(access.on_desk, helper))
    await send_history(relay, session, reader, request, markup)


# --- relaying a new message of a thread -------------------------------------------------------


async def relay_message(
    relay: Relay,
    session: AsyncSession,
    request: HelpRequest,
    message: HelpMessage,
    author: HelpPerson,
    now: datetime,
    *,
    first: bool = False,
) -> RelayResult:
    """Send a stored message to everyone else in the thread and record how it went."""
    core, result = relay.core, RelayResult()
    audience = await help_requests.audience(session, request)
    helper = next((p for p, side in audience if side is Side.HELPER), None)
    failures: dict[int, str] = {}
    for person, side in audience:
        if person.telegram_id == author.telegram_id:
            continue
        locale = relay.locale(person)
        header = core.get(
            "help-new-header" if first else "help-relay-header",
            locale,
            number=str(request.id),
            author=relay.name(author, locale),
        )
        on_desk = side is Side.DESK or (side is Side.HELPER and person.role in DESK_ROLES)
        markup = controls(relay, person, request, can_pass(on_desk, helper))
        error = await deliver(relay.mail, person, header, message, markup)
        if error is None:
            result.delivered.append(person)
        else:
            failures[person.membership_id] = error
            result.failed.append(person)
    if not result.delivered and not result.failed:
        failures[0] = "nobody to relay to"
    help_requests.mark_delivered(message, failures)
    if not result.failed:
        return result
    helper_failed = any(p.membership_id == request.helper_membership_id for p in result.failed)
    from_mentee = author.membership_id == request.mentee_membership_id
    # The mentor cannot be reached: the curators take the request now, not hours later.
    if helper_failed and from_mentee and help_requests.escalate(request, now):
        result.escalated = True
        await show_to_desk(relay, session, request, Escalation.UNREACHABLE)
        return result
    await warn_desk(relay, session, request, author, result.failed)
    return result


async def warn_desk(
    relay: Relay,
    session: AsyncSession,
    request: HelpRequest,
    author: HelpPerson,
    unreachable: list[HelpPerson],
) -> None:
    """Tell the curators that someone in a thread could not be reached, so someone sees it."""
    core = relay.core
    skip = {author.telegram_id} | {p.telegram_id for p in unreachable}
    for curator in await help_requests.desk(session, request.organisation_id):
        if curator.telegram_id in skip:
            continue
        locale = relay.locale(curator)
        text = core.get(
            "help-desk-undelivered",
            locale,
            number=str(request.id),
            author=relay.name(author, locale),
            names=", ".join(relay.name(p, locale) for p in unreachable),
        )
        await relay.mail.send(curator.telegram_id, text, purpose="help")


async def show_to_desk(
    relay: Relay, session: AsyncSession, request: HelpRequest, why: Escalation
) -> None:
    """Bring the curators into an escalated request: why (the mentor did not answer in time,
    could not be reached at all, or left), then the thread with the buttons."""
    core = relay.core
    organisation = await session.get(Organisation, request.organisation_id)
    mentee, helper = await mentee_and_helper(session, request)
    for curator in await help_requests.desk(session, request.organisation_id):
        locale = relay.locale(curator)
        intro = core.get(
            f"help-escalated-{why}",
            locale,
            number=str(request.id),
            mentee=relay.name(mentee, locale),
            helper=relay.plain_name(helper, locale),
            hours=organisation.help_response_hours if organisation else 0,
        )
        markup = controls(relay, curator, request, can_pass(True, helper))
        await relay.mail.send(curator.telegram_id, intro, purpose="help")
        await send_history(relay, session, curator, request, markup)


# --- telling the others: closed, passed on (handlers/help.py decides) --------------------------


def rating_keyboard(request_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [
            button(str(value), HelpCb(action="rate", request_id=request_id, value=value))
            for value in help_requests.RATINGS
        ]
    )


async def tell_closed(
    relay: Relay, session: AsyncSession, request: HelpRequest, closer: HelpPerson | None
) -> None:
    """The others learn who closed it; the mentee is asked to rate the help, if there was any."""
    core, number = relay.core, str(request.id)
    for person, side in await help_requests.audience(session, request):
        if closer is not None and person.membership_id == closer.membership_id:
            continue
        locale = relay.locale(person)
        text = core.get(
            "help-closed-notice", locale, number=number, who=relay.name(closer, locale)
        )
        markup = None
        if side is Side.MENTEE and request.answered_at is not None:
            text += "\n\n" + core.get("help-rate-ask", locale, number=number)
            markup = rating_keyboard(request.id)
        await relay.mail.send(person.telegram_id, text, markup, purpose="help")


async def tell_passed(
    relay: Relay,
    session: AsyncSession,
    request: HelpRequest,
    psychologist: HelpPerson,
    previous: HelpPerson | None,
) -> None:
    """The psychologist gets the thread; the mentee and the former helper are told."""
    core, number = relay.core, str(request.id)
    mentee = await help_requests.person(session, request.mentee_membership_id)
    locale = relay.locale(psychologist)
    text = core.get("help-passed-to-you", locale, number=number, mentee=relay.name(mentee, locale))
    await relay.mail.send(psychologist.telegram_id, text, purpose="help")
    markup = controls(relay, psychologist, request, can_pass=False)
    await send_history(relay, session, psychologist, request, markup)
    told = [(mentee, "help-passed-mentee")]
    if previous is not None and previous.telegram_id not in {
        psychologist.telegram_id,
        mentee.telegram_id if mentee else 0,
    }:
        told.append((previous, "help-passed-previous"))
    for person, key in told:
        if person is not None:
            locale = relay.locale(person)
            name = relay.plain_name(psychologist, locale)
            await relay.mail.send(
                person.telegram_id, core.get(key, locale, number=number, name=name), purpose="help"
            )
