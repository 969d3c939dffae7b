"""The curator's bank of mentors and mentees: filtered, paged lists and a person's card."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVarTuple

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.pages import page_bounds
from bot.services.people import Actor
from models import (
    Membership,
    MembershipStatus,
    Organisation,
    Pair,
    PairMentee,
    Profile,
    Role,
)
from models.enums import LIVE_PAIR_STATUSES

PAGE_SIZE = 8
Columns = TypeVarTuple("Columns")


class BankFilter(StrEnum):
    ALL = "all"
    MENTORS = "mentors"
    MENTEES = "mentees"
    NO_PAIR = "nopair"
    WITHDRAWN = "withdrawn"
    YOUNG = "young_specialist"
    NEW_TECHNOLOGY = "new_technology"
    NEW_TO_TEAM = "new_to_team"
    NON_PEDAGOGICAL = "non_pedagogical"


CATEGORY_FILTERS = {
    BankFilter.YOUNG,
    BankFilter.NEW_TECHNOLOGY,
    BankFilter.NEW_TO_TEAM,
    BankFilter.NON_PEDAGOGICAL,
}


@dataclass(frozen=True)
class BankRow:
    membership_id: int
    role: Role
    status: MembershipStatus
    full_name: str | None
    mentee_category: str | None
    has_pair: bool


@dataclass(frozen=True)
class BankPage:
    rows: list[BankRow]
    page: int
    pages: int
    total: int


def _in_live_pair() -> ColumnElement[bool]:
    as_mentor = exists().where(
        Pair.mentor_membership_id == Membership.id, Pair.status.in_(LIVE_PAIR_STATUSES)
    )
    as_mentee = exists().where(
        PairMentee.mentee_membership_id == Membership.id,
        PairMentee.pair_id == Pair.id,
        Pair.status.in_(LIVE_PAIR_STATUSES),
    )
    return as_mentor | as_mentee


def _filtered(
    query: Select[*Columns], organisation_id: int, bank_filter: BankFilter
) -> Select[*Columns]:
    query = query.where(
        Membership.organisation_id == organisation_id,
        Membership.role.in_([Role.MENTOR, Role.MENTEE]),
    )
    if bank_filter is BankFilter.WITHDRAWN:
        return query.where(Membership.status == MembershipStatus.WITHDRAWN)
    query = query.where(Membership.status == MembershipStatus.ACTIVE)
    if bank_filter is BankFilter.MENTORS:
        query = query.where(Membership.role == Role.MENTOR)
    elif bank_filter is BankFilter.MENTEES:
        query = query.where(Membership.role == Role.MENTEE)
    elif bank_filter is BankFilter.NO_PAIR:
        query = query.where(~_in_live_pair())
    elif bank_filter in CATEGORY_FILTERS:
        query = query.where(
            Membership.role == Role.MENTEE, Profile.mentee_category == bank_filter.value
        )
    return query


async def page(
    session: AsyncSession, organisation_id: int, bank_filter: BankFilter, number: int
) -> BankPage:
    base = select(Membership.id).outerjoin(Profile, Profile.membership_id == Membership.id)
    total = await session.scalar(
        select(func.count()).select_from(_filtered(base, organisation_id, bank_filter).subquery())
    )
    total = total or 0
    pages, number = page_bounds(total, number, PAGE_SIZE)
    has_pair = _in_live_pair().label("has_pair")
    query = _filtered(
        select(
            Membership.id,
            Membership.role,
            Membership.status,
            Profile.full_name,
            Profile.mentee_category,
            has_pair,
        ).outerjoin(Profile, Profile.membership_id == Membership.id),
        organisation_id,
        bank_filter,
    )
    rows = (
        await session.execute(
            query.order_by(Membership.role, Profile.full_name, Membership.id)
            .offset(number * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
    ).all()
    return BankPage(
        rows=[
            BankRow(
                membership_id=row.id,
                role=Role(row.role),
                status=MembershipStatus(row.status),
                full_name=row.full_name,
                mentee_category=row.mentee_category,
                has_pair=bool(row.has_pair),
            )
            for row in rows
        ],
        page=number,
        pages=pages,
        total=total,
    )


@dataclass(frozen=True)
class Card:
    membership: Membership
    organisation: Organisation
    profile: Profile | None
    has_pair: bool


async def card(session: AsyncSession, actor: Actor, membership_id: int) -> Card | None:
    """A bank member's card, only within the desk member's own organisation (for `owned`)."""
    if actor.organisation is None:
        return None
    organisation_id = actor.organisation.id
    row = (
        await session.execute(
            select(Membership, Organisation, Profile, _in_live_pair().label("has_pair"))
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .outerjoin(Profile, Profile.membership_id == Membership.id)
            .where(
                Membership.id == membership_id,
                Membership.organisation_id == organisation_id,
                Membership.role.in_([Role.MENTOR, Role.MENTEE]),
            )
        )
    ).first()
    if row is None:
        return None
    return Card(row[0], row[1], row[2], bool(row[3]))
