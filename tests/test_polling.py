"""Polling and stopping: a stop lets the update in flight finish before anything closes, takes
no new update (the next process gets it), and a re-delivered update is handled once."""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiogram import Bot
from aiogram.methods import GetUpdates, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Update
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.polling import Poller
from bot.services.clock import FrozenClock
from models import HelpMessage, ProcessedUpdate
from tests.harness import Harness, RecordingSession
from tests.test_help import Cast, cast


class TelegramQueue(RecordingSession):
    """Serves getUpdates from a list as Telegram does (from the offset on, confirming all
    before it), and holds the replies to one chat until released: a slow Bot API."""

    def __init__(self) -> None:
        super().__init__()
        self.pending: list[Update] = []
        self.offsets: list[int | None] = []
        self.slow_chat: int | None = None
        self.release = asyncio.Event()
        self.reply_started = asyncio.Event()

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - the signature aiogram calls
    ) -> TelegramType:
        if isinstance(method, GetUpdates):
            self.offsets.append(method.offset)
            if method.offset is not None:
                self.pending = [u for u in self.pending if u.update_id >= method.offset]
            if not self.pending and method.timeout:
                await asyncio.sleep(0.05)  # a short long poll
            return self.pending[: method.limit or 100]  # type: ignore[return-value]
        if isinstance(method, SendMessage) and int(method.chat_id) == self.slow_chat:
            self.reply_started.set()
            await self.release.wait()
        return await super().make_request(bot, method, timeout)


async def asking_with_a_slow_reply(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> tuple[TelegramQueue, Harness, Cast, Update]:
    """A mentee in a help dialog types a message; Telegram will be slow to take the reply."""
    telegram = TelegramQueue()
    app = Harness(create_dispatcher(settings, sessionmaker, clock=clock), telegram)
    await app.start()
    people = await cast(app, sessionmaker)
    await people.mentee.sends("/sos")
    update = people.mentee.text_update("Родители просят встречу")
    telegram.pending = [update]
    telegram.slow_chat = people.mentee.telegram_id
    return telegram, app, people, update


async def run_poller(app: Harness, stop: asyncio.Event, grace: float) -> Poller:
    poller = Poller(app.dispatcher, app.bot, concurrency=4, polling_timeout=1)
    await poller.run(stop, grace=grace)
    return poller


async def help_messages(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(HelpMessage)) or 0)


async def test_a_stop_waits_for_the_update_in_flight_which_is_then_confirmed(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    telegram, app, _people, update = await asking_with_a_slow_reply(settings, sessionmaker, clock)

    stop = asyncio.Event()
    polling = asyncio.create_task(run_poller(app, stop, grace=10))
    await asyncio.wait_for(telegram.reply_started.wait(), 10)
    stop.set()  # SIGTERM while the answer is being handled
    await asyncio.sleep(0.2)
    assert not polling.done(), "the stop must wait for the update in flight"
    telegram.release.set()
    await asyncio.wait_for(polling, 10)

    assert await help_messages(sessionmaker) == 1
    assert telegram.offsets[-1] == update.update_id + 1  # confirmed once handled
    async with sessionmaker() as session:
        assert await session.get(ProcessedUpdate, update.update_id) is not None


async def test_an_update_cut_short_after_the_grace_period_stores_nothing_and_is_logged(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    telegram, app, _people, update = await asking_with_a_slow_reply(settings, sessionmaker, clock)

    stop = asyncio.Event()
    polling = asyncio.create_task(run_poller(app, stop, grace=0.2))
    await asyncio.wait_for(telegram.reply_started.wait(), 10)
    stop.set()  # and the reply never comes within the grace period
    with caplog.at_level(logging.ERROR, logger="bot.polling"):
        await asyncio.wait_for(polling, 10)
    assert await help_messages(sessionmaker) == 0  # rolled back whole
    assert f"update {update.update_id} was cut short" in caplog.text


async def test_an_update_typed_during_the_stop_is_left_for_the_next_process(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    telegram, app, people, first = await asking_with_a_slow_reply(settings, sessionmaker, clock)
    stop = asyncio.Event()
    polling = asyncio.create_task(run_poller(app, stop, grace=10))
    await asyncio.wait_for(telegram.reply_started.wait(), 10)
    stop.set()
    second = people.mentee.text_update("И ещё: завтра утренник")  # typed while stopping
    telegram.pending.append(second)
    telegram.release.set()
    await asyncio.wait_for(polling, 10)
    assert await help_messages(sessionmaker) == 1
    assert [u.update_id for u in telegram.pending] == [second.update_id]

    telegram.slow_chat = None  # the next process, and Telegram sends the first one again too
    telegram.pending.insert(0, first)
    next_app = Harness(create_dispatcher(settings, sessionmaker, clock=clock), telegram)
    await next_app.start()
    stop = asyncio.Event()
    polling = asyncio.create_task(run_poller(next_app, stop, grace=10))
    for _ in range(100):
        if await help_messages(sessionmaker) == 2:
            break
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(polling, 10)
    assert await help_messages(sessionmaker) == 2
    await next_app.deliver()  # what the updates queued for the mentor
    texts = people.mentor.texts()
    assert len([text for text in texts if "Родители просят встречу" in text]) == 1
    assert len([text for text in texts if "завтра утренник" in text]) == 1
