"""The organisation's figures for a period: the curator's /stats screen and the yearly analytical
report (domain.md, "Monitoring"). Each figure is one aggregate query, whatever the size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from statistics import median
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, distinct, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from bot.services import rules
from bot.services.questionnaires import charts
from models import (
    Activity,
    ActivityStatus,
    HelpRequest,
    Meeting,
    Membership,
    MembershipStatus,
    Organisation,
    Pair,
    PairMentee,
    PairStatus,
    Profile,
    Programme,
    ResponseStatus,
    Role,
    SurveyCampaign,
    SurveyResponse,
)
from models.enums import LIVE_PAIR_STATUSES

YOUNG_SPECIALIST = "young_specialist"


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive

    def bounds(self, timezone: str) -> tuple[datetime, datetime]:
        """The period's start and end as UTC moments in the organisation's time zone."""
        zone = ZoneInfo(timezone)
        start = datetime.combine(self.first, time.min, zone).astimezone(UTC)
        end = datetime.combine(self.last + timedelta(days=1), time.min, zone).astimezone(UTC)
        return start, end

    @classmethod
    def school_year(cls, today: date) -> Period:
        """September to August: the year a kindergarten reports on."""
        start_year = today.year if today.month >= 9 else today.year - 1
        return cls(date(start_year, 9, 1), date(start_year + 1, 8, 31))

    def year_before(self) -> Period:
        return Period(
            self.first.replace(year=self.first.year - 1),
            self.last.replace(year=self.last.year - 1),
        )


@dataclass(frozen=True)
class WaitingMentee:
    membership_id: int
    full_name: str
    deadline: date  # the 30-day rule


@dataclass
class Figures:
    period: Period
    people_by_role: dict[Role, int] = field(default_factory=dict)
    staff: int = 0  # people of the organisation (any role), consent not withdrawn
    in_programmes: int = 0  # of them, in a pair during the period (mentor or mentee)
    waiting: list[WaitingMentee] = field(default_factory=list)
    active_by_form: dict[str, int] = field(default_factory=dict)
    completed: int = 0
    ended_early: dict[str, int] = field(default_factory=dict)  # by reason
    activities_done_on_time: int = 0
    activities_done_late: int = 0
    activities_overdue: int = 0
    programmes_overdue: int = 0  # with at least one item overdue
    programmes_on_time: int = 0
    meetings: int = 0
    help_requests: int = 0
    help_answered: int = 0
    help_median_minutes: float | None = None
    survey_assigned: int = 0
    survey_submitted: int = 0
    young_specialists_came: int = 0
    young_specialists_stayed: int = 0

    @property
    def in_programmes_share(self) -> float:
        return self.in_programmes / self.staff if self.staff else 0.0

    @property
    def survey_share(self) -> float:
        return self.survey_submitted / self.survey_assigned if self.survey_assigned else 0.0


def _pair_in_period(start: datetime, end: datetime) -> ColumnElement[bool]:
    """A pair that was running some time in the period."""
    return and_(
        Pair.activated_at.is_not(None),
        Pair.activated_at < end,
        or_(Pair.ended_at.is_(None), Pair.ended_at >= start),
    )


async def figures(
    session: AsyncSession, organisation: Organisation, period: Period, today: date
) -> Figures:
    result = Figures(period)
    start, end = period.bounds(organisation.timezone)
    org = organisation.id
    # Who was on the staff by the period's end: last year's report counts nobody who came later.
    active = and_(
        Membership.organisation_id == org,
        Membership.status == MembershipStatus.ACTIVE,
        Membership.joined_at < end,
    )

    for role, count in await session.execute(
        select(Membership.role, func.count()).where(active).group_by(Membership.role)
    ):
        result.people_by_role[Role(role)] = count
    result.staff = (
        await session.scalar(select(func.count(distinct(Membership.user_id))).where(active)) or 0
    )

    running = _pair_in_period(start, end)
    mentors = select(Pair.mentor_membership_id.label("member")).where(
        Pair.organisation_id == org, running
    )
    mentees = (
        select(PairMentee.mentee_membership_id.label("member"))
        .join(Pair, Pair.id == PairMentee.pair_id)
        .where(Pair.organisation_id == org, running)
    )
    members = mentors.union(mentees).subquery()
    result.in_programmes = (
        await session.scalar(
            select(func.count(distinct(Membership.user_id)))
            .join(members, members.c.member == Membership.id)
            .where(active)
        )
        or 0
    )

    in_live_pair = exists().where(
        PairMentee.mentee_membership_id == Membership.id,
        PairMentee.pair_id == Pair.id,
        Pair.status.in_(LIVE_PAIR_STATUSES),
    )
    had_mentor = exists().where(  # a pair approved once: the 30-day rule was met
        PairMentee.mentee_membership_id == Membership.id,
        PairMentee.pair_id == Pair.id,
        Pair.approved_at.is_not(None),
    )
    waiting = await session.execute(
        select(Membership.id, Profile.full_name, Profile.started_on)
        .join(Profile, Profile.membership_id == Membership.id)
        .where(active, Membership.role == Role.MENTEE, ~in_live_pair, ~had_mentor)
        .order_by(Profile.started_on.nulls_last(), Membership.id)
    )
    result.waiting = [
        WaitingMentee(member_id, name or "—", rules.mentor_deadline(started_on or today))
        for member_id, name, started_on in waiting
    ]

    active_forms: Counter[str] = Counter()
    for (forms,) in await session.execute(
        select(Pair.forms).where(Pair.organisation_id == org, Pair.status == PairStatus.ACTIVE)
    ):
        active_forms.update(forms or [])
    result.active_by_form = dict(active_forms.most_common())

    ended_in_period = and_(
        Pair.organisation_id == org, Pair.ended_at >= start, Pair.ended_at < end
    )
    for status, reason, count in await session.execute(
        select(Pair.status, Pair.end_reason, func.count())
        .where(ended_in_period, Pair.status.in_((PairStatus.COMPLETED, PairStatus.ENDED_EARLY)))
        .group_by(Pair.status, Pair.end_reason)
    ):
        if status == PairStatus.COMPLETED:
            result.completed += count
        else:
            result.ended_early[reason or "circumstances"] = count

    await _activities(session, result, organisation, today)

    result.meetings = (
        await session.scalar(
            select(func.count(Meeting.id))
            .join(Pair, Pair.id == Meeting.pair_id)
            .where(
                Pair.organisation_id == org,
                Meeting.held_on >= period.first,
                Meeting.held_on <= period.last,
            )
        )
        or 0
    )

    help_rows = (
        await session.execute(
            select(HelpRequest.created_at, HelpRequest.answered_at).where(
                HelpRequest.organisation_id == org,
                HelpRequest.created_at >= start,
                HelpRequest.created_at < end,
            )
        )
    ).all()
    result.help_requests = len(help_rows)
    waits = [
        (answered - created).total_seconds() / 60 for created, answered in help_rows if answered
    ]
    result.help_answered = len(waits)
    result.help_median_minutes = round(median(waits), 1) if waits else None

    assigned, submitted = (
        await session.execute(
            select(
                func.count(SurveyResponse.id),
                func.sum(case((SurveyResponse.status == ResponseStatus.SUBMITTED, 1), else_=0)),
            )
            .join(SurveyCampaign, SurveyCampaign.id == SurveyResponse.campaign_id)
            .where(
                SurveyCampaign.organisation_id == org,
                SurveyResponse.created_at >= start,
                SurveyResponse.created_at < end,
            )
        )
    ).one()
    result.survey_assigned, result.survey_submitted = assigned or 0, int(submitted or 0)

    # Came to work in the period: by the day they started (the profile's answer); joining the
    # bot counts only for those who gave none (a teacher of long standing joins it later).
    started_in_period = and_(Profile.started_on >= period.first, Profile.started_on <= period.last)
    joined_in_period = and_(
        Profile.started_on.is_(None), Membership.joined_at >= start, Membership.joined_at < end
    )
    came = and_(
        Membership.organisation_id == org,
        Membership.role == Role.MENTEE,
        or_(started_in_period, joined_in_period),
        Profile.mentee_category == YOUNG_SPECIALIST,
    )
    young = (
        select(Membership.status).join(Profile, Profile.membership_id == Membership.id).where(came)
    )
    statuses = list(await session.scalars(young))
    result.young_specialists_came = len(statuses)
    result.young_specialists_stayed = sum(status == MembershipStatus.ACTIVE for status in statuses)
    return result


async def _activities(
    session: AsyncSession,
    result: Figures,
    organisation: Organisation,
    today: date,
) -> None:
    """Plan items due in the period: done on time (by the due day in the organisation's time
    zone), done late, overdue; programmes with nothing overdue are on time. A programme that
    runs across two years counts each item in the year it was due, once; an item left open
    that fell due after its pair ended (early) was never to be done, so it is not overdue."""
    zone = ZoneInfo(organisation.timezone)
    overdue_programmes: set[int] = set()
    programmes: set[int] = set()
    rows = await session.stream(
        select(Programme.id, Activity.due_on, Activity.status, Activity.done_at, Pair.ended_at)
        .join(Activity, Activity.programme_id == Programme.id)
        .join(Pair, Pair.id == Programme.pair_id)
        .where(
            Pair.organisation_id == organisation.id,
            Pair.activated_at.is_not(None),
            Activity.due_on >= result.period.first,
            Activity.due_on <= result.period.last,
        )
    )
    async for programme_id, due_on, status, done_at, ended_at in rows:
        ended_before = ended_at is not None and ended_at.astimezone(zone).date() < due_on
        if status != ActivityStatus.DONE and ended_before:
            continue
        programmes.add(programme_id)
        if status == ActivityStatus.DONE:
            on_time = done_at is None or done_at.astimezone(zone).date() <= due_on
            if on_time:
                result.activities_done_on_time += 1
            else:
                result.activities_done_late += 1
        elif due_on < today:
            result.activities_overdue += 1
            overdue_programmes.add(programme_id)
    result.programmes_overdue = len(overdue_programmes)
    result.programmes_on_time = len(programmes) - len(overdue_programmes)


# --- the /stats screen and chart, in the person's language --------------------------------------


class Texts(Protocol):
    """The texts in a person's language (aiogram-i18n's context is one)."""

    def get(self, key: str, /, **kwargs: Any) -> str: ...


def help_minutes(text: Callable[..., str], figures: Figures) -> str:
    """How soon help requests were answered (the median), in words, or «—» when none were."""
    minutes = figures.help_median_minutes
    return "—" if minutes is None else text("report-minutes", minutes=minutes)


def chart(i18n: Texts, figures: Figures) -> Callable[[], bytes] | None:
    """The /stats chart, what it says better than the lines: pairs by form, the plans' items
    and the programmes on time or not; a panel with nothing to show is left out, and so is the
    chart. Drawing takes a while: the caller runs it off the event loop."""
    panels = [
        charts.Distribution(
            i18n.get("stats-chart-pairs"),
            [i18n.get(f"pair-form-{form}") for form in figures.active_by_form],
            list(figures.active_by_form.values()),
            "",
        ),
        charts.Distribution(
            i18n.get("stats-chart-plan"),
            [i18n.get(f"stats-chart-plan-{name}") for name in ("on-time", "late", "overdue")],
            [
                figures.activities_done_on_time,
                figures.activities_done_late,
                figures.activities_overdue,
            ],
            "",
        ),
        charts.Distribution(
            i18n.get("stats-chart-programmes"),
            [i18n.get(f"stats-chart-programmes-{name}") for name in ("on-time", "overdue")],
            [figures.programmes_on_time, figures.programmes_overdue],
            "",
        ),
    ]
    shown = [panel for panel in panels if any(panel.counts)]
    if not shown:
        return None
    return partial(charts.distributions, i18n.get("stats-chart-title"), shown)


def screen(i18n: Texts, figures: Figures, today: date) -> str:
    """The /stats screen in the person's language: the figures, line by line."""
    roles = ", ".join(
        f"{i18n.get(f'role-{role}')}: {count}"
        for role, count in sorted(figures.people_by_role.items())
    )
    forms = ", ".join(
        f"{i18n.get(f'pair-form-{form}')}: {count}"
        for form, count in figures.active_by_form.items()
    )
    waiting = [
        i18n.get(
            "stats-waiting-line",
            name=person.full_name,
            deadline=person.deadline.strftime("%d.%m.%Y"),
            days=abs((person.deadline - today).days),
            overdue="yes" if person.deadline < today else "no",
        )
        for person in figures.waiting[:10]
    ]
    done = figures.activities_done_on_time + figures.activities_done_late
    lines = [
        i18n.get(
            "stats-title",
            first=figures.period.first.strftime("%d.%m.%Y"),
            last=figures.period.last.strftime("%d.%m.%Y"),
        ),
        i18n.get(
            "stats-people",
            roles=roles or "—",
            staff=figures.staff,
            share=round(100 * figures.in_programmes_share),
        ),
        i18n.get("stats-waiting", count=len(figures.waiting)),
        *waiting,
        i18n.get(
            "stats-pairs",
            forms=forms or "—",
            completed=figures.completed,
            early=sum(figures.ended_early.values()),
        ),
        i18n.get(
            "stats-plan",
            on_time=figures.activities_done_on_time,
            late=figures.activities_done_late,
            overdue=figures.activities_overdue,
            done=done,
            programmes_overdue=figures.programmes_overdue,
        ),
        i18n.get("stats-meetings", count=figures.meetings),
        i18n.get(
            "stats-help",
            count=figures.help_requests,
            answered=figures.help_answered,
            minutes=help_minutes(i18n.get, figures),
        ),
        i18n.get(
            "stats-surveys", submitted=figures.survey_submitted, assigned=figures.survey_assigned
        ),
    ]
    return "\n".join(lines)
