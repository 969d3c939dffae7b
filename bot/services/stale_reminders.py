"""Deadline reminders that are no longer due when their hour comes.

A reminder decided at night or on a weekend waits in the delivery queue for the organisation's
working hours. Meanwhile the thing may be done (the item marked, the programme sent, the report
written, the questionnaire answered), its date moved, the pair ended, or the person may have
left: then it is dropped rather than sent. The sender asks here about the rows it claims
(bot/delivery.py); each kind is one query over the claimed rows' subjects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.services import deadlines
from models import (
    Activity,
    ActivityStatus,
    FinalReport,
    Membership,
    MembershipStatus,
    Organisation,
    Pair,
    PairMentee,
    PairStatus,
    Programme,
    ProgrammeStatus,
    RoadmapStage,
    SurveyResponse,
    User,
)
from models.questionnaires import OPEN_STATUSES

PREFIX = "deadline"
UNFINISHED = (ProgrammeStatus.DRAFT, ProgrammeStatus.CHANGES_REQUESTED)


def key(item: deadlines.Due, telegram_id: int) -> str:
    """The queue's key of a reminder to one person: what, which step of which due date, whom."""
    return f"{PREFIX}:{item.kind}:{item.subject_id}:{item.stage}:{telegram_id}"


@dataclass(frozen=True)
class Queued:
    """A deadline reminder read back from its key."""

    row_id: int
    organisation_id: int | None
    chat_id: int
    kind: str
    subject_id: int
    step: str
    due_on: date | None  # None for the stages without a date (the 10- and 30-day rules)


def parse(row_id: int, organisation_id: int | None, chat_id: int, text: str) -> Queued | None:
    parts = text.split(":")
    if len(parts) < 5 or parts[0] != PREFIX or not parts[2].isdigit():
        return None
    due_on = None
    if len(parts) == 6 and len(parts[4]) == 8 and parts[4].isdigit():
        due_on = datetime.strptime(parts[4], "%Y%m%d").date()
    return Queued(row_id, organisation_id, chat_id, parts[1], int(parts[2]), parts[3], due_on)


async def no_longer_due(session: AsyncSession, rows: Iterable[Any], now: datetime) -> set[int]:
    """Of the claimed outbox rows, the ids of deadline reminders to drop."""
    queued = [
        found
        for row in rows
        if row.purpose == "reminder"
        and (found := parse(row.id, row.organisation_id, row.chat_id, row.key)) is not None
    ]
    if not queued:
        return set()
    by_kind: dict[str, list[Queued]] = defaultdict(list)
    for item in queued:
        by_kind[item.kind].append(item)
    stale = await _left(session, queued) | await _superseded(session, queued, now)
    for kind, items in by_kind.items():
        check = CHECKS.get(kind)
        if check is not None:
            stale |= await check(session, items)
    return stale


