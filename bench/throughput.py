"""Throughput of the bot against a bare aiogram echo bot, end to end over HTTP.

    .venv/bin/python bench/throughput.py [--n 1000] [--repeats 3] [--budget 50]
    .venv/bin/python bench/throughput.py --profile write [--profiler cprofile|none]

A fake Bot API server (bench/fake_bot_api.py) runs in its own process and hands out N updates
through getUpdates; the bot polls it as it would poll Telegram. A run's time goes from the first
update handed out to the N-th sendMessage received, as the server clocks them. Three variants:

* echo:  a bare aiogram Dispatcher answering each text with the same text (the baseline), in
  a process of its own (bench/echo_bot.py) so that none of the app weighs on it;
* read:  the real app, each update "/profile" from a distinct mentee with a completed profile;
* write: the real app, each update a full name typed by a distinct mentee whose dialog waits for
  it (FSM state ProfileForm:answering, field full_name): the bot stores it, asks the next question.

Read and write share one app (one Dispatcher, one SQLite file seeded with both kinds of mentee).
Each variant is warmed up untimed; then rounds of echo, read, write run in turn (so load from
elsewhere on the machine falls on all three alike): at least two, a third while the time budget
allows. The best run of each variant counts. The last line printed is one JSON object: echo_ups,
read_ups, write_ups, read_ratio, write_ratio, n. With --profile, one run of that variant is
profiled (pyinstrument, or cProfile with --profiler cprofile) and its report printed instead;
--profiler none runs it unprofiled, for a sampling profiler outside the process (py-spy).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import logging
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench.echo_bot import EchoBotProcess
from bench.fake_bot_api import FakeBotApi, poll_until_sent, text_update
from bot.app import MAX_CONCURRENT_UPDATES, create_bot, create_dispatcher
from bot.config import Settings
from bot.db import create_engine, create_sessionmaker, upgrade_schema
from bot.performance import tune_garbage_collector
from bot.services.onboarding import PERSONAL_DATA_CONSENT_VERSION
from models import (
    Consent,
    ConsentKind,
    FsmRecord,
    Membership,
    MembershipStatus,
    Organisation,
    Profile,
    Role,
    User,
)

TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz"
ADMIN_ID = 100
ECHO_USERS = 500
WARMUP = 100  # untimed updates per variant before its first timed run
MIN_ROUNDS = 2
RUN_TIMEOUT = 120.0
FULL_NAME = "Иванова Мария Петровна"
FIRST_TELEGRAM_ID = 1_000_000
ORGANISATION_ID = 1
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
FORM_DATA: dict[str, Any] = {
    "field": "full_name",
    "picked": [],
    "other": None,
    "awaiting_other": False,
    "edit": False,
}
COMPLETED_MENTEE = {
    "full_name": "Петрова Анна Сергеевна",
    "position": "educator",
    "phone": "+79123456789",
    "birth_year": 1999,
    "education": "higher_pedagogical",
    "experience_years": 1,
    "started_on": date(2025, 9, 1),
    "mentee_category": "young_specialist",
    "main_request": "Как провести родительское собрание",
    "difficulties": ["parents", "documentation"],
    "difficulties_other": None,
    "completed_at": NOW,
}

_update_ids = itertools.count(1)


class BenchError(Exception):
    """A run did not do what it should have: the figures would be meaningless."""


def updates_for(telegram_ids: list[int], text: Callable[[int], str]) -> list[dict[str, Any]]:
    """One text update per id, in order, with fresh update ids."""
    return [
        text_update(next(_update_ids), telegram_id, text(index), message_id=index + 1)
        for index, telegram_id in enumerate(telegram_ids)
    ]


# --- seeding ----------------------------------------------------------------------------------


async def seed_organisation(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with sessionmaker.begin() as session:
        session.add(
            Organisation(
                id=ORGANISATION_ID,
                name="МБДОУ «Детский сад № 5»",
                short_name="Д/с № 5",
                timezone="Europe/Moscow",
                created_at=NOW,
            )
        )


async def seed_mentees(
    sessionmaker: async_sessionmaker[AsyncSession], ids: range, *, in_form: bool
) -> list[int]:
    """Active mentees with consent and a profile, by row id; returns their Telegram ids.

    Their profiles are complete, or (`in_form`) empty with the dialog waiting for the full name.
    """
    telegram_ids = [FIRST_TELEGRAM_ID + i for i in ids]
    users = [
        {
            "id": i,
            "telegram_id": FIRST_TELEGRAM_ID + i,
            "language": "ru",
            "active_organisation_id": ORGANISATION_ID,
            "blocked_bot": False,
            "created_at": NOW,
        }
        for i in ids
    ]
    memberships = [
        {
            "id": i,
            "user_id": i,
            "organisation_id": ORGANISATION_ID,
            "role": Role.MENTEE.value,
            "status": MembershipStatus.ACTIVE.value,
            "joined_at": NOW,
        }
        for i in ids
    ]
    consents = [
        {
            "membership_id": i,
            "kind": ConsentKind.PERSONAL_DATA.value,
            "text_version": PERSONAL_DATA_CONSENT_VERSION,
            "locale": "ru",
            "given_at": NOW,
        }
        for i in ids
    ]
    answers = {} if in_form else COMPLETED_MENTEE
    profiles = [
        {"id": i, "membership_id": i, "skipped": [], "updated_at": NOW, **answers} for i in ids
    ]
    async with sessionmaker.begin() as session:
        await session.execute(insert(User), users)
        await session.execute(insert(Membership), memberships)
        await session.execute(insert(Consent), consents)
        await session.execute(insert(Profile), profiles)
        if in_form:
            records = [
                {
                    "key": f"fsm:{telegram_id}:{telegram_id}",
                    "state": "ProfileForm:answering",
                    "data": {"membership_id": i, **FORM_DATA},
                }
                for i, telegram_id in zip(ids, telegram_ids, strict=True)
            ]
            await session.execute(insert(FsmRecord), records)
    return telegram_ids


# --- running ----------------------------------------------------------------------------------


# What a run was sent, as (chat id, text): all a check needs of the updates.
Expected = list[tuple[int, str]]


@dataclass
class Variant:
    """One thing to measure: how to make its updates and how to check a run's outcome."""

    name: str
    poll: Callable[[int], Awaitable[float]]  # serve count updates -> updates per second
    make_updates: Callable[[int, int], list[dict[str, Any]]]  # (run, count) -> updates
    check: Callable[[int, Expected, list[dict[str, Any]]], Awaitable[None]]
    warmup: int = WARMUP  # updates in its untimed run

    async def run(self, api: FakeBotApi, run: int, count: int, profiler: Any = None) -> float:
        """Time one run (run 0 is the warm-up), check its outcome; updates per second."""
        updates = self.make_updates(run, count)
        expected = [(u["message"]["chat"]["id"], u["message"]["text"]) for u in updates]
        await api.reset(updates)
        del updates  # the bot process holds no more than it must while timed
        gc.collect()
        if profiler is not None:
            profiler.start()
        try:
            ups = await self.poll(count)
        finally:
            if profiler is not None:
                profiler.stop()
        await self.check(run, expected, await api.sent())
        return ups


