"""A benchmark bot polling the fake Bot API from a process of its own.

The echo bot and the peer bot run this way, so that none of the app (its modules, data, caches)
weighs on them, nor they on it. The parent loads the fake server with updates and tells the
child how many replies to wait for; the child polls until they are sent and answers with the
updates per second. A bot may answer other commands too (the peer reports what its writes
stored), each bounded in time on the parent's side.

Every bot here is the stock one: aiogram's own `AiohttpSession`, the app's defaults (HTML, no
link previews), Python's default garbage collector.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import multiprocessing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode

from bench.fake_bot_api import FakeBotApi, poll_until_sent, spawn_process, stop_process

TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz"
START_TIMEOUT = 120.0  # a child's start: imports, and the peer's schema and seed rows
CALL_MARGIN = 30.0  # on top of a run's own bound: polling's stop and the update tasks' drain


def stock_bot(base_url: str, token: str = TOKEN) -> Bot:
    """A Bot on aiogram's own HTTP session, with the app's defaults."""
    return Bot(
        token=token,
        session=AiohttpSession(api=TelegramAPIServer.from_base(base_url)),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def described(error: BaseException, limit: int = 400) -> str:
    """An error in a line or so (a database error quotes every parameter otherwise)."""
    text = f"{type(error).__name__}: {error}".splitlines()[0]
    return text if len(text) <= limit else text[: limit - 1] + "…"


Command = Callable[[Any], Awaitable[Any]]


@dataclass
class ServedBot:
    """What a child process serves: a dispatcher and its bot, and commands of its own."""

    dispatcher: Dispatcher
    bot: Bot
    commands: dict[str, Command] = field(default_factory=dict)
    close: Callable[[], Awaitable[None]] | None = None


# A module-level async function (the child imports it by name): (base URL, options) -> bot.
Factory = Callable[[str, Any], Awaitable[ServedBot]]


@dataclass(frozen=True)
class Poll:
    """Poll until `count` replies are sent, `concurrency` updates at most at once."""

    count: int
    concurrency: int | None
    wait_seconds: float


async def _poll(served: ServedBot, api: FakeBotApi, request: Poll) -> float:
    gc.collect()  # as the parent does before an app run
    return await poll_until_sent(
        served.dispatcher,
        served.bot,
        api,
        request.count,
        request.wait_seconds,
        concurrency=request.concurrency or 24,
    )


async def _serve(connection: Connection, factory: Factory, base_url: str, options: Any) -> None:
    loop = asyncio.get_running_loop()
    api = FakeBotApi.attach(base_url)
    try:
        served = await factory(base_url, options)
    except Exception as error:
        connection.send(("error", described(error)))
        await api.aclose()
        return
    connection.send(("ok", None))
    try:
        while (message := await loop.run_in_executor(None, connection.recv)) is not None:
            name, argument = message
            try:
                if name == "poll":
                    result = await _poll(served, api, argument)
                else:
                    result = await served.commands[name](argument)
                connection.send(("ok", result))
            except Exception as error:  # the parent reports it
                connection.send(("error", described(error)))
    finally:
        if served.close is not None:
            await served.close()
        await served.bot.session.close()
        await api.aclose()


def _child(connection: Connection, factory: Factory, base_url: str, options: Any) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with contextlib.suppress(KeyboardInterrupt, EOFError):
        asyncio.run(_serve(connection, factory, base_url, options))


class BotProcessError(Exception):
    """The child failed a command, or did not answer in time."""


class BotProcess:
    """A bot in a spawned process: `await poll(count, wait_seconds)` runs it until `count`
    replies are sent (its updates per second), `await call(name, argument)` asks it the rest.

    The process starts at once; `await started()` waits until its bot is ready.
    """

    def __init__(
        self, name: str, factory: Factory, base_url: str, options: Any, concurrency: int | None
    ) -> None:
        self.name = name
        self.concurrency = concurrency
        self._connection, child_end = multiprocessing.get_context("spawn").Pipe()
        self._process = spawn_process(_child, child_end, factory, base_url, options)
        child_end.close()
        self._started = False
        self._lost: str | None = None  # why its answers can no longer be told apart

    def _receive(self, seconds: float) -> Any:
        if not self._connection.poll(seconds):
            self._lost = f"{self.name}: no answer in {seconds:.0f} s"
            raise BotProcessError(self._lost)
        status, result = self._connection.recv()
        if status != "ok":
            raise BotProcessError(f"{self.name} failed: {result}")
        return result

    async def _answer(self, seconds: float) -> Any:
        return await asyncio.get_running_loop().run_in_executor(None, self._receive, seconds)

    async def started(self) -> None:
        if self._lost is not None:
            raise BotProcessError(self._lost)
        if not self._started:
            await self._answer(START_TIMEOUT)
            self._started = True

    async def call(self, name: str, argument: Any = None, seconds: float = CALL_MARGIN) -> Any:
        await self.started()
        if self._lost is not None:
            raise BotProcessError(self._lost)
        self._connection.send((name, argument))
        return await self._answer(seconds)

    async def poll(self, count: int, wait_seconds: float) -> float:
        """Updates per second of a run of `count` updates (the server's clock)."""
        request = Poll(count, self.concurrency, wait_seconds)
        ups: float = await self.call("poll", request, wait_seconds + CALL_MARGIN)
        return ups

    def stop(self) -> None:
        with contextlib.suppress(OSError):  # the process may be gone already
            self._connection.send(None)
            self._process.join(10)
        if self._process.is_alive():
            stop_process(self._process)
        self._connection.close()
