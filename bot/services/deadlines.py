"""What is due now: every deadline reminder, each kind decided by one indexed query that reads
only the subjects whose reminder falls in a short window around today (never every overdue item).

A kind has steps, each a number of days from the subject's due date ("3 days before", "on the
day", "overdue"); a step may still go out for a few days when the bot was down on its day, but a
later step replaces an earlier one that was missed. What went out is marked in `sent_reminders`
per (kind, subject, stage) in the transaction that queues it (bot/jobs/deadlines.py), so each is
sent once; the stage carries the due date, so a moved date is reminded of again. When the
message may go (working hours, working days, holidays) is the delivery queue's business.

Queries are batched per pass: the candidates, then their sent marks, people, desks and mutes
each in one query over the candidates' ids.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import rules
from bot.services.errors import UserFacingError
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
    Profile,
    Programme,
    ProgrammeStatus,
    ReminderMute,
    RoadmapStage,
    Role,
    SentReminder,
    SurveyCampaign,
    SurveyResponse,
    User,
)
from models.base import insert_unless_present
from models.questionnaires import OPEN_STATUSES

# The kinds of reminder. Those the Положение requires cannot be muted.
PROGRAMME = "programme"  # the mentor writes the programme within 10 days of approval
MENTOR_DEADLINE = "mentor_30d"  # a new teacher gets a mentor within 30 days of starting
ACTIVITY = "activity"  # a plan item's date
TERM_SOON = "term_soon"  # the programme ends in 14 days
TERM_END = "term_end"  # the term passed: the curator decides (complete, extend, end early)
REPORT = "report"  # the two final reports, within 10 days of the end (the desk: the day after)
ROADMAP = "roadmap"  # a roadmap stage's deadline
YEAR = "year"  # September: refresh the bank; May: launch the monitoring questionnaires
SURVEY = "survey"  # a questionnaire campaign's deadline
KINDS = (PROGRAMME, MENTOR_DEADLINE, ACTIVITY, TERM_SOON, TERM_END, REPORT, ROADMAP, YEAR, SURVEY)
MUTABLE = (ACTIVITY, TERM_SOON, SURVEY)

WEEKS_ASKED = 53  # the curator is asked every 7 days for a year after the term, at most
CATCH_UP_DAYS = 2  # a weekly question still goes out this many days late (the bot was down)


@dataclass(frozen=True)
class Steps:
    """(step, days from the due date), ascending; the last step may go out `last_for` days."""

    steps: tuple[tuple[str, int], ...]
    last_for: int

    def step(self, due: date, today: date) -> str | None:
        delta = (today - due).days
        for index, (name, offset) in enumerate(self.steps):
            end = (
                self.steps[index + 1][1] if index + 1 < len(self.steps) else offset + self.last_for
            )
            if offset <= delta < end:
                return name
        return None

    def window(self, days: Sequence[date]) -> tuple[date, date]:
        """The due dates some step of which falls on one of `days`."""
        first, last = self.steps[0][1], self.steps[-1][1] + self.last_for - 1
        return min(days) - timedelta(days=last), max(days) - timedelta(days=first)


STEPS = {
    PROGRAMME: Steps((("soon", -2), ("overdue", 1)), 30),
    MENTOR_DEADLINE: Steps((("soon", -7), ("overdue", 1)), 30),
    ACTIVITY: Steps((("before", -3), ("day", 0), ("late", 1)), 3),
    TERM_SOON: Steps((("soon", -14),), 3),
    # Due on the 10th day after the end (rules.report_due): the desk hears the day after it.
    REPORT: Steps((("day3", 3), ("day8", 8), ("late", rules.REPORT_DAYS_AFTER_END + 1)), 3),
    ROADMAP: Steps((("before", -7), ("day", 0), ("late", 1)), 3),
    SURVEY: Steps((("left3", -3), ("left1", -1)), 1),
}
# The Положение's own stage names for the 10-day and 30-day rules (marks of earlier versions).
PLAIN_STAGES = (PROGRAMME, MENTOR_DEADLINE)


@dataclass(frozen=True)
class Person:
    membership_id: int
    telegram_id: int
    language: str | None
    full_name: str | None
    is_mentor: bool = False
    is_curator: bool = False  # of the desk: decides a pair's end (a head without one reads)


@dataclass
class Due:
    """One reminder to send now: a kind's step for one subject, and whom to tell."""

    kind: str
    subject_id: int
    step: str
    organisation_id: int
    due: date
    today: date
    people: list[Person] = field(default_factory=list)  # the subject's own people
    desk: list[Person] = field(default_factory=list)  # curators (heads when none)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def stage(self) -> str:
        """The mark in sent_reminders."""
        return stage_mark(self.kind, self.step, self.due)

    @property
    def days_left(self) -> int:
        return (self.due - self.today).days


