"""Throughput of the bot against a bare aiogram echo bot and a peer, end to end over HTTP.

    .venv/bin/python bench/throughput.py [--n 1000] [--repeats 3] [--budget 80]
    .venv/bin/python bench/throughput.py --database-url postgresql+asyncpg://user@host:5432/db
    .venv/bin/python bench/throughput.py --profile write [--profiler cprofile|none]

A fake Bot API server (bench/fake_bot_api.py) runs in its own process, on the loopback, and hands
out N updates through getUpdates; each bot polls it as it would poll Telegram. A run's time goes
from the first update handed out to the N-th sendMessage received, as the server clocks them.
Five variants:

* echo:       a bare aiogram Dispatcher answering each text with the same text (bench/echo_bot.py);
* peer_read:  the peer, the bot most aiogram users would write (bench/peer_bot.py): "/profile"
              from a registered user, answered with a text made from the user's row;
* read:       the real app: "/profile" from a distinct mentee with a completed profile;
* peer_write: the peer: a full name typed by a user in the state Form.full_name; it is stored on
              the user's row, and the next question is asked (the next state);
* write:      the real app: a full name typed by a mentee whose questionnaire (opened by "/start")
              waits for it: it is stored, the next question asked.

Alike for all: aiogram's own polling and its HTTP session (AiohttpSession), the app's limit of
updates handled at once (`tasks_concurrency_limit`), Python's default garbage collector, and a
process each: the echo bot and the peer in processes of their own (bench/bot_process.py), the
app in this one. The app's and the peer's data are seeded alike (N users for reads, one per
write to come), in a SQLite file each in a temporary directory or, with --database-url, in a
PostgreSQL schema each (`bench_app` migrated with the app's `upgrade_schema`, `bench_peer`),
dropped and made afresh; nothing else in that database is touched.

Each variant is warmed up untimed; then rounds of all variants run in turn (so load from elsewhere
on the machine falls on all alike): at least two, a third while the time budget allows. The best
run of each variant counts. A variant that fails (the app mid-change, say) is reported and left
out of later rounds; the others go on. The last line printed is one JSON object: the updates per
second of each variant (`echo_ups`, `peer_read_ups`, `peer_write_ups`, `read_ups`, `write_ups`),
the app against the echo bot (`read_ratio`, `write_ratio`) and against the peer (`read_vs_peer`,
`write_vs_peer`, with `goals`), the database `dialect`, and `errors` if any (then the exit
status is 1). With --profile, one run of the app's variant is profiled (pyinstrument, or
cProfile with --profiler cprofile) and its report printed instead; --profiler none runs it
unprofiled, for a sampling profiler outside the process (py-spy).
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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bot_process import BotProcess, described
from bench.databases import POSTGRESQL, SQLITE, dialect_of, sqlite_url
from bench.echo_bot import start_echo_bot
from bench.fake_bot_api import FakeBotApi, text_update
from bench.peer_bot import PeerOptions, start_peer_bot

if TYPE_CHECKING:
    from bench.app_bot import AppBot

log = logging.getLogger("bench")

ECHO_USERS = 500
WARMUP = 100  # untimed updates per variant before its first timed run
MIN_ROUNDS = 2
RUN_TIMEOUT = 120.0  # a run's longest; it fails sooner once replies stop coming
DEFAULT_CONCURRENCY = 24  # if the app cannot be asked for its own
FULL_NAME = "Иванова Мария Петровна"
FIRST_TELEGRAM_ID = 1_000_000
GOALS = {"read_vs_peer": 0.6, "write_vs_peer": 0.5}
DEFAULT_GC = gc.get_threshold()  # before anything of the app is imported

_update_ids = itertools.count(1)


class BenchError(Exception):
    """A run did not do what it should have: the figures would be meaningless."""


def updates_for(telegram_ids: list[int], text: Callable[[int], str]) -> list[dict[str, Any]]:
    """One text update per id, in order, with fresh update ids."""
    return [
        text_update(next(_update_ids), telegram_id, text(index), message_id=index + 1)
        for index, telegram_id in enumerate(telegram_ids)
    ]


# --- running ----------------------------------------------------------------------------------


# What a run was sent, as (chat id, text): all a check needs of the updates.
Expected = list[tuple[int, str]]
Check = Callable[[int, Expected, list[dict[str, Any]]], Awaitable[None]]


@dataclass
class Variant:
    """One thing to measure: how to make its updates and how to check a run's outcome."""

    name: str
    poll: Callable[[int], Awaitable[float]]  # serve count updates -> updates per second
    make_updates: Callable[[int, int], list[dict[str, Any]]]  # (run, count) -> updates
    check: Check
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
    replies: dict[int, dict[str, Any]], callback_marker: str, variant: str, what: str
) -> None:
    wrong = [
        chat
        for chat, entry in replies.items()
        if not any(callback_marker in data for data in _callbacks(entry))
    ]
    if wrong:
        sample = replies[wrong[0]]["text"][:200]
        raise BenchError(f"{variant}: {len(wrong)} replies are not {what}, e.g. {sample!r}")


