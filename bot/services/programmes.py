"""The personalised programme of a pair: written, corrected, submitted, acknowledged, run.

The mentor writes it (from a template or from scratch) within 10 days of the pair's approval;
the mentee reads it and acknowledges it or asks for changes. Any correction of the content after
submission sends it back to a draft, to be submitted and acknowledged again (the Положение lets
the plan be corrected, and the mentee takes part in writing it). In a group every mentee
acknowledges. Activities are marked done by the mentor; either side may reopen one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import rules
from bot.services.errors import UserFacingError
from bot.services.pages import BUTTON_TEXT, short
from bot.services.profile_form import clean_text
from bot.services.programme_templates import Template
from models import (
    Activity,
    ActivityStatus,
    Pair,
    PairEvent,
    PairMentee,
    PairStatus,
    Programme,
    ProgrammeStatus,
)
from models.base import relock

# How long each piece may be: a programme renders in pages of one Telegram message.
FIELD_LIMITS = {"goal": 1000, "tasks": 2000, "planned_results": 2000, "form": 300}
FIELDS = tuple(FIELD_LIMITS)
CONTENT_LIMIT = 500
EXPECTED_LIMIT = 300
RESULT_LIMIT = 500
COMMENT_LIMIT = 1000
REASON_LIMIT = 300
MAX_ACTIVITIES = 40
UPCOMING_SHOWN = 3

EVIDENCE_KINDS = ("photo", "document")
# Kinds of the pair's history events this module writes.
EVENT_SUBMITTED = "programme_submitted"
EVENT_ACKNOWLEDGED = "programme_acknowledged"
EVENT_CHANGES = "programme_changes"
EVENT_REOPENED = "activity_reopened"
EVENT_MOVED = "activity_moved"
EVENT_KINDS = (EVENT_SUBMITTED, EVENT_ACKNOWLEDGED, EVENT_CHANGES, EVENT_REOPENED, EVENT_MOVED)


# --- reading ---------------------------------------------------------------------------------


async def programme_of(session: AsyncSession, pair_id: int) -> Programme | None:
    return await session.scalar(select(Programme).where(Programme.pair_id == pair_id))


async def activities_of(session: AsyncSession, programme_id: int) -> list[Activity]:
    return list(
        await session.scalars(
            select(Activity)
            .where(Activity.programme_id == programme_id)
            .order_by(Activity.position, Activity.id)
        )
    )


async def activity_of_pair(
    session: AsyncSession, pair: Pair, activity_id: int
) -> tuple[Programme, Activity] | None:
    """The activity only if it belongs to this pair's programme (callback data are forgeable)."""
    row = (
        await session.execute(
            select(Programme, Activity)
            .join(Activity, Activity.programme_id == Programme.id)
            .where(Programme.pair_id == pair.id, Activity.id == activity_id)
        )
    ).first()
    return None if row is None else (row[0], row[1])


async def mentee_ids(session: AsyncSession, pair_id: int) -> list[int]:
    return list(
        await session.scalars(
            select(PairMentee.mentee_membership_id)
            .where(PairMentee.pair_id == pair_id)
            .order_by(PairMentee.mentee_membership_id)
        )
    )


def approval_day(pair: Pair, timezone: str) -> date:
    """The day the pair was approved (or activated), in the kindergarten's time zone."""
    moment = pair.approved_at or pair.activated_at or pair.created_at
    return moment.astimezone(ZoneInfo(timezone)).date()


def writing_due(pair: Pair, timezone: str) -> date:
    """The 10-day rule: the last day to write the programme."""
    return rules.programme_due(approval_day(pair, timezone))


def due_of(pair: Pair, programme: Programme | None, timezone: str) -> date:
    """The last day to write the programme: its own date once started, else the 10-day rule."""
    return (programme.due_on if programme else None) or writing_due(pair, timezone)


def is_written(programme: Programme | None) -> bool:
    """Written means submitted to the mentee at least once."""
    return programme is not None and programme.submitted_at is not None


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    overdue: list[Activity]
    upcoming: list[Activity]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress(activities: list[Activity], today: date) -> Progress:
    open_ = sorted(
        (a for a in activities if a.status == ActivityStatus.OPEN),
        key=lambda a: (a.due_on, a.position),
    )
    return Progress(
        done=sum(a.status == ActivityStatus.DONE for a in activities),
        total=len(activities),
        overdue=[a for a in open_ if a.due_on < today],
        upcoming=[a for a in open_ if a.due_on >= today][:UPCOMING_SHOWN],
    )


