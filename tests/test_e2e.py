"""The bot as a process, over real HTTP, against a local fake Bot API server (BOT_API_URL).

Covers what only a real start shows: settings from the environment, the schema migrated on start,
the custom Bot API server, long polling and webhook mode, and a clean stop.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO

import aiohttp
import pytest

from bench.fake_bot_api import FakeBotApi, text_update

ROOT = Path(__file__).resolve().parents[1]
# The bot process keeps its own SQLite file whatever TEST_DATABASE_URL says, so the run on
# PostgreSQL would only repeat these tests: they run once, in the SQLite run.
own_database = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="the process has its own SQLite file"
)
pytestmark = own_database
TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz"
ADMIN = 100


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotApi]:
    api = FakeBotApi([text_update(1, ADMIN, "/start")])
    api.start()
    try:
        yield api
    finally:
        await api.aclose()
        api.stop()


def start_bot(
    workdir: Path, *, sigint_ignored: bool = False, log: IO[bytes] | None = None, **env: str
) -> subprocess.Popen[bytes]:
    """`log`: a file for the process's output, for one that runs long (a pipe nobody reads
    fills up and stalls it)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BOT_", "DATABASE_", "REDIS_", "WEBHOOK_", "ADMIN_"))
    }
    environment.update(
        BOT_TOKEN=TOKEN,
        DATABASE_URL=f"sqlite+aiosqlite:///{workdir / 'bot.sqlite3'}",
        ADMIN_IDS=str(ADMIN),
        PYTHONPATH=str(ROOT),
        PYTHONFAULTHANDLER="1",  # a stop that hangs shows where (see stop_bot)
        **env,
    )
    return subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=workdir,
        env=environment,
        stdout=log or subprocess.PIPE,
        stderr=subprocess.STDOUT,
        # As a shell leaves a background job: Python then never raises KeyboardInterrupt.
        preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        if sigint_ignored
        else None,
    )


def stop_bot(process: subprocess.Popen[bytes]) -> str:
    process.send_signal(signal.SIGINT)
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)  # the fault handler prints every thread's stack
        try:
            output, _ = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
    return (output or b"").decode(errors="replace")  # none when it went to a `log` file