def local_days(now: datetime) -> list[date]:
    """The dates it may be now somewhere in the organisations' zones (UTC-12 to UTC+14)."""
    return sorted({(now - timedelta(hours=12)).date(), (now + timedelta(hours=14)).date()})


def _moments(first: date, last: date) -> tuple[datetime, datetime]:
    """Instants that fall on `first`..`last` in some zone."""
    zone = ZoneInfo("UTC")
    start = datetime(first.year, first.month, first.day, tzinfo=zone) - timedelta(hours=14)
    end = datetime(last.year, last.month, last.day, tzinfo=zone) + timedelta(hours=36)
    return start, end


def term_passed(pair: Pair, today: date) -> bool:
    """Derived state: the pair is active though its end date passed (nobody decided yet)."""
    return pair.status == PairStatus.ACTIVE and pair.ends_on is not None and pair.ends_on < today


def stage_mark(kind: str, step: str, due_on: date) -> str:
    """What sent_reminders keeps for a kind's step of a subject due on `due_on`."""
    return step if kind in PLAIN_STAGES else f"{step}:{due_on:%Y%m%d}"[:16]


def _stage_of_date(
    kind: str, column: Any, today: date, first: date, last: date, shift: int = 0
) -> Any:
    """SQL: the stage mark of the step due today for a subject whose `column` (a date; the due
    date is `shift` days later) lies in first..last; a CASE over the window's few dates."""
    marks = {}
    day = first
    while day <= last:
        due_on = day + timedelta(days=shift)
        step = STEPS[kind].step(due_on, today)
        if step is not None:
            marks[day] = stage_mark(kind, step, due_on)
        day += timedelta(days=1)
    return case(marks, value=column, else_="") if marks else literal("")


def _not_sent(kind: str, subject: Any, stage: Any) -> ColumnElement[bool]:
    """No mark of this stage yet (the unique index kind, subject_id, stage)."""
    return ~(
        select(SentReminder.id)
        .where(
            SentReminder.kind == kind,
            SentReminder.subject_id == subject,
            SentReminder.stage == stage,
        )
        .exists()
    )


# --- batched look-ups -------------------------------------------------------------------------