def local_day(moment: datetime | None, timezone: str) -> date | None:
    return moment.astimezone(ZoneInfo(timezone)).date() if moment else None


def state_of(
    pair: Pair,
    programme: Programme | None,
    activities: list[Activity],
    today: date,
    zone: str,
    read: tuple[int, int] = (0, 1),
) -> tuple[str, dict[str, date | int | None]]:
    """The programme's state as a text's key and arguments, with the 10-day rule while it is
    not yet written; a group's sent programme says how many of its mentees (`read`: how many
    of how many) have read it."""
    due = due_of(pair, programme, zone)
    late = "-overdue" if due < today else ""
    waiting: dict[str, date | int | None] = {"due": due, "days": abs((due - today).days)}
    if programme is None:
        return f"programme-state-none{late}", waiting
    status = ProgrammeStatus(programme.status)
    if status in (ProgrammeStatus.DRAFT, ProgrammeStatus.CHANGES_REQUESTED):
        if is_written(programme):
            changes = status == ProgrammeStatus.CHANGES_REQUESTED
            return ("programme-state-changes" if changes else "programme-state-corrected"), {}
        return f"programme-state-draft{late}", waiting
    if status == ProgrammeStatus.SUBMITTED:
        sent = local_day(programme.submitted_at, zone)
        if read[1] > 1:
            return "programme-state-submitted-group", {
                "date": sent,
                "read": read[0],
                "count": read[1],
            }
        return "programme-state-submitted", {"date": sent}
    done, acknowledged = progress(activities, today), local_day(programme.acknowledged_at, zone)
    return "programme-state-acknowledged", {
        "date": acknowledged,
        "done": done.done,
        "total": done.total,
    }


def activity_mark(activity: Activity, today: date) -> str:
    if activity.status == ActivityStatus.DONE:
        return "✅"
    return "⚠️" if activity.due_on < today else "⬜"


def activity_button_text(activity: Activity, today: date) -> str:
    """A plan item as a button: mark, number, date and the start of its content."""
    return short(
        f"{activity_mark(activity, today)} {activity.position}. {activity.due_on:%d.%m} "
        f"{activity.content}",
        BUTTON_TEXT + 12,
    )


# --- writing ---------------------------------------------------------------------------------


def _check_pair_running(pair: Pair) -> None:
    if pair.status != PairStatus.ACTIVE:
        raise UserFacingError("programme-pair-not-active")


def spread_due(pair: Pair, today: date, share: float) -> date:
    """A template row's date: at `share` of what is left of the term from today."""
    first = max(pair.starts_on or today, today)
    last = pair.ends_on or rules.add_months(first, rules.MIN_TERM_MONTHS)
    first = min(first, last)
    return first + timedelta(days=round(share * (last - first).days))


async def create(
    session: AsyncSession,
    pair: Pair,
    timezone: str,
    template: Template | None,
    locale: str,
    now: datetime,
) -> Programme:
    """A new draft: empty, or filled from a template in the mentor's language."""
    _check_pair_running(pair)
    if await programme_of(session, pair.id) is not None:
        raise UserFacingError("programme-exists")
    programme = Programme(
        pair_id=pair.id,
        status=ProgrammeStatus.DRAFT,
        template=template.code if template else None,
        due_on=writing_due(pair, timezone),
        created_at=now,
        updated_at=now,
    )
    if template is not None:
        programme.goal = template.goal.in_(locale)
        programme.tasks = template.tasks.in_(locale)
        programme.planned_results = template.planned_results.in_(locale)
        programme.form = template.form.in_(locale)
    session.add(programme)
    await session.flush()
    if template is not None:
        today = now.astimezone(ZoneInfo(timezone)).date()
        for position, row in enumerate(template.activities, start=1):
            session.add(
                Activity(
                    programme_id=programme.id,
                    position=position,
                    content=row.content.in_(locale),
                    due_on=spread_due(pair, today, row.at),
                    expected_result=row.expected.in_(locale),
                    status=ActivityStatus.OPEN,
                    created_at=now,
                )
            )
        await session.flush()
    return programme


