"""The mentoring itself: confirmations, history, programmes, activities, meetings, help."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.enums import ActivityStatus, HelpStatus, ProgrammeStatus


class PairConfirmation(Base):
    """A participant's written consent to a proposed pair, or their refusal with a reason."""

    __tablename__ = "pair_confirmations"
    __table_args__ = (UniqueConstraint("pair_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    accepted: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime]


class PairEvent(Base):
    """The pair's history: every lifecycle step with who did it and why."""

    __tablename__ = "pair_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    actor_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    reason: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime]


class SupportReferral(Base):
    """A mentee who cannot be paired now, handed to the psychologist (roadmap stage 5)."""

    __tablename__ = "support_referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    mentee_membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    psychologist_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class Programme(Base):
    """The personalised mentoring programme of a pair or group."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), unique=True)
    status: Mapped[ProgrammeStatus] = mapped_column(String(16))
    template: Mapped[str | None] = mapped_column(String(32))
    goal: Mapped[str | None] = mapped_column(Text)
    tasks: Mapped[str | None] = mapped_column(Text)
    planned_results: Mapped[str | None] = mapped_column(Text)
    form: Mapped[str | None] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)  # the 10-day rule
    submitted_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    change_request: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Activity(Base):
    """One row of the programme's calendar plan."""

    __tablename__ = "activities"
    __table_args__ = (Index("ix_activities_status_due_on", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date)
    expected_result: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ActivityStatus] = mapped_column(String(16))
    result: Mapped[str | None] = mapped_column(Text)
    evidence_file_id: Mapped[str | None] = mapped_column(String(255))
    evidence_kind: Mapped[str | None] = mapped_column(String(16))  # photo or document
    done_at: Mapped[datetime | None]
    reopen_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    format: Mapped[str] = mapped_column(String(16))  # in_person or online
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activities.id", ondelete="SET NULL")
    )
    duration_minutes: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    next_steps: Mapped[str | None] = mapped_column(Text)
    logged_by_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    confirmed_at: Mapped[datetime | None]
    confirmed_by_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime]


class MeetingAttendee(Base):
    __tablename__ = "meeting_attendees"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), primary_key=True
    )


class HelpRequest(Base):
    """Situational mentoring: a mentee's request for help and its thread."""

    __tablename__ = "help_requests"
    __table_args__ = (Index("ix_help_requests_status_answer_due_at", "status", "answer_due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    mentee_membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("pairs.id", ondelete="SET NULL"))
    helper_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    status: Mapped[HelpStatus] = mapped_column(String(16))
    answer_due_at: Mapped[datetime | None]  # counted in working hours
    answered_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    rating: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class HelpMessage(Base):
    """One message of a help thread, kept whether or not it could be relayed."""

    __tablename__ = "help_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), index=True
    )
    author_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    content_type: Mapped[str] = mapped_column(String(16))  # text, photo, voice, document, ...
    text: Mapped[str | None] = mapped_column(Text)
    file_id: Mapped[str | None] = mapped_column(String(255))
    delivered: Mapped[bool] = mapped_column(Boolean, default=False)
    delivery_error: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime]
