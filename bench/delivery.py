"""The delivery queue drained at Telegram's pace: 5,000 messages through a fake Bot API.

    .venv/bin/python bench/delivery.py [--rate 30] [--messages 5000] [--time-limit 300]
    .venv/bin/python bench/delivery.py --rate 100 --database-url postgresql+asyncpg://...

The fake Bot API (bench/fake_bot_api.py) runs in its own process, on the loopback, and behaves
as Telegram does under load: more than `--rate` messages within a second in all, or two to one
chat within a second, get 429 with `retry_after`; 2% of the recipients blocked the bot and get
403. Most recipients get one message; ten get twenty each, so the per-chat limit is exercised.
The rows are queued urgent (working hours do not hold them) in a random order (fixed seed),
each with a key of its own and a text carrying its row number, so that what the fake took can
be checked row by row; every recipient has a users row, so a 403 marks them.

The sender (bot/delivery.py) runs in processes of its own (spawned): one on SQLite (a file in a
temporary directory), two on PostgreSQL when `--database-url` or `TEST_DATABASE_URL` is given
(in the schema `bench_delivery`, dropped and made afresh; nothing else there is touched). Each
sender keeps a beat of `--rate` x `--margin` / processes messages a second, never lets more than
`--rate` / processes into the fake's count of any second (its window), and sends one a second to
a chat. Each runs until every row is final (sent, unreachable or failed) or the time limit
passes. The time goes from the moment the ready senders are let go to the moment this process
sees the last row final (polled every POLL_SECONDS).

The last line printed is one JSON object: `sent` (distinct rows the fake took), `blocked`
(recipients that got 403), `unreachable_marked` (of them, those whose users row says
blocked_bot), `duplicates` (rows taken more than once), `lost` (rows neither sent nor
unreachable, plus rows to reachable recipients the fake never took), `seconds`, `limit_per_s`,
`rate_fraction` (sent / seconds / limit), `processes`, `dialect`, the fake's refusals and the
goals. The exit status is 1 if a row was lost or sent twice, or the run hit its time limit.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import multiprocessing
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event as ProcessEvent
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench.bot_process import described, stock_bot
from bench.databases import POSTGRESQL, SQLITE, dialect_of, reset_schema, sqlite_url, use_schema
from bench.fake_bot_api import FakeBotApi, spawn_process, stop_process
from bot.db import create_engine, create_sessionmaker, upgrade_schema
from models import DeliveryState, OutboxMessage, User

log = logging.getLogger("bench.delivery")

SCHEMA = "bench_delivery"  # on PostgreSQL
FIRST_TELEGRAM_ID = 3_000_000
HEAVY_RECIPIENTS = 10
HEAVY_MESSAGES = 20
BLOCKED_SHARE = 0.02
CHAT_INTERVAL = 1.0  # the fake's and the sender's: one message a second to a chat
SEED = 20261125
POLL_SECONDS = 0.1  # how often this process looks whether every row is final
WATCH_SECONDS = 0.25  # how often a sender process does
START_TIMEOUT = 120.0  # a sender process's start: imports, engine, texts
STOP_GRACE = 30.0  # beyond the time limit: the messages on their way finish
GOALS = {"rate_fraction": 0.95, "duplicates": 0, "lost": 0}
FINAL = (DeliveryState.SENT, DeliveryState.UNREACHABLE, DeliveryState.FAILED)
TOKEN = re.compile(r"№(\d+)\b")


class BenchError(Exception):
    """The bench could not run as it should: no figures."""


@dataclass(frozen=True)
class Plan:
    """Who gets what: row number -> chat, and the recipients who blocked the bot."""

    chats: list[int]  # chats[i - 1] is the recipient of row i
    heavy: list[int]
    blocked: list[int]

    @classmethod
    def make(cls, messages: int) -> Plan:
        singles = messages - HEAVY_RECIPIENTS * HEAVY_MESSAGES
        if singles < 1:
            raise ValueError(f"at least {HEAVY_RECIPIENTS * HEAVY_MESSAGES + 1} messages")
        heavy = [FIRST_TELEGRAM_ID + i for i in range(HEAVY_RECIPIENTS)]
        light = [FIRST_TELEGRAM_ID + HEAVY_RECIPIENTS + i for i in range(singles)]
        chats = [chat for chat in heavy for _ in range(HEAVY_MESSAGES)] + light
        generator = random.Random(SEED)
        generator.shuffle(chats)
        # Blocked among the one-message recipients, so that the ten heavy ones all run.
        blocked = sorted(generator.sample(light, round(BLOCKED_SHARE * (len(heavy) + singles))))
        return cls(chats, heavy, blocked)

    @property
    def recipients(self) -> list[int]:
        return sorted(set(self.chats))

    def key(self, row: int) -> str:
        return f"bench-delivery:{row}"

    def text(self, row: int) -> str:
        return f"Напоминание №{row}: завтра в 10:00 встреча с наставником."


@dataclass(frozen=True)
class SenderOptions:
    """What a sender process needs (pickled to it)."""

    index: int
    database_url: str
    base_url: str
    per_second: float
    in_any_second: int  # this sender's share of the fake's limit
    chat_interval: float
    time_limit: float


# --- the database -----------------------------------------------------------------------------


def open_engine(database_url: str) -> AsyncEngine:
    engine = create_engine(database_url)
    if dialect_of(database_url) == POSTGRESQL:
        use_schema(engine, SCHEMA)
    return engine


async def prepare(database_url: str, plan: Plan) -> None:
    """A fresh schema, the recipients' users rows, and every message queued."""
    from bot.services import outbox
    from bot.services.outbox import Outgoing

    if dialect_of(database_url) == POSTGRESQL:
        await reset_schema(database_url, SCHEMA)
    engine = open_engine(database_url)
    try:
        await upgrade_schema(engine)
        sessionmaker = create_sessionmaker(engine)
        now = datetime.now(UTC)
        users = [
            {"telegram_id": chat, "language": "ru", "blocked_bot": False, "created_at": now}
            for chat in plan.recipients
        ]
        async with sessionmaker.begin() as session:
            await session.execute(insert(User), users)
        async with sessionmaker.begin() as session:
            for row, chat in enumerate(plan.chats, start=1):
                message = Outgoing(
                    chat_id=chat,
                    key=plan.key(row),
                    purpose="notice",
                    text=plan.text(row),
                    urgent=True,
                )
                await outbox.enqueue(session, message, now)
        async with sessionmaker() as session:
            queued = await session.scalar(select(func.count()).select_from(OutboxMessage))
        if queued != len(plan.chats):
            raise BenchError(f"{queued} rows queued, expected {len(plan.chats)}")
    finally:
        await engine.dispose()