class Pass:
    """One pass's shared look-ups: organisations and desks read once each."""

    def __init__(self, session: AsyncSession, now: datetime) -> None:
        self.session = session
        self.now = now
        self.days = local_days(now)
        self.zones: dict[int, ZoneInfo] = {}

    async def load_zones(self, organisation_ids: Iterable[int]) -> None:
        wanted = set(organisation_ids) - set(self.zones)
        if wanted:
            rows = await self.session.execute(
                select(Organisation.id, Organisation.timezone).where(Organisation.id.in_(wanted))
            )
            self.zones.update((oid, ZoneInfo(zone)) for oid, zone in rows)

    async def zone_days(self) -> list[tuple[date, list[str]]]:
        """The organisations' zones grouped by the date it is in them now (usually one group):
        a query per group decides exactly which step is due and whether it went out."""
        if not hasattr(self, "_zone_days"):
            zones = await self.session.scalars(select(Organisation.timezone).distinct())
            groups: dict[date, list[str]] = defaultdict(list)
            for zone in zones:
                groups[self.now.astimezone(ZoneInfo(zone)).date()].append(zone)
            self._zone_days = sorted(groups.items())
        return self._zone_days

    def today(self, organisation_id: int) -> date:
        return self.now.astimezone(self.zones[organisation_id]).date()

    def local_date(self, organisation_id: int, moment: datetime) -> date:
        return moment.astimezone(self.zones[organisation_id]).date()

    async def unsent(self, found: list[Due]) -> list[Due]:
        """Those whose stage has not gone out (one query per kind over the candidates)."""
        by_kind: dict[str, list[Due]] = defaultdict(list)
        for item in found:
            by_kind[item.kind].append(item)
        kept = []
        for kind, items in by_kind.items():
            rows = await self.session.execute(
                select(SentReminder.subject_id, SentReminder.stage).where(
                    SentReminder.kind == kind,
                    SentReminder.subject_id.in_({item.subject_id for item in items}),
                )
            )
            sent = {(subject_id, stage) for subject_id, stage in rows}
            kept += [item for item in items if (item.subject_id, item.stage) not in sent]
        return kept

    async def people(self, membership_ids: Iterable[int]) -> dict[int, Person]:
        ids = set(membership_ids)
        if not ids:
            return {}
        rows = await self.session.execute(
            select(Membership.id, User.telegram_id, User.language, Profile.full_name)
            .join(User, User.id == Membership.user_id)
            .outerjoin(Profile, Profile.membership_id == Membership.id)
            .where(Membership.id.in_(ids), Membership.status == MembershipStatus.ACTIVE)
        )
        return {row[0]: Person(row[0], row[1], row[2], row[3]) for row in rows}

    async def pair_people(self, pair_ids: Iterable[int]) -> dict[int, list[Person]]:
        """The mentor first, then the mentees, of each pair."""
        ids = set(pair_ids)
        if not ids:
            return {}
        rows = await self.session.execute(
            select(Pair.id, Pair.mentor_membership_id).where(Pair.id.in_(ids))
        )
        mentors = {pair_id: mentor for pair_id, mentor in rows}
        mentees = await self.session.execute(
            select(PairMentee.pair_id, PairMentee.mentee_membership_id).where(
                PairMentee.pair_id.in_(ids)
            )
        )
        members: dict[int, list[int]] = defaultdict(list)
        for pair_id, membership_id in mentees:
            members[pair_id].append(membership_id)
        known = await self.people([*mentors.values(), *(m for ms in members.values() for m in ms)])
        result = {}
        for pair_id, mentor in mentors.items():
            people = []
            if mentor in known:
                person = known[mentor]
                people.append(
                    Person(
                        person.membership_id,
                        person.telegram_id,
                        person.language,
                        person.full_name,
                        True,
                    )
                )
            people += [known[m] for m in sorted(members[pair_id]) if m in known]
            result[pair_id] = people
        return result

    async def desks(self, organisation_ids: Iterable[int]) -> dict[int, list[Person]]:
        """Curators of each organisation (heads where there is no curator)."""
        ids = set(organisation_ids)
        if not ids:
            return {}
        rows = await self.session.execute(
            select(
                Membership.organisation_id,
                Membership.role,
                Membership.id,
                User.telegram_id,
                User.language,
            )
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.organisation_id.in_(ids),
                Membership.status == MembershipStatus.ACTIVE,
                Membership.role.in_([Role.CURATOR, Role.HEAD]),
            )
        )
        curators: dict[int, list[Person]] = defaultdict(list)
        heads: dict[int, list[Person]] = defaultdict(list)
        for oid, role, mid, tid, language in sorted(rows, key=lambda row: row[3]):
            (curators if role == Role.CURATOR else heads)[oid].append(
                Person(mid, tid, language, None, is_curator=role == Role.CURATOR)
            )
        return {oid: curators.get(oid) or heads.get(oid, []) for oid in ids}

    async def muted(self, items: Sequence[Due]) -> set[tuple[int, str]]:
        """(membership, kind) pairs muted among the recipients of mutable kinds."""
        ids = {
            person.membership_id
            for item in items
            if item.kind in MUTABLE
            for person in (*item.people, *item.desk)
        }
        if not ids:
            return set()
        rows = await self.session.execute(
            select(ReminderMute.membership_id, ReminderMute.kind).where(
                ReminderMute.membership_id.in_(ids), ReminderMute.kind.in_(MUTABLE)
            )
        )
        return {(membership_id, kind) for membership_id, kind in rows}


