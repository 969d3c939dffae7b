"""Messages to people other than the sender of the update at hand: queued, never sent inline.

A handler gets `mail: Mail` (bot.middlewares puts it in the update's data); a job makes one
for its own transaction. Each message is written to the delivery queue in the caller's
transaction, so it goes out exactly when what it tells of is committed, and the sender
(bot/delivery.py) delivers it at Telegram's pace.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypedDict
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import Unpack

from bot.services import outbox
from bot.services.outbox import Outgoing, WorkingHours
from models import Organisation, User


class Details(TypedDict, total=False):
    purpose: str  # help, reminder, pair, survey, programme, notice
    urgent: bool
    key: str | None
    kind: str  # text, or photo, voice, ... sent by file_id
    file_id: str | None
    organisation_id: int | None


@dataclass
class Mail:
    session: AsyncSession
    now: datetime
    origin: str  # what decided: "update:<id>", or a job's own name and subject
    organisation_id: int | None = None
    _numbers: itertools.count[int] = field(default_factory=itertools.count)
    # Working hours by organisation; a job may share one dict among its Mails.
    hours_of: dict[int, WorkingHours | None] = field(default_factory=dict)

    async def send(
        self,
        chat_id: int,
        text: str | None,
        markup: InlineKeyboardMarkup | None = None,
        **details: Unpack[Details],
    ) -> None:
        """Queue a message. Urgent ones (the default) go at once; others wait for working
        hours. The key (by default: who decided, and the message's place among its messages)
        makes a second decision of the same thing queue nothing."""
        message = self.outgoing(chat_id, text, markup, **details)
        hours = None if message.urgent else await self._hours(message.organisation_id)
        await outbox.enqueue(self.session, message, self.now, hours)

    def outgoing(
        self,
        chat_id: int,
        text: str | None,
        markup: InlineKeyboardMarkup | None = None,
        **details: Unpack[Details],
    ) -> Outgoing:
        """The message as the queue keeps it (`send` queues it; `send_many` takes many)."""
        key = details.get("key")
        return Outgoing(
            chat_id=chat_id,
            key=key or f"{self.origin}:{next(self._numbers)}:{chat_id}",
            purpose=details.get("purpose", "notice"),
            text=text,
            urgent=details.get("urgent", True),
            organisation_id=details.get("organisation_id") or self.organisation_id,
            kind=details.get("kind", "text"),
            file_id=details.get("file_id"),
            markup=markup.model_dump(mode="json", exclude_none=True) if markup else None,
        )

    async def send_many(self, messages: list[Outgoing], organisation_id: int | None) -> None:
        """Queue many messages of one organisation in one statement; urgent ones go at once,
        the others in its working hours."""
        await outbox.enqueue_many(
            self.session, messages, self.now, await self._hours(organisation_id)
        )

    async def read_on(self, organisation_id: int) -> date | None:
        """The organisation's local date on which a message that can wait, queued now, goes
        out (its next working moment); None for an organisation unknown."""
        hours = await self._hours(organisation_id)
        if hours is None:
            return None
        return hours.next_moment(self.now).astimezone(ZoneInfo(hours.timezone)).date()

    async def is_blocked(self, chat_id: int) -> bool:
        """Known to have blocked the bot: a message to them will not arrive."""
        blocked = await self.session.scalar(
            select(User.blocked_bot).where(User.telegram_id == chat_id)
        )
        return bool(blocked)

    async def _hours(self, organisation_id: int | None) -> WorkingHours | None:
        """The organisation's working days, hours and holidays, read once per Mail."""
        if organisation_id is None:
            return None
        if organisation_id not in self.hours_of:
            organisation = await self.session.get(Organisation, organisation_id)
            self.hours_of[organisation_id] = (
                await outbox.working_hours(self.session, organisation, self.now)
                if organisation
                else None
            )
        return self.hours_of[organisation_id]