def _changed(programme: Programme, now: datetime) -> None:
    """Content changed: a submitted or acknowledged programme goes back to a draft."""
    programme.updated_at = now
    if programme.status in (ProgrammeStatus.SUBMITTED, ProgrammeStatus.ACKNOWLEDGED):
        programme.status = ProgrammeStatus.DRAFT


def parse_field(field: str, text: str | None) -> str:
    if field not in FIELD_LIMITS:
        raise UserFacingError("error-stale-button")
    return clean_text(text, FIELD_LIMITS[field])


def set_field(programme: Programme, field: str, value: str, now: datetime) -> None:
    if field not in FIELD_LIMITS:
        raise UserFacingError("error-stale-button")
    setattr(programme, field, value)
    _changed(programme, now)


ITEM_LIMITS = {"content": CONTENT_LIMIT, "expected_result": EXPECTED_LIMIT}  # an item's texts


def parse_item_text(field: str, text: str | None) -> str:
    """A plan item's content or expected result (`field`), as it is kept."""
    if field not in ITEM_LIMITS:
        raise UserFacingError("error-stale-button")
    return clean_text(text, ITEM_LIMITS[field])


async def add_activity(
    session: AsyncSession,
    programme: Programme,
    pair: Pair,
    content: str,
    due_on: date,
    expected: str,
    now: datetime,
) -> Activity:
    rules.check_inside_term(due_on, pair.starts_on, pair.ends_on)
    count = await session.scalar(
        select(func.count()).select_from(Activity).where(Activity.programme_id == programme.id)
    )
    if (count or 0) >= MAX_ACTIVITIES:
        raise UserFacingError("programme-too-many-activities", limit=MAX_ACTIVITIES)
    last = await session.scalar(
        select(func.max(Activity.position)).where(Activity.programme_id == programme.id)
    )
    activity = Activity(
        programme_id=programme.id,
        position=(last or 0) + 1,
        content=content,
        due_on=due_on,
        expected_result=expected,
        status=ActivityStatus.OPEN,
        created_at=now,
    )
    session.add(activity)
    _changed(programme, now)
    await session.flush()
    return activity


ACTIVITY_FIELDS = ("content", "due_on", "expected_result")


def set_activity_field(
    programme: Programme,
    pair: Pair,
    activity: Activity,
    field: str,
    value: str | date,
    now: datetime,
) -> None:
    if field == "due_on":
        assert isinstance(value, date)
        rules.check_inside_term(value, pair.starts_on, pair.ends_on)
    elif field not in ACTIVITY_FIELDS:
        raise UserFacingError("error-stale-button")
    setattr(activity, field, value)
    _changed(programme, now)


async def move_activity(
    session: AsyncSession, programme: Programme, activity: Activity, step: int, now: datetime
) -> bool:
    """Swap with the neighbour above (-1) or below (+1); False at the edge."""
    rows = await activities_of(session, programme.id)
    index = next(i for i, row in enumerate(rows) if row.id == activity.id)
    other = index + step
    if step not in (-1, 1) or not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows, start=1):
        row.position = position
    _changed(programme, now)
    await session.flush()
    return True


async def remove_activity(
    session: AsyncSession, programme: Programme, activity: Activity, now: datetime
) -> None:
    if activity.status == ActivityStatus.DONE:
        raise UserFacingError("programme-activity-done-kept")
    await session.delete(activity)
    await session.flush()
    for position, row in enumerate(await activities_of(session, programme.id), start=1):
        row.position = position
    _changed(programme, now)
    await session.flush()


# --- submission and acknowledgement ----------------------------------------------------------


async def missing_parts(session: AsyncSession, programme: Programme) -> list[str]:
    """What a programme still lacks before it can go to the mentee (field names, 'activities')."""
    missing = [field for field in FIELDS if not getattr(programme, field)]
    if not await activities_of(session, programme.id):
        missing.append("activities")
    return missing