async def unfinished(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.state.not_in(FINAL))
        )
    return int(count or 0)


# --- a sender process -------------------------------------------------------------------------


async def _run_sender(connection: Connection, options: SenderOptions, go: ProcessEvent) -> None:
    from aiogram_i18n.cores import BaseCore, FluentRuntimeCore

    from bot.delivery import Limits, Sender
    from bot.i18n import LOCALES_DIR
    from bot.services.clock import Clock

    loop = asyncio.get_running_loop()
    engine = open_engine(options.database_url)
    core: BaseCore[Any] = FluentRuntimeCore(path=LOCALES_DIR / "{locale}")  # as the app's
    bot = stock_bot(options.base_url)
    try:
        sessionmaker = create_sessionmaker(engine)
        await core.startup()
        await unfinished(sessionmaker)  # connects: the pool's first connection is ready
        sender = Sender(
            bot=bot,
            sessionmaker=sessionmaker,
            clock=Clock(),
            core=core,
            default_locale="ru",
            limits=Limits(
                per_second=options.per_second,
                chat_interval=options.chat_interval,
                in_any_second=options.in_any_second,
            ),
        )
        connection.send(("ready", None))
        if not await loop.run_in_executor(None, go.wait, START_TIMEOUT):
            connection.send(("error", "never let go"))
            return
        deadline = time.monotonic() + options.time_limit
        stop = asyncio.Event()
        running = asyncio.create_task(sender.run(stop))
        timed_out = False
        while not running.done():
            await asyncio.wait({running}, timeout=WATCH_SECONDS)
            if running.done():
                break
            if await unfinished(sessionmaker) == 0:
                stop.set()
            elif time.monotonic() > deadline:
                timed_out = True
                stop.set()
        await running  # raises what the sender raised
        connection.send(("done", {"timed_out": timed_out}))
    except Exception as error:
        log.exception("sender %s failed", options.index)
        connection.send(("error", described(error)))
    finally:
        await bot.session.close()
        await core.shutdown()
        await engine.dispose()


def _sender_child(connection: Connection, options: SenderOptions, go: ProcessEvent) -> None:
    # The sender warns on every 429; the fake counts them.
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_run_sender(connection, options, go))
    connection.close()


