"""Joining an organisation's bank: consent first, then the profile, answer by answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import invitations
from bot.services import profile_form as form
from bot.services.errors import UserFacingError
from bot.services.invitations import CodeStatus
from bot.services.people import Actor, get_or_create_user, known_profile
from bot.services.profile_form import (
    BY_FIELD,
    Kind,
    Question,
    check_experience,
    next_question,
)
from models import (
    Consent,
    ConsentKind,
    Invitation,
    Membership,
    MembershipStatus,
    Profile,
    Role,
    User,
)

# The version of the consent texts in locales (consent-personal-data, q-mentor_consent_at).
# Change it whenever their wording changes: each consent records the version the person saw.
PERSONAL_DATA_CONSENT_VERSION = "pd-2026-11"
MENTOR_CONSENT_VERSION = "mentor-2026-11"


async def join(
    session: AsyncSession,
    *,
    telegram_id: int,
    language: str,
    invitation_id: int,
    now: datetime,
) -> Membership:
    """Record consent to personal data processing and make the person a member."""
    invitation = await session.get(invitations.Invitation, invitation_id)
    if invitation is None or invitations.status_of(invitation, now) is not CodeStatus.VALID:
        raise UserFacingError("start-code-no-longer-valid")
    user = await get_or_create_user(session, telegram_id, language, now)
    membership = await session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.organisation_id == invitation.organisation_id,
            Membership.role == invitation.role,
        )
    )
    if membership is not None and membership.status == MembershipStatus.ACTIVE:
        user.active_organisation_id = invitation.organisation_id
        return membership
    await invitations.redeem(session, invitation.id, now)
    if membership is None:
        membership = Membership(
            user_id=user.id,
            organisation_id=invitation.organisation_id,
            role=invitation.role,
            invitation_id=invitation.id,
        )
        session.add(membership)
    membership.status = MembershipStatus.ACTIVE
    membership.joined_at = now
    membership.withdrawn_at = None
    await session.flush()
    session.add(
        Consent(
            membership_id=membership.id,
            kind=ConsentKind.PERSONAL_DATA,
            text_version=PERSONAL_DATA_CONSENT_VERSION,
            locale=language,
            given_at=now,
        )
    )
    await ensure_profile(session, membership, now)
    user.active_organisation_id = invitation.organisation_id
    return membership


async def ensure_profile(session: AsyncSession, membership: Membership, now: datetime) -> Profile:
    profile = await session.scalar(select(Profile).where(Profile.membership_id == membership.id))
    if profile is None:
        profile = Profile(membership_id=membership.id, skipped=[], updated_at=now)
        session.add(profile)
        await session.flush()
    elif profile.anonymised_at is not None:  # came back after withdrawing: start afresh
        profile.anonymised_at = None
        profile.completed_at = None
        profile.skipped = []
    return profile


async def profile_of(session: AsyncSession, membership_id: int) -> Profile | None:
    known = known_profile(session, membership_id)
    if known is not None:
        return known
    return await session.scalar(select(Profile).where(Profile.membership_id == membership_id))


async def own_profile(session: AsyncSession, actor: Actor) -> tuple[Membership, Profile] | None:
    """The membership whose card /profile shows (the bank's, else the first), and its profile."""
    membership = actor.bank_membership or actor.primary_membership
    profile = membership and await profile_of(session, membership.id)
    return (membership, profile) if membership and profile else None


def validate_cross_fields(profile: Profile, question: Question, value: Any, today: date) -> Any:
    if question.field == "experience_years":
        return check_experience(value, profile.birth_year, today)
    return value


async def save_answer(
    session: AsyncSession,
    membership: Membership,
    profile: Profile,
    field: str,
    value: Any,
    *,
    now: datetime,
    language: str,
    other: str | None = None,
) -> Question | None:
    """Store one answer at once (a restart loses nothing) and return the next question."""
    question = BY_FIELD[field]
    if question.kind is Kind.CONSENT:
        value = now
        session.add(
            Consent(
                membership_id=membership.id,
                kind=ConsentKind.MENTOR_APPOINTMENT,
                text_version=MENTOR_CONSENT_VERSION,
                locale=language,
                given_at=now,
            )
        )
    setattr(profile, field, value)
    if question.other_field is not None:
        setattr(profile, question.other_field, other)
    profile.skipped = [name for name in (profile.skipped or []) if name != field]
    return _after_change(profile, Role(membership.role), now)


def skip(profile: Profile, role: Role, field: str, now: datetime) -> Question | None:
    question = BY_FIELD[field]
    if not question.optional:
        raise UserFacingError("error-not-optional")
    setattr(profile, field, None)
    profile.skipped = sorted({*(profile.skipped or []), field})
    return _after_change(profile, role, now)


def _after_change(profile: Profile, role: Role, now: datetime) -> Question | None:
    profile.updated_at = now
    following = next_question(profile, role)
    if following is None and profile.completed_at is None:
        profile.completed_at = now
    return following


async def returning_member(
    session: AsyncSession, user: User | None, invitation: Invitation | None
) -> Membership | None:
    """The person's active membership that the invitation gives: a member opening their own
    link again (used up, expired or revoked since) is at home."""
    if user is None or invitation is None:
        return None
    return await session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.organisation_id == invitation.organisation_id,
            Membership.role == invitation.role,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )


async def form_target(
    session: AsyncSession, actor: Actor, membership_id: int
) -> tuple[Membership, Profile] | None:
    """The membership a profile dialog fills, only if it is this person's and still active
    (no user yet: they joined in this very update, and are found by their Telegram id)."""
    user_id = actor.user.id if actor.user else None
    if user_id is None:
        user_id = await session.scalar(
            select(User.id).where(User.telegram_id == actor.telegram_id)
        )
    membership = await session.get(Membership, membership_id)
    if (
        membership is None
        or membership.user_id != user_id
        or membership.status != MembershipStatus.ACTIVE
    ):
        return None
    profile = await profile_of(session, membership.id)
    return None if profile is None else (membership, profile)


async def question_to_ask(
    session: AsyncSession, membership: Membership, field: str | None = None
) -> Question | None:
    """The first question left (or `field` alone, to change it); None when none is left."""
    if field:
        return form.BY_FIELD[field]
    profile = await profile_of(session, membership.id)
    return form.next_question(profile, Role(membership.role)) if profile else None


def typed_answer(
    profile: Profile, question: Question, text: str, today: date, other: bool = False
) -> Any:
    """A typed answer checked against the question and the answers before it; `other`: the
    "other" of a choice is awaited."""
    kind = question.kind
    if kind is Kind.NAME:
        return form.parse_full_name(text)
    if kind is Kind.TEXT or (kind is Kind.CHOICE and other):
        return form.clean_text(text, question.max_length if kind is Kind.TEXT else form.SHORT_TEXT)
    if kind is Kind.YEAR_OF_BIRTH:
        return form.parse_birth_year(text, today)
    if kind is Kind.NUMBER:
        number = form.parse_number(text, *question.bounds)
        return validate_cross_fields(profile, question, number, today)
    if kind is Kind.DATE:
        return form.parse_start_date(text, today, profile.birth_year)
    if kind is Kind.PHONE:
        return form.parse_phone(text)
    raise UserFacingError("form-use-buttons")