async def due(session: AsyncSession, now: datetime) -> list[Due]:
    """Every reminder due now, not yet sent, with its people; muted recipients left out."""
    this = Pass(session, now)
    found: list[Due] = []
    for finder in (
        _programmes,
        _mentor_deadlines,
        _activities,
        _term_soon,
        _term_end,
        _reports,
        _roadmap,
        _year,
        _surveys,
    ):
        found += await finder(this)
    found = await this.unsent(found)
    desks = await this.desks({item.organisation_id for item in found})
    for item in found:
        item.desk = desks.get(item.organisation_id, [])
    muted = await this.muted(found)
    for item in found:
        if item.kind in MUTABLE:
            item.people = [p for p in item.people if (p.membership_id, item.kind) not in muted]
            item.desk = [p for p in item.desk if (p.membership_id, item.kind) not in muted]
    return found


async def mark_sent(session: AsyncSession, item: Due, now: datetime) -> bool:
    """Mark the reminder sent; False when another scheduler marked it since this pass read
    (two processes on SQLite, where no lock keeps the passes apart): then it is theirs."""
    marked = await session.scalar(
        insert_unless_present(session, SentReminder, ["kind", "subject_id", "stage"])
        .values(kind=item.kind, subject_id=item.subject_id, stage=item.stage, sent_at=now)
        .returning(SentReminder.id)
    )
    return marked is not None


# --- the kinds --------------------------------------------------------------------------------


def _stepped(
    this: Pass, kind: str, rows: Iterable[tuple[Any, ...]], due_of: Any
) -> list[tuple[tuple[Any, ...], str, date, date]]:
    """(row, step, due, today) for rows whose step falls on their organisation's today."""
    chosen = []
    for row in rows:
        organisation_id = row[1]
        today = this.today(organisation_id)
        due_on = due_of(row)
        if due_on is None:
            continue
        step = STEPS[kind].step(due_on, today)
        if step is not None:
            chosen.append((row, step, due_on, today))
    return chosen


async def _programmes(this: Pass) -> list[Due]:
    """The 10-day rule: pairs approved 8 to 41 days ago without a submitted programme."""
    first, last = STEPS[PROGRAMME].window(this.days)
    start, end = _moments(
        first - timedelta(days=rules.PROGRAMME_WRITING_DAYS),
        last - timedelta(days=rules.PROGRAMME_WRITING_DAYS),
    )
    rows = (
        await this.session.execute(
            select(Pair.id, Pair.organisation_id, Pair.approved_at, Programme.due_on)
            .outerjoin(Programme, Programme.pair_id == Pair.id)
            .where(
                Pair.status == PairStatus.ACTIVE,
                Pair.approved_at.between(start, end),
                or_(
                    Programme.id.is_(None),
                    Programme.status.in_(
                        [ProgrammeStatus.DRAFT, ProgrammeStatus.CHANGES_REQUESTED]
                    ),
                ),
            )
        )
    ).all()
    await this.load_zones(row[1] for row in rows)
    chosen = _stepped(
        this,
        PROGRAMME,
        rows,
        lambda row: row[3] or rules.programme_due(this.local_date(row[1], row[2])),
    )
    people = await this.pair_people(row[0] for row, *_ in chosen)
    return [
        Due(PROGRAMME, row[0], step, row[1], due_on, today, people.get(row[0], []))
        for row, step, due_on, today in chosen
    ]


