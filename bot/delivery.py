"""The sender: delivers the delivery queue (bot/services/outbox.py) at Telegram's pace.

At most `per_second` messages a second in all and one per `chat_interval` to a chat, urgent
first, then oldest. A 429 makes every chat wait Telegram's `retry_after` (the rows claimed
and not yet sent go back to the queue meanwhile), then the same message goes again; a 403
marks the person unreachable (the curator is told once); a 400 marks the row failed at once;
other errors are tried again later a bounded number of times (Telegram out of reach, for
hours), then the row is marked failed.

Rows are claimed in a short transaction (on PostgreSQL with FOR UPDATE SKIP LOCKED, so several
processes may each run a sender and no row goes out twice) and sent outside any transaction. A
crash after Telegram took a message and before its row was marked sends that one message once
more when the claim goes stale (bot.services.outbox.STALE_CLAIM), never more.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n.cores import BaseCore
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.mail import Mail
from bot.notify import tell_each
from bot.services import outbox, stale_reminders
from bot.services.clock import Clock
from bot.services.people import desk_recipients
from bot.ui import esc
from models import Membership, MembershipStatus, OutboxMessage, Profile, User

log = logging.getLogger(__name__)
IDLE_CHECK_SECONDS = 1.0  # how often an idle sender looks for rows (other processes, due times)
CATCH_UP_SECONDS = 0.25  # how far behind its beat the pacing may run and still catch up
WINDOW_SECONDS = 1.0  # Telegram counts messages a second: so does the sender, sliding
MARK_BATCH_SECONDS = 0.05  # rows Telegram took are marked sent together, this often
IN_FLIGHT_POLL_SECONDS = 0.005  # a full window of messages still on their way: look again soon


@dataclass
class SendWindow:
    """The messages that may still be in Telegram's count of the last second. Telegram counts a
    message when it arrives, somewhere between the sender starting it and the answer; so each
    one stays here from its start until a second after its answer, which is never fewer than
    Telegram counts. A message refused with 403 was not counted and leaves at once."""

    until: dict[int, float] = field(default_factory=dict)  # slot -> monotonic; inf in flight
    slots: itertools.count[int] = field(default_factory=itertools.count)

    def wait_seconds(self, now: float, capacity: int) -> float:
        """How long until one more message may start, with at most `capacity` counted."""
        self.until = {slot: at for slot, at in self.until.items() if at > now}
        if len(self.until) < capacity:
            return 0.0
        soonest = min(self.until.values())
        return IN_FLIGHT_POLL_SECONDS if soonest == math.inf else soonest - now

    def take(self) -> int:
        slot = next(self.slots)
        self.until[slot] = math.inf
        return slot

    def answered(self, slot: int, counted: bool) -> None:
        if counted:
            self.until[slot] = time.monotonic() + WINDOW_SECONDS
        else:
            self.until.pop(slot, None)


@dataclass(frozen=True)
class Limits:
    per_second: float = 25.0  # Telegram allows about 30 a second in all
    chat_interval: float = 1.0  # and about one a second to one chat
    # Never more than this in Telegram's count of any one second (catching up after a late
    # wake-up may go above `per_second` up to it); by default `per_second` itself.
    in_any_second: int | None = None

    @property
    def counted_in_a_second(self) -> int:
        return self.in_any_second or max(1, math.floor(self.per_second * WINDOW_SECONDS))


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
    window: SendWindow = field(default_factory=SendWindow)
    sent_marks: list[int] = field(default_factory=list)  # taken by Telegram, not yet marked
    marking: asyncio.Task[None] | None = None
    # One write of marks at a time: a flush returns only once the marks before it are written.
    marks_written: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; the messages on their way then finish, and the rows
        claimed but not yet sent go back to the queue. The next batch is claimed while the
        second half of the current one goes out, so the pace does not stop for the claim."""
        sending: set[asyncio.Task[None]] = set()
        batch_size = max(1, int(self.limits.per_second))
        next_batch: asyncio.Task[list[OutboxMessage]] | None = None
        try:
            while not stop.is_set():
                if (pause := self.paused_until - time.monotonic()) > 0:
                    # Telegram asked to wait: nothing is held through it (a long wait would
                    # outlast the claim, and another process would send the rows too).
                    if next_batch is not None:
                        await self._unclaim(await next_batch)
                        next_batch = None
                    await self._sleep(pause, stop)
                    continue
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
                    slot = await self._wait_for_slot(stop)
                    if slot is None:  # stopping, or Telegram asked to wait: back to the queue
                        await self._unclaim(rows[index:])
                        break
                    task = asyncio.create_task(self._send(row, slot))
                    sending.add(task)
                    task.add_done_callback(sending.discard)
        finally:
            if next_batch is not None:
                await self._unclaim(await next_batch)
            if sending:
                await asyncio.wait(sending)
            await self.flush_marks()

    async def _wait_for_slot(self, stop: asyncio.Event) -> int | None:
        """Until the next of `per_second` slots comes; the slot taken in the window is
        returned, or None when the sender stops or Telegram asked to wait (a 429) meanwhile.
        The slots keep to a beat, and a wake-up late by up to CATCH_UP_SECONDS is made up by
        the next ones, but the window never lets more than `per_second` messages into
        Telegram's count of a second, so catching up is no burst."""
        now = time.monotonic()
        self.next_start = max(self.next_start, now - CATCH_UP_SECONDS)
        await self._sleep(self.next_start - now, stop)
        capacity = self.limits.counted_in_a_second
        while (wait := self.window.wait_seconds(time.monotonic(), capacity)) > 0:
            if stop.is_set():
                break
            await self._sleep(wait, stop)
        if stop.is_set() or self.paused_until > time.monotonic():
            return None
        self.next_start += 1 / self.limits.per_second
        return self.window.take()

    async def deliver_due(self) -> int:
        """Send everything due now, one after another, without pacing (tests, one-off use)."""
        total = 0
        while rows := await self._claim(100, paced=False):
            for row in rows:
                await self._send(row)
            await self.flush_marks()
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
        """Rows claimed but not sent when the sender stops or Telegram asks to wait: back to
        the queue, at once."""
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
        """Rows to send now; those set aside (a blocked chat, a reminder no longer due) are
        marked so, and the claim is made again while it set aside every row it took."""
        while True:
            now = self.clock.now()
            async with self.sessionmaker.begin() as session:
                busy = self._busy_chats() if paced else set()
                interval = timedelta(seconds=self.limits.chat_interval) if paced else timedelta(0)
                rows = await outbox.claim(session, now, limit, busy, interval)
                aside = await self._set_aside(session, rows, now)
            chosen = [row for row in rows if row.id not in aside]
            if chosen or not rows:
                self.sending_to.update(row.chat_id for row in chosen)
                return chosen

    @staticmethod
    async def _set_aside(
        session: AsyncSession, rows: list[OutboxMessage], now: datetime
    ) -> set[int]:
        """Ids of the claimed rows not to send: to a person known to have blocked the bot
        (not even tried), or reminders of what was done, moved or ended while they waited."""
        blocked = await outbox.blocked_chats(session, {row.chat_id for row in rows})
        stale = await stale_reminders.no_longer_due(
            session, [row for row in rows if row.chat_id not in blocked], now
        )
        for row in rows:
            if row.chat_id in blocked:
                await outbox.unreachable(session, row, "blocked earlier")
            elif row.id in stale:
                outbox.drop(row)
        return stale | {row.id for row in rows if row.chat_id in blocked}

    async def _send(self, row: OutboxMessage, slot: int | None = None) -> None:
        # The chat's interval counts from when its message goes, not from when it was claimed.
        self.chat_free_at[row.chat_id] = time.monotonic() + self.limits.chat_interval
        try:
            await self._answered(row, slot)
        except TelegramRetryAfter as error:
            self.paused_until = max(self.paused_until, time.monotonic() + error.retry_after)
            log.warning("Telegram asks to wait %s s; every chat waits", error.retry_after)
            until = self.clock.now() + _seconds(error.retry_after)
            await self._update(row, lambda stored: outbox.wait_and_retry(stored, until))
        except TelegramForbiddenError as error:
            self.next_start -= 1 / self.limits.per_second  # its beat goes to the next message
            await self._unreachable(row, error.message)
        except (TelegramBadRequest, TelegramEntityTooLarge) as error:  # would fail again
            log.warning("message %s refused: %s", row.id, error.message)
            refused = error.message
            await self._update(row, lambda stored: outbox.give_up(stored, refused))
        except (TelegramNetworkError, TelegramServerError, OSError, TimeoutError) as error:
            # Telegram out of reach, not this message's fault: tried for hours, not minutes.
            failure, now = str(error), self.clock.now()
            await self._update(
                row, lambda stored: outbox.retry_later(stored, now, failure, transient=True)
            )
        except TelegramAPIError as error:
            failure, now = str(error), self.clock.now()
            await self._update(row, lambda stored: outbox.retry_later(stored, now, failure))
        else:
            self._mark_sent(row.id)
        finally:
            self.sending_to.discard(row.chat_id)

    def _mark_sent(self, row_id: int) -> None:
        """One transaction per message would cost the sender's pace: the rows Telegram took
        are marked together a moment later. A crash in that moment repeats each once."""
        self.sent_marks.append(row_id)
        if self.marking is None or self.marking.done():
            self.marking = asyncio.create_task(self._mark_soon())

    async def _mark_soon(self) -> None:
        """Until every mark is written: those that came during a write go in the next one."""
        while self.sent_marks:
            await asyncio.sleep(MARK_BATCH_SECONDS)
            if not await self.flush_marks():
                await asyncio.sleep(IDLE_CHECK_SECONDS)  # the database: try again shortly

    async def flush_marks(self) -> bool:
        """Write the marks gathered so far; False when the database refused them (kept)."""
        async with self.marks_written:
            ids, self.sent_marks = self.sent_marks, []
            if not ids:
                return True
            try:
                async with self.sessionmaker.begin() as session:
                    await outbox.mark_sent(session, ids, self.clock.now())
            except Exception:  # the database: the next write tries these again
                log.exception("could not mark %s messages sent", len(ids))
                self.sent_marks[:0] = ids
                return False
            return True

    async def _answered(self, row: OutboxMessage, slot: int | None) -> None:
        """Send, and free the window's slot the moment Telegram answers: at once when it says
        it did not count the message (403, 429), a second later otherwise."""
        counted = True
        try:
            await self._call(row)
        except (TelegramRetryAfter, TelegramForbiddenError):
            counted = False
            raise
        finally:
            if slot is not None:
                self.window.answered(slot, counted)

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