def _callbacks(entry: dict[str, Any]) -> list[str]:
    markup = entry.get("reply_markup") or {}
    return [
        button.get("callback_data", "")
        for row in markup.get("inline_keyboard", [])
        for button in row
    ]


def _one_reply_each(
    expected: Expected, sent: list[dict[str, Any]], variant: str
) -> dict[int, dict[str, Any]]:
    chats = {chat for chat, _ in expected}
    replies = {entry["chat_id"]: entry for entry in sent}
    if len(sent) != len(expected) or set(replies) != chats:
        raise BenchError(
            f"{variant}: {len(sent)} replies to {len(replies)} chats, "
            f"expected one to each of {len(chats)}"
        )
    return replies


def _replies_without(
    replies: dict[int, dict[str, Any]], callback_prefix: str, variant: str, what: str
) -> None:
    wrong = [
        chat
        for chat, entry in replies.items()
        if not any(data.startswith(callback_prefix) for data in _callbacks(entry))
    ]
    if wrong:
        sample = replies[wrong[0]]["text"][:200]
        raise BenchError(f"{variant}: {len(wrong)} replies are not {what}, e.g. {sample!r}")


# --- the variants -----------------------------------------------------------------------------


def echo_variant(echo: EchoBotProcess, n: int) -> Variant:
    users = [FIRST_TELEGRAM_ID + i for i in range(ECHO_USERS)]

    def make_updates(run: int, count: int) -> list[dict[str, Any]]:
        ids = [users[i % ECHO_USERS] for i in range(count)]
        return updates_for(ids, lambda index: f"Привет, бот! Сообщение {run}-{index}")

    async def check(_: int, expected: Expected, sent: list[dict[str, Any]]) -> None:
        if sorted(entry["text"] for entry in sent) != sorted(text for _, text in expected):
            raise BenchError("echo: the replies are not the messages sent")

    # Its warm-up is cheap, and a full one steadies its first timed run (the connection pool).
    return Variant("echo", echo.poll, make_updates, check, warmup=n)


