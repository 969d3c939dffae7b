"""Who is in a pair and who may join one: contacts, a mentor's load, the checks on a mentor.

Shared by forming pairs (pairing) and their later life (lifecycle).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import rules
from bot.services.errors import UserFacingError
from bot.services.people import Recipient
from models import Membership, MembershipStatus, Pair, PairMentee, Profile, Role, User
from models.base import locked
from models.enums import LIVE_PAIR_STATUSES


@dataclass(frozen=True)
class Contact:
    membership_id: int
    telegram_id: int
    language: str | None
    full_name: str | None
    phone: str | None

    @property
    def recipient(self) -> Recipient:
        return Recipient(self.telegram_id, self.language)


async def contacts(session: AsyncSession, membership_ids: list[int]) -> dict[int, Contact]:
    rows = await session.execute(
        select(Membership.id, User.telegram_id, User.language, Profile.full_name, Profile.phone)
        .join(User, User.id == Membership.user_id)
        .outerjoin(Profile, Profile.membership_id == Membership.id)
        .where(Membership.id.in_(membership_ids))
    )
    return {row[0]: Contact(*row) for row in rows}


async def role_holders(session: AsyncSession, organisation_id: int, role: Role) -> list[Contact]:
    """Active members of the organisation in `role`, oldest membership first."""
    ids = list(
        await session.scalars(
            select(Membership.id)
            .where(
                Membership.organisation_id == organisation_id,
                Membership.role == role,
                Membership.status == MembershipStatus.ACTIVE,
            )
            .order_by(Membership.id)
        )
    )
    found = await contacts(session, ids)
    return [found[i] for i in ids if i in found]


async def mentee_ids_of(session: AsyncSession, pair_id: int) -> list[int]:
    return list(
        await session.scalars(
            select(PairMentee.mentee_membership_id)
            .where(PairMentee.pair_id == pair_id)
            .order_by(PairMentee.mentee_membership_id)
        )
    )


async def held_mentees(session: AsyncSession, mentor_id: int) -> int:
    """Mentees the mentor holds now: in live pairs, proposed ones included."""
    count = await session.scalar(
        select(func.count(PairMentee.mentee_membership_id))
        .join(Pair, Pair.id == PairMentee.pair_id)
        .where(Pair.mentor_membership_id == mentor_id, Pair.status.in_(LIVE_PAIR_STATUSES))
    )
    return count or 0


async def check_mentor(
    session: AsyncSession,
    organisation_id: int,
    mentor_id: int,
    mentee_ids: Collection[int],
    *,
    lock: bool = False,
) -> Contact:
    """A mentor of this organisation with written consent and room for `mentee_ids`, none of
    whom is the mentor (one person may be a mentor and a mentee of the same kindergarten).

    With `lock`, the mentor's row stays locked until the transaction ends, so two proposals
    cannot both take the mentor's last place.
    """
    if lock:
        membership = await locked(session, Membership, mentor_id)
    else:
        membership = await session.scalar(select(Membership).where(Membership.id == mentor_id))
    if (
        membership is None
        or membership.organisation_id != organisation_id
        or membership.role != Role.MENTOR
        or membership.status != MembershipStatus.ACTIVE
    ):
        raise UserFacingError("error-not-found")
    consent = await session.scalar(
        select(Profile.mentor_consent_at).where(Profile.membership_id == mentor_id)
    )
    if consent is None:
        raise UserFacingError("pair-mentor-no-consent")
    themselves = await session.scalar(
        select(Membership.id)
        .where(Membership.id.in_(mentee_ids), Membership.user_id == membership.user_id)
        .limit(1)
    )
    if themselves is not None:
        raise UserFacingError("pair-own-mentor")
    rules.check_capacity(await held_mentees(session, mentor_id), len(mentee_ids))
    return (await contacts(session, [mentor_id]))[mentor_id]


async def locked_pair(session: AsyncSession, pair_id: int) -> Pair | None:
    return await locked(session, Pair, pair_id)


async def pairs_by_id(session: AsyncSession, pair_ids: Collection[int]) -> list[Pair]:
    """The pairs of `pair_ids`, by number."""
    if not pair_ids:
        return []
    return list(await session.scalars(select(Pair).where(Pair.id.in_(pair_ids)).order_by(Pair.id)))


async def desk_of(session: AsyncSession, pair: Pair) -> list[Contact]:
    """Who hears about the pair's progress: the curator who formed it, else the desk."""
    if pair.created_by_membership_id is not None:
        creator = await session.get(Membership, pair.created_by_membership_id)
        if creator is not None and creator.status == MembershipStatus.ACTIVE:
            return list((await contacts(session, [creator.id])).values())
    return await role_holders(session, pair.organisation_id, Role.CURATOR) or await role_holders(
        session, pair.organisation_id, Role.HEAD
    )


async def participants(session: AsyncSession, pair: Pair) -> tuple[Contact, list[Contact]]:
    """The mentor and the mentees, with what it takes to reach them."""
    mentees = await mentee_ids_of(session, pair.id)
    found = await contacts(session, [pair.mentor_membership_id, *mentees])
    return found[pair.mentor_membership_id], [found[i] for i in mentees if i in found]


async def own_membership_ids(session: AsyncSession, user_id: int) -> list[int]:
    """The user's active memberships in every organisation: a pair may be in another one."""
    return list(
        await session.scalars(
            select(Membership.id).where(
                Membership.user_id == user_id, Membership.status == MembershipStatus.ACTIVE
            )
        )
    )