async def submit(
    session: AsyncSession,
    programme: Programme,
    pair: Pair,
    mentor_membership_id: int,
    now: datetime,
) -> bool:
    """Send the programme to the mentee(s). False when it is already with them."""
    _check_pair_running(pair)
    if programme.status == ProgrammeStatus.SUBMITTED:
        return False
    if programme.status == ProgrammeStatus.ACKNOWLEDGED:
        raise UserFacingError("programme-already-agreed")
    missing = await missing_parts(session, programme)
    if missing:
        raise UserFacingError(f"programme-missing-{missing[0].replace('_', '-')}")
    programme.status = ProgrammeStatus.SUBMITTED
    programme.submitted_at = now
    programme.change_request = None
    session.add(
        PairEvent(
            pair_id=pair.id,
            kind=EVENT_SUBMITTED,
            actor_membership_id=mentor_membership_id,
            details={"programme_id": programme.id},
            created_at=now,
        )
    )
    await session.flush()
    return True


async def _acknowledged_by(session: AsyncSession, pair_id: int) -> set[int]:
    """Mentees who acknowledged the programme since it was last submitted."""
    last_submission = await session.scalar(
        select(func.max(PairEvent.id)).where(
            PairEvent.pair_id == pair_id, PairEvent.kind == EVENT_SUBMITTED
        )
    )
    rows = await session.scalars(
        select(PairEvent.actor_membership_id).where(
            PairEvent.pair_id == pair_id,
            PairEvent.kind == EVENT_ACKNOWLEDGED,
            PairEvent.id > (last_submission or 0),
        )
    )
    return {row for row in rows if row is not None}


async def read_by(session: AsyncSession, pair_id: int) -> tuple[int, int]:
    """How many of the pair's mentees have read the programme since it was sent, of how many."""
    mentees = set(await mentee_ids(session, pair_id))
    return len(mentees & await _acknowledged_by(session, pair_id)), len(mentees)


@dataclass(frozen=True)
class Acknowledgement:
    already: bool  # this mentee had acknowledged it: nothing changed
    complete: bool  # every mentee of the pair has now acknowledged it


async def acknowledge(
    session: AsyncSession, programme: Programme, pair: Pair, mentee_id: int, now: datetime
) -> Acknowledgement:
    # Mentees of a group may tap at the same moment: one at a time decides "everyone has read it".
    await relock(session, programme)
    if programme.status == ProgrammeStatus.ACKNOWLEDGED:
        return Acknowledgement(already=True, complete=True)
    if programme.status != ProgrammeStatus.SUBMITTED:
        raise UserFacingError("programme-not-submitted")
    done = await _acknowledged_by(session, pair.id)
    if mentee_id in done:
        return Acknowledgement(already=True, complete=False)
    session.add(
        PairEvent(
            pair_id=pair.id,
            kind=EVENT_ACKNOWLEDGED,
            actor_membership_id=mentee_id,
            details={"programme_id": programme.id},
            created_at=now,
        )
    )
    complete = await _agreed_once_all_read(session, programme, pair.id, done | {mentee_id}, now)
    await session.flush()
    return Acknowledgement(already=False, complete=complete)


async def _agreed_once_all_read(
    session: AsyncSession, programme: Programme, pair_id: int, read: set[int], now: datetime
) -> bool:
    """The programme agreed when every mentee of the pair is among those who `read` it."""
    mentees = set(await mentee_ids(session, pair_id))
    if not mentees or not mentees <= read:
        return False
    programme.status = ProgrammeStatus.ACKNOWLEDGED
    programme.acknowledged_at = now
    return True


async def agree_if_all_read(
    session: AsyncSession, pair_id: int, left: list[int], now: datetime
) -> bool:
    """The mentees `left` left the group: a change they asked for stands no more (their words
    go, the programme is with the others again), and the programme is agreed when every mentee
    still in the group has read it (nobody waits for those who left). True when it was."""
    programme = await session.scalar(select(Programme).where(Programme.pair_id == pair_id))
    if programme is None:
        return False
    await relock(session, programme)
    if programme.status == ProgrammeStatus.CHANGES_REQUESTED:
        asked_by = await session.scalar(
            select(PairEvent.actor_membership_id)
            .where(PairEvent.pair_id == pair_id, PairEvent.kind == EVENT_CHANGES)
            .order_by(PairEvent.id.desc())
            .limit(1)
        )
        if asked_by not in left:
            return False
        programme.status = ProgrammeStatus.SUBMITTED
        programme.change_request = None
    if programme.status != ProgrammeStatus.SUBMITTED:
        return False
    read = await _acknowledged_by(session, pair_id)  # of those still in the group: enough
    agreed = await _agreed_once_all_read(session, programme, pair_id, read, now)
    await session.flush()
    return agreed


