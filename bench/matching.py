"""How fast mentors are ranked for one mentee in a big regional bank.

    .venv/bin/python bench/matching.py [--mentors 5000] [--organisations 50] [--repeats 7]
                                       [--database-url URL]

Builds a fresh database (a temporary SQLite file unless --database-url is given; that database
is emptied first) with --mentors mentors with filled profiles spread over --organisations
kindergartens, mentees with requests, and live pairs that leave some mentors at capacity. Then
ranks mentors for one mentee with bot.services.matching.rank_mentors, as /pair does: the
organisation, consent and capacity are filtered in the database. The same is then measured with
all the mentors in one organisation, the worst case for the scoring done in Python.

Each measurement opens its own session, runs once untimed (the cold run is reported apart), then
--repeats times; seconds_5k is the median. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, insert, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db import create_engine, create_sessionmaker, upgrade_schema
from bot.services.matching import rank_mentors
from bot.services.pair_members import held_mentees
from bot.services.profile_form import COMPETENCIES, DIFFICULTIES
from bot.services.rules import MAX_MENTEES_PER_MENTOR
from models import (
    Base,
    Membership,
    MembershipStatus,
    Organisation,
    Pair,
    PairMentee,
    PairStatus,
    Profile,
    Role,
    User,
)

GOAL_SECONDS = 0.3
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
MENTEES_PER_ORGANISATION = 30
CONSENT_SHARE = 0.95  # the rest have not given written consent and must not be offered
REQUESTS = (
    "Как провести родительское собрание",
    "Подготовка к конкурсу профессионального мастерства",
    "Планирование образовательной работы в младшей группе",
    "Цифровые инструменты на занятиях",
    "Работа с детьми с ОВЗ",
    "Документация воспитателя и отчёты",
)
OTHER_SKILLS = (
    "Игровые технологии",
    "Проектная деятельность с дошкольниками",
    "Интерактивная доска на занятиях",
    "Здоровьесберегающие технологии",
    "Наставничество молодых педагогов",
    None,
)
PAIR_STATUSES = (PairStatus.ACTIVE.value, PairStatus.PROPOSED.value, PairStatus.COMPLETED.value)
SURNAMES = ("Иванова", "Петрова", "Смирнова", "Кузнецова", "Попова", "Соколова", "Лебедева")


class BenchError(Exception):
    """The data or the ranking are not what the run assumes: a figure would mean nothing."""


Rows = dict[type[Base], list[dict[str, Any]]]


def _rows(mentors: int, organisations: int, seed: int) -> tuple[Rows, int]:
    """Every row of the bank, with explicit ids, for bulk inserts; and the mentee to match."""
    rng = random.Random(seed)
    rows: Rows = {
        Organisation: [],
        User: [],
        Membership: [],
        Profile: [],
        Pair: [],
        PairMentee: [],
    }
    for org in range(1, organisations + 1):
        rows[Organisation].append(
            {
                "id": org,
                "name": f"МБДОУ «Детский сад № {org}»",
                "short_name": f"Д/с № {org}",
                "timezone": "Europe/Moscow",
                "created_at": NOW,
            }
        )
    mentees_by_org: dict[int, list[int]] = {org: [] for org in range(1, organisations + 1)}
    people = mentors + organisations * MENTEES_PER_ORGANISATION
    for person in range(1, people + 1):
        is_mentor = person <= mentors
        org = (person - 1) % organisations + 1
        rows[User].append(
            {"id": person, "telegram_id": 10_000_000 + person, "language": "ru",
             "active_organisation_id": org, "blocked_bot": False, "created_at": NOW}
        )  # fmt: skip
        rows[Membership].append(
            {"id": person, "user_id": person, "organisation_id": org,
             "role": (Role.MENTOR if is_mentor else Role.MENTEE).value,
             "status": MembershipStatus.ACTIVE.value, "joined_at": NOW}
        )  # fmt: skip
        profile: dict[str, Any] = {
            "id": person,
            "membership_id": person,
            "full_name": f"{rng.choice(SURNAMES)} Анна {person}",
            "position": "educator",
            "birth_year": rng.randint(1965, 2000),
            "education": "higher_pedagogical",
            "experience_years": rng.randint(1, 30),
            "started_on": date(2026, rng.randint(1, 11), rng.randint(1, 28)),
            "skipped": [],
            "completed_at": NOW,
            "updated_at": NOW,
        }
        if is_mentor:
            profile |= {
                "competencies": rng.sample(COMPETENCIES, rng.randint(1, 4)),
                "competencies_other": rng.choice(OTHER_SKILLS),
                "achievements": "Победитель муниципального конкурса",
                "hours_per_month": rng.randint(2, 20),
                "mentor_consent_at": NOW if rng.random() < CONSENT_SHARE else None,
            }
        else:
            profile |= {
                "mentee_category": "young_specialist",
                "main_request": rng.choice(REQUESTS),
                "difficulties": rng.sample(DIFFICULTIES, rng.randint(1, 3)),
            }
            mentees_by_org[org].append(person)
        rows[Profile].append(profile)
    # Live pairs: in each organisation some mentors hold 1..3 of its mentees (some at capacity).
    pair_id = 0
    for org, mentees in mentees_by_org.items():
        free = list(mentees[1:])  # the first mentee of each organisation is the one to match
        org_mentors = [m for m in range(org, mentors + 1, organisations)]
        for mentor in org_mentors[: len(org_mentors) // 3]:
            take = min(rng.randint(1, MAX_MENTEES_PER_MENTOR), len(free))
            if take == 0:
                break
            pair_id += 1
            rows[Pair].append(
                {"id": pair_id, "organisation_id": org, "mentor_membership_id": mentor,
                 "status": rng.choice(PAIR_STATUSES),
                 "forms": ["traditional"], "created_at": NOW}
            )  # fmt: skip
            for _ in range(take):
                rows[PairMentee].append({"pair_id": pair_id, "mentee_membership_id": free.pop()})
    return rows, mentees_by_org[1][0]


async def _empty(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(delete(table))


async def build(
    sessionmaker: async_sessionmaker[AsyncSession], mentors: int, organisations: int
) -> tuple[float, int]:
    """Insert the bank in bulk; the seconds it took and the mentee of organisation 1 to match."""
    started = time.perf_counter()
    rows, mentee = _rows(mentors, organisations, seed=mentors * 31 + organisations)
    async with sessionmaker.begin() as session:
        for model, values in rows.items():
            for start in range(0, len(values), 5000):
                await session.execute(insert(model), values[start : start + 5000])
        if (await session.connection()).dialect.name == "postgresql":  # sequences past the ids
            for model in rows:
                if model is not PairMentee:
                    table = model.__table__.name  # type: ignore[attr-defined]
                    await session.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT max(id) FROM {table}))"
                        )
                    )
        else:
            await session.execute(text("ANALYZE"))
    return time.perf_counter() - started, mentee


async def measure(
    sessionmaker: async_sessionmaker[AsyncSession], mentee_id: int, organisation_id: int,
    repeats: int,
) -> dict[str, Any]:  # fmt: skip
    """Rank for one mentee: a cold run, then `repeats` timed ones; and check the result."""
    timings = []
    for run in range(repeats + 1):
        async with sessionmaker() as session:
            started = time.perf_counter()
            ranked = await rank_mentors(session, organisation_id, [mentee_id], limit=8)
            elapsed = time.perf_counter() - started
            if run == 0:
                cold = elapsed
                for match in ranked:  # nobody at capacity, nobody from elsewhere
                    membership = await session.get(Membership, match.membership_id)
                    if membership is None or membership.organisation_id != organisation_id:
                        raise BenchError("a mentor of another organisation was offered")
                    if await held_mentees(session, match.membership_id) >= MAX_MENTEES_PER_MENTOR:
                        raise BenchError("a mentor at capacity was offered")
                if not ranked:
                    raise BenchError("nobody was offered: the data are not what the run assumes")
            else:
                timings.append(elapsed)
    return {
        "median": statistics.median(timings),
        "best": min(timings),
        "cold": cold,
        "offered": len(ranked),
        "top_score": ranked[0].score,
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite+aiosqlite:///{directory}/matching.sqlite3"
        engine = create_engine(url)
        try:
            await upgrade_schema(engine)
            sessionmaker = create_sessionmaker(engine)
            await _empty(engine)
            built, mentee = await build(sessionmaker, args.mentors, args.organisations)
            many = await measure(sessionmaker, mentee, 1, args.repeats)
            await _empty(engine)
            built_one, mentee = await build(sessionmaker, args.mentors, 1)
            one = await measure(sessionmaker, mentee, 1, args.repeats)
            await _empty(engine)
        finally:
            await engine.dispose()
    return {
        "seconds_5k": round(many["median"], 5),
        "best_5k": round(many["best"], 5),
        "cold_5k": round(many["cold"], 5),
        "offered": many["offered"],
        "seconds_5k_one_org": round(one["median"], 5),
        "cold_5k_one_org": round(one["cold"], 5),
        "mentors": args.mentors,
        "organisations": args.organisations,
        "seed_seconds": round(built + built_one, 2),
        "database": url.split(":", 1)[0],
        "goal_seconds": GOAL_SECONDS,
        "within_goal": many["median"] < GOAL_SECONDS and one["median"] < GOAL_SECONDS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mentors", type=int, default=5000)
    parser.add_argument("--organisations", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--database-url", default=None, help="emptied first; default: temp SQLite")
    args = parser.parse_args()
    result = asyncio.run(run(args))
    print(
        f"ranked for one mentee among {args.mentors} mentors in {args.organisations} "
        f"organisations: median {result['seconds_5k']:.4f} s (cold {result['cold_5k']:.4f} s); "
        f"all in one organisation: {result['seconds_5k_one_org']:.4f} s; "
        f"goal {GOAL_SECONDS} s"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
