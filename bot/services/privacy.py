"""A person's own data: export it, or withdraw consent and erase it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.questionnaires import campaigns
from models import (
    Consent,
    ConsentKind,
    Membership,
    MembershipStatus,
    Organisation,
    Profile,
    User,
)
from models.questionnaires import QuestionnaireVersion, SurveyAnswer, SurveyResponse

# Profile fields that identify a person; all are cleared on withdrawal. What stays (role,
# category, dates of joining) lets the organisation's yearly statistics still count the row.
PERSONAL_FIELDS = (
    "full_name",
    "position",
    "phone",
    "birth_year",
    "education",
    "experience_years",
    "main_request",
    "difficulties",
    "difficulties_other",
    "competencies",
    "competencies_other",
    "achievements",
    "interests",
    "preferred_mentee",
    "hours_per_month",
)
EXPORTED_FIELDS = (
    *PERSONAL_FIELDS,
    "started_on",
    "mentee_category",
    "mentor_consent_at",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


async def export(session: AsyncSession, user: User) -> bytes:
    """Everything stored about this user, as JSON."""
    rows = (
        await session.execute(
            select(Membership, Organisation, Profile)
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .outerjoin(Profile, Profile.membership_id == Membership.id)
            .where(Membership.user_id == user.id)
            .order_by(Membership.id)
        )
    ).all()
    memberships = []
    for membership, organisation, profile in rows:
        consents = await session.scalars(
            select(Consent).where(Consent.membership_id == membership.id).order_by(Consent.id)
        )
        memberships.append(
            {
                "organisation": organisation.name,
                "role": membership.role,
                "status": membership.status,
                "joined_at": _plain(membership.joined_at),
                "withdrawn_at": _plain(membership.withdrawn_at),
                "profile": (
                    {name: _plain(getattr(profile, name)) for name in EXPORTED_FIELDS}
                    if profile is not None
                    else None
                ),
                "consents": [
                    {
                        "kind": consent.kind,
                        "text_version": consent.text_version,
                        "given_at": _plain(consent.given_at),
                        "withdrawn_at": _plain(consent.withdrawn_at),
                    }
                    for consent in consents
                ],
                "questionnaires": await _questionnaire_answers(session, membership.id),
            }
        )
    document = {
        "telegram_id": user.telegram_id,
        "language": user.language,
        "memberships": memberships,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


async def _questionnaire_answers(
    session: AsyncSession, membership_id: int
) -> list[dict[str, Any]]:
    """The person's own questionnaire responses with every value they gave."""
    rows = (
        await session.execute(
            select(SurveyResponse, QuestionnaireVersion.code, SurveyAnswer)
            .join(
                QuestionnaireVersion,
                QuestionnaireVersion.id == SurveyResponse.questionnaire_version_id,
            )
            .outerjoin(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
            .where(SurveyResponse.membership_id == membership_id)
            .order_by(SurveyResponse.id, SurveyAnswer.id)
        )
    ).all()
    responses: dict[int, dict[str, Any]] = {}
    for response, code, answer in rows:
        entry = responses.setdefault(
            response.id,
            {
                "questionnaire": code,
                "version": response.version,
                "phase": response.phase,
                "status": response.status,
                "submitted_at": _plain(response.submitted_at),
                "answers": [],
            },
        )
        if answer is not None:
            given = {
                "option": answer.option,
                "number": answer.number,
                "text": answer.text,
                "date": _plain(answer.day),
            }
            entry["answers"].append(
                {"question": answer.question_id}
                | {name: value for name, value in given.items() if value is not None}
            )
    return list(responses.values())


@dataclass(frozen=True)
class Withdrawal:
    organisation_id: int
    former_name: str | None
    roles: list[str]


async def withdraw(
    session: AsyncSession, user: User, organisation_id: int, now: datetime
) -> Withdrawal:
    """Withdraw consent in one organisation: erase the personal data, keep an anonymous row."""
    memberships = list(
        await session.scalars(
            select(Membership).where(
                Membership.user_id == user.id,
                Membership.organisation_id == organisation_id,
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
    )
    former_name = None
    for membership in memberships:
        membership.status = MembershipStatus.WITHDRAWN
        membership.withdrawn_at = now
        profile = await session.scalar(
            select(Profile).where(Profile.membership_id == membership.id)
        )
        if profile is not None:
            former_name = former_name or profile.full_name
            for field in PERSONAL_FIELDS:
                setattr(profile, field, None)
            profile.skipped = []
            profile.anonymised_at = now
            profile.updated_at = now
    ids = [membership.id for membership in memberships]
    await campaigns.forget_member(session, ids)  # open questionnaires closed, typed answers erased
    if ids:
        await session.execute(
            update(Consent)
            .where(Consent.membership_id.in_(ids), Consent.withdrawn_at.is_(None))
            .values(withdrawn_at=now)
            .execution_options(synchronize_session=False)
        )
    return Withdrawal(organisation_id, former_name, [m.role for m in memberships])


async def active_consent(session: AsyncSession, membership_id: int) -> Consent | None:
    return await session.scalar(
        select(Consent)
        .where(
            Consent.membership_id == membership_id,
            Consent.kind == ConsentKind.PERSONAL_DATA,
            Consent.withdrawn_at.is_(None),
        )
        .order_by(Consent.given_at.desc())
        .limit(1)
    )
