"""ORM models. Every record that belongs to an organisation carries its id."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base
from models.enums import MembershipStatus, PairStatus, Role


class User(Base):
    """A Telegram account. Holds no personal data: those live in profiles, after consent."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    language: Mapped[str | None] = mapped_column(String(8))
    active_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    blocked_bot: Mapped[bool] = mapped_column(default=False)
    # What the person's command menu in Telegram was last set to (bot.commands), so start-up
    # sets only the menus that changed.
    menu_signature: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", lazy="raise", foreign_keys="Membership.user_id"
    )


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(64))
    timezone: Mapped[str] = mapped_column(String(64))
    # Working hours (local time) count for response times such as situational help.
    workday_start_hour: Mapped[int] = mapped_column(Integer, default=9, server_default="9")
    workday_end_hour: Mapped[int] = mapped_column(Integer, default=18, server_default="18")
    help_response_hours: Mapped[int] = mapped_column(Integer, default=4, server_default="4")
    # Working days, ISO weekday digits (1 = Monday): non-urgent messages wait for them.
    working_days: Mapped[str] = mapped_column(String(7), default="12345", server_default="12345")
    # What the organisation allows (the desk's settings): the head sends broadcasts too; mentors
    # see the ratings of mentors.
    head_may_broadcast: Mapped[bool] = mapped_column(default=False, server_default=false())
    ratings_for_mentors: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime]


class Membership(Base):
    """A user's role in one organisation; the bank's row hangs on it."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(String(16))
    status: Mapped[MembershipStatus] = mapped_column(String(16))
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL")
    )
    joined_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="memberships", lazy="raise")
    organisation: Mapped[Organisation] = relationship(lazy="raise")
    profile: Mapped[Profile | None] = relationship(
        back_populates="membership", lazy="raise", uselist=False
    )


class Profile(Base):
    """The bank's fields of one member (see domain.md, The banks). Personal data."""

    __tablename__ = "profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), unique=True
    )
    full_name: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    education: Mapped[str | None] = mapped_column(String(64))
    experience_years: Mapped[int | None] = mapped_column(Integer)
    started_on: Mapped[date | None] = mapped_column(Date, index=True)
    # mentee
    mentee_category: Mapped[str | None] = mapped_column(String(32))
    main_request: Mapped[str | None] = mapped_column(Text)
    difficulties: Mapped[list[str] | None] = mapped_column(JSON)
    difficulties_other: Mapped[str | None] = mapped_column(Text)
    # mentor
    competencies: Mapped[list[str] | None] = mapped_column(JSON)
    competencies_other: Mapped[str | None] = mapped_column(Text)
    achievements: Mapped[str | None] = mapped_column(Text)
    interests: Mapped[str | None] = mapped_column(Text)
    preferred_mentee: Mapped[str | None] = mapped_column(Text)
    hours_per_month: Mapped[int | None] = mapped_column(Integer)
    mentor_consent_at: Mapped[datetime | None]
    # bookkeeping
    skipped: Mapped[list[str]] = mapped_column(JSON, default=list)
    completed_at: Mapped[datetime | None]
    anonymised_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]

    membership: Mapped[Membership] = relationship(back_populates="profile", lazy="raise")


class Consent(Base):
    """A consent given, with the version of the text the person saw."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    text_version: Mapped[str] = mapped_column(String(32))
    locale: Mapped[str] = mapped_column(String(8))
    given_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]


class Invitation(Base):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    max_uses: Mapped[int | None] = mapped_column(Integer)
    used_count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Pair(Base):
    """A mentor with one mentee (a pair) or several (a group)."""

    __tablename__ = "pairs"
    __table_args__ = (
        Index("ix_pairs_status_ends_on", "status", "ends_on"),
        Index("ix_pairs_status_approved_at", "status", "approved_at"),
        Index("ix_pairs_status_ended_at", "status", "ended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    mentor_membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[PairStatus] = mapped_column(String(16))
    forms: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_by_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    approval_order: Mapped[str | None] = mapped_column(String(100))  # the head's order, № and date
    approved_at: Mapped[datetime | None]
    activated_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]


class PairMentee(Base):
    __tablename__ = "pair_mentees"

    pair_id: Mapped[int] = mapped_column(
        ForeignKey("pairs.id", ondelete="CASCADE"), primary_key=True
    )
    mentee_membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class SentReminder(Base):
    """A reminder that went out: one row per subject and stage, so none is sent twice."""

    __tablename__ = "sent_reminders"
    __table_args__ = (UniqueConstraint("kind", "subject_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(16))
    sent_at: Mapped[datetime]


class FsmRecord(Base):
    """Dialog state kept in the database when no Redis is configured.

    `chat_id` is the chat of the key, and `touched_at` when the record last changed: a record
    of someone who is a member nowhere goes once it has not changed for a while
    (bot/services/dialog_expiry.py)."""

    __tablename__ = "fsm_records"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    touched_at: Mapped[datetime] = mapped_column(index=True)


class ProcessedUpdate(Base):
    """A Telegram update already handled: recorded in the update's own transaction, so a
    re-delivered one (a webhook retry, polling after a crash) is skipped, not done twice."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(index=True)


class AppState(Base):
    """Small facts about the installation as a whole (such as the version of the menus set)."""

    __tablename__ = "app_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))
