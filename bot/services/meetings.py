"""Meetings of a pair or group: logged by one side, confirmed by the other.

A meeting has a date inside the pair's term and not in the future, a format, optionally the
programme activity it served, a duration, notes and next steps, and who of the mentees was
present. The mentor logs a group meeting for the mentees present; a mentee logs one for
themselves. The other side confirms it once; a second confirmation changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import rules
from bot.services.errors import UserFacingError
from bot.services.people import Actor
from bot.services.plan_access import meeting_of_member, member_ids
from bot.services.profile_form import clean_text
from bot.services.programmes import activity_of_pair, mentee_ids
from models import Activity, Meeting, MeetingAttendee, Pair, PairStatus
from models.base import relock

FORMATS = ("in_person", "online")
DURATION_CHOICES = (30, 45, 60, 90)
MIN_DURATION, MAX_DURATION = 5, 480
NOTES_LIMIT = 1000
NEXT_STEPS_LIMIT = 500


def check_date(day: date, pair: Pair, today: date) -> date:
    """A meeting that took place: inside the term, and not later than today."""
    rules.check_inside_term(day, pair.starts_on, pair.ends_on)
    if day > today:
        raise UserFacingError("meeting-date-future")
    return day


def parse_duration(text: str | None) -> int:
    value = (text or "").strip().lower().removesuffix("мин").removesuffix("min").strip()
    if not re.fullmatch(r"\d{1,3}", value) or not MIN_DURATION <= int(value) <= MAX_DURATION:
        raise UserFacingError("meeting-duration-invalid", low=MIN_DURATION, high=MAX_DURATION)
    return int(value)


def parse_notes(text: str | None) -> str:
    return clean_text(text, NOTES_LIMIT)


def parse_next_steps(text: str | None) -> str:
    return clean_text(text, NEXT_STEPS_LIMIT)


@dataclass
class Draft:
    """What the dialog has gathered; checked again as a whole when saved."""

    held_on: date
    format: str
    duration_minutes: int
    activity_id: int | None = None
    notes: str | None = None
    next_steps: str | None = None
    attendees: list[int] = field(default_factory=list)

    @classmethod
    def gathered(cls, data: dict[str, Any], next_steps: str | None) -> Draft | None:
        """The draft from a dialog's data (the date as ISO text); None while a part is missing."""
        if not {"held_on", "format", "duration_minutes"} <= data.keys():
            return None
        values = {f.name: data[f.name] for f in fields(cls) if f.name in data}
        values |= {"held_on": date.fromisoformat(data["held_on"]), "next_steps": next_steps}
        return cls(**values)


async def check_activity(session: AsyncSession, pair: Pair, activity_id: int | None) -> None:
    if activity_id is not None and await activity_of_pair(session, pair, activity_id) is None:
        raise UserFacingError("error-not-found")


async def log(
    session: AsyncSession,
    pair: Pair,
    logged_by: int,
    draft: Draft,
    today: date,
    now: datetime,
) -> Meeting:
    if pair.status != PairStatus.ACTIVE:
        raise UserFacingError("programme-pair-not-active")
    check_date(draft.held_on, pair, today)
    if draft.format not in FORMATS:
        raise UserFacingError("error-stale-button")
    if not MIN_DURATION <= draft.duration_minutes <= MAX_DURATION:
        raise UserFacingError("meeting-duration-invalid", low=MIN_DURATION, high=MAX_DURATION)
    await check_activity(session, pair, draft.activity_id)
    mentees = await mentee_ids(session, pair.id)
    if logged_by == pair.mentor_membership_id:
        present = [m for m in mentees if m in draft.attendees] if len(mentees) > 1 else mentees
    elif logged_by in mentees:
        present = [logged_by]  # a mentee speaks for themselves
    else:
        raise UserFacingError("error-not-found")
    if not present:
        raise UserFacingError("meeting-nobody-present")
    meeting = Meeting(
        pair_id=pair.id,
        held_on=draft.held_on,
        format=draft.format,
        activity_id=draft.activity_id,
        duration_minutes=draft.duration_minutes,
        notes=draft.notes,
        next_steps=draft.next_steps,
        logged_by_membership_id=logged_by,
        created_at=now,
    )
    session.add(meeting)
    await session.flush()
    session.add_all(MeetingAttendee(meeting_id=meeting.id, membership_id=m) for m in present)
    await session.flush()
    return meeting


async def attendees(session: AsyncSession, meeting_id: int) -> list[int]:
    return list(
        await session.scalars(
            select(MeetingAttendee.membership_id)
            .where(MeetingAttendee.meeting_id == meeting_id)
            .order_by(MeetingAttendee.membership_id)
        )
    )


async def confirmers(session: AsyncSession, meeting: Meeting, pair: Pair) -> list[int]:
    """Who is asked to confirm: the mentees present when the mentor logged it, else the mentor."""
    if meeting.logged_by_membership_id == pair.mentor_membership_id:
        return await attendees(session, meeting.id)
    return [pair.mentor_membership_id]


@dataclass(frozen=True)
class Confirmation:
    already: bool


async def confirm(
    session: AsyncSession, meeting: Meeting, pair: Pair, membership_ids: list[int], now: datetime
) -> Confirmation:
    allowed = [m for m in await confirmers(session, meeting, pair) if m in membership_ids]
    if not allowed:
        raise UserFacingError("meeting-confirm-not-yours")
    await relock(session, meeting)  # two mentees of a group tap at once
    if meeting.confirmed_at is not None:
        return Confirmation(already=True)
    meeting.confirmed_at = now
    meeting.confirmed_by_membership_id = allowed[0]
    await session.flush()
    return Confirmation(already=False)


async def confirm_as(
    session: AsyncSession, actor: Actor, meeting_id: int, now: datetime
) -> tuple[Meeting, Pair]:
    """The actor confirms a meeting of their pair, once."""
    found = await meeting_of_member(session, actor, meeting_id)
    if found is None:
        raise UserFacingError("error-not-found")
    meeting, pair = found
    if (await confirm(session, meeting, pair, member_ids(actor), now)).already:
        raise UserFacingError("meeting-already-confirmed")
    return meeting, pair


async def served(session: AsyncSession, meeting: Meeting) -> Activity | None:
    """The plan item the meeting served, if any."""
    return await session.get(Activity, meeting.activity_id) if meeting.activity_id else None


async def counts(session: AsyncSession, pair_id: int) -> tuple[int, int]:
    """How many meetings the pair has logged, and how many of them are confirmed."""
    row = (
        await session.execute(
            select(func.count(Meeting.id), func.count(Meeting.confirmed_at)).where(
                Meeting.pair_id == pair_id
            )
        )
    ).one()
    return int(row[0]), int(row[1])


async def awaiting(session: AsyncSession, pair: Pair, membership_ids: list[int]) -> list[Meeting]:
    """Unconfirmed meetings this person is asked to confirm (a request may not have come)."""
    unconfirmed = await session.scalars(
        select(Meeting)
        .where(Meeting.pair_id == pair.id, Meeting.confirmed_at.is_(None))
        .order_by(Meeting.held_on, Meeting.id)
    )
    return [
        meeting
        for meeting in unconfirmed
        if set(await confirmers(session, meeting, pair)) & set(membership_ids)
    ]