def _mentee_in_pair(*conditions: ColumnElement[bool]) -> Any:
    """SQL: the mentee (Membership) is in a pair that meets `conditions`."""
    return (
        select(PairMentee.pair_id)
        .join(Pair, Pair.id == PairMentee.pair_id)
        .where(PairMentee.mentee_membership_id == Membership.id, *conditions)
        .exists()
    )


async def _mentor_deadlines(this: Pass) -> list[Due]:
    """The 30-day rule: new teachers who started 23 to 61 days ago and whose mentor is not
    approved yet (no pair approved; one still waiting for consents or the head counts as
    none, and the reminder says it waits)."""
    approved = _mentee_in_pair(Pair.approved_at.is_not(None))
    pending = _mentee_in_pair(Pair.status.in_([PairStatus.PROPOSED, PairStatus.AWAITING_APPROVAL]))
    rows: list[Any] = []
    days = rules.MENTOR_APPROVAL_DAYS
    for today, zones in await this.zone_days():
        due_first, due_last = STEPS[MENTOR_DEADLINE].window([today])
        first, last = due_first - timedelta(days=days), due_last - timedelta(days=days)
        stage = _stage_of_date(MENTOR_DEADLINE, Profile.started_on, today, first, last, days)
        rows += (
            await this.session.execute(
                select(
                    Membership.id,
                    Membership.organisation_id,
                    Profile.started_on,
                    Profile.full_name,
                    pending.label("pending"),
                )
                .join(Profile, Profile.membership_id == Membership.id)
                .join(Organisation, Organisation.id == Membership.organisation_id)
                .where(
                    Profile.started_on.between(first, last),
                    Membership.role == Role.MENTEE,
                    Membership.status == MembershipStatus.ACTIVE,
                    Organisation.timezone.in_(zones),
                    ~approved,
                    _not_sent(MENTOR_DEADLINE, Membership.id, stage),
                )
            )
        ).all()
    await this.load_zones(row[1] for row in rows)
    return [
        Due(
            MENTOR_DEADLINE,
            row[0],
            step,
            row[1],
            due_on,
            today,
            details={"mentee": row[3], "pending": bool(row[4])},
        )
        for row, step, due_on, today in _stepped(
            this, MENTOR_DEADLINE, rows, lambda row: rules.mentor_deadline(row[2])
        )
    ]


async def _activities(this: Pass) -> list[Due]:
    """Open plan items of active pairs due within 3 days either side of today (index status,
    due_on) whose step due today has not gone out (the unique index of sent_reminders)."""
    rows: list[Any] = []
    for today, zones in await this.zone_days():
        first, last = STEPS[ACTIVITY].window([today])
        stage = _stage_of_date(ACTIVITY, Activity.due_on, today, first, last)
        rows += (
            await this.session.execute(
                select(
                    Activity.id,
                    Pair.organisation_id,
                    Activity.due_on,
                    Activity.content,
                    Pair.id,
                )
                .join(Programme, Programme.id == Activity.programme_id)
                .join(Pair, Pair.id == Programme.pair_id)
                .join(Organisation, Organisation.id == Pair.organisation_id)
                .where(
                    Activity.status == ActivityStatus.OPEN,
                    Activity.due_on.between(first, last),
                    Pair.status == PairStatus.ACTIVE,
                    Organisation.timezone.in_(zones),
                    _not_sent(ACTIVITY, Activity.id, stage),
                )
            )
        ).all()
    await this.load_zones(row[1] for row in rows)
    chosen = _stepped(this, ACTIVITY, rows, lambda row: row[2])
    people = await this.pair_people(row[4] for row, *_ in chosen)
    return [
        Due(
            ACTIVITY,
            row[0],
            step,
            row[1],
            due_on,
            today,
            people.get(row[4], []),
            details={"content": row[3], "pair_id": row[4]},
        )
        for row, step, due_on, today in chosen
    ]


