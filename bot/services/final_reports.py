"""The two final reports of a pair (the mentor's and each mentee's), due within 10 days of its
end (rules.report_due). Opened when the pair completes or ends early (lifecycle.end); filled in
handlers/final_report.py. A report is sent once: what was sent stays as it was read.

Who reads what: the author their own; the curator and the head every report of their
organisation; the mentor the mentees' evaluation of them only where the organisation shows
mentors their ratings (`Organisation.ratings_for_mentors`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import rules
from bot.services.errors import UserFacingError
from bot.services.people import Actor
from bot.services.programme_access import member_ids
from models import (
    Activity,
    ActivityStatus,
    FinalReport,
    Membership,
    Organisation,
    Pair,
    PairMentee,
    Programme,
)
from models.base import locked

MENTOR, MENTEE = "mentor", "mentee"
# How the mentee evaluates the mentor, each 1..5. Seed 003's appendix 2 lists the ways to
# motivate and reward mentors; these are the qualities it and the Положение ask of a mentor.
EVALUATION_CRITERIA = ("availability", "competence", "support", "feedback", "results")
FULFILMENT_MARKS = ("done", "late", "not_done")
TEXT_LIMIT = 2000
REASON_LIMIT = 500  # why a plan item was not done
NOT_DONE = "not_done"
# What each report asks after the plan's marks, in order; a mentee's scores as `score_<criterion>`.
MENTOR_QUESTIONS = ("results", "recommendations")
MENTEE_SAID = ("how_it_went", "helped", "missing")  # a mentee's texts, before the scores
MENTEE_QUESTIONS = (*MENTEE_SAID, *(f"score_{c}" for c in EVALUATION_CRITERIA), "comment")
OPTIONAL = ("missing", "comment")  # the answers that may be left blank


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


def _text(value: str | None, limit: int = TEXT_LIMIT) -> str | None:
    if value is not None and len(value) > limit:
        raise UserFacingError("error-text-too-long", length=len(value), limit=limit)
    return value.strip() if value else None


def _not_sent(report: FinalReport) -> None:
    """A report goes once (a double tap, a second dialog): what the curator read stays."""
    if report.submitted_at is not None:
        raise UserFacingError("final-report-already-sent")


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanItem:
    """A plan item of the pair's programme and the mark its state suggests."""

    activity_id: int
    position: int
    content: str
    due_on: date
    mark: str


def suggested_mark(activity: Activity, timezone: str) -> str:
    """Done by its date, done later, or not done: as the plan's marks say."""
    if activity.status != ActivityStatus.DONE:
        return NOT_DONE
    if activity.done_at is None:
        return "done"
    done_on = activity.done_at.astimezone(ZoneInfo(timezone)).date()
    return "done" if done_on <= activity.due_on else "late"


async def plan_items(session: AsyncSession, pair: Pair) -> list[PlanItem]:
    """The programme's items in order, each with the mark the plan suggests."""
    organisation = await session.get(Organisation, pair.organisation_id)
    timezone = organisation.timezone if organisation else "UTC"
    activities = await session.scalars(
        select(Activity)
        .join(Programme, Programme.id == Activity.programme_id)
        .where(Programme.pair_id == pair.id)
        .order_by(Activity.position, Activity.id)
    )
    return [
        PlanItem(a.id, a.position, a.content, a.due_on, suggested_mark(a, timezone))
        for a in activities
    ]


async def report_items(session: AsyncSession, report: FinalReport) -> list[PlanItem]:
    """The plan items of the report's pair."""
    pair = await session.get(Pair, report.pair_id)
    return await plan_items(session, pair) if pair else []


def _written_by(membership_ids: list[int], organisation_id: int) -> Select[FinalReport]:
    """The reports these memberships write, in pairs of this organisation."""
    return (
        select(FinalReport)
        .join(Pair, Pair.id == FinalReport.pair_id)
        .where(
            FinalReport.author_membership_id.in_(membership_ids),
            Pair.organisation_id == organisation_id,
        )
    )