def stop_served(process: subprocess.Popen[bytes], api: FakeBotApi, log_path: Path) -> None:
    """A module's shared bot process stopped as a deploy stops it (SIGTERM), then its fake Bot
    API; the stop must be clean, else the log says why."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        process.kill()
    api.stop()
    assert process.returncode == 0, log_path.read_text(errors="replace")


async def test_polling_against_a_custom_bot_api_server(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    process = start_bot(tmp_path, BOT_API_URL=fake_api.base_url)
    try:
        stats = await fake_api.wait_sent(1, wait_seconds=90)
        assert stats["reached_at"] is not None, "the bot sent nothing"
        sent = await fake_api.sent()
        assert sent[0]["chat_id"] == ADMIN and "/neworg" in sent[0]["text"]
        calls = await fake_api.calls()
        assert calls.get("setmycommands", 0) >= 1 and calls.get("getupdates", 0) >= 1
    finally:
        output = stop_bot(process)
    assert process.returncode == 0, output
    assert TOKEN.split(":")[1] not in output  # the token is never logged
    with sqlite3.connect(tmp_path / "bot.sqlite3") as database:
        tables = {row[0] for row in database.execute("select name from sqlite_master")}
    assert {"users", "organisations", "alembic_version"} <= tables


async def test_webhook_mode_registers_itself_and_answers(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    port = free_port()
    process = start_bot(
        tmp_path,
        sigint_ignored=True,  # and it still stops on SIGINT, cleanly
        BOT_API_URL=fake_api.base_url,
        WEBHOOK_URL=f"http://127.0.0.1:{port}",
        WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        WEBHOOK_SECRET="s3cret",
    )
    endpoint = f"http://127.0.0.1:{port}/telegram/webhook"
    try:
        async with aiohttp.ClientSession() as client:
            # Start-up (imports, migrations) can take long on a loaded machine: wait while the
            # process lives, up to 90 s, for it to listen.
            for _ in range(900):
                assert process.poll() is None, "the bot stopped before it listened"
                try:
                    async with client.post(endpoint, json={}) as response:
                        if response.status:
                            break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            update = text_update(7, ADMIN, "/start")
            async with client.post(endpoint, json=update) as response:
                assert response.status == 401  # no secret
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
            async with client.post(endpoint, json=update, headers=headers) as response:
                assert response.status == 200
        stats = await fake_api.wait_sent(1, wait_seconds=90)
        assert stats["reached_at"] is not None
        calls = await fake_api.calls()
        assert calls.get("setwebhook") == 1 and calls.get("getupdates", 0) == 0
    finally:
        output = stop_bot(process)
    assert process.returncode == 0, output


def test_an_unreachable_bot_api_stops_start_up_with_one_line(tmp_path: Path) -> None:
    process = start_bot(tmp_path, BOT_API_URL=f"http://127.0.0.1:{free_port()}")
    output, _ = process.communicate(timeout=60)
    text = output.decode(errors="replace")
    assert process.returncode == 2, text
    assert "cannot be reached" in text.strip().splitlines()[-1]
    assert "Traceback" not in text


def stop_with_sigterm(process: subprocess.Popen[bytes]) -> str:
    process.send_signal(signal.SIGTERM)
    try:
        output, _ = process.communicate(timeout=40)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output.decode(errors="replace")


def stored(database: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(query).fetchall()


async def stored_soon(
    database: Path, query: str, expected: list[tuple[object, ...]], seconds: float = 10
) -> list[tuple[object, ...]]:
    """What `query` reads once it reads `expected`, or at the end of `seconds`: the reply goes
    out inside the update, a moment before its transaction commits."""
    for _ in range(int(seconds * 10)):
        if (found := stored(database, query)) == expected:
            return found
        await asyncio.sleep(0.1)
    return stored(database, query)


async def wait_for_text(api: FakeBotApi, fragment: str, seconds: float = 30) -> bool:
    for _ in range(int(seconds * 10)):
        if any(fragment in (sent.get("text") or "") for sent in await api.sent()):
            return True
        await asyncio.sleep(0.1)
    return False


async def test_a_stop_during_a_slow_reply_loses_nothing(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    database = tmp_path / "bot.sqlite3"
    process = start_bot(tmp_path, BOT_API_URL=fake_api.base_url)
    try:
        assert (await fake_api.wait_sent(1, wait_seconds=90))["reached_at"] is not None
        await fake_api.configure(delay=3)  # Telegram answers slowly from now on
        await fake_api.push([text_update(2, ADMIN, "/neworg", message_id=2)])
        await asyncio.sleep(1.5)  # the bot has taken it and waits for its reply to go out
        process.send_signal(signal.SIGTERM)  # a deploy
        await asyncio.sleep(0.2)
        # Typed while the bot stops: it must not be taken now, nor lost.
        await fake_api.push([text_update(3, ADMIN, "МБДОУ «Детский сад № 5»", message_id=3)])
        output = stop_with_sigterm(process)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert await wait_for_text(fake_api, "Полное название организации", seconds=1)
    assert stored(database, "SELECT update_id FROM processed_updates") == [(2,)]
    dialog = stored(database, "SELECT data FROM fsm_records WHERE key LIKE '%aiogd:context%'")
    assert [data for (data,) in dialog if "NewOrganisation:name" in str(data)]  # the dialog kept

    await fake_api.configure(delay=0)
    process = start_bot(tmp_path, BOT_API_URL=fake_api.base_url)  # the next process
    try:
        assert await wait_for_text(fake_api, "Короткое название")
    finally:
        output = stop_bot(process)
    assert process.returncode == 0, output
    assert stored(database, "SELECT update_id FROM processed_updates ORDER BY 1") == [(2,), (3,)]
    replies = [s for s in await fake_api.sent() if "Полное название" in (s.get("text") or "")]
    assert len(replies) == 1  # the question was not asked twice


def one_line_and_exit(process: subprocess.Popen[bytes]) -> str:
    """The last line of a start refused by a setting, once the process exited with 2."""
    output, _ = process.communicate(timeout=60)
    text = output.decode(errors="replace")
    assert process.returncode == 2, text
    assert "Traceback" not in text, text
    return text.strip().splitlines()[-1]


async def test_a_webhook_port_already_taken_stops_start_up_with_one_line(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start_bot(
            tmp_path,
            BOT_API_URL=fake_api.base_url,
            WEBHOOK_URL="https://bot.example",
            WEBHOOK_SECRET="s3cret",
            WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        )
        line = one_line_and_exit(process)
    assert line.startswith("Setting WEBHOOK_LISTEN: cannot listen on 127.0.0.1:"), line
    assert (await fake_api.calls()).get("setwebhook") is None  # Telegram was not pointed at it


async def test_an_unreachable_redis_stops_start_up_with_one_line(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    process = start_bot(
        tmp_path, BOT_API_URL=fake_api.base_url, REDIS_URL=f"redis://127.0.0.1:{free_port()}/11"
    )
    line = one_line_and_exit(process)
    assert line.startswith("Setting REDIS_URL: Redis cannot be reached"), line
    assert (await fake_api.calls()).get("getupdates") is None  # no update taken to be lost
