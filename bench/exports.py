"""The banks' XLSX export at scale: rows streamed from the database by keyset, written off the
event loop with openpyxl's write-only mode.

    .venv/bin/python bench/exports.py [--rows 10000] [--database-url URL]

A fresh SQLite database (or, with --database-url, e.g.
postgresql+asyncpg://postgres@127.0.0.1:5432/test, a schema `bench_exports` made afresh there)
gets an organisation with `--rows` mentees with full profiles, a third
of them in pairs with a mentor each and a programme of five activities, bulk-inserted. Then the
export of both banks is made as the curator's /export does, timed (best of three after a
warm-up): `seconds_10k`. Then, once, every sheet (banks, programmes with their plan items,
meetings, help): `all_sheets_seconds`. While the banks are made, a probe task measures how late
the event loop answers (the longest stall): people are still served while a large export is
made. Goal: `seconds_10k` at most 3.
Baseline in the same run: the same rows read from the database alone, without writing a file
(`read_seconds`), so `write_ratio` says what the writing costs over the reading.
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.databases import POSTGRESQL, dialect_of, drop_schema, reset_schema, use_schema
from bot.db import create_engine, create_sessionmaker, upgrade_schema
from bot.i18n import LOCALES_DIR, FluentCore
from bot.services.banks import bank_rows
from bot.services.journals import BANKS, SHEETS, workbook
from models import (
    Activity,
    Membership,
    MembershipStatus,
    Organisation,
    Pair,
    PairMentee,
    PairStatus,
    Profile,
    Programme,
    Role,
    User,
)

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
CHUNK = 5_000
GOAL_SECONDS = 3.0
PAIRED_SHARE = 3  # one mentee in three is in a pair


async def _insert(engine: AsyncEngine, table: Any, rows: list[dict[str, Any]]) -> None:
    async with engine.begin() as connection:
        for start in range(0, len(rows), CHUNK):
            await connection.execute(insert(table), rows[start : start + CHUNK])


async def fill(engine: AsyncEngine, mentees: int) -> int:
    async with create_sessionmaker(engine).begin() as session:
        organisation = Organisation(
            name="Муниципальное бюджетное дошкольное образовательное учреждение № 1",
            short_name="МБДОУ № 1",
            timezone="Europe/Moscow",
            created_at=NOW,
        )
        session.add(organisation)
        await session.flush()
        organisation_id = organisation.id
    mentors = max(1, mentees // (PAIRED_SHARE * 3))
    people = mentees + mentors
    await _insert(
        engine,
        User,
        [
            {"id": i, "telegram_id": 10_000_000 + i, "language": "ru", "created_at": NOW}
            for i in range(1, people + 1)
        ],
    )
    await _insert(
        engine,
        Membership,
        [
            {
                "id": i,
                "user_id": i,
                "organisation_id": organisation_id,
                "role": Role.MENTEE if i <= mentees else Role.MENTOR,
                "status": MembershipStatus.ACTIVE,
                "joined_at": NOW,
            }
            for i in range(1, people + 1)
        ],
    )
    await _insert(
        engine,
        Profile,
        [
            {
                "membership_id": i,
                "full_name": f"Иванова Мария Петровна {i}",
                "phone": f"+7900{i:07d}",
                "birth_year": 1990 + i % 10,
                "main_request": "Как выстроить общение с родителями воспитанников",
                "competencies": ["planning", "parents"],
                "achievements": "Победитель муниципального конкурса «Воспитатель года»",
                "interests": "Театрализованная деятельность",
                "preferred_mentee": "до 30 лет",
                "hours_per_month": 8,
                "skipped": [],
                "updated_at": NOW,
            }
            for i in range(1, people + 1)
        ],
    )
    paired = list(range(1, mentees + 1, PAIRED_SHARE))
    await _insert(
        engine,
        Pair,
        [
            {
                "id": index,
                "organisation_id": organisation_id,
                "mentor_membership_id": mentees + 1 + index % mentors,
                "status": PairStatus.ACTIVE,
                "forms": ["traditional"],
                "starts_on": date(2026, 9, 1),
                "ends_on": date(2027, 5, 31),
                "created_at": NOW,
            }
            for index, _ in enumerate(paired, start=1)
        ],
    )
    await _insert(
        engine,
        PairMentee,
        [
            {"pair_id": index, "mentee_membership_id": mentee}
            for index, mentee in enumerate(paired, start=1)
        ],
    )
    await _insert(
        engine,
        Programme,
        [
            {
                "id": index,
                "pair_id": index,
                "status": "acknowledged",
                "created_at": NOW,
                "updated_at": NOW,
            }
            for index in range(1, len(paired) + 1)
        ],
    )
    await _insert(
        engine,
        Activity,
        [
            {
                "programme_id": programme,
                "position": position,
                "content": "Консультация по подготовке родительского собрания",
                "due_on": date(2027, 1, 15),
                "status": "done" if position < 2 else "open",
                "created_at": NOW,
            }
            for programme in range(1, len(paired) + 1)
            for position in range(5)
        ],
    )
    return organisation_id


class LoopProbe:
    """How late the event loop wakes a task that asks to sleep 10 ms: the longest stall."""

    def __init__(self) -> None:
        self.worst = 0.0
        self.stop = asyncio.Event()

    async def run(self) -> None:
        while not self.stop.is_set():
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            self.worst = max(self.worst, time.perf_counter() - started - 0.01)


SCHEMA = "bench_exports"


async def measure(rows: int, directory: Path, url: str | None = None) -> dict[str, Any]:
    url = url or f"sqlite+aiosqlite:///{directory / 'exports.sqlite3'}"
    if dialect_of(url) == POSTGRESQL:
        await reset_schema(url, SCHEMA)
    engine = create_engine(url)
    if dialect_of(url) == POSTGRESQL:
        use_schema(engine, SCHEMA)
    core = FluentCore(LOCALES_DIR / "{locale}")
    await core.startup()

    def label(key: str, **args: Any) -> str:
        return core.get(key, "ru", **args)

    try:
        await upgrade_schema(engine)
        organisation_id = await fill(engine, rows)
        sessionmaker = create_sessionmaker(engine)

        async def export(sheets: tuple[str, ...] = BANKS) -> bytes:
            async with sessionmaker() as session:
                organisation = await session.get(Organisation, organisation_id)
                assert organisation is not None
                return await workbook(session, organisation, label, sheets, "ru")

        async def read_only() -> int:
            count = 0
            async with sessionmaker() as session:
                organisation = await session.get(Organisation, organisation_id)
                assert organisation is not None
                for bank in (Role.MENTEE, Role.MENTOR):
                    async for page in bank_rows(session, organisation, bank, label):
                        count += len(page)
            return count

        data = await export()  # warm-up
        best, read_best = float("inf"), float("inf")
        probe = LoopProbe()
        probing = asyncio.create_task(probe.run())
        for _ in range(3):
            started = time.perf_counter()
            data = await export()
            best = min(best, time.perf_counter() - started)
        probe.stop.set()
        await probing
        for _ in range(3):
            started = time.perf_counter()
            written = await read_only()
            read_best = min(read_best, time.perf_counter() - started)
        started = time.perf_counter()
        everything = await export(tuple(SHEETS))
        all_seconds = time.perf_counter() - started
        return {
            "all_seconds": round(all_seconds, 3),
            "all_bytes": len(everything),
            "rows": written,
            "seconds": round(best, 3),
            "read_seconds": round(read_best, 3),
            "bytes": len(data),
            "loop_worst_stall_ms": round(probe.worst * 1000, 1),
            "database": dialect_of(url),
        }
    finally:
        await core.shutdown()
        await engine.dispose()
        if dialect_of(url) == POSTGRESQL:
            await drop_schema(url, SCHEMA)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rows", type=int, default=10_000, help="rows of the mentees' bank (default 10000)"
    )
    parser.add_argument(
        "--database-url",
        help=f"PostgreSQL to run on, in a schema {SCHEMA} made afresh (default: SQLite)",
    )
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        run = await measure(arguments.rows, Path(directory), arguments.database_url)
    print(
        f"{run['rows']} rows in both banks: export {run['seconds']} s "
        f"(reading alone {run['read_seconds']} s), {run['bytes']} bytes, "
        f"longest event-loop stall {run['loop_worst_stall_ms']} ms"
    )
    summary = {
        "seconds_10k": run["seconds"],
        "read_seconds": run["read_seconds"],
        "write_ratio": round(run["seconds"] / run["read_seconds"], 2),
        "rows": run["rows"],
        "all_sheets_seconds": run["all_seconds"],
        "loop_worst_stall_ms": run["loop_worst_stall_ms"],
        "goal_seconds_10k": GOAL_SECONDS,
        "goal_met": run["seconds"] <= GOAL_SECONDS,
        "database": run["database"],
    }
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
