"""The bot polling as a process while the Bot API misbehaves as Telegram's sometimes does:
429 with retry_after, 5xx, a cut connection, slow answers. Nothing typed is lost, nothing is
sent twice. One process serves the module (a start costs seconds).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.fake_bot_api import FakeBotApi, text_update
from tests.test_e2e import ADMIN, own_database, start_bot, stop_served, stored_soon

pytestmark = own_database


@dataclass
class Polling:
    api_url: str
    database: Path
    log: Path


@pytest.fixture(scope="module")
def polling(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Polling]:
    workdir = tmp_path_factory.mktemp("polling")
    api = FakeBotApi()
    api.start()
    log_path = workdir / "bot.log"
    with log_path.open("wb") as log:
        process = start_bot(workdir, log=log, BOT_API_URL=api.base_url)
        try:
            yield Polling(api.base_url, workdir / "bot.sqlite3", log_path)
        finally:
            stop_served(process, api, log_path)


@pytest.fixture
async def api(polling: Polling) -> AsyncIterator[FakeBotApi]:
    client = FakeBotApi.attach(polling.api_url)
    try:
        yield client
    finally:
        await client.aclose()


async def texts_to(api: FakeBotApi, chat: int) -> list[str]:
    return [s["text"] or "" for s in await api.sent() if s["chat_id"] == chat]


async def wait_for(api: FakeBotApi, chat: int, fragment: str, seconds: float = 90) -> list[str]:
    """What the chat got, once `fragment` arrived (or the time ran out)."""
    for _ in range(int(seconds * 10)):
        texts = await texts_to(api, chat)
        if any(fragment in text for text in texts):
            return texts
        await asyncio.sleep(0.1)
    return await texts_to(api, chat)


def count(texts: list[str], fragment: str) -> int:
    return sum(fragment in text for text in texts)


async def test_get_updates_failing_loses_nothing_and_repeats_nothing(
    polling: Polling, api: FakeBotApi
) -> None:
    await api.push([text_update(1, ADMIN, "/start")])
    assert count(await wait_for(api, ADMIN, "/neworg"), "/neworg") == 1  # it runs
    await api.configure(
        script={
            "getupdates": [
                {"error": 429, "retry_after": 2},
                {"error": 502},
                {"drop": True},
                {"delay": 3},
            ]
        }
    )
    await asyncio.sleep(0.5)  # the call under way has ended: the next ones fail as scripted
    await api.push([text_update(2, ADMIN, "/neworg", message_id=2)])
    texts = await wait_for(api, ADMIN, "Полное название организации")
    assert count(texts, "Полное название организации") == 1
    log = polling.log.read_text(errors="replace")
    assert "getUpdates failed (TelegramRetryAfter" in log
    assert "getUpdates failed (TelegramServerError" in log
    assert "getUpdates failed (TelegramNetworkError" in log
    query = "SELECT update_id FROM processed_updates ORDER BY 1"
    assert await stored_soon(polling.database, query, [(2,)]) == [(2,)]


async def test_a_reply_refused_for_a_moment_is_sent_again_and_the_answer_kept(
    polling: Polling, api: FakeBotApi
) -> None:
    # The dialog of the test above goes on: the full name, then the short name.
    await api.configure(script={"sendmessage": [{"error": 429, "retry_after": 1}]})
    await api.push([text_update(3, ADMIN, "МБДОУ «Детский сад № 5»", message_id=3)])
    texts = await wait_for(api, ADMIN, "Короткое название")
    await api.configure(script={"sendmessage": [{"error": 502}, {"delay": 2}]})
    await api.push([text_update(4, ADMIN, "ДС5", message_id=4)])
    texts = await wait_for(api, ADMIN, "Часовой пояс")
    assert count(texts, "Короткое название") == 1 and count(texts, "Часовой пояс") == 1
    assert count(texts, "Извините") == 0  # no apology: nothing failed for the person
    query = "SELECT update_id FROM processed_updates ORDER BY 1"
    handled: list[tuple[object, ...]] = [(2,), (3,), (4,)]
    assert await stored_soon(polling.database, query, handled) == handled
    log = polling.log.read_text(errors="replace")
    assert "SendMessage failed" in log and " ERROR " not in log, log