async def _left(session: AsyncSession, queued: list[Queued]) -> set[int]:
    """Reminders to someone with no active membership in the organisation any more."""
    rows = await session.execute(
        select(User.telegram_id, Membership.organisation_id)
        .join(Membership, Membership.user_id == User.id)
        .where(
            User.telegram_id.in_({item.chat_id for item in queued}),
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    members = {(chat, organisation) for chat, organisation in rows}
    return {
        item.row_id
        for item in queued
        if item.organisation_id is not None and (item.chat_id, item.organisation_id) not in members
    }


# Steps that speak of the due date as ahead or as today: past it, the overdue step tells (a
# questionnaire's has none: its time is up).
AHEAD = {(deadlines.ACTIVITY, "before"), (deadlines.ACTIVITY, "day")}
AHEAD |= {(deadlines.ROADMAP, "before"), (deadlines.ROADMAP, "day")}
AHEAD |= {(deadlines.SURVEY, "left3"), (deadlines.SURVEY, "left1")}


def _taken_over(kind: str, step: str) -> int:
    """How many days before the due date the step after `step` is due (its own reminder then
    says what is true: "today", "tomorrow", "overdue"); past the due date for the last one."""
    steps = deadlines.STEPS[kind].steps
    names = [name for name, _ in steps]
    index = names.index(step)
    return -steps[index + 1][1] if index + 1 < len(steps) else -1


async def _superseded(session: AsyncSession, queued: list[Queued], now: datetime) -> set[int]:
    """ "3 days left" or "today is the day" held over a weekend or a holiday until the next
    step's day (in the organisation's zone): that step's reminder says what is true now, so
    "3 days left" is not read beside "today", nor "today" beside "overdue"."""
    ahead = [item for item in queued if (item.kind, item.step) in AHEAD and item.due_on]
    if not ahead:
        return set()
    zones = dict(
        (
            await session.execute(
                select(Organisation.id, Organisation.timezone).where(
                    Organisation.id.in_({item.organisation_id for item in ahead})
                )
            )
        ).all()
    )
    return {
        item.row_id
        for item in ahead
        if item.organisation_id in zones
        and item.due_on is not None
        and _days_to(item.due_on, now, zones[item.organisation_id])
        <= _taken_over(item.kind, item.step)
    }


def _days_to(due_on: date, now: datetime, zone: str) -> int:
    """Days from today in the zone to `due_on` (negative once it passed)."""
    return (due_on - now.astimezone(ZoneInfo(zone)).date()).days


async def _activities(session: AsyncSession, items: list[Queued]) -> set[int]:
    """An item done, moved to another date, or of a pair no longer active."""
    rows = await session.execute(
        select(Activity.id, Activity.status, Activity.due_on, Pair.status)
        .join(Programme, Programme.id == Activity.programme_id)
        .join(Pair, Pair.id == Programme.pair_id)
        .where(Activity.id.in_({item.subject_id for item in items}))
    )
    still = {
        (activity_id, due_on)
        for activity_id, status, due_on, pair_status in rows
        if status == ActivityStatus.OPEN and pair_status == PairStatus.ACTIVE
    }
    return {item.row_id for item in items if (item.subject_id, item.due_on) not in still}


async def _programmes(session: AsyncSession, items: list[Queued]) -> set[int]:
    """The programme sent (or acknowledged) since, or the pair no longer active."""
    rows = await session.execute(
        select(Pair.id, Pair.status, Programme.status)
        .outerjoin(Programme, Programme.pair_id == Pair.id)
        .where(Pair.id.in_({item.subject_id for item in items}))
    )
    still = {
        pair_id
        for pair_id, pair_status, programme_status in rows
        if pair_status == PairStatus.ACTIVE
        and (programme_status is None or programme_status in UNFINISHED)
    }
    return {item.row_id for item in items if item.subject_id not in still}


async def _mentor_deadlines(session: AsyncSession, items: list[Queued]) -> set[int]:
    """The new teacher's pair approved since, or she left."""
    ids = {item.subject_id for item in items}
    approved = set(
        await session.scalars(
            select(PairMentee.mentee_membership_id)
            .join(Pair, Pair.id == PairMentee.pair_id)
            .where(PairMentee.mentee_membership_id.in_(ids), Pair.approved_at.is_not(None))
        )
    )
    active = set(
        await session.scalars(
            select(Membership.id).where(
                Membership.id.in_(ids), Membership.status == MembershipStatus.ACTIVE
            )
        )
    )
    return {
        item.row_id
        for item in items
        if item.subject_id in approved or item.subject_id not in active
    }


async def _terms(session: AsyncSession, items: list[Queued]) -> set[int]:
    """The pair ended, or its term moved (extended) since."""
    return await _not_due_as_said(
        session, items, Pair.id, Pair.ends_on, Pair.status == PairStatus.ACTIVE
    )


async def _reports(session: AsyncSession, items: list[Queued]) -> set[int]:
    """The recipient's own report sent since (the desk's notice of who is late stays)."""
    written = await _of_recipients(
        session,
        items,
        FinalReport.pair_id,
        FinalReport.author_membership_id,
        FinalReport.submitted_at.is_not(None),
    )
    return {item.row_id for item in items if (item.subject_id, item.chat_id) in written}


async def _roadmap(session: AsyncSession, items: list[Queued]) -> set[int]:
    """The stage marked done, or its deadline moved, since."""
    return await _not_due_as_said(
        session, items, RoadmapStage.id, RoadmapStage.due_on, RoadmapStage.done_at.is_(None)
    )


async def _not_due_as_said(
    session: AsyncSession,
    items: list[Queued],
    subject: InstrumentedAttribute[int],
    due_on: InstrumentedAttribute[Any],
    *open_: ColumnElement[bool],
) -> set[int]:
    """The reminders whose subject is no longer open (`open_`) or no longer due on the day
    the reminder says."""
    rows = await session.execute(
        select(subject, due_on).where(subject.in_({item.subject_id for item in items}), *open_)
    )
    still = {(subject_id, day) for subject_id, day in rows}
    return {item.row_id for item in items if (item.subject_id, item.due_on) not in still}


async def _surveys(session: AsyncSession, items: list[Queued]) -> set[int]:
    """The recipient sent the questionnaire since (or it was closed for them)."""
    still = await _of_recipients(
        session,
        items,
        SurveyResponse.campaign_id,
        SurveyResponse.membership_id,
        SurveyResponse.status.in_(OPEN_STATUSES),
    )
    return {item.row_id for item in items if (item.subject_id, item.chat_id) not in still}


async def _of_recipients(
    session: AsyncSession,
    items: list[Queued],
    subject: InstrumentedAttribute[int],
    member: InstrumentedAttribute[int],
    *condition: ColumnElement[bool],
) -> set[tuple[int, int]]:
    """(subject, chat) of the rows meeting `condition` whose person is `member`: a reminder
    to that chat about that subject speaks of that row."""
    rows = await session.execute(
        select(subject, User.telegram_id)
        .join(Membership, Membership.id == member)
        .join(User, User.id == Membership.user_id)
        .where(subject.in_({item.subject_id for item in items}), *condition)
    )
    return {(subject_id, chat) for subject_id, chat in rows}


CHECKS = {
    deadlines.ACTIVITY: _activities,
    deadlines.PROGRAMME: _programmes,
    deadlines.MENTOR_DEADLINE: _mentor_deadlines,
    deadlines.TERM_SOON: _terms,
    deadlines.TERM_END: _terms,
    deadlines.REPORT: _reports,
    deadlines.ROADMAP: _roadmap,
    deadlines.SURVEY: _surveys,
}
