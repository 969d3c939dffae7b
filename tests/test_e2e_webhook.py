"""The bot in webhook mode as a process, poked over HTTP as Telegram and strangers would.

One process serves the whole module (a start costs seconds); each test uses its own people.
"""

from __future__ import annotations

import asyncio
import io
import socket
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from bench.fake_bot_api import FakeBotApi, text_update
from tests.test_e2e import ADMIN, free_port, own_database, start_bot, stop_served

pytestmark = own_database

SECRET = "s3cret"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}


@dataclass
class Served:
    endpoint: str
    api_url: str
    database: Path
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    async def post(
        self, client: aiohttp.ClientSession, body: object, headers: dict[str, str] = HEADERS
    ) -> int:
        async with client.post(self.endpoint, json=body, headers=headers) as response:
            return response.status


def wait_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90  # imports and migrations, on a loaded machine
    while time.monotonic() < deadline:
        assert process.poll() is None, "the bot stopped before it listened"
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("the bot did not listen within 90 s")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    workdir = tmp_path_factory.mktemp("webhook")
    api = FakeBotApi()
    api.start()
    port = free_port()
    log_path = workdir / "bot.log"
    with log_path.open("wb") as log:
        process = start_bot(
            workdir,
            log=log,
            BOT_API_URL=api.base_url,
            WEBHOOK_URL=f"http://127.0.0.1:{port}",
            WEBHOOK_LISTEN=f"127.0.0.1:{port}",
            WEBHOOK_SECRET=SECRET,
        )
        try:
            wait_listening(port, process)
            yield Served(
                f"http://127.0.0.1:{port}/telegram/webhook",
                api.base_url,
                workdir / "bot.sqlite3",
                log_path,
            )
        finally:
            stop_served(process, api, log_path)


def stored(database: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(query).fetchall()


async def test_what_is_not_telegrams_update_is_refused_without_a_traceback(
    served: Served,
) -> None:
    update = text_update(11, ADMIN, "/neworg")
    async with aiohttp.ClientSession() as client:
        async with client.get(served.endpoint) as response:
            assert response.status == 405
        assert await served.post(client, update, headers={}) == 401
        wrong = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
        assert await served.post(client, update, headers=wrong) == 401
        malformed = {**HEADERS, "Content-Type": "application/json"}
        async with client.post(served.endpoint, data=b"{not json", headers=malformed) as response:
            assert response.status == 400
        assert await served.post(client, {"no": "update_id"}) == 400
        assert await served.post(client, [1, 2]) == 400
        huge = b'{"update_id": 12, "padding": "' + b"x" * 5_000_000 + b'"}'
        async with client.post(
            served.endpoint, data=io.BytesIO(huge), headers=malformed
        ) as response:
            assert response.status == 413
        # An update of a kind this aiogram does not know yet: taken, and nothing breaks.
        assert await served.post(client, {"update_id": 13, "future_kind": {"x": 1}}) == 200
    api = FakeBotApi.attach(served.api_url)
    try:
        assert not [s for s in await api.sent() if s["chat_id"] == ADMIN]
    finally:
        await api.aclose()
    output = served.output()
    assert "Traceback" not in output and " ERROR " not in output, output
    assert output.count("refused a POST that is not an update") == 3
    assert not stored(served.database, "SELECT update_id FROM processed_updates")


async def test_a_retried_update_is_handled_once(served: Served) -> None:
    update = text_update(21, ADMIN, "/neworg", message_id=21)
    async with aiohttp.ClientSession() as client:
        assert await served.post(client, update) == 200
        assert await served.post(client, update) == 200  # Telegram sent it again
    api = FakeBotApi.attach(served.api_url)
    try:
        questions = [s for s in await api.sent() if "Полное название" in (s["text"] or "")]
    finally:
        await api.aclose()
    assert len(questions) == 1, questions
    assert stored(
        served.database, "SELECT update_id FROM processed_updates WHERE update_id = 21"
    ) == [(21,)]


async def test_a_hundred_updates_at_once_are_all_answered(served: Served) -> None:
    people = range(5000, 5100)
    async with aiohttp.ClientSession() as client:
        statuses = await asyncio.gather(
            *(
                served.post(client, text_update(1000 + index, person, "/start"))
                for index, person in enumerate(people)
            )
        )
    assert set(statuses) == {200}
    api = FakeBotApi.attach(served.api_url)
    try:
        sent = [s for s in await api.sent() if s["chat_id"] in people]
    finally:
        await api.aclose()
    assert sorted(s["chat_id"] for s in sent) == list(people)  # each answered, once
    output = served.output()
    assert " ERROR " not in output and "Traceback" not in output, output