async def own_report(
    session: AsyncSession,
    actor: Actor,
    *,
    report_id: int | None = None,
    pair_id: int | None = None,
) -> FinalReport | None:
    """A report this person writes or wrote, in a pair of their organisation, named by its id
    or its pair's; None for anyone else's (the server-side check of every button)."""
    ids = member_ids(actor)
    if not ids or actor.organisation is None or (report_id is None and pair_id is None):
        return None
    query = _written_by(ids, actor.organisation.id)
    if report_id is not None:
        query = query.where(FinalReport.id == report_id)
    if pair_id is not None:
        query = query.where(FinalReport.pair_id == pair_id)
    return await session.scalar(query.order_by(FinalReport.id).limit(1))


# Loaders for handlers.dialog_kit.owned: (session, actor, id) -> the record, or None.


async def report_of_pair(session: AsyncSession, actor: Actor, pair_id: int) -> FinalReport | None:
    """The person's own report of that pair (the ReportOpen button)."""
    return await own_report(session, actor, pair_id=pair_id)


async def any_own_report(
    session: AsyncSession, actor: Actor, report_id: int
) -> FinalReport | None:
    return await own_report(session, actor, report_id=report_id)


async def report_to_fill(
    session: AsyncSession, actor: Actor, report_id: int
) -> FinalReport | None:
    report = await own_report(session, actor, report_id=report_id)
    return report if report is not None and report.submitted_at is None else None


async def sent_report(
    session: AsyncSession, actor: Actor, report_id: int
) -> list[FinalReport] | None:
    """The person's own report once sent, to read."""
    report = await own_report(session, actor, report_id=report_id)
    return [report] if report is not None and report.submitted_at is not None else None


DeskRecord = TypeVar("DeskRecord", Pair, Membership)


async def _of_desk(
    session: AsyncSession, actor: Actor, model: type[DeskRecord], record_id: int
) -> DeskRecord | None:
    """A pair or a member of the organisation, for its curator or head."""
    organisation = actor.desk_organisation()
    if organisation is None:
        return None
    record = await session.get(model, record_id)
    if record is None or record.organisation_id != organisation.id:
        return None
    return record


async def reports_of_desk_pair(
    session: AsyncSession, actor: Actor, pair_id: int
) -> list[FinalReport] | None:
    """The reports of a pair of the organisation, for its curator or head."""
    pair = await _of_desk(session, actor, Pair, pair_id)
    return None if pair is None else await reports_of_pair(session, pair.id)


async def reports_of_member(
    session: AsyncSession, actor: Actor, membership_id: int
) -> list[FinalReport] | None:
    """A member's reports, for the curator or head of their organisation."""
    member = await _of_desk(session, actor, Membership, membership_id)
    return (
        None if member is None else await reports_by(session, [member.id], member.organisation_id)
    )


async def my_reports(session: AsyncSession, actor: Actor) -> list[FinalReport]:
    """The reports this person writes or wrote in their organisation: open ones first."""
    organisation_id = actor.organisation.id if actor.organisation else 0
    return await reports_by(session, member_ids(actor), organisation_id)


async def reports_by(
    session: AsyncSession, membership_ids: list[int], organisation_id: int
) -> list[FinalReport]:
    """The reports these memberships write or wrote in the organisation: open ones first."""
    if not membership_ids:
        return []
    reports = await session.scalars(
        _written_by(membership_ids, organisation_id).order_by(
            FinalReport.pair_id.desc(), FinalReport.id
        )
    )
    found = list(reports)
    return [r for r in found if r.submitted_at is None] + [r for r in found if r.submitted_at]


async def reports_of_pair(session: AsyncSession, pair_id: int) -> list[FinalReport]:
    """The pair's reports: the mentor's first, then the mentees'."""
    reports = await session.scalars(
        select(FinalReport).where(FinalReport.pair_id == pair_id).order_by(FinalReport.id)
    )
    return sorted(reports, key=lambda report: (report.role != MENTOR, report.id))


def mentees_reported_on(reports: list[FinalReport]) -> int:
    """How many mentees the mentor's report of the pair speaks of: one per mentee's report."""
    return max(1, sum(report.role == MENTEE for report in reports))


