"""Who is acting: the user, their active organisation and their roles there."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Membership,
    MembershipStatus,
    Organisation,
    Profile,
    Role,
    User,
)
from models.enums import BANK_ROLES, DESK_ROLES

PROFILES = "profiles_by_membership"  # session.info: the profiles actor_from_rows was given


@dataclass
class Actor:
    telegram_id: int
    user: User | None = None
    organisation: Organisation | None = None
    memberships: list[Membership] = field(default_factory=list)
    is_admin: bool = False

    @property
    def roles(self) -> set[Role]:
        return {Role(m.role) for m in self.memberships if m.status == MembershipStatus.ACTIVE}

    def has_any(self, roles: frozenset[Role] | set[Role]) -> bool:
        return bool(self.roles & roles)

    @property
    def timezone(self) -> str:
        """The organisation's time zone, where its dates and hours are reckoned (else UTC)."""
        return self.organisation.timezone if self.organisation else "UTC"

    @property
    def is_desk(self) -> bool:
        return self.has_any(DESK_ROLES)

    @property
    def keeps_desk(self) -> bool:
        """The curator: who changes what the desk keeps (pairs, the organisation's settings,
        the roadmap, monitoring); the head reads it and approves."""
        return self.membership(Role.CURATOR) is not None

    def desk_organisation(self, keeps: bool = False) -> Organisation | None:
        """The organisation whose desk this person works at (curator or head), or, to
        change what the desk `keeps`, whose curator they are; else None. The one rule the
        desk's screens and loaders ask, at every step."""
        return self.organisation if (self.keeps_desk if keeps else self.is_desk) else None

    def membership(self, role: Role) -> Membership | None:
        for membership in self.memberships:
            if membership.role == role and membership.status == MembershipStatus.ACTIVE:
                return membership
        return None

    @property
    def bank_membership(self) -> Membership | None:
        """The membership that holds this person's bank profile (mentee first)."""
        for role in (Role.MENTEE, Role.MENTOR):
            if (membership := self.membership(role)) is not None:
                return membership
        return None

    @property
    def primary_membership(self) -> Membership | None:
        active = [m for m in self.memberships if m.status == MembershipStatus.ACTIVE]
        bank = [m for m in active if m.role in BANK_ROLES]
        chosen = bank or active
        return chosen[0] if chosen else None


def actor_from_rows(
    session: AsyncSession,
    telegram_id: int,
    is_admin: bool,
    rows: Sequence[tuple[User | None, Membership | None, Organisation | None, Profile | None]],
) -> Actor:
    """Who is acting, from the rows of the user, each membership, its organisation and its
    profile (bot.update_start loads them, active ones only: a withdrawn or revoked membership
    grants nothing anywhere, so a person left only with such ones acts as one who never joined,
    and one still active in another organisation acts there): those of the active organisation.

    The profiles are remembered in the session (`known_profile`), so a dialog step of the same
    update does not ask the database for them again.
    """
    actor = Actor(telegram_id=telegram_id, is_admin=is_admin)
    user = rows[0][0] if rows else None
    if user is None:
        return actor
    actor.user = user
    joined = [row for row in rows if row[1] is not None and row[2] is not None]
    if not joined:
        return actor
    organisation_ids = [organisation.id for _, _, organisation, _ in joined if organisation]
    active_id = user.active_organisation_id
    if active_id not in organisation_ids:
        active_id = organisation_ids[-1]
    profiles = session.info.setdefault(PROFILES, {})
    for _, membership, organisation, profile in joined:
        assert membership is not None and organisation is not None
        if profile is not None:
            profiles[membership.id] = profile
        if organisation.id == active_id:
            actor.organisation = organisation
            actor.memberships.append(membership)
    return actor


def known_profile(session: AsyncSession, membership_id: int) -> Profile | None:
    """A profile this session has already loaded, if any (None means: ask the database)."""
    profile: Profile | None = session.info.get(PROFILES, {}).get(membership_id)
    return profile


async def get_or_create_user(
    session: AsyncSession, telegram_id: int, language: str | None, now_: datetime
) -> User:
    user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
    if user is None:
        user = User(telegram_id=telegram_id, language=language, created_at=now_)
        session.add(user)
        await session.flush()
    return user


async def organisations_of(session: AsyncSession, user_id: int) -> list[Organisation]:
    rows = await session.scalars(
        select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user_id, Membership.status == MembershipStatus.ACTIVE)
        .distinct()
        .order_by(Organisation.name)
    )
    return list(rows)


async def own_organisation(
    session: AsyncSession, actor: Actor, organisation_id: int
) -> Organisation | None:
    """One of the organisations where the actor is an active member."""
    mine = await organisations_of(session, actor.user.id) if actor.user else []
    return next((org for org in mine if org.id == organisation_id), None)


@dataclass(frozen=True)
class Recipient:
    telegram_id: int
    language: str | None


async def desk_recipients(session: AsyncSession, organisation_id: int) -> list[Recipient]:
    """Curators of an organisation (heads when there is no curator), to be told of events."""
    rows = (
        await session.execute(
            select(User.telegram_id, User.language, Membership.role)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.organisation_id == organisation_id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.role.in_([Role.CURATOR, Role.HEAD]),
            )
            .order_by(User.telegram_id)
        )
    ).all()
    curators = [Recipient(tid, lang) for tid, lang, role in rows if role == Role.CURATOR]
    chosen = curators or [Recipient(tid, lang) for tid, lang, _ in rows]
    return list(dict.fromkeys(chosen))
