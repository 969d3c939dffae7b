"""The organisation's settings (/settings): what it allows (the head's broadcasts, ratings for
mentors), its working days and hours, and its holidays. Messages that can wait (reminders,
invitations) go out only then (bot/services/outbox.py `WorkingHours`)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import UserFacingError
from models import Holiday, Organisation

TOGGLES = ("head_may_broadcast", "ratings_for_mentors")
WEEK = "1234567"  # ISO weekday digits, Monday first
FIRST_HOUR, LAST_HOUR = 0, 23  # an hour of the day; the day ends at 23:00 at the latest
HOLIDAYS_SHOWN = 60


def toggle(organisation: Organisation, name: str) -> bool:
    """Turn a setting on or off; returns its new value."""
    if name not in TOGGLES:
        raise UserFacingError("error-stale-button")
    value = not getattr(organisation, name)
    setattr(organisation, name, value)
    return value


def toggle_day(organisation: Organisation, day: str) -> str:
    """A weekday in or out of the working week; one working day at least stays."""
    if len(day) != 1 or day not in WEEK:
        raise UserFacingError("error-stale-button")
    days = set(organisation.working_days or "")
    days ^= {day}
    if not days:
        raise UserFacingError("settings-one-day-at-least")
    organisation.working_days = "".join(sorted(days))
    return organisation.working_days


def set_hours(organisation: Organisation, start: int, end: int) -> None:
    """The working day's first and last hour, local time; it must start before it ends."""
    if not (FIRST_HOUR <= start <= LAST_HOUR and FIRST_HOUR <= end <= LAST_HOUR):
        raise UserFacingError("error-stale-button")
    if start >= end:
        raise UserFacingError("settings-hours-order")
    organisation.workday_start_hour, organisation.workday_end_hour = start, end


async def holidays(
    session: AsyncSession, organisation: Organisation, since: date
) -> list[Holiday]:
    """The holidays from `since` on, nearest first."""
    return list(
        await session.scalars(
            select(Holiday)
            .where(Holiday.organisation_id == organisation.id, Holiday.day >= since)
            .order_by(Holiday.day)
            .limit(HOLIDAYS_SHOWN)
        )
    )


async def add_holiday(session: AsyncSession, organisation: Organisation, day: date) -> bool:
    """A day off; False when it is one already (a double tap)."""
    known = await session.scalar(
        select(Holiday.id).where(Holiday.organisation_id == organisation.id, Holiday.day == day)
    )
    if known is not None:
        return False
    session.add(Holiday(organisation_id=organisation.id, day=day))
    await session.flush()
    return True


async def remove_holiday(
    session: AsyncSession, organisation: Organisation, holiday_id: int
) -> bool:
    """False when it is gone already or not this organisation's."""
    holiday = await session.get(Holiday, holiday_id)
    if holiday is None or holiday.organisation_id != organisation.id:
        return False
    await session.delete(holiday)
    await session.flush()
    return True
