"""The baseline: a bare aiogram echo bot, polling the fake Bot API from a process of its own.

Its own process keeps it bare: none of the app's modules, data or settings (garbage collection
of a bigger heap, say) weigh on it. The parent process loads the server with updates, tells the
echo process how many replies to wait for, and gets back the updates per second.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import multiprocessing
from multiprocessing.connection import Connection

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.types import Message

from bench.fake_bot_api import FakeBotApi, poll_until_sent, spawn_process, stop_process

TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz"


def echo_dispatcher() -> Dispatcher:
    router = Router(name="echo")

    @router.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "-")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher


def echo_bot(base_url: str) -> Bot:
    """A Bot with the app's defaults, on aiogram's own session (the app's JSON session is one of
    the app's optimisations, so the baseline stays bare aiogram)."""
    return Bot(
        token=TOKEN,
        session=AiohttpSession(api=TelegramAPIServer.from_base(base_url)),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


async def _serve_runs(connection: Connection, base_url: str) -> None:
    dispatcher, bot, api = echo_dispatcher(), echo_bot(base_url), FakeBotApi.attach(base_url)
    loop = asyncio.get_running_loop()
    try:
        while (count := await loop.run_in_executor(None, connection.recv)) is not None:
            gc.collect()  # as the parent does before an app run
            try:
                connection.send(await poll_until_sent(dispatcher, bot, api, count))
            except Exception as error:  # the parent reports it
                connection.send(f"{type(error).__name__}: {error}")
    finally:
        await bot.session.close()
        await api.aclose()


def _child(connection: Connection, base_url: str) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    asyncio.run(_serve_runs(connection, base_url))


class EchoBotProcess:
    """The echo bot's process; `await poll(count)` runs it until `count` replies are sent."""

    def __init__(self, base_url: str) -> None:
        self._connection, child_end = multiprocessing.get_context("spawn").Pipe()
        self._process = spawn_process(_child, child_end, base_url)
        child_end.close()

    async def poll(self, count: int) -> float:
        self._connection.send(count)
        result = await asyncio.get_running_loop().run_in_executor(None, self._connection.recv)
        if isinstance(result, str):
            raise RuntimeError(f"the echo bot failed: {result}")
        return result

    def stop(self) -> None:
        with contextlib.suppress(OSError):  # the process may be gone already
            self._connection.send(None)
            self._process.join(5)
        if self._process.is_alive():
            stop_process(self._process)
        self._connection.close()