# --- the variants -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Users:
    """The Telegram ids the app and the peer are seeded with, alike."""

    n: int
    runs: int

    @property
    def readers(self) -> list[int]:
        return [FIRST_TELEGRAM_ID + i for i in range(self.n)]

    @property
    def writers(self) -> list[int]:
        # Every write run needs users who have not answered yet: the warm-up's, then n per run.
        first = FIRST_TELEGRAM_ID + self.n
        return [first + i for i in range(WARMUP + self.n * self.runs)]

    def write_batch(self, run: int, count: int) -> list[int]:
        start = 0 if run == 0 else WARMUP + (run - 1) * self.n
        return self.writers[start : start + count]


def echo_variant(echo: BotProcess, n: int) -> Variant:
    users = [FIRST_TELEGRAM_ID + i for i in range(ECHO_USERS)]

    async def poll(count: int) -> float:
        return await echo.poll(count, RUN_TIMEOUT)

    def make_updates(run: int, count: int) -> list[dict[str, Any]]:
        ids = [users[i % ECHO_USERS] for i in range(count)]
        return updates_for(ids, lambda index: f"Привет, бот! Сообщение {run}-{index}")

    async def check(_: int, expected: Expected, sent: list[dict[str, Any]]) -> None:
        if sorted(entry["text"] for entry in sent) != sorted(text for _, text in expected):
            raise BenchError("echo: the replies are not the messages sent")

    # Its warm-up is cheap, and a full one steadies its first timed run (the connection pool).
    return Variant("echo", poll, make_updates, check, warmup=n)


def read_variant(
    name: str, poll: Callable[[int], Awaitable[float]], users: Users, callback_marker: str
) -> Variant:
    """'/profile' from users with a complete profile; each reply must show theirs."""
    readers = users.readers

    def make_reads(_: int, count: int) -> list[dict[str, Any]]:
        return updates_for(readers[:count], lambda _: "/profile")

    async def check_reads(_: int, expected: Expected, sent: list[dict[str, Any]]) -> None:
        replies = _one_reply_each(expected, sent, name)
        _replies_without(replies, callback_marker, name, "a profile")

    return Variant(name, poll, make_reads, check_reads)


WriteCheck = Callable[[list[int], str], Awaitable[tuple[int, int]]]


def write_variant(
    name: str,
    poll: Callable[[int], Awaitable[float]],
    users: Users,
    callback_marker: str,
    stored_and_moved_on: WriteCheck,
) -> Variant:
    """A full name typed by users asked for it; each must be stored and the next question
    (the position, with its buttons) asked."""

    def make_writes(run: int, count: int) -> list[dict[str, Any]]:
        return updates_for(users.write_batch(run, count), lambda _: FULL_NAME)

    async def check_writes(run: int, expected: Expected, sent: list[dict[str, Any]]) -> None:
        replies = _one_reply_each(expected, sent, name)
        _replies_without(replies, callback_marker, name, "the question of position")
        ids = users.write_batch(run, len(expected))
        stored, moved_on = await stored_and_moved_on(ids, FULL_NAME)
        if stored != len(ids) or moved_on != len(ids):
            raise BenchError(
                f"{name}: {stored} names stored and {moved_on} dialogs moved on, "
                f"expected {len(ids)}"
            )

    return Variant(name, poll, make_writes, check_writes)