async def app_variants(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    api: FakeBotApi,
    n: int,
    runs: int,
) -> tuple[Variant, Variant, Bot]:
    """Read and write, on one app and one database seeded for both."""
    await seed_organisation(sessionmaker)
    readers = await seed_mentees(sessionmaker, range(1, n + 1), in_form=False)
    # Every write run needs mentees who have not answered yet: the warm-up's, then n per run.
    writers = await seed_mentees(
        sessionmaker, range(n + 1, n + 1 + WARMUP + n * runs), in_form=True
    )
    dispatcher = create_dispatcher(settings, sessionmaker)
    bot = create_bot(settings)
    tune_garbage_collector()  # as the entry point does after start-up

    async def poll(count: int) -> float:
        return await poll_until_sent(
            dispatcher,
            bot,
            api,
            count,
            RUN_TIMEOUT,
            tasks_concurrency_limit=MAX_CONCURRENT_UPDATES,
        )

    def make_reads(_: int, count: int) -> list[dict[str, Any]]:
        return updates_for(readers[:count], lambda _: "/profile")

    async def check_reads(_: int, expected: Expected, sent: list[dict[str, Any]]) -> None:
        replies = _one_reply_each(expected, sent, "read")
        _replies_without(replies, "prof:fields", "read", "a profile")

    def batch(run: int, count: int) -> list[int]:
        start = 0 if run == 0 else WARMUP + (run - 1) * n
        return writers[start : start + count]

    def make_writes(run: int, count: int) -> list[dict[str, Any]]:
        return updates_for(batch(run, count), lambda _: FULL_NAME)

    async def check_writes(run: int, expected: Expected, sent: list[dict[str, Any]]) -> None:
        replies = _one_reply_each(expected, sent, "write")
        _replies_without(replies, "pf:pick:position:", "write", "the question of position")
        ids = batch(run, len(expected))
        async with sessionmaker() as session:
            stored = await session.scalar(
                select(func.count())
                .select_from(Profile)
                .join(Membership, Membership.id == Profile.membership_id)
                .join(User, User.id == Membership.user_id)
                .where(User.telegram_id.in_(ids), Profile.full_name == FULL_NAME)
            )
            keys = [f"fsm:{i}:{i}" for i in ids]
            records = await session.scalars(select(FsmRecord).where(FsmRecord.key.in_(keys)))
            moved_on = sum(
                1
                for record in records
                if record.state == "ProfileForm:answering"
                and record.data.get("field") == "position"
            )
        if stored != len(ids) or moved_on != len(ids):
            raise BenchError(
                f"write: {stored} names stored and {moved_on} dialogs moved on, "
                f"expected {len(ids)}"
            )

    return (
        Variant("read", poll, make_reads, check_reads),
        Variant("write", poll, make_writes, check_writes),
        bot,
    )


# --- main -------------------------------------------------------------------------------------


def make_settings(base_url: str, database_url: str) -> Settings:
    return Settings(
        _env_file=None,
        bot_token=TOKEN,
        database_url=database_url,
        bot_api_url=base_url,
        admin_ids=[ADMIN_ID],
        redis_url=None,
        log_level="WARNING",
    )


@dataclass
class Bench:
    """The variants over one fake server: the echo process, and the app on a fresh database."""

    api: FakeBotApi
    engine: AsyncEngine
    bot: Bot
    echo: EchoBotProcess | None
    variants: list[Variant]

    @classmethod
    async def create(
        cls, api: FakeBotApi, directory: Path, n: int, runs: int, *, with_echo: bool = True
    ) -> Bench:
        echo = EchoBotProcess(api.base_url) if with_echo else None  # it starts meanwhile
        database_url = f"sqlite+aiosqlite:///{directory / 'bench.sqlite3'}"
        engine = create_engine(database_url)
        await upgrade_schema(engine)
        settings = make_settings(api.base_url, database_url)
        read, write, bot = await app_variants(settings, create_sessionmaker(engine), api, n, runs)
        variants = [read, write] if echo is None else [echo_variant(echo, n), read, write]
        return cls(api, engine, bot, echo, variants)

    def variant(self, name: str) -> Variant:
        return next(variant for variant in self.variants if variant.name == name)

    async def close(self) -> None:
        if self.echo is not None:
            self.echo.stop()
        await self.bot.session.close()
        await self.engine.dispose()


