"""Invitations: unguessable deep-link codes per role, with expiry and a use limit."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import UserFacingError
from bot.services.people import Actor
from models import Invitation, Membership, MembershipStatus, Organisation, Role

DEFAULT_DAYS = 14
USE_LIMITS = (1, 5, 30, None)  # None: no limit
CODE_BYTES = 12  # 16 url-safe characters, well inside the 64 a deep link allows


class CodeStatus(StrEnum):
    VALID = "valid"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED_UP = "used_up"


@dataclass(frozen=True)
class CodeCheck:
    status: CodeStatus
    invitation: Invitation | None = None
    organisation: Organisation | None = None


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def looks_like_code(text: str) -> bool:
    return 8 <= len(text) <= 64 and all(ch.isalnum() or ch in "-_" for ch in text)


def status_of(invitation: Invitation, now: datetime) -> CodeStatus:
    if invitation.revoked_at is not None:
        return CodeStatus.REVOKED
    if invitation.expires_at <= now:
        return CodeStatus.EXPIRED
    if invitation.max_uses is not None and invitation.used_count >= invitation.max_uses:
        return CodeStatus.USED_UP
    return CodeStatus.VALID


async def create(
    session: AsyncSession,
    *,
    organisation_id: int,
    role: Role,
    created_by_user_id: int | None,
    now: datetime,
    days: int = DEFAULT_DAYS,
    max_uses: int | None = None,
) -> Invitation:
    invitation = Invitation(
        organisation_id=organisation_id,
        role=role,
        code=new_code(),
        created_by_user_id=created_by_user_id,
        max_uses=max_uses,
        used_count=0,
        expires_at=now + timedelta(days=days),
        created_at=now,
    )
    session.add(invitation)
    await session.flush()
    return invitation


async def check(session: AsyncSession, code: str, now: datetime) -> CodeCheck:
    if not looks_like_code(code):
        return CodeCheck(CodeStatus.UNKNOWN)
    row = (
        await session.execute(
            select(Invitation, Organisation)
            .join(Organisation, Organisation.id == Invitation.organisation_id)
            .where(Invitation.code == code)
        )
    ).first()
    if row is None:
        return CodeCheck(CodeStatus.UNKNOWN)
    invitation, organisation = row
    return CodeCheck(status_of(invitation, now), invitation, organisation)


async def redeem(session: AsyncSession, invitation_id: int, now: datetime) -> None:
    """Count one use, atomically, so two people cannot both take the last one."""
    result = await session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation_id,
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
            (Invitation.max_uses.is_(None)) | (Invitation.used_count < Invitation.max_uses),
        )
        .values(used_count=Invitation.used_count + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise UserFacingError("start-code-no-longer-valid")


async def list_active(
    session: AsyncSession, organisation_id: int, now: datetime, roles: Sequence[Role]
) -> list[Invitation]:
    """The organisation's live invitations for `roles` (those the person may make)."""
    rows = await session.scalars(
        select(Invitation)
        .where(
            Invitation.organisation_id == organisation_id,
            Invitation.role.in_(list(roles)),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .order_by(Invitation.created_at.desc())
    )
    return [inv for inv in rows if status_of(inv, now) is CodeStatus.VALID]


async def revoke(
    session: AsyncSession, organisation_id: int, invitation_id: int, now: datetime
) -> Invitation:
    invitation = await session.get(Invitation, invitation_id)
    if invitation is None or invitation.organisation_id != organisation_id:
        raise UserFacingError("error-not-found")
    if invitation.revoked_at is not None:
        raise UserFacingError("invite-already-revoked")
    invitation.revoked_at = now
    return invitation


INVITED_ROLES = (Role.MENTEE, Role.MENTOR, Role.PSYCHOLOGIST, Role.CURATOR, Role.HEAD)


def roles_may_invite(inviter_roles: set[Role], is_admin: bool, has_head: bool) -> list[Role]:
    """Whom a person of the desk brings in (domain.md, roles):

    - the curator keeps the bank and organises support: mentees, mentors, the psychologist;
      and the head while the organisation has none in the bot (only the head approves pairs,
      so someone must bring the first one in);
    - the head appoints the curator: a curator, and another head (a deputy, a successor);
    - an administrator who works at the desk sets the organisation up: anyone.
    """
    if not inviter_roles & {Role.CURATOR, Role.HEAD}:
        return []
    if is_admin:
        return list(INVITED_ROLES)
    allowed: set[Role] = set()
    if Role.CURATOR in inviter_roles:
        allowed |= {Role.MENTEE, Role.MENTOR, Role.PSYCHOLOGIST}
        if not has_head:
            allowed.add(Role.HEAD)
    if Role.HEAD in inviter_roles:
        allowed |= {Role.CURATOR, Role.HEAD}
    return [role for role in INVITED_ROLES if role in allowed]


async def invitable_roles(session: AsyncSession, actor: Actor) -> list[Role]:
    """The roles `actor` may invite to their organisation now (read afresh each step)."""
    if actor.organisation is None:
        return []
    has_head = await session.scalar(
        select(
            exists().where(
                Membership.organisation_id == actor.organisation.id,
                Membership.role == Role.HEAD,
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
    )
    return roles_may_invite(actor.roles, actor.is_admin, bool(has_head))


async def live_for(session: AsyncSession, actor: Actor, now: datetime) -> list[Invitation]:
    """The live invitations of the actor's organisation for the roles they may invite."""
    if actor.organisation is None:
        return []
    roles = await invitable_roles(session, actor)
    return await list_active(session, actor.organisation.id, now, roles)


async def own_live(session: AsyncSession, actor: Actor, invitation_id: int) -> Invitation | None:
    """A live invitation of the actor's organisation, for a role they may invite."""
    invitation = await session.get(Invitation, invitation_id)
    if invitation is None or actor.organisation is None or invitation.revoked_at is not None:
        return None
    ours = invitation.organisation_id == actor.organisation.id
    theirs = invitation.role in await invitable_roles(session, actor)
    return invitation if ours and theirs else None