@dataclass
class SenderProcess:
    process: BaseProcess
    connection: Connection

    @classmethod
    def start(cls, options: SenderOptions, go: ProcessEvent) -> SenderProcess:
        parent_end, child_end = multiprocessing.get_context("spawn").Pipe()
        process = spawn_process(_sender_child, child_end, options, go)
        child_end.close()
        return cls(process, parent_end)

    def _receive(self, seconds: float) -> tuple[str, Any]:
        if not self.connection.poll(seconds):
            return "error", f"no answer in {seconds:.0f} s"
        try:
            status, result = self.connection.recv()
        except EOFError:
            return "error", "the process ended without an answer"
        return status, result

    def ended(self) -> bool:
        """It said its last word (or died without one) while rows are still to do."""
        return not self.process.is_alive() or self.connection.poll()

    async def receive(self, seconds: float) -> tuple[str, Any]:
        return await asyncio.get_running_loop().run_in_executor(None, self._receive, seconds)

    def stop(self) -> None:
        self.process.join(5)
        if self.process.is_alive():
            stop_process(self.process)
        self.connection.close()


# --- the run ----------------------------------------------------------------------------------


@dataclass
class Outcome:
    seconds: float
    last_taken_seconds: float | None
    timed_out: bool
    errors: list[str]


async def deliver(
    api: FakeBotApi,
    database_url: str,
    processes: int,
    limits: tuple[float, int],
    time_limit: float,
) -> Outcome:
    """Start the senders, let them go together, time them until every row is final."""
    go = multiprocessing.get_context("spawn").Event()
    senders: list[SenderProcess] = []
    errors: list[str] = []
    engine = open_engine(database_url)
    try:
        for index in range(processes):
            options = SenderOptions(
                index, database_url, api.base_url, *limits, CHAT_INTERVAL, time_limit
            )
            senders.append(SenderProcess.start(options, go))
        for index, sender in enumerate(senders):
            status, result = await sender.receive(START_TIMEOUT)
            if status != "ready":
                raise BenchError(f"sender {index} did not start: {result}")
        sessionmaker = create_sessionmaker(engine)
        started = time.monotonic()
        go.set()
        timed_out = False
        while await unfinished(sessionmaker):
            if time.monotonic() - started > time_limit:
                timed_out = True
                break
            if any(sender.ended() for sender in senders):  # failed, or gave up
                break
            await asyncio.sleep(POLL_SECONDS)
        seconds = time.monotonic() - started
        for index, sender in enumerate(senders):
            status, result = await sender.receive(STOP_GRACE)
            if status != "done":
                errors.append(f"sender {index}: {result}")
            elif result["timed_out"]:
                timed_out = True
    finally:
        for sender in senders:
            sender.stop()
        await engine.dispose()
    last_sent_at = (await api.stats())["last_sent_at"]
    last_taken = None if last_sent_at is None else last_sent_at - started
    return Outcome(seconds, last_taken, timed_out, errors)


async def tally(database_url: str, plan: Plan, sent: list[dict[str, Any]]) -> dict[str, Any]:
    """What the fake took and what the rows say, against the plan."""
    taken: Counter[int] = Counter()
    misdelivered = 0
    for entry in sent:
        match = TOKEN.search(entry.get("text") or "")
        if match is None:
            continue  # not one of ours (a curator's notice, say)
        row = int(match.group(1))
        taken[row] += 1
        if not 1 <= row <= len(plan.chats) or plan.chats[row - 1] != entry["chat_id"]:
            misdelivered += 1
    engine = open_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            row_states = {
                key: state
                for key, state in await session.execute(
                    select(OutboxMessage.key, OutboxMessage.state)
                )
            }
            refused_chats = set(
                await session.scalars(
                    select(OutboxMessage.chat_id)
                    .where(OutboxMessage.state == DeliveryState.UNREACHABLE)
                    .distinct()
                )
            )
            marked = set(
                await session.scalars(select(User.telegram_id).where(User.blocked_bot.is_(True)))
            )
    finally:
        await engine.dispose()
    blocked = set(plan.blocked)
    # Only a 403 makes a row unreachable: its recipients are the ones that got 403.
    states = Counter(str(state) for state in row_states.values())
    done = (DeliveryState.SENT, DeliveryState.UNREACHABLE)
    # Lost: a row neither sent nor unreachable, or to a reachable recipient and never taken
    # (each row counted once).
    lost = sum(
        1
        for row, chat in enumerate(plan.chats, start=1)
        if row_states.get(plan.key(row)) not in done or (chat not in blocked and not taken[row])
    )
    return {
        "sent": len(taken),
        "blocked": len(refused_chats),
        "unreachable_marked": len(refused_chats & marked),
        "duplicates": sum(1 for count in taken.values() if count > 1),
        "lost": lost,
        "misdelivered": misdelivered,
        "unreachable_not_blocked": len(refused_chats - blocked),
        "states": dict(sorted(states.items())),
    }


