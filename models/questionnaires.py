"""Questionnaires: the versions people answered, campaigns, responses and their answers.

A questionnaire's text lives in questionnaires/*.yaml; each version that anyone was asked to
answer is copied here, so answers stay readable after the file moves on to a newer version.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class CampaignPurpose(StrEnum):
    MANUAL = "manual"  # launched by the curator to an audience, with a deadline
    IMPACT = "impact"  # monitoring stage 2, filled as pairs start and finish


class Phase(StrEnum):
    ONCE = "once"
    BEFORE = "before"
    AFTER = "after"


class ResponseStatus(StrEnum):
    ASSIGNED = "assigned"  # waiting, not opened yet
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"  # final
    CLOSED = "closed"  # no longer wanted (a "before" left unanswered when the programme ended)


OPEN_STATUSES = (ResponseStatus.ASSIGNED, ResponseStatus.IN_PROGRESS)


class QuestionnaireVersion(Base):
    __tablename__ = "questionnaire_versions"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]


class SurveyCampaign(Base):
    """A questionnaire sent to an audience (or, for stage 2, to pairs as they go)."""

    __tablename__ = "survey_campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    questionnaire_version_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_versions.id", ondelete="RESTRICT")
    )
    purpose: Mapped[CampaignPurpose] = mapped_column(String(16))
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    deadline: Mapped[datetime | None] = mapped_column(index=True)
    created_by_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    reminded_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class SurveyResponse(Base):
    """One person's copy of a campaign's questionnaire: assigned, being answered, or sent."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("campaign_id", "membership_id", "phase", "pair_id"),
        Index("ix_survey_responses_campaign_status", "campaign_id", "status"),
        Index("ix_survey_responses_invited_at", "invited_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("survey_campaigns.id", ondelete="CASCADE"))
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    # The version this person answers: it stays with the response when the file changes.
    questionnaire_version_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_versions.id", ondelete="RESTRICT")
    )
    version: Mapped[int] = mapped_column(Integer)
    phase: Mapped[Phase] = mapped_column(String(8))
    pair_id: Mapped[int | None] = mapped_column(
        ForeignKey("pairs.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[ResponseStatus] = mapped_column(String(16))
    # The question on screen; "" while the person reviews the summary.
    current_question: Mapped[str | None] = mapped_column(String(32))
    due_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    invited_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    reminders: Mapped[int] = mapped_column(Integer, default=0)


class SurveyAnswer(Base):
    """One stored value of an answer; a multiple choice keeps a row per ticked option.

    A row with no value at all marks a question the person skipped.
    """

    __tablename__ = "survey_answers"
    __table_args__ = (Index("ix_survey_answers_response_question", "response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(32))
    option: Mapped[str | None] = mapped_column(String(32))
    number: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)
    day: Mapped[date | None] = mapped_column(Date)