async def completed_pair(session: AsyncSession, pair_id: int) -> Pair | None:
    """The pair, once every one of its final reports is sent; else None. The pair is locked
    first, so of two authors sending at the same moment the second sees the first's report
    and exactly one of them makes the pair complete."""
    pair = await locked(session, Pair, pair_id)
    moments = list(
        await session.scalars(
            select(FinalReport.submitted_at).where(FinalReport.pair_id == pair_id)
        )
    )
    return pair if moments and all(moment is not None for moment in moments) else None


async def evaluations_for(session: AsyncSession, report: FinalReport) -> list[FinalReport]:
    """For the mentor's own report: the mentees' sent reports of the pair, whose evaluation
    the mentor may read when the organisation shows mentors their ratings; else none."""
    if report.role != MENTOR:
        return []
    pair = await session.get(Pair, report.pair_id)
    organisation = await session.get(Organisation, pair.organisation_id) if pair else None
    if organisation is None or not organisation.ratings_for_mentors:
        return []
    return [
        other
        for other in await reports_of_pair(session, report.pair_id)
        if other.role == MENTEE and other.submitted_at is not None
    ]


def average(evaluation: dict[str, Any]) -> float | None:
    """The mean of a mentee's scores of the mentor (1-5), None without any."""
    scores = [int(v) for v in evaluation.values() if isinstance(v, int) and 1 <= v <= 5]
    return sum(scores) / len(scores) if scores else None


# --- sending -------------------------------------------------------------------------------


def questions(role: str) -> tuple[str, ...]:
    return MENTOR_QUESTIONS if role == MENTOR else MENTEE_QUESTIONS


def first_unanswered(questions: tuple[str, ...], answers: dict[str, Any]) -> int | None:
    """The first of `questions` that needs an answer and has none."""
    return next(
        (i for i, q in enumerate(questions) if not (q in OPTIONAL or answers.get(q))), None
    )


def evaluation_of(answers: dict[str, Any]) -> dict[str, int]:
    """A mentee's scores of the mentor among their answers, by criterion."""
    return {c: answers[f"score_{c}"] for c in EVALUATION_CRITERIA if f"score_{c}" in answers}


async def submit_answers(
    session: AsyncSession, report: FinalReport, answers: dict[str, Any], now: datetime
) -> None:
    """The report from its answers (a mentor's marks as `fulfilment`), by its author's role."""
    texts = {q: answers.get(q) for q in questions(report.role) if not q.startswith("score_")}
    if report.role == MENTOR:
        fulfilment = answers.get("fulfilment", {})
        await submit_mentor_report(session, report, fulfilment=fulfilment, now=now, **texts)
    else:
        evaluation = evaluation_of(answers)
        await submit_mentee_report(session, report, evaluation=evaluation, now=now, **texts)


async def submit_mentor_report(
    session: AsyncSession,
    report: FinalReport,
    *,
    fulfilment: dict[str, dict[str, Any]],
    results: str | None,
    recommendations: str | None,
    now: datetime,
) -> None:
    """Per activity id: {"mark": done|late|not_done, "reason": text for not_done}; every item
    of the pair's programme marked, a reason for each not done."""
    _not_sent(report)
    items = {str(item.activity_id) for item in await report_items(session, report)}
    if report.role != MENTOR or set(fulfilment) != items:
        raise UserFacingError("deadline-report-bad-mark")
    marks: dict[str, dict[str, Any]] = {}
    for activity_id, entry in fulfilment.items():
        mark = entry.get("mark")
        if mark not in FULFILMENT_MARKS:
            raise UserFacingError("deadline-report-bad-mark")
        marks[activity_id] = {"mark": mark}
        if mark == NOT_DONE:
            reason = _text(entry.get("reason"), REASON_LIMIT)
            if not reason:
                raise UserFacingError("final-report-reason-needed")
            marks[activity_id]["reason"] = reason
    report.fulfilment = marks
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
    _not_sent(report)
    if (
        report.role != MENTEE
        or set(evaluation) - set(EVALUATION_CRITERIA)
        or not all(isinstance(s, int) and 1 <= s <= 5 for s in evaluation.values())
    ):
        raise UserFacingError("deadline-report-bad-score")
    report.how_it_went = _text(how_it_went)
    report.helped = _text(helped)
    report.missing = _text(missing)
    report.evaluation = dict(evaluation)
    report.comment = _text(comment)
    report.submitted_at = now
