"""Mentees who cannot be paired now, handed to the psychologist for support (roadmap stage 5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import UserFacingError
from bot.services.pages import page_bounds
from bot.services.pair_members import Contact, role_holders
from bot.services.people import Actor
from models import (
    Membership,
    MembershipStatus,
    Pair,
    PairMentee,
    Profile,
    Role,
    SupportReferral,
)
from models.enums import LIVE_PAIR_STATUSES

MAX_NOTE = 500


@dataclass(frozen=True)
class Referred:
    psychologist: Contact
    referrals: list[SupportReferral]  # new ones; mentees already referred are left as they are


def clean_note(text: str) -> str:
    note = " ".join(text.split())
    if not note:
        raise UserFacingError("error-text-empty")
    if len(note) > MAX_NOTE:
        raise UserFacingError("error-text-too-long", length=len(note), limit=MAX_NOTE)
    return note


async def _least_busy_psychologist(session: AsyncSession, organisation_id: int) -> Contact:
    psychologists = await role_holders(session, organisation_id, Role.PSYCHOLOGIST)
    if not psychologists:
        raise UserFacingError("referral-no-psychologist")
    load = dict(
        (
            await session.execute(
                select(SupportReferral.psychologist_membership_id, func.count())
                .where(
                    SupportReferral.organisation_id == organisation_id,
                    SupportReferral.closed_at.is_(None),
                )
                .group_by(SupportReferral.psychologist_membership_id)
            )
        ).all()
    )
    return min(psychologists, key=lambda person: load.get(person.membership_id, 0))


async def refer(
    session: AsyncSession,
    organisation_id: int,
    mentee_ids: list[int],
    note: str | None,
    *,
    now: datetime,
) -> Referred:
    """Hand the mentees to the organisation's psychologist with the least open referrals."""
    mentees = list(
        await session.scalars(
            select(Membership.id).where(
                Membership.id.in_(mentee_ids),
                Membership.organisation_id == organisation_id,
                Membership.role == Role.MENTEE,
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
    )
    if not mentees or len(mentees) != len(set(mentee_ids)):
        raise UserFacingError("error-not-found")
    already = set(
        await session.scalars(
            select(SupportReferral.mentee_membership_id).where(
                SupportReferral.mentee_membership_id.in_(mentees),
                SupportReferral.closed_at.is_(None),
            )
        )
    )
    fresh = [mentee for mentee in sorted(mentees) if mentee not in already]
    if not fresh:
        raise UserFacingError("referral-already-open")
    psychologist = await _least_busy_psychologist(session, organisation_id)
    referrals = [
        SupportReferral(
            organisation_id=organisation_id,
            mentee_membership_id=mentee,
            psychologist_membership_id=psychologist.membership_id,
            note=clean_note(note) if note else None,
            created_at=now,
        )
        for mentee in fresh
    ]
    session.add_all(referrals)
    await session.flush()
    return Referred(psychologist, referrals)


@dataclass(frozen=True)
class ReferralRow:
    referral: SupportReferral
    full_name: str | None
    phone: str | None
    main_request: str | None
    difficulties: list[str] | None
    difficulties_other: str | None
    has_pair: bool


async def open_for(
    session: AsyncSession, psychologist_membership_id: int, number: int = 0, size: int = 0
) -> tuple[list[ReferralRow], int]:
    """The psychologist's own open referrals, oldest first: page `number` of `size` (all of
    them when `size` is 0; past the last page, the last), and how many there are."""
    mine = (
        SupportReferral.psychologist_membership_id == psychologist_membership_id,
        SupportReferral.closed_at.is_(None),
    )
    total = await session.scalar(select(func.count(SupportReferral.id)).where(*mine)) or 0
    has_pair = exists().where(
        PairMentee.mentee_membership_id == SupportReferral.mentee_membership_id,
        PairMentee.pair_id == Pair.id,
        Pair.status.in_(LIVE_PAIR_STATUSES),
    )
    query = (
        select(
            SupportReferral,
            Profile.full_name,
            Profile.phone,
            Profile.main_request,
            Profile.difficulties,
            Profile.difficulties_other,
            has_pair.label("has_pair"),
        )
        .outerjoin(Profile, Profile.membership_id == SupportReferral.mentee_membership_id)
        .where(*mine)
        .order_by(SupportReferral.created_at, SupportReferral.id)
    )
    if size:  # a page past the last (the list got shorter) shows the last
        number = page_bounds(total, number, size)[1]
        query = query.offset(number * size).limit(size)
    rows = await session.execute(query)
    return [ReferralRow(*row[:6], has_pair=bool(row[6])) for row in rows], total


async def close(
    session: AsyncSession, referral_id: int, psychologist_membership_id: int, *, now: datetime
) -> SupportReferral:
    """The psychologist marks the support given; only their own referral, only once."""
    referral = await session.get(SupportReferral, referral_id)
    if referral is None or referral.psychologist_membership_id != psychologist_membership_id:
        raise UserFacingError("error-not-found")
    if referral.closed_at is not None:
        raise UserFacingError("referral-already-closed")
    referral.closed_at = now
    return referral


async def own_referral(
    session: AsyncSession, actor: Actor, referral_id: int
) -> SupportReferral | None:
    """A referral handed to this psychologist (open or already closed)."""
    membership = actor.membership(Role.PSYCHOLOGIST)
    referral = await session.get(SupportReferral, referral_id)
    if membership is None or referral is None:
        return None
    return referral if referral.psychologist_membership_id == membership.id else None