async def run(args: argparse.Namespace, api: FakeBotApi, database_url: str) -> dict[str, Any]:
    dialect = dialect_of(database_url)
    processes = args.processes or (2 if dialect == POSTGRESQL else 1)
    per_second = args.rate * args.margin / processes
    plan = Plan.make(args.messages)
    try:
        await prepare(database_url, plan)
        await api.configure(
            rate_limit=args.rate, chat_interval=CHAT_INTERVAL, blocked=plan.blocked, delay=0
        )
        limits = (per_second, args.rate // processes)
        outcome = await deliver(api, database_url, processes, limits, args.time_limit)
        stats = await api.stats()
        counts = await tally(database_url, plan, await api.sent())
    finally:
        await api.aclose()
    rate_fraction = counts["sent"] / outcome.seconds / args.rate if outcome.seconds else 0.0
    summary: dict[str, Any] = {
        **{key: counts[key] for key in ("sent", "blocked", "unreachable_marked")},
        **{key: counts[key] for key in ("duplicates", "lost", "misdelivered")},
        "seconds": round(outcome.seconds, 2),
        "last_taken_seconds": (
            None if outcome.last_taken_seconds is None else round(outcome.last_taken_seconds, 2)
        ),
        "limit_per_s": args.rate,
        "rate_fraction": round(rate_fraction, 4),
        "sender_per_s": round(per_second, 2),
        "margin": args.margin,
        "processes": processes,
        "dialect": dialect,
        "messages": len(plan.chats),
        "recipients": len(plan.recipients),
        "heavy": f"{HEAVY_RECIPIENTS}x{HEAVY_MESSAGES}",
        "planned_blocked": len(plan.blocked),
        "refused_429": stats["refused_429"],
        "refused_429_chat": stats.get("refused_429_chat"),
        "refused_403": stats["refused_403"],
        "states": counts["states"],
        "timed_out": outcome.timed_out,
        "goals": GOALS,
        "goals_met": (
            rate_fraction >= GOALS["rate_fraction"]
            and counts["duplicates"] == 0
            and counts["lost"] == 0
        ),
    }
    if counts["unreachable_not_blocked"]:
        outcome.errors.append(f"{counts['unreachable_not_blocked']} reachable marked unreachable")
    if outcome.errors:
        summary["errors"] = outcome.errors
    return summary


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rate",
        type=int,
        default=30,
        help="messages a second Telegram (the fake) allows, and the senders' limit (default 30)",
    )
    parser.add_argument(
        "--margin",
        type=float,
        default=0.98,
        help=(
            "the senders together keep a beat of rate x margin a second (default 0.98), and"
            " their windows never let more than `rate` into the fake's count of a second"
        ),
    )
    parser.add_argument("--messages", type=int, default=5000, help="rows queued (default 5000)")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=300.0,
        help="seconds the senders may take before they are stopped (default 300)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("TEST_DATABASE_URL") or None,
        help="PostgreSQL (postgresql+asyncpg://...; default $TEST_DATABASE_URL): the schema "
        f"{SCHEMA} there is dropped and made afresh; by default a SQLite file",
    )
    parser.add_argument(
        "--sqlite", action="store_true", help="SQLite even if TEST_DATABASE_URL is set"
    )
    parser.add_argument(
        "--processes", type=int, help="sender processes (default 2 on PostgreSQL, 1 on SQLite)"
    )
    args = parser.parse_args()
    if args.rate < 1 or not 0 < args.margin <= 1 or args.time_limit <= 0:
        parser.error("--rate must be at least 1, --margin in (0, 1], --time-limit positive")
    if args.messages <= HEAVY_RECIPIENTS * HEAVY_MESSAGES:
        parser.error(f"--messages must be more than {HEAVY_RECIPIENTS * HEAVY_MESSAGES}")
    if args.sqlite:
        args.database_url = None
    if args.database_url is not None and not args.database_url.startswith("postgresql+asyncpg://"):
        parser.error(f"--database-url must be postgresql+asyncpg://... ({SQLITE} by default)")
    if args.processes is not None and (
        args.processes < 1 or (args.database_url is None and args.processes != 1)
    ):
        parser.error("--processes: at least 1, and only 1 on SQLite (no SKIP LOCKED there)")
    return args


def main() -> None:
    args = parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with (
        tempfile.TemporaryDirectory(prefix="nastavnik-delivery-") as directory,
        FakeBotApi() as api,
    ):
        database_url = args.database_url or sqlite_url(Path(directory) / "delivery.sqlite3")
        summary = asyncio.run(run(args, api, database_url))
    print(json.dumps(summary, ensure_ascii=False))
    if summary["duplicates"] or summary["lost"] or summary["timed_out"] or "errors" in summary:
        sys.exit(1)


if __name__ == "__main__":
    # Run as the module bench.delivery, so that the sender processes (spawned, without this
    # script's __main__) find its functions and classes by that name.
    from bench import delivery

    delivery.main()
