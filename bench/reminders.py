"""How long one pass of every periodic job takes over 1,000 and over 100,000 plan activities.

    .venv/bin/python bench/reminders.py [--small 1000] [--large 100000] [--repeats 3]
                                        [--database-url URL]

Builds a fresh database for each size (a temporary SQLite file unless --database-url is given;
that database is emptied first) with, per 10 activities, one pair (a mentor and a mentee with a
start date), its programme, and a member of a questionnaire campaign; per 1,000 activities an
organisation with a curator, its 7 roadmap stages and a campaign. Dates are spread as in a
running system: pairs started over the last year for 6 to 12 months (those past their end
completed, a few still waiting for the curator's decision), most past plan items done, roadmap
stages and campaign deadlines over the year. So the larger database holds 100 times more of
everything, and 100 times more is due today.

Measured: the first pass of the day (it queues what is due today: grows with the data, as it
must), then `--repeats` passes in the same day (the median is `seconds_*`): each reads only what
is due near today through its indexes and finds it sent, so it should hardly grow. The last line
printed is one JSON object with seconds_1k, seconds_100k and ratio (goal: at most 3).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot
from aiogram_i18n.cores import BaseCore, FluentRuntimeCore
from pydantic import SecretStr
from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db import create_engine, create_sessionmaker, upgrade_schema
from bot.i18n import LOCALES_DIR
from bot.scheduler import JOBS, JobContext
from bot.services.clock import FrozenClock
from bot.services.roadmap import STAGES
from models import (
    Activity,
    Base,
    Membership,
    Organisation,
    OutboxMessage,
    Pair,
    PairMentee,
    Profile,
    Programme,
    QuestionnaireVersion,
    RoadmapStage,
    SurveyCampaign,
    SurveyResponse,
    User,
)

GOAL_RATIO = 3.0
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # 12:00 in Moscow, a Wednesday
TODAY = NOW.date()
ZONES = ("Europe/Moscow", "Asia/Yekaterinburg", "Asia/Novosibirsk")
Rows = dict[Any, list[dict[str, Any]]]


def _rows(activities: int, seed: int) -> Rows:
    """Every row, with ids given here so the inserts need not read any back."""
    rng = random.Random(seed)
    rows: Rows = {model: [] for model in (
        Organisation, User, Membership, Profile, Pair, PairMentee, Programme, Activity,
        RoadmapStage, QuestionnaireVersion, SurveyCampaign, SurveyResponse,
    )}  # fmt: skip
    organisations = max(1, activities // 1000)
    pairs = activities // 10
    user_id = membership_id = 0

    def person(organisation_id: int, role: str) -> int:
        nonlocal user_id, membership_id
        user_id += 1
        membership_id += 1
        rows[User].append(
            {"id": user_id, "telegram_id": 10**6 + user_id, "language": "ru", "created_at": NOW}
        )
        rows[Membership].append({
            "id": membership_id, "user_id": user_id, "organisation_id": organisation_id,
            "role": role, "status": "active", "joined_at": NOW,
        })  # fmt: skip
        return membership_id

    rows[QuestionnaireVersion].append(
        {"id": 1, "code": "bench", "version": 1, "definition": {}, "created_at": NOW}
    )
    for organisation_id in range(1, organisations + 1):
        rows[Organisation].append({
            "id": organisation_id, "name": f"Детский сад № {organisation_id}",
            "short_name": f"ДС {organisation_id}", "timezone": ZONES[organisation_id % 3],
            "workday_start_hour": 9, "workday_end_hour": 18, "help_response_hours": 4,
            "working_days": "12345", "created_at": NOW,
        })  # fmt: skip
        curator = person(organisation_id, "curator")
        for position in range(1, 8):
            rows[RoadmapStage].append({
                "id": (organisation_id - 1) * 7 + position, "organisation_id": organisation_id,
                "year": 2026, "position": position, "code": STAGES[position - 1],
                "due_on": date(2026, 9, 1) + timedelta(days=rng.randrange(300)),
                "responsible_membership_id": curator, "updated_at": NOW,
            })  # fmt: skip
        rows[SurveyCampaign].append({
            "id": organisation_id, "organisation_id": organisation_id,
            "questionnaire_version_id": 1, "purpose": "manual", "audience": {},
            "deadline": NOW + timedelta(days=rng.randrange(-180, 180), hours=3),
            "created_at": NOW,
        })  # fmt: skip
    activity_id = 0
    for pair_id in range(1, pairs + 1):
        organisation_id = (pair_id - 1) % organisations + 1
        mentor, mentee = person(organisation_id, "mentor"), person(organisation_id, "mentee")
        starts = TODAY - timedelta(days=rng.randrange(365))
        nine = datetime(starts.year, starts.month, starts.day, 9, tzinfo=UTC)
        ends = starts + timedelta(days=rng.randrange(180, 366))
        ended = ends < TODAY - timedelta(days=rng.randrange(60))  # a few wait for a decision
        rows[Profile].append({
            "membership_id": mentee, "full_name": f"Педагог {mentee}", "skipped": [],
            "started_on": starts - timedelta(days=rng.randrange(30)), "updated_at": NOW,
        })  # fmt: skip
        rows[Pair].append({
            "id": pair_id, "organisation_id": organisation_id, "mentor_membership_id": mentor,
            "status": "completed" if ended else "active", "forms": ["traditional"],
            "starts_on": starts, "ends_on": ends,
            "approved_at": nine, "activated_at": nine,
            "ended_at": nine + (ends - starts) if ended else None,
            "created_at": NOW,
        })  # fmt: skip
        rows[PairMentee].append({"pair_id": pair_id, "mentee_membership_id": mentee})
        rows[Programme].append({
            "id": pair_id, "pair_id": pair_id, "status": "acknowledged",
            "created_at": NOW, "updated_at": NOW,
        })  # fmt: skip
        for position in range(1, 11):
            activity_id += 1
            due = starts + (ends - starts) * position / 11
            rows[Activity].append({
                "id": activity_id, "programme_id": pair_id, "position": position,
                "content": f"Пункт {position}", "due_on": due,
                "status": "done" if due < TODAY and rng.random() < 0.8 else "open",
                "created_at": NOW,
            })  # fmt: skip
        rows[SurveyResponse].append({
            "id": pair_id, "campaign_id": organisation_id, "membership_id": mentee,
            "questionnaire_version_id": 1, "version": 1, "phase": "once",
            "status": "assigned" if rng.random() < 0.5 else "submitted",
            "created_at": NOW, "invited_at": NOW, "reminders": 0,
        })  # fmt: skip
    return rows


async def _empty(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(delete(table))


async def build(sessionmaker: async_sessionmaker[AsyncSession], activities: int) -> float:
    started = time.perf_counter()
    rows = _rows(activities, seed=activities)
    async with sessionmaker.begin() as session:
        for model, values in rows.items():
            for start in range(0, len(values), 5000):
                await session.execute(insert(model), values[start : start + 5000])
        if (await session.connection()).dialect.name == "postgresql":  # sequences past the ids
            for model in rows:
                if model not in (PairMentee, Profile):
                    table = model.__table__.name
                    await session.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT max(id) FROM {table}))"
                        )
                    )
            await session.execute(text("ANALYZE"))
        else:
            await session.execute(text("ANALYZE"))
    return time.perf_counter() - started


async def one_pass(context: JobContext) -> float:
    started = time.perf_counter()
    for job in JOBS:
        await job(context)
    return time.perf_counter() - started


async def measure(url: str, activities: int, repeats: int) -> dict[str, Any]:
    engine = create_engine(url)
    try:
        await upgrade_schema(engine)
        await _empty(engine)
        sessionmaker = create_sessionmaker(engine)
        built = await build(sessionmaker, activities)
        token = SecretStr("123456:TEST-token-abcdefghijklmnopqrstuvwxyz")
        settings = Settings(bot_token=token, database_url=url)
        bot = Bot(token=settings.bot_token.get_secret_value())
        core: BaseCore[Any] = FluentRuntimeCore(path=LOCALES_DIR / "{locale}")  # as the app's
        await core.startup()
        context = JobContext(bot, sessionmaker, FrozenClock(NOW), core, settings)
        first = await one_pass(context)
        async with sessionmaker() as session:
            queued = await session.scalar(select(func.count()).select_from(OutboxMessage))
        timings = [await one_pass(context) for _ in range(repeats)]
        async with sessionmaker() as session:
            again = await session.scalar(select(func.count()).select_from(OutboxMessage))
        if again != queued:
            raise RuntimeError("a later pass queued a reminder again")
        await bot.session.close()
        await _empty(engine)
    finally:
        await engine.dispose()
    return {"first": first, "median": statistics.median(timings), "queued": queued,
            "built": built}  # fmt: skip


async def run(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite+aiosqlite:///{directory}/reminders.sqlite3"
        small = await measure(url, args.small, args.repeats)
        large = await measure(url, args.large, args.repeats)
    return {
        "seconds_1k": round(small["median"], 5),
        "seconds_100k": round(large["median"], 5),
        "ratio": round(large["median"] / small["median"], 2),
        "first_pass_1k": round(small["first"], 4),
        "first_pass_100k": round(large["first"], 4),
        "queued_1k": small["queued"],
        "queued_100k": large["queued"],
        "activities": [args.small, args.large],
        "seed_seconds": round(small["built"] + large["built"], 2),
        "database": url.split(":", 1)[0],
        "goal_ratio": GOAL_RATIO,
        "within_goal": large["median"] / small["median"] <= GOAL_RATIO,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("TEST_DATABASE_URL"),
        help="emptied first; default: TEST_DATABASE_URL, else a temporary SQLite file",
    )
    args = parser.parse_args()
    result = asyncio.run(run(args))
    print(
        f"one pass of every job over {args.small} activities: {result['seconds_1k']:.4f} s, "
        f"over {args.large}: {result['seconds_100k']:.4f} s (ratio {result['ratio']}; first "
        f"pass of the day {result['first_pass_1k']:.3f} s / {result['first_pass_100k']:.3f} s)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