def peer_variants(peer: BotProcess, users: Users) -> tuple[Variant, Variant]:
    async def poll(count: int) -> float:
        return await peer.poll(count, RUN_TIMEOUT)

    async def check(ids: list[int], name: str) -> tuple[int, int]:
        stored, moved_on = await peer.call("check_writes", (ids, name))
        return stored, moved_on

    return (
        read_variant("peer_read", poll, users, "peer:edit"),
        write_variant("peer_write", poll, users, "peer:position:", check),
    )


def app_variants(app: AppBot, users: Users, concurrency: int | None) -> tuple[Variant, Variant]:
    async def poll(count: int) -> float:
        return await app.poll(count, RUN_TIMEOUT, concurrency)

    return (
        # The card's plain button (profile:edit); the questionnaire's buttons are aiogram-dialog's
        # callback data: the dialog's id, "\x1d", the widget's id and item.
        read_variant("read", poll, users, "profile:edit"),
        write_variant("write", poll, users, "\x1dprofile_choice:", app.check_writes),
    )


# --- the bench --------------------------------------------------------------------------------


def default_garbage_collector() -> str | None:
    """Puts Python's default collector back if something changed it; says what it found."""
    found = (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count())
    if found == (True, DEFAULT_GC, 0):
        return None
    gc.unfreeze()
    gc.set_threshold(*DEFAULT_GC)
    gc.enable()
    return f"enabled, thresholds, frozen objects were {found}; reset to the default"


@dataclass
class Bench:
    """The variants over one fake server: echo and peer processes, the app in this one."""

    api: FakeBotApi
    dialect: str
    concurrency: int
    app: AppBot | None = None
    processes: list[BotProcess] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    @classmethod
    async def create(
        cls,
        api: FakeBotApi,
        directory: Path,
        database_url: str | None,
        users: Users,
        *,
        only_app: bool = False,
    ) -> Bench:
        app_url = database_url or sqlite_url(directory / "app.sqlite3")
        peer_url = database_url or sqlite_url(directory / "peer.sqlite3")
        app_module: Any = None
        app_error: str | None = None
        app_concurrency: int | None = None
        try:
            from bench import app_bot
        except Exception as error:  # the app mid-change: echo and peer still run
            if only_app:
                raise
            log.exception("the app cannot be imported")
            app_error = f"cannot import the app: {described(error)}"
        else:
            app_module = app_bot
            app_concurrency = app_bot.concurrency_limit()
        bench = cls(api, dialect_of(app_url), app_concurrency or DEFAULT_CONCURRENCY)
        if app_concurrency is None:
            bench.notes["concurrency"] = f"the app's limit unknown; {DEFAULT_CONCURRENCY} used"
        try:
            await bench._start(app_module, app_error, app_url, peer_url, users, only_app)
        except BaseException:
            await bench.close()
            raise
        return bench

    async def _start(
        self,
        app_module: Any,
        app_error: str | None,
        app_url: str,
        peer_url: str,
        users: Users,
        only_app: bool,
    ) -> None:
        echo = peer = None
        if not only_app:  # they start (and the peer seeds its data) meanwhile
            echo = start_echo_bot(self.api.base_url, self.concurrency)
            self.processes.append(echo)
            options = PeerOptions(
                peer_url, users.readers, users.writers, self.concurrency, datetime.now(UTC)
            )
            peer = start_peer_bot(self.api.base_url, options, self.concurrency)
            self.processes.append(peer)
        if app_module is not None:
            try:
                self.app = await app_module.start_app(
                    self.api, app_url, users.readers, users.writers
                )
            except Exception as error:
                if only_app:
                    raise
                log.exception("the app did not start")
                app_error = f"the app did not start: {described(error)}"
        if self.app is not None and self.app.replaced_session is not None:
            self.notes["http_session"] = (
                f"the app's {self.app.replaced_session} replaced by aiogram's AiohttpSession"
            )
        if (gc_changed := default_garbage_collector()) is not None:
            self.notes["gc"] = f"the app changed the garbage collector ({gc_changed})"
        variants: dict[str, Variant] = {}
        for name, process in (("echo", echo), ("peer", peer)):
            if process is None:
                continue
            try:
                await process.started()
            except Exception as error:
                self.errors[name] = str(error)
        if echo is not None and "echo" not in self.errors:
            variants["echo"] = echo_variant(echo, users.n)
        if peer is not None and "peer" not in self.errors:
            variants["peer_read"], variants["peer_write"] = peer_variants(peer, users)
        if self.app is not None:
            variants["read"], variants["write"] = app_variants(self.app, users, self.concurrency)
        elif app_error is not None:
            self.errors["app"] = app_error
        order = ("echo", "peer_read", "read", "peer_write", "write")
        self.variants = [variants[name] for name in order if name in variants]

    def variant(self, name: str) -> Variant:
        return next(variant for variant in self.variants if variant.name == name)

    async def close(self) -> None:
        for process in self.processes:
            process.stop()
        if self.app is not None:
            await self.app.close()