async def fulfilment(session: AsyncSession, pair_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """(done, all) plan items per pair, in one grouped query."""
    ids = set(pair_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(
            Programme.pair_id,
            func.count(Activity.id).filter(Activity.status == ActivityStatus.DONE),
            func.count(Activity.id),
        )
        .join(Activity, Activity.programme_id == Programme.id)
        .where(Programme.pair_id.in_(ids))
        .group_by(Programme.pair_id)
    )
    return {pair_id: (done, total) for pair_id, done, total in rows}


async def _pairs_ending(this: Pass, kind: str, dates: Any, stage_of: Any) -> list[tuple[Any, ...]]:
    """Active pairs whose end date is one of `dates(today)` and whose stage
    `stage_of(today)` (SQL) has not gone out, per group of zones (index status, ends_on)."""
    rows: list[tuple[Any, ...]] = []
    for today, zones in await this.zone_days():
        rows += (
            await this.session.execute(
                select(Pair.id, Pair.organisation_id, Pair.ends_on)
                .join(Organisation, Organisation.id == Pair.organisation_id)
                .where(
                    Pair.status == PairStatus.ACTIVE,
                    dates(today),
                    Organisation.timezone.in_(zones),
                    _not_sent(kind, Pair.id, stage_of(today)),
                )
            )
        ).all()
    await this.load_zones(row[1] for row in rows)
    return rows


async def _term_soon(this: Pass) -> list[Due]:
    """14 days before the end date: the mentor, the mentees and the curator, with fulfilment."""

    def window(today: date) -> tuple[date, date]:
        return STEPS[TERM_SOON].window([today])

    rows = await _pairs_ending(
        this,
        TERM_SOON,
        lambda today: Pair.ends_on.between(*window(today)),
        lambda today: _stage_of_date(TERM_SOON, Pair.ends_on, today, *window(today)),
    )
    chosen = _stepped(this, TERM_SOON, rows, lambda row: row[2])
    ids = [row[0] for row, *_ in chosen]
    people, done = await this.pair_people(ids), await fulfilment(this.session, ids)
    return [
        Due(
            TERM_SOON,
            row[0],
            step,
            row[1],
            due_on,
            today,
            people.get(row[0], []),
            details={"pair_id": row[0], "fulfilment": done.get(row[0], (0, 0))},
        )
        for row, step, due_on, today in chosen
    ]


async def _term_end(this: Pass) -> list[Due]:
    """On the end date and every 7 days after it until someone decides: the curator. Reads
    only pairs whose end date is today, or a whole number of weeks ago (an IN list on the
    index status, ends_on), not every pair whose term passed."""

    def dates(today: date) -> dict[date, str]:
        """End date -> the stage due today."""
        return {
            today - timedelta(days=7 * week + late): f"w{week}:"
            f"{today - timedelta(days=7 * week + late):%Y%m%d}"
            for week in range(WEEKS_ASKED)
            for late in range(CATCH_UP_DAYS + 1)
        }

    rows = await _pairs_ending(
        this,
        TERM_END,
        lambda today: Pair.ends_on.in_(sorted(dates(today))),
        lambda today: case(dates(today), value=Pair.ends_on, else_=""),
    )
    chosen = []
    for row in rows:
        today, ends_on = this.today(row[1]), row[2]
        week, late = divmod((today - ends_on).days, 7)
        if 0 <= week < WEEKS_ASKED and late <= CATCH_UP_DAYS:
            chosen.append((row, f"w{week}", ends_on, today))
    ids = [row[0] for row, *_ in chosen]
    done = await fulfilment(this.session, ids)
    people = await this.pair_people(ids)
    return [
        Due(
            TERM_END,
            row[0],
            step,
            row[1],
            ends_on,
            today,
            [],
            details={
                "pair_id": row[0],
                "fulfilment": done.get(row[0], (0, 0)),
                "names": [p.full_name for p in people.get(row[0], [])],
            },
        )
        for row, step, ends_on, today in chosen
    ]


async def _reports(this: Pass) -> list[Due]:
    """Day 3 and day 8 after the end: whoever has a report to write and has not sent it; day
    11, once the 10 days are over: the curator is told who has not. Pairs that ended 3 to 13
    days ago (index status, ended_at)."""
    first, last = STEPS[REPORT].window(this.days)
    start, end = _moments(first, last)
    rows = (
        await this.session.execute(
            select(Pair.id, Pair.organisation_id, Pair.ended_at).where(
                Pair.status.in_([PairStatus.COMPLETED, PairStatus.ENDED_EARLY]),
                Pair.ended_at.between(start, end),
            )
        )
    ).all()
    await this.load_zones(row[1] for row in rows)
    chosen = _stepped(this, REPORT, rows, lambda row: this.local_date(row[1], row[2]))
    ids = [row[0] for row, *_ in chosen]
    if not ids:
        return []
    people = await this.pair_people(ids)
    # Those asked for a report (lifecycle.end opens one each) who have not sent it; a pair
    # ended because someone withdrew consent asks nobody (its records speak of them).
    unsent = await this.session.execute(
        select(FinalReport.pair_id, FinalReport.author_membership_id).where(
            FinalReport.pair_id.in_(ids), FinalReport.submitted_at.is_(None)
        )
    )
    owed = {(pair_id, membership_id) for pair_id, membership_id in unsent}
    found = []
    for row, step, ended_on, today in chosen:
        missing = [p for p in people.get(row[0], []) if (row[0], p.membership_id) in owed]
        if missing:
            found.append(
                Due(
                    REPORT,
                    row[0],
                    step,
                    row[1],
                    ended_on,
                    today,
                    missing,
                    details={"pair_id": row[0], "report_due": rules.report_due(ended_on)},
                )
            )
    return found


async def _roadmap(this: Pass) -> list[Due]:
    """Open roadmap stages due within 7 days before to 3 days after (index done_at, due_on)."""
    rows: list[Any] = []
    for today, zones in await this.zone_days():
        first, last = STEPS[ROADMAP].window([today])
        stage = _stage_of_date(ROADMAP, RoadmapStage.due_on, today, first, last)
        rows += (
            await this.session.execute(
                select(
                    RoadmapStage.id,
                    RoadmapStage.organisation_id,
                    RoadmapStage.due_on,
                    RoadmapStage.code,
                    RoadmapStage.responsible_membership_id,
                )
                .join(Organisation, Organisation.id == RoadmapStage.organisation_id)
                .where(
                    RoadmapStage.done_at.is_(None),
                    RoadmapStage.due_on.between(first, last),
                    Organisation.timezone.in_(zones),
                    _not_sent(ROADMAP, RoadmapStage.id, stage),
                )
            )
        ).all()
    await this.load_zones(row[1] for row in rows)
    chosen = _stepped(this, ROADMAP, rows, lambda row: row[2])
    people = await this.people(row[4] for row, *_ in chosen if row[4] is not None)
    return [
        Due(
            ROADMAP,
            row[0],
            step,
            row[1],
            due_on,
            today,
            [people[row[4]]] if row[4] in people else [],
            details={"code": row[3]},
        )
        for row, step, due_on, today in chosen
    ]


# The year's prompts to the curator: (step, month, first day, last day it may go out).
YEAR_PROMPTS = (("bank", 9, 1, 7), ("monitoring", 5, 1, 7))


async def _year(this: Pass) -> list[Due]:
    """September 1-7: refresh the bank; May 1-7: launch the monitoring. Only in those weeks are
    the organisations read at all."""
    if not any(
        day.month == month and first <= day.day <= last
        for day in this.days
        for _, month, first, last in YEAR_PROMPTS
    ):
        return []
    organisations = list(await this.session.scalars(select(Organisation.id)))
    await this.load_zones(organisations)
    found = []
    for organisation_id in organisations:
        today = this.today(organisation_id)
        for step, month, first, last in YEAR_PROMPTS:
            if today.month == month and first <= today.day <= last:
                found.append(
                    Due(YEAR, organisation_id, step, organisation_id, today.replace(day=1), today)
                )
    return found


async def _surveys(this: Pass) -> list[Due]:
    """Campaigns whose deadline is 1 or 3 days away: those who have not finished (index
    survey_campaigns.deadline, then survey_responses campaign_id, status)."""
    first, last = STEPS[SURVEY].window(this.days)
    start, end = _moments(first, last)
    rows = (
        await this.session.execute(
            select(
                SurveyCampaign.id, SurveyCampaign.organisation_id, SurveyCampaign.deadline
            ).where(SurveyCampaign.deadline.between(start, end))
        )
    ).all()
    await this.load_zones(row[1] for row in rows)
    chosen = _stepped(this, SURVEY, rows, lambda row: this.local_date(row[1], row[2]))
    ids = [row[0] for row, *_ in chosen]
    if not ids:
        return []
    members: dict[int, set[int]] = defaultdict(set)
    for campaign_id, membership_id in await this.session.execute(
        select(SurveyResponse.campaign_id, SurveyResponse.membership_id).where(
            SurveyResponse.campaign_id.in_(ids), SurveyResponse.status.in_(OPEN_STATUSES)
        )
    ):
        members[campaign_id].add(membership_id)
    people = await this.people(m for ms in members.values() for m in ms)
    return [
        Due(
            SURVEY,
            row[0],
            step,
            row[1],
            deadline,
            today,
            [people[m] for m in sorted(members[row[0]]) if m in people],
        )
        for row, step, deadline, today in chosen
        if members[row[0]]
    ]


# --- what the desk and a person see ----------------------------------------------------------


async def overdue_activities(
    session: AsyncSession, organisation_id: int, today: date, limit: int = 50
) -> list[tuple[int, int, date, str]]:
    """The curator's list of overdue plan items of active pairs, oldest first:
    (activity id, pair id, due date, content); index status, due_on."""
    rows = await session.execute(
        select(Activity.id, Pair.id, Activity.due_on, Activity.content)
        .join(Programme, Programme.id == Activity.programme_id)
        .join(Pair, Pair.id == Programme.pair_id)
        .where(
            Activity.status == ActivityStatus.OPEN,
            Activity.due_on < today,
            Pair.organisation_id == organisation_id,
            Pair.status == PairStatus.ACTIVE,
        )
        .order_by(Activity.due_on, Activity.id)
        .limit(limit)
    )
    return [(a, p, d, c) for a, p, d, c in rows]


def reminder_kinds() -> list[tuple[str, bool]]:
    """Every kind with whether a person may mute it (for /reminders)."""
    return [(kind, kind in MUTABLE) for kind in KINDS]


# --- what a person may mute -------------------------------------------------------------------


async def muted_kinds(session: AsyncSession, membership_id: int) -> set[str]:
    return set(
        await session.scalars(
            select(ReminderMute.kind).where(ReminderMute.membership_id == membership_id)
        )
    )


async def set_muted(
    session: AsyncSession, membership_id: int, kind: str, muted: bool, now: datetime
) -> None:
    """Mute or unmute a kind; those the Положение requires cannot be muted."""
    if kind not in MUTABLE:
        raise UserFacingError("deadline-mute-required")
    current = await session.get(ReminderMute, (membership_id, kind))
    if muted and current is None:
        session.add(ReminderMute(membership_id=membership_id, kind=kind, created_at=now))
    elif not muted and current is not None:
        await session.delete(current)


__all__ = [
    "KINDS",
    "MUTABLE",
    "Due",
    "Person",
    "Steps",
    "due",
    "fulfilment",
    "local_days",
    "mark_sent",
    "muted_kinds",
    "overdue_activities",
    "reminder_kinds",
    "set_muted",
    "term_passed",
]
