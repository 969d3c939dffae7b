"""What a broadcast sends through the queue: the message each recipient gets (in their
language, the curator's formatting kept), an event's answer buttons, and the word that an
event moved or is cancelled. handlers/broadcast.py shows the same message as its preview."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n.cores import BaseCore

from bot.mail import Mail
from bot.services import broadcasts
from bot.ui import RecordId, button, esc, format_moment, keyboard, quoted
from models import Broadcast, BroadcastKind, Organisation


class EventAnswerCb(CallbackData, prefix="event_answer"):
    event_id: RecordId
    coming: bool


def answer_buttons(core: BaseCore[Any], locale: str, event_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [
            button(core.get(key, locale), EventAnswerCb(event_id=event_id, coming=coming))
            for key, coming in (("broadcast-coming", True), ("broadcast-not-coming", False))
        ]
    )


def message_text(
    texts: Callable[..., str],
    organisation: Organisation,
    text: str,
    event_at: datetime | None,
    place: str | None,
) -> str:
    """The message as each recipient gets it, in the language of `texts`."""
    lines = [texts("broadcast-message-head", organisation=esc(organisation.name)), text]
    if event_at is not None:
        when = format_moment(event_at, organisation.timezone)
        lines.append(texts("broadcast-message-event", when=when, place=esc(place or "—")))
    return "\n\n".join(line for line in lines if line)


def events_text(texts: Callable[..., str], events: list[Broadcast], timezone: str) -> str:
    """The events ahead a person was invited to (/events), or that there are none."""
    lines = [texts("broadcast-events-head")] if events else []
    for event in events:
        when, place = format_moment(event.event_at, timezone), esc(event.place or "—")
        lines.append(
            texts("broadcast-events-line", when=when, place=place, text=quoted(event.text, 120))
        )
    return "\n\n".join(lines) or texts("broadcast-events-none")


async def send_broadcast(
    mail: Mail,
    core: BaseCore[Any],
    default: str,
    broadcast: Broadcast,
    organisation: Organisation,
    people: list[broadcasts.Recipient],
) -> None:
    """Each recipient's message queued, in their language (`default` for one without)."""
    event = broadcast.kind == BroadcastKind.EVENT
    messages = []
    for person in people:
        locale = person.language or default

        def texts(key: str, locale: str = locale, **args: Any) -> str:
            return core.get(key, locale, **args)

        text = message_text(
            texts, organisation, broadcast.text, broadcast.event_at, broadcast.place
        )
        messages.append(
            mail.outgoing(
                person.telegram_id,
                text,
                answer_buttons(core, locale, broadcast.id) if event else None,
                key=broadcasts.message_key(broadcast.id, person.membership_id),
                purpose="broadcast",
                urgent=False,
                kind=broadcast.file_kind or "text",
                file_id=broadcast.file_id,
            )
        )
    await mail.send_many(messages, organisation.id)


async def tell_change(
    mail: Mail,
    core: BaseCore[Any],
    default: str,
    broadcast: Broadcast,
    told: list[broadcasts.Recipient],
    change: str,
    timezone: str,
) -> None:
    """Everyone the event reached who has not declined hears that it is cancelled or moved."""
    when = format_moment(broadcast.event_at, timezone)
    for person in told:
        text = core.get(
            f"broadcast-{change}",
            person.language or default,
            when=when,
            place=esc(broadcast.place or "—"),
            text=quoted(broadcast.text, 200),
        )
        key = broadcasts.change_key(broadcast, change, person.membership_id)
        await mail.send(person.telegram_id, text, key=key, purpose="broadcast")