async def measure(bench: Bench, n: int, repeats: int, deadline: float) -> dict[str, list[float]]:
    """Warm-ups, then rounds of every variant: MIN_ROUNDS, more while the deadline allows.

    A variant that fails is recorded in `bench.errors` and left out from then on."""
    results: dict[str, list[float]] = {variant.name: [] for variant in bench.variants}
    failed: set[str] = set()

    async def attempt(variant: Variant, run: int, count: int) -> None:
        try:
            ups = await variant.run(bench.api, run, count)
        except Exception as error:
            log.exception("%s failed", variant.name)
            failed.add(variant.name)
            what = "warm-up" if run == 0 else f"run {run}"
            bench.errors[variant.name] = f"{what}: {described(error)}"
        else:
            if run > 0:
                results[variant.name].append(ups)

    for variant in bench.variants:
        await attempt(variant, 0, variant.warmup)
    last_round = 0.0
    for run in range(1, repeats + 1):
        if run > MIN_ROUNDS and time.monotonic() + last_round > deadline:
            break
        started = time.monotonic()
        for variant in bench.variants:
            if variant.name not in failed:
                await attempt(variant, run, n)
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
    return {f"{name}_ups": round(ups, 1), "n": n, "profiled": tool, "dialect": bench.dialect}


@dataclass
class _CProfileAdapter:
    """cProfile under pyinstrument's start/stop names."""

    cprofile: Any

    def start(self) -> None:
        self.cprofile.enable()

    def stop(self) -> None:
        self.cprofile.disable()


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 4)


def _shown(figure: float | None, width: int, digits: int) -> str:
    return f"{figure:>{width}.{digits}f}" if figure is not None else f"{'-':>{width}}"


def _meets(figure: float | None, minimum: float) -> bool:
    return figure is not None and figure >= minimum


