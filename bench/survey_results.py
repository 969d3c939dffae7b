"""Results of a questionnaire campaign at scale: figures computed in the database.

    .venv/bin/python bench/survey_results.py [--sizes 10000 100000] [--repeats 3]

For each size a fresh SQLite database gets a stage-2 campaign (the built-in impact
questionnaire: eight 1-10 scales and an optional comment) with that many submitted responses,
half "before" and half "after", each pair of them one person's, bulk-inserted with executemany.
Then the campaign's results are computed as the curator's "Results" button does: answers per
question, distributions, means and medians, and before/after per item.

Timing is the best of --repeats runs after a warm-up; memory is the peak Python allocation
(tracemalloc) during one more run. Goals: 10,000 responses in under a second, and the peak for
100,000 no more than 1.5 times the peak for 10,000 (no answer is loaded into Python).
Then, for the smaller size, the campaign's XLSX export as the curator's «Выгрузить в Excel» makes
it (answers, summary, before/after with each person's change), once after a warm-up:
`export_seconds`, with the event loop's longest stall while it is made (`export_loop_stall_ms`:
how long people waited for the bot meanwhile).
The last line printed is one JSON object: seconds_10k, seconds_100k, mem_ratio and details.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import create_engine, create_sessionmaker, upgrade_schema
from bot.services.questionnaires import export, results
from bot.services.questionnaires.loader import builtin
from bot.services.questionnaires.schema import Swot
from bot.services.questionnaires.versions import ensure_version
from models import (
    CampaignPurpose,
    Membership,
    MembershipStatus,
    Organisation,
    Pair,
    PairMentee,
    PairStatus,
    Phase,
    ResponseStatus,
    Role,
    SurveyAnswer,
    SurveyCampaign,
    SurveyResponse,
    User,
)

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
CHUNK = 20_000
COMMENT_SHARE = 0.3
COMMENTS = (
    "Стала увереннее",
    "Нужно больше открытых занятий",
    "Спасибо наставнику",
    "Мало времени на встречи",
)


async def _insert(engine: AsyncEngine, table: Any, rows: list[dict[str, Any]]) -> None:
    async with engine.begin() as connection:
        for start in range(0, len(rows), CHUNK):
            await connection.execute(insert(table), rows[start : start + CHUNK])


async def fill(engine: AsyncEngine, responses: int, seed: int = 5) -> tuple[int, int]:
    """A campaign with `responses` submitted responses; returns (campaign id, answer rows)."""
    rng = random.Random(seed)
    people = responses // 2
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker.begin() as session:
        organisation = Organisation(
            name="Детский сад № 1", short_name="Д/с № 1", timezone="Europe/Moscow", created_at=NOW
        )
        session.add(organisation)
        version = await ensure_version(session, builtin()["impact"], NOW)
        await session.flush()
        campaign = SurveyCampaign(
            organisation_id=organisation.id,
            questionnaire_version_id=version.id,
            purpose=CampaignPurpose.IMPACT,
            audience={"kind": "pairs", "role": None, "count": 0},
            created_at=NOW,
        )
        session.add(campaign)
        await session.flush()
        organisation_id, campaign_id, version_id = organisation.id, campaign.id, version.id
        items = [q.id for q in builtin()["impact"].questions if q.type == "scale"]

    await _insert(
        engine,
        User,
        [
            {
                "id": i,
                "telegram_id": 10_000_000 + i,
                "language": "ru",
                "blocked_bot": False,
                "created_at": NOW,
            }
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
                "role": Role.MENTOR if i % 2 else Role.MENTEE,
                "status": MembershipStatus.ACTIVE,
                "joined_at": NOW,
            }
            for i in range(1, people + 1)
        ],
    )
    pairs = people // 2  # membership 2k-1 mentors membership 2k
    await _insert(
        engine,
        Pair,
        [
            {
                "id": k,
                "organisation_id": organisation_id,
                "mentor_membership_id": 2 * k - 1,
                "status": PairStatus.COMPLETED,
                "forms": [],
                "created_at": NOW,
            }
            for k in range(1, pairs + 1)
        ],
    )
    await _insert(
        engine,
        PairMentee,
        [{"pair_id": k, "mentee_membership_id": 2 * k} for k in range(1, pairs + 1)],
    )
    response_rows: list[dict[str, Any]] = []
    answer_rows: list[dict[str, Any]] = []
    response_id = 0
    for person in range(1, people + 1):
        pair_id = (person + 1) // 2
        start = [rng.randint(1, 8) for _ in items]
        for phase in (Phase.BEFORE, Phase.AFTER):
            response_id += 1
            sent = NOW + timedelta(days=0 if phase is Phase.BEFORE else 120)
            response_rows.append(
                {
                    "id": response_id,
                    "campaign_id": campaign_id,
                    "membership_id": person,
                    "questionnaire_version_id": version_id,
                    "version": 1,
                    "phase": phase,
                    "pair_id": pair_id,
                    "status": ResponseStatus.SUBMITTED,
                    "current_question": None,
                    "due_at": None,
                    "created_at": NOW,
                    "started_at": sent,
                    "submitted_at": sent,
                    "reminders": 0,
                }
            )
            for item, base in zip(items, start, strict=True):
                value = base if phase is Phase.BEFORE else min(10, base + rng.randint(-1, 3))
                answer_rows.append(
                    {
                        "response_id": response_id,
                        "question_id": item,
                        "option": None,
                        "number": float(value),
                        "text": None,
                        "day": None,
                    }
                )
            if rng.random() < COMMENT_SHARE:
                answer_rows.append(
                    {
                        "response_id": response_id,
                        "question_id": "comment",
                        "option": None,
                        "number": None,
                        "text": rng.choice(COMMENTS),
                        "day": None,
                    }
                )
    await _insert(engine, SurveyResponse, response_rows)
    await _insert(engine, SurveyAnswer, answer_rows)
    return campaign_id, len(answer_rows)


async def compute(engine: AsyncEngine, campaign_id: int) -> results.Results:
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as session:
        campaign = await session.get(SurveyCampaign, campaign_id)
        assert campaign is not None
        return await results.results(session, campaign)


def _labels() -> export.ExportLabels:
    words: dict[str, Any] = {name: name for name in export.ExportLabels.__dataclass_fields__}
    words |= {
        "roles": {role.value: role.value for role in Role},
        "phases": {phase.value: phase.value for phase in Phase},
        "quadrants": {quadrant: quadrant.value for quadrant in Swot},
    }
    return export.ExportLabels(**words)


async def time_export(engine: AsyncEngine, campaign_id: int) -> tuple[float, float, int]:
    """The campaign's XLSX (after a warm-up): seconds, the loop's longest stall, bytes."""

    async def make() -> bytes:
        async with create_sessionmaker(engine)() as session:
            campaign = await session.get(SurveyCampaign, campaign_id)
            assert campaign is not None
            result = await results.results(session, campaign)
            table = await results.swot(session, [campaign])
            return await export.workbook(session, result, table, "ru", _labels(), "Europe/Moscow")

    await make()
    worst, done = 0.0, asyncio.Event()

    async def probe() -> None:
        nonlocal worst
        while not done.is_set():
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            worst = max(worst, time.perf_counter() - started - 0.01)

    probing = asyncio.create_task(probe())
    started = time.perf_counter()
    data = await make()
    seconds = time.perf_counter() - started
    done.set()
    await probing
    return seconds, worst, len(data)


async def measure(
    size: int, repeats: int, directory: Path, with_export: bool = False
) -> dict[str, Any]:
    engine = create_engine(f"sqlite+aiosqlite:///{directory / f'survey-{size}.sqlite3'}")
    try:
        await upgrade_schema(engine)
        started = time.perf_counter()
        campaign_id, answers = await fill(engine, size)
        filled = time.perf_counter() - started
        result = await compute(engine, campaign_id)  # warm-up: statement caches, pages
        assert result.respondents == size, result.respondents
        assert len(result.impact) == 8 and all(item.people == size // 2 for item in result.impact)
        best = float("inf")
        for _ in range(repeats):
            started = time.perf_counter()
            await compute(engine, campaign_id)
            best = min(best, time.perf_counter() - started)
        tracemalloc.start()
        await compute(engine, campaign_id)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        engagement = next(item for item in result.impact if item.question_id == "engagement")
        exported = await time_export(engine, campaign_id) if with_export else None
        return {
            "export_seconds": round(exported[0], 3) if exported else None,
            "export_loop_stall_ms": round(exported[1] * 1000, 1) if exported else None,
            "export_bytes": exported[2] if exported else None,
            "responses": size,
            "answers": answers,
            "fill_seconds": round(filled, 2),
            "seconds": round(best, 4),
            "peak_kib": round(peak / 1024, 1),
            "engagement_before": round(engagement.before, 3),
            "engagement_after": round(engagement.after, 3),
        }
    finally:
        await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()
    small, large = arguments.sizes
    with tempfile.TemporaryDirectory() as directory:
        runs = [
            await measure(size, arguments.repeats, Path(directory), with_export=size == small)
            for size in (small, large)
        ]
    for run in runs:
        print(
            f"{run['responses']:>7} responses ({run['answers']} answers, filled in "
            f"{run['fill_seconds']} s): results in {run['seconds']:.3f} s, "
            f"peak Python memory {run['peak_kib']} KiB"
        )
    ratio = runs[1]["peak_kib"] / runs[0]["peak_kib"]
    summary = {
        "seconds_10k": runs[0]["seconds"],
        "seconds_100k": runs[1]["seconds"],
        "mem_ratio": round(ratio, 3),
        "peak_kib_10k": runs[0]["peak_kib"],
        "peak_kib_100k": runs[1]["peak_kib"],
        "goal_10k_under_1s": runs[0]["seconds"] < 1.0,
        "goal_mem_ratio_at_most_1_5": ratio <= 1.5,
        "sizes": [small, large],
        "export_seconds": runs[0]["export_seconds"],
        "export_loop_stall_ms": runs[0]["export_loop_stall_ms"],
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    asyncio.run(main())
