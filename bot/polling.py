"""Long polling that, on a stop, lets the updates in flight finish before anything closes.

aiogram's own polling, when stopped, closes the Bot session and runs the shutdown (the engine)
under the handlers still running, so an answer being handled at that moment is lost: Telegram
already had it confirmed. Here a stop ends the asking for updates at once (an update that
arrives meanwhile stays at Telegram for the next process), and the updates in flight get
`grace` seconds to finish. One that does not finish by then is cut short and rolled back; it
was confirmed with its batch, so it is logged by id as lost.

Holding the offset back until each update is handled would also cover a hard kill, but it makes
Telegram deliver the held ones again on every call: with many updates at once that costs far
more than it saves. A step stores what it received before it replies, so a hard kill loses at
most the steps that were in flight, never half of one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import GetUpdates
from aiogram.types import Update

log = logging.getLogger(__name__)
BATCH = 100  # the most Telegram gives at once


@dataclass
class Poller:
    dispatcher: Dispatcher
    bot: Bot
    concurrency: int
    polling_timeout: int = 10
    allowed_updates: Sequence[str] | None = None
    in_flight: dict[int, asyncio.Task[None]] = field(default_factory=dict)
    offset: int | None = None  # one past the newest update received: confirms all before it

    async def run(self, stop: asyncio.Event, grace: float) -> None:
        slots = asyncio.Semaphore(self.concurrency)
        request_timeout = self.polling_timeout + int(self.bot.session.timeout or 0)
        try:
            while not stop.is_set():
                updates = await self._fetch(stop, request_timeout)
                if updates is None:  # stopped while waiting
                    break
                for update in updates:
                    await slots.acquire()
                    task = asyncio.create_task(self._handle(update, slots))
                    self.in_flight[update.update_id] = task
                    self.offset = update.update_id + 1
        finally:
            await self._finish(grace)

    async def _fetch(self, stop: asyncio.Event, request_timeout: int) -> list[Update] | None:
        method = GetUpdates(
            offset=self.offset,
            limit=BATCH,
            timeout=self.polling_timeout,
            allowed_updates=list(self.allowed_updates) if self.allowed_updates else None,
        )
        fetch = asyncio.ensure_future(self.bot(method, request_timeout=request_timeout))
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if not fetch.done():
            fetch.cancel()  # whatever it would have brought stays at Telegram
            return None
        try:
            return fetch.result()
        except Exception as error:  # the network or Telegram: try again a little later
            log.warning("getUpdates failed (%s: %s); retrying", type(error).__name__, error)
            # As long as Telegram asks, when it does: asking sooner only prolongs the ban.
            await asyncio.sleep(error.retry_after if isinstance(error, TelegramRetryAfter) else 1)
            return []

    async def _handle(self, update: Update, slots: asyncio.Semaphore) -> None:
        try:
            await self.dispatcher.feed_update(self.bot, update, dispatcher=self.dispatcher)
        except asyncio.CancelledError:
            log.error("update %s was cut short by the stop and is lost", update.update_id)
            raise
        except Exception:  # the error handler has run and apologised
            log.exception("update %s failed", update.update_id)
        finally:
            slots.release()
            self.in_flight.pop(update.update_id, None)

    async def _finish(self, grace: float) -> None:
        """Let the updates in flight finish (or cut them short after `grace` seconds), then
        confirm the last batch, so the next process does not get it again."""
        tasks = list(self.in_flight.values())
        if tasks:
            log.info("stopping: waiting for %d update(s) in flight", len(tasks))
            _, pending = await asyncio.wait(tasks, timeout=grace)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending)
        if self.offset is not None:
            try:
                await self.bot(GetUpdates(offset=self.offset, limit=1, timeout=0))
            except Exception as error:
                log.warning("could not confirm the last updates: %s", error)
