"""Two bot processes on one PostgreSQL database and one Redis, as a deployment runs them.

Both serve webhooks (a load balancer in front: each update goes to one of them, and a person's
updates alternate between them), both run a sender of the delivery queue and the periodic jobs.
People use the bot over HTTP as Telegram would bring their updates; the fake Bot API
(bench/fake_bot_api.py) records what they were sent. The rules checked: a dialog begun on one
process goes on on the other, no step lost or doubled; an update delivered to both at once has
its effect once; a message to someone else goes out once, also through Telegram's 429s. (Two
schedulers ticking at once are tested in one process, tests/test_reminders.py: the first pass
here comes only a minute after the start.)

One pair of processes serves the module (a start costs seconds); the tests follow one
kindergarten's day, in order, each with its own people where it can.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from redis import Redis
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bench.fake_bot_api import BOT_USER, FakeBotApi
from tests.flows import MENTEE_ANSWERS
from tests.test_e2e import ADMIN, ROOT, TOKEN, free_port

DATABASE = os.environ.get("TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE.startswith("postgresql"),
    reason="needs PostgreSQL (TEST_DATABASE_URL=postgresql+asyncpg://...): two bot processes "
    "share one database only there",
)

SECRET = "s3cret"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
REDIS_DATABASES = (10, 11, 12, 13)  # the suite's own use 14 and 15 (.ci/run)
# The organisation's zone: one where the working day (00:00 to 23:00 at the longest, set in
# /settings) holds the module's minutes and the event 40 minutes later falls on the same day.
ZONE = "Europe/Moscow" if datetime.now(ZoneInfo("Europe/Moscow")).hour < 22 else "Europe/London"
MENTEE = 2001
JOINERS = (2002, 2003, 2004)  # consent given, the form left for later: members all the same
COMING = (MENTEE, 2002)  # who answer «Приду» to the event
EVENT = "Круглый стол наставников: делимся опытом"
LOG_ERRORS = ("Traceback", " ERROR ", " CRITICAL ")

_update_ids = itertools.count(700_000)
_message_ids = itertools.count(1)


# --- the two processes ---------------------------------------------------------------------------


@dataclass
class Process:
    popen: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/telegram/webhook"

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@dataclass
class Cluster:
    processes: list[Process]
    api_url: str
    database_url: str

    def outputs(self) -> str:
        return "\n".join(process.output() for process in self.processes)

    def assert_clean_logs(self) -> None:
        for process in self.processes:
            output = process.output()
            assert not any(error in output for error in LOG_ERRORS), output


def bot_environment(**settings: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BOT_", "DATABASE_", "REDIS_", "WEBHOOK_", "ADMIN_"))
    }
    environment.update(
        BOT_TOKEN=TOKEN, ADMIN_IDS=str(ADMIN), PYTHONPATH=str(ROOT), PYTHONFAULTHANDLER="1"
    )
    environment.update(settings)
    return environment


def wait_listening(processes: list[Process]) -> None:
    deadline = time.monotonic() + 90  # imports and migrations, two at once, on a loaded machine
    waiting = list(processes)
    while waiting:
        assert time.monotonic() < deadline, "a bot did not listen within 90 s"
        for process in list(waiting):
            assert process.popen.poll() is None, f"a bot stopped:\n{process.output()}"
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", process.port)) == 0:
                    waiting.remove(process)
        time.sleep(0.1)


def stop(processes: list[Process]) -> None:
    """Both stopped as a deploy stops them (SIGTERM), at once; each must stop cleanly."""
    for process in processes:
        process.popen.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.popen.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.popen.kill()
            process.popen.wait()
    for process in processes:
        assert process.popen.returncode == 0, process.output()


async def on_server(statement: str) -> None:
    """A statement outside any transaction on TEST_DATABASE_URL's server (CREATE DATABASE)."""
    engine = create_async_engine(DATABASE, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


def empty_redis_database() -> tuple[int, Redis]:
    """One of REDIS_DATABASES that nobody uses now (empty), flushed again after the module."""
    for number in REDIS_DATABASES:
        client = Redis(host="127.0.0.1", port=6379, db=number)
        try:
            if client.dbsize() == 0:
                return number, client
        except OSError:
            pytest.fail("Redis is not reachable at 127.0.0.1:6379")
        client.close()
    pytest.fail(f"Redis databases {REDIS_DATABASES} are all in use")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    workdir = tmp_path_factory.mktemp("processes")
    name = f"nastavnik_procs_{secrets.token_hex(4)}"
    database_url = make_url(DATABASE).set(database=name).render_as_string(hide_password=False)
    asyncio.run(on_server(f"CREATE DATABASE {name}"))
    redis_database, redis = empty_redis_database()
    api = FakeBotApi()
    api.start()
    processes: list[Process] = []
    try:
        for index in range(2):
            port = free_port()
            log = workdir / f"bot{index}.log"
            with log.open("wb") as output:
                environment = bot_environment(
                    DATABASE_URL=database_url,
                    REDIS_URL=f"redis://127.0.0.1:6379/{redis_database}",
                    BOT_API_URL=api.base_url,
                    WEBHOOK_URL=f"http://127.0.0.1:{port}",
                    WEBHOOK_LISTEN=f"127.0.0.1:{port}",
                    WEBHOOK_SECRET=SECRET,
                )
                popen = subprocess.Popen(  # both at once, on a database not yet migrated
                    [sys.executable, "-m", "bot"],
                    cwd=workdir,
                    env=environment,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            processes.append(Process(popen, port, log))
        wait_listening(processes)
        yield Cluster(processes, api.base_url, database_url)
    finally:
        try:
            stop(processes)
        finally:
            api.stop()
            redis.flushdb()
            redis.close()
            asyncio.run(on_server(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


# --- people writing to the bot -------------------------------------------------------------------


@dataclass
class Person:
    """Someone in Telegram: each update goes to the next process in turn (a load balancer)."""

    cluster: Cluster
    api: FakeBotApi
    client: aiohttp.ClientSession
    telegram_id: int
    name: str = "Анна"
    turn: itertools.cycle[int] = field(default_factory=lambda: itertools.cycle((0, 1)))
    update_ids: list[int] = field(default_factory=list)

    @property
    def user(self) -> dict[str, Any]:
        return {
            "id": self.telegram_id,
            "is_bot": False,
            "first_name": self.name,
            "language_code": "ru",
        }

    @property
    def chat(self) -> dict[str, Any]:
        return {"id": self.telegram_id, "type": "private", "first_name": self.name}

    def message_update(self, **content: Any) -> dict[str, Any]:
        update_id = next(_update_ids)
        self.update_ids.append(update_id)
        message = {
            "message_id": next(_message_ids),
            "date": int(time.time()),
            "chat": self.chat,
            "from": self.user,
            **content,
        }
        return {"update_id": update_id, "message": message}

    def text_update(self, words: str) -> dict[str, Any]:
        entities = []
        if words.startswith("/"):
            command = words.split()[0]
            entities = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self.message_update(text=words, entities=entities)

    async def post(self, update: dict[str, Any], to: int | None = None) -> None:
        process = self.cluster.processes[next(self.turn) if to is None else to]
        async with self.client.post(process.endpoint, json=update, headers=HEADERS) as response:
            assert response.status == 200, await response.text()

    async def sends(self, words: str) -> None:
        await self.post(self.text_update(words))

    async def shares_contact(self, phone: str) -> None:
        contact = {"phone_number": phone, "first_name": self.name, "user_id": self.telegram_id}
        await self.post(self.message_update(contact=contact))

    async def messages(self) -> list[dict[str, Any]]:
        return await self.api.messages(self.telegram_id)

    async def texts(self) -> list[str]:
        return [message["text"] or "" for message in await self.messages()]

    async def tap_update(self, label: str, exact: bool = False) -> dict[str, Any]:
        """The update of a tap on the newest inline button whose text contains `label` (or is
        `label`, when `exact`: a calendar's day)."""
        messages = await self.messages()
        for message in reversed(messages):
            for row in (message["reply_markup"] or {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"] == label or (not exact and label in button["text"]):
                        update_id = next(_update_ids)
                        self.update_ids.append(update_id)
                        shown = {
                            "message_id": message["message_id"],
                            "date": int(time.time()),
                            "chat": self.chat,
                            "from": BOT_USER,
                            "text": message["text"] or "",
                            "reply_markup": message["reply_markup"],
                        }
                        query = {
                            "id": str(update_id),
                            "from": self.user,
                            "chat_instance": "ci",
                            "message": shown,
                            "data": button["callback_data"],
                        }
                        return {"update_id": update_id, "callback_query": query}
        last = [message["text"] for message in messages[-3:]]
        raise AssertionError(f"no button {label!r}; last messages: {last}")

    async def taps(self, label: str, exact: bool = False) -> None:
        await self.post(await self.tap_update(label, exact))

    async def reply_button(self, label: str) -> str | None:
        """A reply-keyboard button under the newest message that has one, if it is there."""
        for message in reversed(await self.messages()):
            keyboard = (message["reply_markup"] or {}).get("keyboard")
            if keyboard is not None:
                labels = [button["text"] for row in keyboard for button in row]
                return next((found for found in labels if found.startswith(label)), None)
        return None

    async def answers(self, answers: list[tuple[str, str]]) -> None:
        for kind, value in answers:
            if kind == "text":
                await self.sends(value)
            elif kind == "contact":
                await self.shares_contact(value)
            elif (pressed := await self.reply_button(value)) is not None:
                await self.sends(pressed)
            else:
                await self.taps(value)

    async def wait_for(self, fragment: str, count: int = 1, seconds: float = 30) -> list[str]:
        """Its messages containing `fragment`, once there are `count` of them."""
        deadline = time.monotonic() + seconds
        while True:
            found = [words for words in await self.texts() if fragment in words]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            await asyncio.sleep(0.1)


@dataclass
class Town:
    cluster: Cluster
    api: FakeBotApi
    client: aiohttp.ClientSession
    database: AsyncEngine

    def person(self, telegram_id: int, name: str = "Анна") -> Person:
        return Person(self.cluster, self.api, self.client, telegram_id, name)

    async def rows(self, query: str, **values: Any) -> list[tuple[Any, ...]]:
        async with self.database.connect() as connection:
            return [tuple(row) for row in await connection.execute(text(query), values)]


@pytest.fixture
async def town(cluster: Cluster) -> AsyncIterator[Town]:
    api = FakeBotApi.attach(cluster.api_url)
    database = create_async_engine(cluster.database_url)
    try:
        async with aiohttp.ClientSession() as client:
            yield Town(cluster, api, client, database)
    finally:
        await api.aclose()
        await database.dispose()


async def queue_drained(town: Town, purpose: str, seconds: float = 40) -> list[tuple[Any, ...]]:
    """The queue's rows of `purpose` by state, once none waits or is on its way."""
    deadline = time.monotonic() + seconds
    while True:
        states = await town.rows(
            "SELECT state, count(*) FROM outbox WHERE purpose = :purpose GROUP BY state",
            purpose=purpose,
        )
        if not any(state in ("queued", "sending") for state, _ in states):
            return states
        assert time.monotonic() < deadline, f"the queue still holds {states}"
        await asyncio.sleep(0.2)


# --- the day -------------------------------------------------------------------------------------


async def test_a_dialog_goes_on_whichever_process_takes_the_next_step(town: Town) -> None:
    """The administrator founds the kindergarten and invites; a teacher joins by the link and
    answers the whole form: every step on the other process than the one before."""
    admin = town.person(ADMIN, "Админ")
    await admin.sends("/neworg")
    await admin.sends("МБДОУ «Детский сад № 7»")
    await admin.sends("Д/с № 7")
    if ZONE == "Europe/Moscow":
        await admin.taps("Москва")
    else:
        await admin.sends(ZONE)  # a zone not on the buttons, typed
    await admin.taps("Я сам")
    assert await town.rows("SELECT name, short_name, timezone FROM organisations") == [
        ("МБДОУ «Детский сад № 7»", "Д/с № 7", ZONE)
    ]
    await admin.sends("/invite")
    await admin.taps("наставляемый")
    await admin.taps("Без ограничения")
    link = next(words for words in await admin.texts() if "?start=" in words)
    code = re.search(r"\?start=([\w-]+)", link)
    assert code is not None

    mentee = town.person(MENTEE)
    await mentee.sends(f"/start {code.group(1)}")
    await mentee.taps("Согласен")
    await mentee.answers(MENTEE_ANSWERS)
    profile = await town.rows(
        "SELECT p.full_name, p.position, p.phone, p.birth_year, p.experience_years,"
        " p.main_request, p.difficulties, p.completed_at IS NOT NULL FROM profiles p"
        " JOIN memberships m ON m.id = p.membership_id JOIN users u ON u.id = m.user_id"
        " WHERE u.telegram_id = :id",
        id=MENTEE,
    )
    assert profile == [
        (
            "Петрова Анна Сергеевна",
            "educator",
            "+79123456789",
            1999,
            1,
            "Как провести родительское собрание",
            ["parents"],
            True,
        )
    ]
    # Each step had its effect once: every update stored as handled, none skipped as a repeat.
    handled = {
        update_id
        for (update_id,) in await town.rows(
            "SELECT update_id FROM processed_updates WHERE update_id = ANY(:ids)",
            ids=mentee.update_ids + admin.update_ids,
        )
    }
    assert handled == set(mentee.update_ids + admin.update_ids)
    assert "was handled before" not in town.cluster.outputs()
    texts = await mentee.texts()
    assert sum("Профиль заполнен" in words for words in texts) == 1, texts
    # The curators learn of the complete form through the queue: once, from either sender.
    told = await admin.wait_for("Петрова Анна Сергеевна")
    await asyncio.sleep(1.5)  # both senders look for work at least once a second
    assert await admin.wait_for("Петрова Анна Сергеевна", seconds=0) == told and len(told) == 1

    for telegram_id in JOINERS:  # more people for the broadcast: consent only, form later
        joiner = town.person(telegram_id, f"Гость {telegram_id}")
        await joiner.sends(f"/start {code.group(1)}")
        await joiner.taps("Согласен")
    members = await town.rows("SELECT count(*) FROM memberships WHERE status = 'active'")
    assert members == [(2 + len(JOINERS),)]
    served = [
        process.output().count("POST /telegram/webhook") for process in town.cluster.processes
    ]
    assert min(served) >= 10, served  # each process took about half of the steps
    town.cluster.assert_clean_logs()


async def test_one_update_delivered_to_both_processes_at_once_has_its_effect_once(
    town: Town,
) -> None:
    """Telegram sends an update again when its answer was slow, and a balancer may hand the
    two copies to different processes at once: one request for help, relayed once."""
    mentee = town.person(MENTEE)
    update = mentee.text_update("/sos Родители просят о встрече в пятницу")
    await asyncio.gather(mentee.post(update, to=0), mentee.post(update, to=1))
    assert await town.rows("SELECT count(*) FROM help_requests") == [(1,)]
    assert await town.rows("SELECT count(*) FROM help_messages") == [(1,)]
    assert await town.rows(
        "SELECT count(*) FROM processed_updates WHERE update_id = :id", id=update["update_id"]
    ) == [(1,)]
    assert town.cluster.outputs().count(f"update {update['update_id']} was handled before") == 1
    assert len(await mentee.wait_for("передан куратору", seconds=0)) == 1
    curator = town.person(ADMIN, "Админ")
    relayed = await curator.wait_for("Родители просят о встрече")
    assert len(relayed) == 1
    assert [state for state, _ in await queue_drained(town, "help")] == ["sent"]
    await asyncio.sleep(1.5)  # both senders have looked for work since
    assert await curator.wait_for("Родители просят о встрече", seconds=0) == relayed
    town.cluster.assert_clean_logs()


async def works_around_the_clock(curator: Person) -> None:
    """/settings: every day a working day, from 00:00 to 23:00, so that what waits for working
    hours (a broadcast) goes out whenever the test runs (ZONE keeps it before 23:00)."""
    await curator.sends("/settings")
    await curator.taps("Рабочие дни")
    await curator.taps("Сб")
    await curator.taps("Вс")
    await curator.taps("Назад")
    await curator.taps("Рабочие часы")
    await curator.taps("00:00", exact=True)
    await curator.taps("23:00", exact=True)
    await curator.taps("Закрыть")


async def test_a_broadcast_goes_to_each_once_through_telegrams_429s(town: Town) -> None:
    """Both processes run a sender; the curator sends an event to everyone (tapping «Отправить»
    twice, each tap on another process) while Telegram refuses the first messages with 429."""
    admin = town.person(ADMIN, "Админ")
    await works_around_the_clock(admin)
    assert await town.rows(
        "SELECT working_days, workday_start_hour, workday_end_hour FROM organisations"
    ) == [("1234567", 0, 23)]
    at = datetime.now(ZoneInfo(ZONE)) + timedelta(minutes=40)  # the same day (see ZONE)
    await admin.sends("/broadcast")
    await admin.taps("Событие с записью")
    await admin.sends(EVENT)
    await admin.taps(f"{at.day:02d}", exact=True)
    await admin.sends(f"{at:%H:%M}")
    await admin.sends("Музыкальный зал")
    await admin.taps("Всем")
    preview = (await admin.texts())[-1]
    recipients = 2 + len(JOINERS)
    assert f"{recipients} получател" in preview and EVENT in preview, preview
    refused = [{"error": 429, "retry_after": 1}] * 4
    await town.api.configure(script={"sendmessage": refused})
    first, second = await admin.tap_update("Отправить"), await admin.tap_update("Отправить")
    await asyncio.gather(admin.post(first, to=0), admin.post(second, to=1))

    assert await town.rows("SELECT count(*) FROM broadcasts") == [(1,)]
    assert await queue_drained(town, "broadcast") == [("sent", recipients)]
    chats = {
        chat
        for (chat,) in await town.rows("SELECT chat_id FROM outbox WHERE purpose = 'broadcast'")
    }
    assert chats == {ADMIN, MENTEE, *JOINERS}
    await asyncio.sleep(1.5)  # both senders have looked for work since
    for chat in chats:
        got = await town.person(chat).wait_for(EVENT, seconds=0)
        assert len(got) == 1, (chat, got)
    calls = await town.api.calls()
    assert calls["sendmessage"] >= recipients + len(refused)
    assert "Telegram asks to wait 1 s" in town.cluster.outputs()

    for telegram_id in COMING:
        await town.person(telegram_id).taps("Приду")
    assert await town.rows("SELECT count(*) FROM event_answers WHERE coming") == [(len(COMING),)]
    # Each process redraws the live report; it is one message, edited in place.
    reports = await admin.wait_for(f"Придут: {len(COMING)}", seconds=15)
    assert len(reports) == 1, reports
    assert sum("Отправка</b>" in words for words in await admin.texts()) == 1
    town.cluster.assert_clean_logs()
