"""Deadlines: the organisation's working days and holidays, the yearly roadmap, the two final
reports of a pair, and the reminder kinds a person has muted."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Holiday(Base):
    """A day off of one organisation: non-urgent messages wait for the next working day."""

    __tablename__ = "holidays"
    __table_args__ = (UniqueConstraint("organisation_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    day: Mapped[date] = mapped_column(Date)


class RoadmapStage(Base):
    """One of the seven stages of an organisation's yearly roadmap (domain.md, seed 001)."""

    __tablename__ = "roadmap_stages"
    __table_args__ = (
        UniqueConstraint("organisation_id", "year", "position"),
        Index("ix_roadmap_stages_open_due", "done_at", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    year: Mapped[int] = mapped_column(Integer)  # the school year's first calendar year
    position: Mapped[int] = mapped_column(Integer)  # 1..7, the template's order
    code: Mapped[str] = mapped_column(String(32))  # the template's stage (preparation, ...)
    actions: Mapped[str | None] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    responsible_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    done_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]  # when its plan (actions, deadline, responsible) last changed


class RoadmapApproval(Base):
    """The head approves the school year's roadmap (domain.md: the head "approves the roadmap");
    it holds while no stage's plan has changed since (RoadmapStage.updated_at)."""

    __tablename__ = "roadmap_approvals"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    approver_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    approved_at: Mapped[datetime]


class FinalReport(Base):
    """The mentor's or a mentee's report at a pair's end (within 10 days, rules.report_due)."""

    __tablename__ = "final_reports"
    __table_args__ = (UniqueConstraint("pair_id", "author_membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"))
    author_membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE")
    )
    role: Mapped[str] = mapped_column(String(8))  # mentor or mentee
    due_on: Mapped[date] = mapped_column(Date)
    # The mentor's: per activity id {"mark": done|late|not_done, "reason": "..."}.
    fulfilment: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    results: Mapped[str | None] = mapped_column(Text)  # the mentee's results (mentor)
    recommendations: Mapped[str | None] = mapped_column(Text)  # (mentor)
    how_it_went: Mapped[str | None] = mapped_column(Text)  # (mentee)
    helped: Mapped[str | None] = mapped_column(Text)  # (mentee)
    missing: Mapped[str | None] = mapped_column(Text)  # (mentee)
    # The mentee's evaluation of the mentor: criterion -> 1..5 (EVALUATION_CRITERIA).
    evaluation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    comment: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class ReminderMute(Base):
    """A reminder kind a person chose not to get (only those the Положение does not require)."""

    __tablename__ = "reminder_mutes"

    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime]