async def measure(bench: Bench, n: int, repeats: int, deadline: float) -> dict[str, list[float]]:
    """Warm-ups, then rounds of every variant: MIN_ROUNDS, more while the deadline allows."""
    for variant in bench.variants:
        await variant.run(bench.api, 0, variant.warmup)
    results: dict[str, list[float]] = {variant.name: [] for variant in bench.variants}
    last_round = 0.0
    for run in range(1, repeats + 1):
        if run > MIN_ROUNDS and time.monotonic() + last_round > deadline:
            break
        started = time.monotonic()
        for variant in bench.variants:
            results[variant.name].append(await variant.run(bench.api, run, n))
        last_round = time.monotonic() - started
    return results


async def profile(bench: Bench, name: str, n: int, tool: str) -> dict[str, Any]:
    """One warm-up and one profiled run of a variant; the report goes to stdout."""
    variant = bench.variant(name)
    await variant.run(bench.api, 0, variant.warmup)
    if tool == "none":  # for a profiler outside the process: py-spy record -- python ...
        ups = await variant.run(bench.api, 1, n)
    elif tool == "pyinstrument":
        from pyinstrument import Profiler

        profiler = Profiler(async_mode="disabled", interval=0.0005)
        ups = await variant.run(bench.api, 1, n, profiler)
        print(profiler.output_text(unicode=True, color=False))
    else:
        import cProfile
        import pstats

        cprofile = cProfile.Profile()
        ups = await variant.run(bench.api, 1, n, _CProfileAdapter(cprofile))
        stats = pstats.Stats(cprofile)
        stats.sort_stats("tottime").print_stats(40)
    return {f"{name}_ups": round(ups, 1), "n": n, "profiled": tool}


@dataclass
class _CProfileAdapter:
    """cProfile under pyinstrument's start/stop names."""

    cprofile: Any

    def start(self) -> None:
        self.cprofile.enable()

    def stop(self) -> None:
        self.cprofile.disable()


def summarise(results: dict[str, list[float]], n: int) -> dict[str, Any]:
    best = {name: max(values) for name, values in results.items()}
    print(f"{'variant':<8}{'best ups':>10}{'ratio':>8}   runs (updates/s, n={n})")
    for name, values in results.items():
        ratio = best[name] / best["echo"]
        runs = ", ".join(f"{value:.0f}" for value in values)
        print(f"{name:<8}{best[name]:>10.0f}{ratio:>8.3f}   {runs}")
    return {
        "echo_ups": round(best["echo"], 1),
        "read_ups": round(best["read"], 1),
        "write_ups": round(best["write"], 1),
        "read_ratio": round(best["read"] / best["echo"], 4),
        "write_ratio": round(best["write"] / best["echo"], 4),
        "n": n,
        "runs": len(results["echo"]),
    }


async def main_async(args: argparse.Namespace, api: FakeBotApi, deadline: float) -> dict[str, Any]:
    try:
        with tempfile.TemporaryDirectory(prefix="nastavnik-bench-") as directory:
            runs = 1 if args.profile else args.repeats
            bench = await Bench.create(
                api, Path(directory), args.n, runs, with_echo=not args.profile
            )
            try:
                if args.profile:
                    return await profile(bench, args.profile, args.n, args.profiler)
                results = await measure(bench, args.n, args.repeats, deadline)
            finally:
                await bench.close()
    finally:
        await api.aclose()
    return summarise(results, args.n)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="updates per run (default 1000)")
    parser.add_argument("--repeats", type=int, default=3, help="most timed runs per variant")
    parser.add_argument(
        "--budget",
        type=float,
        default=50.0,
        help="seconds: no round beyond the second starts unless it should end within this",
    )
    parser.add_argument("--profile", choices=("read", "write"), help="profile one run of it")
    parser.add_argument(
        "--profiler", choices=("pyinstrument", "cprofile", "none"), default="pyinstrument"
    )
    return parser.parse_args()


def main() -> None:
    started = time.monotonic()
    args = parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with FakeBotApi() as api:
        summary = asyncio.run(main_async(args, api, started + args.budget))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
