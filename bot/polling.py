"""Long polling that confirms an update to Telegram only once it has been handled.

aiogram's own polling confirms each batch when it asks for the next one, while the batch is still
being handled, and on a stop closes the Bot session and the engine under the handlers still
running. Here the offset sent to Telegram stays at the oldest update still in flight, so an
update whose handling a stop (or a crash) cut short is delivered again, to this process or the
next; an update handled twice is skipped by its stored id (bot.middlewares.ContextMiddleware).
On a stop no new update is taken, and those in flight get `grace` seconds to finish.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from aiogram import Bot, Dispatcher
from aiogram.methods import GetUpdates
from aiogram.types import Update

log = logging.getLogger(__name__)

# An update in flight longer than this stops holding the offset back: the updates behind it
# (at most 100 come per batch) must not wait for one stuck call.
HOLD_SECONDS = 10.0
# How long a batch of updates all seen before (re-delivered while one is in flight) waits for
# something to finish before asking again, instead of asking in a tight loop.
RECHECK_SECONDS = 0.5


@dataclass
class Poller:
    dispatcher: Dispatcher
    bot: Bot
    concurrency: int
    polling_timeout: int = 10
    allowed_updates: Sequence[str] | None = None
    in_flight: dict[int, tuple[float, asyncio.Task[None]]] = field(default_factory=dict)
    finished_ahead: set[int] = field(default_factory=set)  # handled, not yet confirmed
    cut_short: set[int] = field(default_factory=set)  # cancelled by a stop: never confirmed
    next_offset: int | None = None  # one past the newest update received

    def offset(self) -> int | None:
        """What may be confirmed: everything before the oldest update still held in flight."""
        now = time.monotonic()
        held = [
            uid for uid, (started, _) in self.in_flight.items() if now - started < HOLD_SECONDS
        ]
        held.extend(self.cut_short)
        if held and self.next_offset is not None:
            return min(min(held), self.next_offset)
        return self.next_offset

    async def run(self, stop: asyncio.Event, grace: float) -> None:
        slots = asyncio.Semaphore(self.concurrency)
        request_timeout = self.polling_timeout + int(self.bot.session.timeout or 0)
        try:
            while not stop.is_set():
                updates = await self._fetch(stop, request_timeout)
                if updates is None:  # stopped while waiting
                    break
                fresh = [u for u in updates if self._is_new(u.update_id)]
                for update in fresh:
                    await slots.acquire()
                    self._start(update, slots)
                if updates:
                    self.next_offset = max(self.next_offset or 0, updates[-1].update_id + 1)
                if updates and not fresh:  # only the ones held back came again
                    await self._wait_for_progress(stop)
                self._forget_confirmed()
        finally:
            await self._finish(grace)

    def _is_new(self, update_id: int) -> bool:
        return update_id not in self.in_flight and update_id not in self.finished_ahead

    async def _fetch(self, stop: asyncio.Event, request_timeout: int) -> list[Update] | None:
        method = GetUpdates(
            offset=self.offset(),
            timeout=self.polling_timeout,
            allowed_updates=list(self.allowed_updates) if self.allowed_updates else None,
        )
        fetch = asyncio.ensure_future(self.bot(method, request_timeout=request_timeout))
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if not fetch.done():
            fetch.cancel()  # what it would have brought stays unconfirmed at Telegram
            return None
        try:
            return fetch.result()
        except Exception as error:  # the network or Telegram: try again a little later
            log.warning("getUpdates failed (%s: %s); retrying", type(error).__name__, error)
            await asyncio.sleep(1)
            return []

    def _start(self, update: Update, slots: asyncio.Semaphore) -> None:
        task = asyncio.create_task(self._handle(update, slots))
        self.in_flight[update.update_id] = (time.monotonic(), task)

    async def _handle(self, update: Update, slots: asyncio.Semaphore) -> None:
        try:
            await self.dispatcher.feed_update(self.bot, update, dispatcher=self.dispatcher)
        except asyncio.CancelledError:
            log.warning(
                "update %s was cut short; Telegram will deliver it again", update.update_id
            )
            self.cut_short.add(update.update_id)
            raise
        except Exception:  # the error handler has run; the update counts as handled
            log.exception("update %s failed", update.update_id)
        finally:
            slots.release()
            self.in_flight.pop(update.update_id, None)
        self.finished_ahead.add(update.update_id)

    async def _wait_for_progress(self, stop: asyncio.Event) -> None:
        waiting = [task for _, task in self.in_flight.values()]
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait(
            [*waiting, stopped], timeout=RECHECK_SECONDS, return_when=asyncio.FIRST_COMPLETED
        )
        stopped.cancel()

    def _forget_confirmed(self) -> None:
        offset = self.offset()
        if offset is not None:
            self.finished_ahead = {uid for uid in self.finished_ahead if uid >= offset}

    async def _finish(self, grace: float) -> None:
        """Let the updates in flight finish, then confirm what was handled."""
        tasks = [task for _, task in self.in_flight.values()]
        if tasks:
            log.info("stopping: waiting for %d update(s) in flight", len(tasks))
            _, pending = await asyncio.wait(tasks, timeout=grace)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending)
        offset = self.offset()
        if offset is not None:
            try:  # confirm what was handled; whatever else arrived stays for the next process
                await self.bot(GetUpdates(offset=offset, limit=1, timeout=0))
            except Exception as error:
                log.warning("could not confirm the last updates: %s", error)
