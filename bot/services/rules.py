"""Every rule with a number from the Положение (domain.md, Rules with numbers), in one place.

Other services ask these functions; nothing else hard-codes 30, 10 or 3.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.services.errors import UserFacingError

MAX_MENTEES_PER_MENTOR = 3
MENTOR_APPROVAL_DAYS = 30  # after the mentee actually started work
PROGRAMME_WRITING_DAYS = 10  # after the pair is approved
REPORT_DAYS_AFTER_END = 10
MIN_TERM_MONTHS = 1
MAX_TERM_MONTHS = 12

# Forms of mentoring (domain.md); several may be combined.
FORMS = (
    "traditional",
    "group",
    "virtual",
    "short_term",
    "reverse",
    "situational",
    "speed",
    "teacher_teacher",
    "head_teacher",
    "employer_student",
    "college_teacher",
)
# Why a term is extended, a mentor replaced or a programme ended (kept in the pair's history).
EXTENSION_REASONS = ("absence", "agreement")
REPLACEMENT_REASONS = ("employment_ended", "transferred", "request", "duties", "circumstances")
EARLY_END_REASONS = ("parties_decided", "curator_decided", "mentee_duties")


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_term(starts_on: date, ends_on: date) -> None:
    """Mentoring lasts from 1 month to 1 year."""
    if ends_on < add_months(starts_on, MIN_TERM_MONTHS):
        raise UserFacingError("rule-term-too-short", months=MIN_TERM_MONTHS)
    if ends_on > add_months(starts_on, MAX_TERM_MONTHS):
        raise UserFacingError("rule-term-too-long", months=MAX_TERM_MONTHS)


def check_capacity(current_mentees: int, adding: int = 1) -> None:
    """A mentor has at most 3 mentees at the same time."""
    if current_mentees + adding > MAX_MENTEES_PER_MENTOR:
        raise UserFacingError(
            "rule-mentor-capacity", limit=MAX_MENTEES_PER_MENTOR, current=current_mentees
        )


def mentor_deadline(started_on: date) -> date:
    """The last day by which a mentee's mentor must be approved."""
    return started_on + timedelta(days=MENTOR_APPROVAL_DAYS)


def days_to_mentor_deadline(started_on: date | None, today: date) -> int | None:
    """Days left (negative when overdue); None when the start date is not known."""
    if started_on is None:
        return None
    return (mentor_deadline(started_on) - today).days


def programme_due(approved_on: date) -> date:
    """The mentor writes the programme no later than 10 days after approval."""
    return approved_on + timedelta(days=PROGRAMME_WRITING_DAYS)


def report_due(ended_on: date) -> date:
    return ended_on + timedelta(days=REPORT_DAYS_AFTER_END)


def check_inside_term(day: date, starts_on: date | None, ends_on: date | None) -> None:
    """An activity's or meeting's date lies inside the pair's term."""
    if (starts_on and day < starts_on) or (ends_on and day > ends_on):
        raise UserFacingError(
            "rule-date-outside-term",
            start=starts_on.strftime("%d.%m.%Y") if starts_on else "—",
            end=ends_on.strftime("%d.%m.%Y") if ends_on else "—",
        )


WEEKDAYS = "12345"  # ISO weekday digits of the default working week, Monday to Friday


def add_working_hours(
    start: datetime,
    hours: float,
    timezone: str,
    day_start: int,
    day_end: int,
    days: str = WEEKDAYS,
    holidays: frozenset[date] = frozenset(),
) -> datetime:
    """`start` plus `hours` counted only within working hours on working days (`days`, ISO
    weekday digits, Monday to Friday by default) that are not `holidays`, local time.

    Returns an aware UTC datetime. Used for response times such as situational help.
    """
    zone = ZoneInfo(timezone)
    moment = start.astimezone(zone)
    remaining = timedelta(hours=hours)
    if not days:
        days = WEEKDAYS  # a week with no working day would never let a message out
    while True:
        day_open = moment.replace(hour=day_start, minute=0, second=0, microsecond=0)
        day_close = moment.replace(hour=day_end, minute=0, second=0, microsecond=0)
        if (
            str(moment.isoweekday()) not in days
            or moment.date() in holidays
            or moment >= day_close
        ):
            moment = (day_open + timedelta(days=1)).replace(hour=day_start)
            continue
        moment = max(moment, day_open)
        available = day_close - moment
        if remaining <= available:
            return (moment + remaining).astimezone(ZoneInfo("UTC"))
        remaining -= available
        moment = day_open + timedelta(days=1)


def next_working_moment(
    now: datetime,
    timezone: str,
    day_start: int,
    day_end: int,
    days: str = WEEKDAYS,
    holidays: frozenset[date] = frozenset(),
) -> datetime:
    """`now` if it falls in working hours on a working day, local time, else the next
    opening: when a message that can wait is let out."""
    return add_working_hours(now, 0, timezone, day_start, day_end, days, holidays)
