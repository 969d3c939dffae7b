"""Reading pairs: who is in which pair. Shared by the programme, meetings and help services."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.people import Actor
from models import Membership, MembershipStatus, Pair, PairMentee, PairStatus, Profile, Role, User
from models.enums import LIVE_PAIR_STATUSES


@dataclass(frozen=True)
class Participant:
    membership_id: int
    telegram_id: int
    language: str | None
    full_name: str | None
    is_mentor: bool


async def participants(session: AsyncSession, pair: Pair) -> list[Participant]:
    """The mentor first, then the mentees, with what it takes to message them."""
    mentee_ids = list(
        await session.scalars(
            select(PairMentee.mentee_membership_id).where(PairMentee.pair_id == pair.id)
        )
    )
    rows = (
        await session.execute(
            select(Membership.id, User.telegram_id, User.language, Profile.full_name)
            .join(User, User.id == Membership.user_id)
            .outerjoin(Profile, Profile.membership_id == Membership.id)
            .where(Membership.id.in_([pair.mentor_membership_id, *mentee_ids]))
        )
    ).all()
    people = [
        Participant(row[0], row[1], row[2], row[3], row[0] == pair.mentor_membership_id)
        for row in rows
    ]
    return sorted(people, key=lambda person: (not person.is_mentor, person.membership_id))


def mentor_of(people: list[Participant]) -> Participant | None:
    return next((p for p in people if p.is_mentor), None)


def mentees_of(people: list[Participant]) -> list[Participant]:
    return [p for p in people if not p.is_mentor]


async def pairs_of_mentor(
    session: AsyncSession,
    membership_id: int,
    statuses: tuple[PairStatus, ...] = LIVE_PAIR_STATUSES,
) -> list[Pair]:
    return list(
        await session.scalars(
            select(Pair)
            .where(Pair.mentor_membership_id == membership_id, Pair.status.in_(statuses))
            .order_by(Pair.id)
        )
    )


async def pairs_of_mentee(
    session: AsyncSession,
    membership_id: int,
    statuses: tuple[PairStatus, ...] = LIVE_PAIR_STATUSES,
) -> list[Pair]:
    return list(
        await session.scalars(
            select(Pair)
            .join(PairMentee, PairMentee.pair_id == Pair.id)
            .where(PairMentee.mentee_membership_id == membership_id, Pair.status.in_(statuses))
            .order_by(Pair.id)
        )
    )


async def pair_for_member(
    session: AsyncSession, pair_id: int, membership_ids: list[int]
) -> Pair | None:
    """The pair, only if one of `membership_ids` (the actor's) is its mentor or a mentee.

    Callback data carry pair ids; this is the server-side check that the pair is the actor's own.
    """
    pair = await session.get(Pair, pair_id)
    if pair is None:
        return None
    if pair.mentor_membership_id in membership_ids:
        return pair
    mentee = await session.scalar(
        select(PairMentee.mentee_membership_id).where(
            PairMentee.pair_id == pair_id, PairMentee.mentee_membership_id.in_(membership_ids)
        )
    )
    return pair if mentee is not None else None


async def running_pairs(session: AsyncSession, actor: Actor, *, mentees_too: bool) -> list[Pair]:
    """The actor's active pairs: as the mentor, and as a mentee when asked."""
    found: dict[int, Pair] = {}
    for membership in actor.memberships:
        if membership.status != MembershipStatus.ACTIVE:
            continue
        if membership.role == Role.MENTOR:
            pairs = await pairs_of_mentor(session, membership.id, (PairStatus.ACTIVE,))
        elif membership.role == Role.MENTEE and mentees_too:
            pairs = await pairs_of_mentee(session, membership.id, (PairStatus.ACTIVE,))
        else:
            continue
        found.update((pair.id, pair) for pair in pairs)
    return [found[key] for key in sorted(found)]
