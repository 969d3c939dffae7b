"""Who may see or change a pair's plan and meetings, one loader per use (`dialog_kit.owned`).

Each takes the session, the actor and an id from a button or a dialog's start data, and returns
the record only when it is this person's: a member (the mentor or a mentee, through an active
membership of the pair's organisation) of an active pair. A mentee sees the plan's items once
the mentor has sent the programme; only the mentor marks them done. Anything else is None, so
forged, stale and foreign ids all get the same polite answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import programmes
from bot.services.pairs_read import Participant, pair_for_member
from bot.services.people import Actor
from models import (
    Activity,
    ActivityStatus,
    Meeting,
    MembershipStatus,
    Pair,
    PairStatus,
    Programme,
)

ID_RANGE = range(1, 2**63)  # a database id; anything else from a button is refused


def member_ids(actor: Actor) -> list[int]:
    return [m.id for m in actor.memberships if m.status == MembershipStatus.ACTIVE]


def me_among(people: list[Participant], actor: Actor) -> Participant | None:
    mine = member_ids(actor)
    return next((p for p in people if p.membership_id in mine), None)


async def pair_of_member(session: AsyncSession, actor: Actor, pair_id: int) -> Pair | None:
    """An active pair the actor is in, as its mentor or a mentee."""
    if pair_id not in ID_RANGE:
        return None
    pair = await pair_for_member(session, pair_id, member_ids(actor))
    return pair if pair is not None and pair.status == PairStatus.ACTIVE else None


@dataclass(frozen=True)
class PlanItem:
    pair: Pair
    programme: Programme
    activity: Activity
    is_mentor: bool


async def item_to_see(session: AsyncSession, actor: Actor, activity_id: int) -> PlanItem | None:
    """A plan item of the actor's active pair; a mentee's only once the programme is sent."""
    activity = await session.get(Activity, activity_id) if activity_id in ID_RANGE else None
    programme = await session.get(Programme, activity.programme_id) if activity else None
    pair = await pair_of_member(session, actor, programme.pair_id) if programme else None
    if activity is None or programme is None or pair is None:
        return None
    is_mentor = pair.mentor_membership_id in member_ids(actor)
    if not is_mentor and not programmes.is_written(programme):
        return None
    return PlanItem(pair, programme, activity, is_mentor)


async def item_to_mark(session: AsyncSession, actor: Actor, activity_id: int) -> PlanItem | None:
    """A plan item the actor may mark done: they are the pair's mentor."""
    item = await item_to_see(session, actor, activity_id)
    return item if item is not None and item.is_mentor else None


async def meeting_of_member(
    session: AsyncSession, actor: Actor, meeting_id: int
) -> tuple[Meeting, Pair] | None:
    """A meeting of a pair the actor is in, ended or not: a late confirmation still counts
    (whether they may confirm it is the service's rule: `meetings.confirm`)."""
    meeting = await session.get(Meeting, meeting_id) if meeting_id in ID_RANGE else None
    ids = member_ids(actor)
    pair = await pair_for_member(session, meeting.pair_id, ids) if meeting else None
    return None if meeting is None or pair is None else (meeting, pair)


async def offered_activities(
    session: AsyncSession, pair: Pair, actor: Actor, limit: int = 8
) -> list[Activity]:
    """Open items of the plan a meeting may serve, nearest first; a draft is the mentor's."""
    programme = await programmes.programme_of(session, pair.id)
    is_mentor = pair.mentor_membership_id in member_ids(actor)
    if programme is None or not (is_mentor or programmes.is_written(programme)):
        return []
    activities = await programmes.activities_of(session, programme.id)
    open_ones = [a for a in activities if a.status == ActivityStatus.OPEN]
    return sorted(open_ones, key=lambda a: (a.due_on, a.position))[:limit]