def summarise(bench: Bench, results: dict[str, list[float]], n: int) -> dict[str, Any]:
    best: dict[str, float | None] = {
        name: max(results[name]) if results.get(name) else None
        for name in ("echo", "peer_read", "peer_write", "read", "write")
    }
    print(f"{'variant':<11}{'best ups':>10}{'/echo':>8}{'/peer':>8}   runs (updates/s, n={n})")
    peers = {"read": "peer_read", "write": "peer_write"}
    for name, value in best.items():
        runs = ", ".join(f"{ups:.0f}" for ups in results.get(name, []))
        against_echo = _ratio(value, best["echo"])
        against_peer = _ratio(value, best[peers[name]]) if name in peers else None
        failed = f"  failed: {bench.errors[name]}" if name in bench.errors else ""
        print(
            f"{name:<11}{_shown(value, 10, 0)}{_shown(against_echo, 8, 3)}"
            f"{_shown(against_peer, 8, 3)}   {runs}{failed}"
        )
    for name, error in bench.errors.items():
        if name not in best:
            print(f"{name}: {error}")
    for note in bench.notes.values():
        print(f"note: {note}")
    ratios = {
        "read_ratio": _ratio(best["read"], best["echo"]),
        "write_ratio": _ratio(best["write"], best["echo"]),
        "peer_read_ratio": _ratio(best["peer_read"], best["echo"]),
        "peer_write_ratio": _ratio(best["peer_write"], best["echo"]),
        "read_vs_peer": _ratio(best["read"], best["peer_read"]),
        "write_vs_peer": _ratio(best["write"], best["peer_write"]),
    }
    met = [_meets(ratios[goal], minimum) for goal, minimum in GOALS.items()]
    summary: dict[str, Any] = {
        **{f"{name}_ups": round(value, 1) if value else None for name, value in best.items()},
        **ratios,
        "goals": GOALS,
        "goals_met": all(met),
        "dialect": bench.dialect,
        "n": n,
        "runs": max((len(values) for values in results.values()), default=0),
        "concurrency": bench.concurrency,
        "http_session": "aiogram AiohttpSession",
        "gc": "default",
    }
    if bench.notes:
        summary["notes"] = bench.notes
    if bench.errors:
        summary["errors"] = bench.errors
    return summary


async def main_async(
    args: argparse.Namespace, api: FakeBotApi, deadline: float
) -> tuple[dict[str, Any], bool]:
    """The summary, and whether every variant ran."""
    try:
        with tempfile.TemporaryDirectory(prefix="nastavnik-bench-") as directory:
            runs = 1 if args.profile else args.repeats
            users = Users(args.n, runs)
            bench = await Bench.create(
                api, Path(directory), args.database_url, users, only_app=bool(args.profile)
            )
            try:
                if args.profile:
                    return await profile(bench, args.profile, args.n, args.profiler), True
                results = await measure(bench, args.n, args.repeats, deadline)
            finally:
                await bench.close()
    finally:
        await api.aclose()
    return summarise(bench, results, args.n), not bench.errors


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="updates per run (default 1000)")
    parser.add_argument("--repeats", type=int, default=3, help="most timed runs per variant")
    parser.add_argument(
        "--budget",
        type=float,
        default=80.0,
        help="seconds: no round beyond the second starts unless it should end within this "
        "(default 80)",
    )
    parser.add_argument(
        "--database-url",
        help="run the app and the peer on PostgreSQL (postgresql+asyncpg://...), each in a "
        "schema of its own (bench_app, bench_peer) that is dropped and made afresh; "
        "by default, on SQLite files in a temporary directory",
    )
    parser.add_argument("--profile", choices=("read", "write"), help="profile one run of it")
    parser.add_argument(
        "--profiler", choices=("pyinstrument", "cprofile", "none"), default="pyinstrument"
    )
    args = parser.parse_args()
    if args.n < 1 or args.repeats < 1:
        parser.error("--n and --repeats must be at least 1")
    if args.database_url is not None and (
        dialect_of(args.database_url) != POSTGRESQL
        or not args.database_url.startswith("postgresql+asyncpg://")
    ):
        parser.error(
            f"--database-url must be postgresql+asyncpg://... ({SQLITE} runs in a temporary "
            "directory by default)"
        )
    return args


def main() -> None:
    started = time.monotonic()
    args = parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with FakeBotApi() as api:
        summary, complete = asyncio.run(main_async(args, api, started + args.budget))
    print(json.dumps(summary, ensure_ascii=False))
    if not complete:
        sys.exit(1)


if __name__ == "__main__":
    main()
