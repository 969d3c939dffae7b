"""The baseline: a bare aiogram echo bot, polling the fake Bot API from a process of its own.

Its own process keeps it bare: none of the app's modules, data or settings weigh on it. The
parent process loads the server with updates, tells the echo process how many replies to wait
for, and gets back the updates per second (bench/bot_process.py).
"""

from __future__ import annotations

from typing import Any

from aiogram import Dispatcher, Router
from aiogram.types import Message

from bench.bot_process import BotProcess, ServedBot, stock_bot


def echo_dispatcher() -> Dispatcher:
    router = Router(name="echo")

    @router.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "-")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher


async def serve(base_url: str, _: Any) -> ServedBot:
    """The echo bot, in its process (bench.bot_process runs it)."""
    return ServedBot(echo_dispatcher(), stock_bot(base_url))


def start_echo_bot(base_url: str, concurrency: int | None) -> BotProcess:
    """The echo bot's process, starting; `await process.poll(count, wait_seconds)` times a run."""
    return BotProcess("the echo bot", serve, base_url, None, concurrency)