async def request_changes(
    session: AsyncSession,
    programme: Programme,
    pair: Pair,
    mentee_id: int,
    comment: str,
    now: datetime,
) -> None:
    await relock(session, programme)
    if programme.status != ProgrammeStatus.SUBMITTED:
        raise UserFacingError("programme-not-submitted")
    programme.status = ProgrammeStatus.CHANGES_REQUESTED
    programme.change_request = comment
    programme.updated_at = now
    session.add(
        PairEvent(
            pair_id=pair.id,
            kind=EVENT_CHANGES,
            actor_membership_id=mentee_id,
            note=comment,
            details={"programme_id": programme.id},
            created_at=now,
        )
    )
    await session.flush()


def parse_comment(text: str | None) -> str:
    return clean_text(text, COMMENT_LIMIT)


# --- running it ------------------------------------------------------------------------------


def parse_result(text: str | None) -> str:
    return clean_text(text, RESULT_LIMIT)


def parse_reason(text: str | None) -> str:
    return clean_text(text, REASON_LIMIT)


def mark_done(
    activity: Activity,
    result: str,
    evidence_kind: str | None,
    evidence_file_id: str | None,
    now: datetime,
) -> None:
    if activity.status == ActivityStatus.DONE:
        raise UserFacingError("programme-activity-already-done")
    if evidence_kind is not None and evidence_kind not in EVIDENCE_KINDS:
        raise UserFacingError("error-stale-button")
    activity.status = ActivityStatus.DONE
    activity.result = result
    activity.evidence_kind = evidence_kind if evidence_file_id else None
    activity.evidence_file_id = evidence_file_id
    activity.done_at = now
    activity.reopen_reason = None


async def reopen(
    session: AsyncSession,
    pair: Pair,
    activity: Activity,
    reason: str,
    actor_membership_id: int,
    now: datetime,
) -> None:
    """Back to work, with the reason; what it had as a result stays in the pair's history."""
    if activity.status != ActivityStatus.DONE:
        raise UserFacingError("programme-activity-not-done")
    session.add(
        PairEvent(
            pair_id=pair.id,
            kind=EVENT_REOPENED,
            actor_membership_id=actor_membership_id,
            note=reason,
            details={
                "activity_id": activity.id,
                "result": activity.result,
                "evidence_kind": activity.evidence_kind,
                "evidence_file_id": activity.evidence_file_id,
                "done_at": activity.done_at.isoformat() if activity.done_at else None,
            },
            created_at=now,
        )
    )
    activity.status = ActivityStatus.OPEN
    activity.reopen_reason = reason
    activity.result = None
    activity.evidence_kind = None
    activity.evidence_file_id = None
    activity.done_at = None
    await session.flush()


def move_window(pair: Pair, today: date) -> tuple[date, date] | None:
    """The days a plan item may move to: from today (not before the term starts) to the end
    of the term; None when the term is over."""
    first = max(today, pair.starts_on or date.min)
    last = pair.ends_on or rules.add_months(first, rules.MAX_TERM_MONTHS)
    return (first, last) if first <= last else None


async def move_due(
    session: AsyncSession,
    pair: Pair,
    activity: Activity,
    due_on: date,
    reason: str,
    actor_membership_id: int,
    now: datetime,
) -> date:
    """An open item's new date, inside the term, with the reason in the pair's history (from a
    reminder: the plan is run, not rewritten, so the programme stays as acknowledged). Returns
    the old date; the same date again changes nothing."""
    _check_pair_running(pair)
    if activity.status != ActivityStatus.OPEN:
        raise UserFacingError("programme-activity-already-done")
    rules.check_inside_term(due_on, pair.starts_on, pair.ends_on)
    old = activity.due_on
    if due_on == old:
        return old
    session.add(
        PairEvent(
            pair_id=pair.id,
            kind=EVENT_MOVED,
            actor_membership_id=actor_membership_id,
            note=reason,
            details={
                "activity_id": activity.id,
                "from": old.isoformat(),
                "to": due_on.isoformat(),
            },
            created_at=now,
        )
    )
    activity.due_on = due_on
    await session.flush()
    return old
