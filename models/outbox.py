"""The delivery queue: every message to someone other than the sender of the update at hand."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class DeliveryState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"  # claimed by a sender; back to queued if it stays so too long
    SENT = "sent"
    FAILED = "failed"  # gave up after the allowed attempts
    UNREACHABLE = "unreachable"  # the person blocked the bot (or their account is gone)
    DROPPED = "dropped"  # a reminder no longer due when its hour came (done meanwhile)


class OutboxMessage(Base):
    """One message to send: decided in the same transaction as what it tells of."""

    __tablename__ = "outbox"
    __table_args__ = (
        # What the sender reads: due queued rows, urgent first, oldest first.
        Index("ix_outbox_due", "state", "not_before", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What, for whom, which due date or event: the same decision made twice queues one row.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(32))  # help, reminder, pair, survey, notice
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str] = mapped_column(String(16), default="text")  # or photo, voice, ... by id
    text: Mapped[str | None] = mapped_column(Text)  # rendered, in the recipient's language
    file_id: Mapped[str | None] = mapped_column(String(255))
    markup: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # an inline keyboard, as JSON
    state: Mapped[DeliveryState] = mapped_column(String(16), default=DeliveryState.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime]
    created_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    last_error: Mapped[str | None] = mapped_column(String(300))
