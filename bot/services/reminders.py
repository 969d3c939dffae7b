"""Deadline reminders decided from the database: the 10-day programme rule, the 30-day rule.

Each reminder has a stage ("soon", then "overdue"); a row in `sent_reminders` records that a
stage went out, in the same transaction that sends it, so none is sent twice. Reminders go out
only in the organisation's working hours, local time, Monday to Friday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import rules
from models import (
    Membership,
    MembershipStatus,
    Organisation,
    Pair,
    PairMentee,
    PairStatus,
    Profile,
    Programme,
    ProgrammeStatus,
    Role,
    SentReminder,
)
from models.enums import LIVE_PAIR_STATUSES

PROGRAMME = "programme"  # the mentor writes the programme within 10 days of approval
MENTOR_DEADLINE = "mentor_30d"  # a new teacher gets a mentor within 30 days of starting
SOON_DAYS = {PROGRAMME: 2, MENTOR_DEADLINE: 7}
# Past this many days overdue the 30-day rule is not news any more (teachers who came long ago).
MENTOR_DEADLINE_HORIZON = 30


@dataclass(frozen=True)
class Reminder:
    kind: str
    subject_id: int  # the pair (programme) or the mentee's membership (30-day rule)
    stage: str
    organisation_id: int
    due: date
    days_left: int


def in_working_hours(organisation: Organisation, now: datetime) -> bool:
    local = now.astimezone(ZoneInfo(organisation.timezone))
    return (
        local.weekday() < 5
        and organisation.workday_start_hour <= local.hour < organisation.workday_end_hour
    )


def stage_of(kind: str, days_left: int) -> str | None:
    if days_left < 0:
        return "overdue"
    if days_left <= SOON_DAYS[kind]:
        return "soon"
    return None


async def _already_sent(session: AsyncSession, kind: str, subject_id: int, stage: str) -> bool:
    found = await session.scalar(
        select(SentReminder.id).where(
            SentReminder.kind == kind,
            SentReminder.subject_id == subject_id,
            SentReminder.stage == stage,
        )
    )
    return found is not None


async def due(session: AsyncSession, now: datetime) -> list[Reminder]:
    """Every reminder due now, in organisations that are at work."""
    found = [*await _programme_reminders(session, now), *await _mentor_reminders(session, now)]
    kept = []
    for reminder in found:
        if not await _already_sent(session, reminder.kind, reminder.subject_id, reminder.stage):
            kept.append(reminder)
    return kept


async def _programme_reminders(session: AsyncSession, now: datetime) -> list[Reminder]:
    rows = (
        await session.execute(
            select(Pair, Organisation, Programme)
            .join(Organisation, Organisation.id == Pair.organisation_id)
            .outerjoin(Programme, Programme.pair_id == Pair.id)
            .where(
                Pair.status == PairStatus.ACTIVE,
                or_(
                    Programme.id.is_(None),
                    Programme.status.in_(
                        [ProgrammeStatus.DRAFT, ProgrammeStatus.CHANGES_REQUESTED]
                    ),
                ),
            )
        )
    ).all()
    reminders = []
    for pair, organisation, programme in rows:
        approved = pair.approved_at or pair.activated_at
        if approved is None or not in_working_hours(organisation, now):
            continue
        zone = ZoneInfo(organisation.timezone)
        due_on = (programme.due_on if programme else None) or rules.programme_due(
            approved.astimezone(zone).date()
        )
        days_left = (due_on - now.astimezone(zone).date()).days
        stage = stage_of(PROGRAMME, days_left)
        if stage is not None:
            reminders.append(
                Reminder(PROGRAMME, pair.id, stage, organisation.id, due_on, days_left)
            )
    return reminders


async def _mentor_reminders(session: AsyncSession, now: datetime) -> list[Reminder]:
    in_live_pair = exists().where(
        PairMentee.mentee_membership_id == Membership.id,
        PairMentee.pair_id == Pair.id,
        Pair.status.in_(LIVE_PAIR_STATUSES),
    )
    rows = (
        await session.execute(
            select(Membership.id, Profile.started_on, Organisation)
            .join(Profile, Profile.membership_id == Membership.id)
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .where(
                Membership.role == Role.MENTEE,
                Membership.status == MembershipStatus.ACTIVE,
                Profile.started_on.is_not(None),
                ~in_live_pair,
            )
        )
    ).all()
    reminders = []
    for membership_id, started_on, organisation in rows:
        if not in_working_hours(organisation, now):
            continue
        today = now.astimezone(ZoneInfo(organisation.timezone)).date()
        days_left = rules.days_to_mentor_deadline(started_on, today)
        if started_on is None or days_left is None or days_left < -MENTOR_DEADLINE_HORIZON:
            continue
        stage = stage_of(MENTOR_DEADLINE, days_left)
        if stage is not None:
            reminders.append(
                Reminder(
                    MENTOR_DEADLINE,
                    membership_id,
                    stage,
                    organisation.id,
                    rules.mentor_deadline(started_on),
                    days_left,
                )
            )
    return reminders


def mark_sent(session: AsyncSession, reminder: Reminder, now: datetime) -> None:
    session.add(
        SentReminder(
            kind=reminder.kind,
            subject_id=reminder.subject_id,
            stage=reminder.stage,
            sent_at=now,
        )
    )
