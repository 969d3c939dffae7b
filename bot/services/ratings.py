"""Mentor ratings (seed 003, appendix 2: personal ratings published so each participant sees the
current levels): from the mentees' evaluations in the final reports, the plan items done on time
and the programmes completed. Each part is a share from 0 to 1; the rating is their weighted mean
over the parts a mentor has data for, times 100.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.final_reports import average
from bot.services.people import Actor
from models import (
    Activity,
    ActivityStatus,
    FinalReport,
    Membership,
    MembershipStatus,
    Organisation,
    Pair,
    PairStatus,
    Profile,
    Programme,
    Role,
)

WEIGHTS = {"evaluation": 0.5, "on_time": 0.3, "completed": 0.2}
EVALUATION_MAX = 5


@dataclass(frozen=True)
class MentorRating:
    membership_id: int
    full_name: str
    evaluation: float | None  # the mentees' mean evaluation, 1-5
    evaluations: int
    on_time: int
    items: int  # plan items due by today or done
    completed: int
    ended: int  # completed or ended early

    @property
    def score(self) -> float:
        parts: dict[str, float] = {}
        if self.evaluation is not None:
            parts["evaluation"] = self.evaluation / EVALUATION_MAX
        if self.items:
            parts["on_time"] = self.on_time / self.items
        if self.ended:
            parts["completed"] = self.completed / self.ended
        if not parts:
            return 0.0
        weight = sum(WEIGHTS[name] for name in parts)
        return round(100 * sum(WEIGHTS[name] * share for name, share in parts.items()) / weight, 1)


def shown_to(actor: Actor) -> bool:
    """The mentor ratings are the desk's; mentors see them where the organisation shows them."""
    organisation = actor.organisation
    return organisation is not None and (
        actor.is_desk or (Role.MENTOR in actor.roles and organisation.ratings_for_mentors)
    )


async def mentee_evaluations(
    session: AsyncSession, organisation_id: int
) -> dict[int, list[float]]:
    """Each mentor's evaluations from the mentees' submitted final reports: the mean of the
    criteria of each report (1-5), unrounded (rounding each report first moved a mentor's
    mean by up to half a point, and half-points went to the even side: 4.5 became 4)."""
    rows = await session.execute(
        select(Pair.mentor_membership_id, FinalReport.evaluation)
        .join(Pair, Pair.id == FinalReport.pair_id)
        .where(
            Pair.organisation_id == organisation_id,
            FinalReport.role == Role.MENTEE,
            FinalReport.submitted_at.is_not(None),
        )
    )
    given: dict[int, list[float]] = defaultdict(list)
    for mentor_id, evaluation in rows:
        mean = average(evaluation or {})
        if mean is not None:
            given[mentor_id].append(mean)
    return given


async def mentor_ratings(
    session: AsyncSession,
    organisation: Organisation,
    today: date,
    evaluations: Mapping[int, Sequence[float]] | None = None,
) -> list[MentorRating]:
    """The organisation's mentors, best first. `evaluations`: mentor membership id -> the
    mentees' evaluations of the mentor (1-5), from the final reports."""
    zone = ZoneInfo(organisation.timezone)
    mentors = await session.execute(
        select(Membership.id, Profile.full_name)
        .outerjoin(Profile, Profile.membership_id == Membership.id)
        .where(
            Membership.organisation_id == organisation.id,
            Membership.role == Role.MENTOR,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    names = {member_id: name or "—" for member_id, name in mentors}
    on_time: dict[int, int] = defaultdict(int)
    items: dict[int, int] = defaultdict(int)
    rows = await session.stream(
        select(Pair.mentor_membership_id, Activity.due_on, Activity.status, Activity.done_at)
        .join(Programme, Programme.pair_id == Pair.id)
        .join(Activity, Activity.programme_id == Programme.id)
        .where(Pair.organisation_id == organisation.id)
    )
    async for mentor_id, due_on, status, done_at in rows:
        if status == ActivityStatus.DONE:
            items[mentor_id] += 1
            if done_at is None or done_at.astimezone(zone).date() <= due_on:
                on_time[mentor_id] += 1
        elif due_on < today:
            items[mentor_id] += 1
    completed: dict[int, int] = defaultdict(int)
    ended: dict[int, int] = defaultdict(int)
    for mentor_id, pair_status in await session.execute(
        select(Pair.mentor_membership_id, Pair.status).where(
            Pair.organisation_id == organisation.id,
            Pair.status.in_((PairStatus.COMPLETED, PairStatus.ENDED_EARLY)),
        )
    ):
        ended[mentor_id] += 1
        completed[mentor_id] += pair_status == PairStatus.COMPLETED
    given = (
        evaluations
        if evaluations is not None
        else await mentee_evaluations(session, organisation.id)
    )
    ratings = [
        MentorRating(
            member_id,
            name,
            sum(given[member_id]) / len(given[member_id]) if given.get(member_id) else None,
            len(given.get(member_id, [])),
            on_time[member_id],
            items[member_id],
            completed[member_id],
            ended[member_id],
        )
        for member_id, name in names.items()
    ]
    return sorted(ratings, key=lambda rating: (-rating.score, rating.full_name))
