"""The sender: delivers the delivery queue (bot/services/outbox.py) at Telegram's pace.

At most `per_second` messages a second in all and one per `chat_interval` to a chat, urgent
first, then oldest. A 429 makes every chat wait Telegram's `retry_after`, then the same message
goes again; a 403 marks the person unreachable (the curator is told once); other errors are
tried again later a bounded number of times, then the row is marked failed.

Rows are claimed in a short transaction (on PostgreSQL with FOR UPDATE SKIP LOCKED, so several
processes may each run a sender and no row goes out twice) and sent outside any transaction. A
crash after Telegram took a message and before its row was marked sends that one message once
more when the claim goes stale (bot.services.outbox.STALE_CLAIM), never more.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n.cores import BaseCore
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.mail import Mail
from bot.notify import tell_each
from bot.services import outbox
from bot.services.clock import Clock
from bot.services.people import desk_recipients
from bot.ui import esc
from models import Membership, MembershipStatus, OutboxMessage, Profile, User

log = logging.getLogger(__name__)
IDLE_CHECK_SECONDS = 1.0  # how often an idle sender looks for rows (other processes, due times)
CATCH_UP_SECONDS = 0.02  # how far behind its beat the pacing may run and still catch up


@dataclass(frozen=True)
class Limits:
    per_second: float = 25.0  # Telegram allows about 30 a second in all
    chat_interval: float = 1.0  # and about one a second to one chat


@dataclass
class Sender:
    bot: Bot
    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Clock
    core: BaseCore[object]
    default_locale: str
    limits: Limits = field(default_factory=Limits)
    wake: asyncio.Event = field(default_factory=asyncio.Event)  # set when a row is queued
    chat_free_at: dict[int, float] = field(default_factory=dict)  # monotonic, per chat
    sending_to: set[int] = field(default_factory=set)
    paused_until: float = 0.0  # monotonic: Telegram asked every chat to wait
    next_start: float = 0.0  # monotonic: the earliest the next message may start

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; the messages on their way then finish, and the rows
        claimed but not yet sent go back to the queue. The next batch is claimed while the
        second half of the current one goes out, so the pace does not stop for the claim."""
        sending: set[asyncio.Task[None]] = set()
        batch_size = max(1, int(self.limits.per_second))
        next_batch: asyncio.Task[list[OutboxMessage]] | None = None
        try:
            while not stop.is_set():
                try:
                    rows = await (next_batch or self._claim(batch_size))
                except Exception:  # the database, say: the sender must outlive it
                    log.exception("could not claim messages to send; trying again shortly")
                    rows = []
                    await self._sleep(IDLE_CHECK_SECONDS, stop)
                next_batch = None
                if not rows:
                    self.wake.clear()
                    await self._wait_for_work(stop)
                    continue
                for index, row in enumerate(rows):
                    if index == len(rows) // 2:
                        next_batch = asyncio.create_task(self._claim(batch_size))
                    await self._wait_for_slot(stop)
                    if stop.is_set():
                        await self._unclaim(rows[index:])
                        break
                    task = asyncio.create_task(self._send(row))
                    sending.add(task)
                    task.add_done_callback(sending.discard)
        finally:
            if next_batch is not None:
                await self._unclaim(await next_batch)
            if sending:
                await asyncio.wait(sending)

    async def _wait_for_slot(self, stop: asyncio.Event) -> None:
        """Until Telegram's pause (a 429) is over and the next of `per_second` slots comes. The
        slots keep to a beat: a wake-up a little late is made up by the next slots, but a longer
        wait (idle, a pause, a slow claim) is not caught up in a burst Telegram would refuse."""
        await self._sleep(self.paused_until - time.monotonic(), stop)
        now = time.monotonic()
        self.next_start = max(self.next_start, now - CATCH_UP_SECONDS)
        await self._sleep(self.next_start - now, stop)
        self.next_start += 1 / self.limits.per_second

    async def deliver_due(self) -> int:
        """Send everything due now, one after another, without pacing (tests, one-off use)."""
        total = 0
        while rows := await self._claim(100, paced=False):
            for row in rows:
                await self._send(row)
            total += len(rows)
        return total

    async def _sleep(self, seconds: float, stop: asyncio.Event) -> None:
        if seconds > 0 and not stop.is_set():
            try:
                async with asyncio.timeout(seconds):
                    await stop.wait()
            except TimeoutError:
                pass

    async def _wait_for_work(self, stop: asyncio.Event) -> None:
        """Until a row is queued, or the first chat waiting out its interval is free again."""
        now = time.monotonic()
        soonest = min((at - now for at in self.chat_free_at.values() if at > now), default=None)
        timeout = IDLE_CHECK_SECONDS if soonest is None else min(IDLE_CHECK_SECONDS, soonest)
        waiters = {asyncio.ensure_future(self.wake.wait()), asyncio.ensure_future(stop.wait())}
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()

    async def _unclaim(self, rows: list[OutboxMessage]) -> None:
        """Rows claimed but not sent when the sender stops: back to the queue, at once."""
        if not rows:
            return
        ids = [row.id for row in rows]
        async with self.sessionmaker.begin() as session:
            await outbox.unclaim(session, ids)
        for row in rows:
            self.sending_to.discard(row.chat_id)

    def _busy_chats(self) -> set[int]:
        now = time.monotonic()
        cooling = {chat for chat, free_at in self.chat_free_at.items() if free_at > now}
        self.chat_free_at = {chat: self.chat_free_at[chat] for chat in cooling}
        return cooling | self.sending_to

    async def _claim(self, limit: int, paced: bool = True) -> list[OutboxMessage]:
        now = self.clock.now()
        async with self.sessionmaker.begin() as session:
            await outbox.release_stale(session, now)
            busy = self._busy_chats() if paced else set()
            interval = timedelta(seconds=self.limits.chat_interval) if paced else timedelta(0)
            rows = await outbox.claim(session, now, limit, busy, interval)
            blocked = await outbox.blocked_chats(session, {row.chat_id for row in rows})
            for row in rows:
                if row.chat_id in blocked:  # known unreachable: not even tried
                    await outbox.unreachable(session, row, "blocked earlier")
        chosen = [row for row in rows if row.chat_id not in blocked]
        self.sending_to.update(row.chat_id for row in chosen)
        return chosen

    async def _send(self, row: OutboxMessage) -> None:
        # The chat's interval counts from when its message goes, not from when it was claimed.
        self.chat_free_at[row.chat_id] = time.monotonic() + self.limits.chat_interval
        try:
            await self._call(row)
        except TelegramRetryAfter as error:
            self.paused_until = max(self.paused_until, time.monotonic() + error.retry_after)
            log.warning("Telegram asks to wait %s s; every chat waits", error.retry_after)
            until = self.clock.now() + _seconds(error.retry_after)
            await self._update(row, lambda stored: outbox.wait_and_retry(stored, until))
        except TelegramForbiddenError as error:
            await self._unreachable(row, error.message)
        except TelegramBadRequest as error:  # the same request would fail again
            log.warning("message %s refused: %s", row.id, error.message)
            refused = error.message
            await self._update(row, lambda stored: outbox.give_up(stored, refused))
        except (TelegramAPIError, OSError, TimeoutError) as error:
            failure, now = str(error), self.clock.now()
            await self._update(row, lambda stored: outbox.retry_later(stored, now, failure))
        else:
            now = self.clock.now()
            await self._update(row, lambda stored: outbox.sent(stored, now))
        finally:
            self.sending_to.discard(row.chat_id)

    async def _call(self, row: OutboxMessage) -> None:
        markup = InlineKeyboardMarkup.model_validate(row.markup) if row.markup else None
        chat, text, file_id = row.chat_id, row.text, row.file_id or ""
        bot = self.bot
        if row.kind == "text":
            await bot.send_message(chat, text or "", reply_markup=markup)
        elif row.kind == "photo":
            await bot.send_photo(chat, file_id, caption=text, reply_markup=markup)
        elif row.kind == "voice":
            await bot.send_voice(chat, file_id, caption=text, reply_markup=markup)
        elif row.kind == "video":
            await bot.send_video(chat, file_id, caption=text, reply_markup=markup)
        elif row.kind == "video_note":
            await bot.send_video_note(chat, file_id, reply_markup=markup)
        elif row.kind == "audio":
            await bot.send_audio(chat, file_id, caption=text, reply_markup=markup)
        elif row.kind == "animation":
            await bot.send_animation(chat, file_id, caption=text, reply_markup=markup)
        else:
            await bot.send_document(chat, file_id, caption=text, reply_markup=markup)

    async def _update(self, row: OutboxMessage, change: Callable[[OutboxMessage], None]) -> None:
        async with self.sessionmaker.begin() as session:
            stored = await session.get(OutboxMessage, row.id)
            if stored is not None:
                change(stored)

    async def _unreachable(self, row: OutboxMessage, error: str) -> None:
        async with self.sessionmaker.begin() as session:
            stored = await session.get(OutboxMessage, row.id)
            if stored is None:
                return
            user = await outbox.unreachable(session, stored, error)
            if user is not None:  # news: the curators hear it once
                await self._tell_desk(session, user)
        self.wake.set()

    async def _tell_desk(self, session: AsyncSession, user: User) -> None:
        rows = (
            await session.execute(
                select(Membership.organisation_id, Membership.role, Profile.full_name)
                .outerjoin(Profile, Profile.membership_id == Membership.id)
                .where(Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE)
            )
        ).all()
        now = self.clock.now()
        core = self.core
        for organisation_id, role, full_name in rows:
            desk = [
                curator
                for curator in await desk_recipients(session, organisation_id)
                if curator.telegram_id != user.telegram_id
            ]

            def render(locale: str, role: str = role, full_name: str | None = full_name) -> str:
                name = esc(full_name) if full_name else core.get("help-no-name", locale)
                role_name = core.get(f"role-{role}", locale)
                return core.get("delivery-unreachable", locale, name=name, role=role_name)

            origin = f"unreachable:{user.id}:{organisation_id}:{now.isoformat()}"
            mail = Mail(session, now, origin, organisation_id)
            await tell_each(mail, desk, render, self.default_locale)


def _seconds(value: int) -> timedelta:
    return timedelta(seconds=value)
