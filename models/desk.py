"""The curator's desk: announcements and events sent to an audience, and who is coming."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class BroadcastKind(StrEnum):
    ANNOUNCEMENT = "announcement"
    EVENT = "event"  # with a date, time, place and «Приду» / «Не смогу»


class Broadcast(Base):
    """One announcement or event; each recipient's message is a row of the delivery queue
    keyed `broadcast:<id>:<membership id>`, so a restart in the middle sends nobody twice."""

    __tablename__ = "broadcasts"
    __table_args__ = (
        Index("ix_broadcasts_upcoming", "organisation_id", "event_at"),  # /events
        Index("ix_broadcasts_event_at", "event_at"),  # the reminders' pass, all organisations
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    author_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    kind: Mapped[BroadcastKind] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)  # as the curator wrote it (HTML-escaped on sending)
    file_kind: Mapped[str | None] = mapped_column(String(16))  # photo or document
    file_id: Mapped[str | None] = mapped_column(String(255))
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    event_at: Mapped[datetime | None]
    place: Mapped[str | None] = mapped_column(String(300))
    cancelled_at: Mapped[datetime | None]
    # The curator's own message that shows the live report (edited as deliveries go).
    report_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    report_message_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]


class EventAnswer(Base):
    """A recipient's answer to an event: coming or not (the last tap counts)."""

    __tablename__ = "event_answers"

    broadcast_id: Mapped[int] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="CASCADE"), primary_key=True
    )
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    coming: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime]
