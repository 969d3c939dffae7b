"""Messages to people other than the sender of the update at hand: queued, never sent inline.

A handler gets `mail: Mail` (bot.middlewares puts it in the update's data); a job makes one
for its own transaction. Each message is written to the delivery queue in the caller's
transaction, so it goes out exactly when what it tells of is committed, and the sender
(bot/delivery.py) delivers it at Telegram's pace.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime

from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import outbox
from bot.services.outbox import Outgoing, WorkingHours
from models import Organisation, User


@dataclass
class Mail:
    session: AsyncSession
    now: datetime
    origin: str  # what decided: "update:<id>", or a job's own name and subject
    organisation_id: int | None = None
    _numbers: itertools.count[int] = field(default_factory=itertools.count)

    async def send(
        self,
        chat_id: int,
        text: str | None,
        markup: InlineKeyboardMarkup | None = None,
        *,
        purpose: str = "notice",
        urgent: bool = True,
        key: str | None = None,
        kind: str = "text",
        file_id: str | None = None,
        organisation_id: int | None = None,
    ) -> None:
        """Queue a message. Urgent ones go at once; others wait for working hours. The key
        (by default: who decided, and the message's place among its messages) makes a second
        decision of the same thing queue nothing."""
        organisation_id = organisation_id or self.organisation_id
        hours = None if urgent else await self._hours(organisation_id)
        await outbox.enqueue(
            self.session,
            Outgoing(
                chat_id=chat_id,
                key=key or f"{self.origin}:{next(self._numbers)}:{chat_id}",
                purpose=purpose,
                text=text,
                urgent=urgent,
                organisation_id=organisation_id,
                kind=kind,
                file_id=file_id,
                markup=markup.model_dump(mode="json", exclude_none=True) if markup else None,
            ),
            self.now,
            hours,
        )

    async def is_blocked(self, chat_id: int) -> bool:
        """Known to have blocked the bot: a message to them will not arrive."""
        blocked = await self.session.scalar(
            select(User.blocked_bot).where(User.telegram_id == chat_id)
        )
        return bool(blocked)

    async def _hours(self, organisation_id: int | None) -> WorkingHours | None:
        if organisation_id is None:
            return None
        organisation = await self.session.get(Organisation, organisation_id)
        return WorkingHours.of(organisation) if organisation else None
