"""The two final reports of a pair (the mentor's and each mentee's), due within 10 days of its
end (rules.report_due). Opened when the pair completes or ends early; the dialogs that fill them
come with the aiogram-dialog port."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import rules
from bot.services.errors import UserFacingError
from models import FinalReport, Pair, PairMentee

MENTOR, MENTEE = "mentor", "mentee"
# How the mentee evaluates the mentor, each 1..5. Seed 003's appendix 2 lists the ways to
# motivate and reward mentors; these are the qualities it and the Положение ask of a mentor.
EVALUATION_CRITERIA = ("availability", "competence", "support", "feedback", "results")
FULFILMENT_MARKS = ("done", "late", "not_done")
TEXT_LIMIT = 2000


async def open_reports(session: AsyncSession, pair: Pair, ended_on: date, now: datetime) -> None:
    """A report row to fill for the mentor and each mentee (none twice)."""
    mentees = list(
        await session.scalars(
            select(PairMentee.mentee_membership_id).where(PairMentee.pair_id == pair.id)
        )
    )
    have = set(
        await session.scalars(
            select(FinalReport.author_membership_id).where(FinalReport.pair_id == pair.id)
        )
    )
    due = rules.report_due(ended_on)
    authors = [(pair.mentor_membership_id, MENTOR), *((m, MENTEE) for m in mentees)]
    for membership_id, role in authors:
        if membership_id not in have:
            session.add(
                FinalReport(
                    pair_id=pair.id,
                    author_membership_id=membership_id,
                    role=role,
                    due_on=due,
                    fulfilment={},
                    evaluation={},
                    created_at=now,
                )
            )


def _text(value: str | None) -> str | None:
    if value is not None and len(value) > TEXT_LIMIT:
        raise UserFacingError("error-text-too-long", length=len(value), limit=TEXT_LIMIT)
    return value.strip() if value else None


async def submit_mentor_report(
    session: AsyncSession,
    report: FinalReport,
    *,
    fulfilment: dict[str, dict[str, Any]],
    results: str | None,
    recommendations: str | None,
    now: datetime,
) -> None:
    """Per activity id: {"mark": done|late|not_done, "reason": text for not_done}."""
    for entry in fulfilment.values():
        if entry.get("mark") not in FULFILMENT_MARKS:
            raise UserFacingError("deadline-report-bad-mark")
    report.fulfilment = fulfilment
    report.results = _text(results)
    report.recommendations = _text(recommendations)
    report.submitted_at = now


async def submit_mentee_report(
    session: AsyncSession,
    report: FinalReport,
    *,
    how_it_went: str | None,
    helped: str | None,
    missing: str | None,
    evaluation: dict[str, int],
    comment: str | None,
    now: datetime,
) -> None:
    if set(evaluation) - set(EVALUATION_CRITERIA) or not all(
        1 <= score <= 5 for score in evaluation.values()
    ):
        raise UserFacingError("deadline-report-bad-score")
    report.how_it_went = _text(how_it_went)
    report.helped = _text(helped)
    report.missing = _text(missing)
    report.evaluation = dict(evaluation)
    report.comment = _text(comment)
    report.submitted_at = now
