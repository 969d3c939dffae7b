"""The delivery queue's rules: what is queued, when it may go, who claims it, what a result means.

Whatever decides that someone must be told writes an `Outgoing` here in its own transaction, so
the decision and the message commit together (or neither). The sender (bot/delivery.py) claims
due rows in short transactions of its own and sends them outside any transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.services import rules
from models import (
    DeliveryState,
    Holiday,
    Membership,
    MembershipStatus,
    Organisation,
    OutboxMessage,
    Profile,
    User,
)
from models.base import dialect_of, insert_unless_present

QUEUED_IN_SESSION = "outbox_queued"  # session.info: this transaction queued something
# A row claimed longer ago than this was dropped by a sender that stopped or crashed: it goes
# back to the queue (Telegram may then have it twice: at most one repeat).
STALE_CLAIM = timedelta(minutes=2)
MAX_ATTEMPTS = 5
# Tries while Telegram is out of reach (a network error, a 5xx): the waits grow to
# MAX_RETRY_WAIT, so a message outlives an outage of about four hours.
MAX_TRANSIENT_ATTEMPTS = 30
MAX_RETRY_WAIT = timedelta(minutes=10)
CLAIM_LOCK = 0x6F757462  # the claims' advisory lock key: "outb"
ERROR_LIMIT = 300


@dataclass(frozen=True)
class Outgoing:
    chat_id: int
    key: str  # what, for whom, which due date or event
    purpose: str
    text: str | None
    urgent: bool = False
    user_id: int | None = None
    organisation_id: int | None = None
    kind: str = "text"  # or photo, voice, video, video_note, audio, animation, document
    file_id: str | None = None
    markup: dict[str, Any] | None = field(default=None, hash=False)


@dataclass(frozen=True)
class WorkingHours:
    """An organisation's working hours, working days (ISO weekday digits) and holidays."""

    timezone: str
    day_start: int
    day_end: int
    days: str = rules.WEEKDAYS
    holidays: frozenset[date] = frozenset()

    @classmethod
    def of(cls, organisation: Organisation, holidays: Iterable[date] = ()) -> WorkingHours:
        return cls(
            organisation.timezone,
            organisation.workday_start_hour,
            organisation.workday_end_hour,
            organisation.working_days or rules.WEEKDAYS,
            frozenset(holidays),
        )

    def next_moment(self, now: datetime) -> datetime:
        return rules.next_working_moment(
            now, self.timezone, self.day_start, self.day_end, self.days, self.holidays
        )


async def working_hours(
    session: AsyncSession, organisation: Organisation, now: datetime
) -> WorkingHours:
    """The organisation's working hours with its holidays from yesterday on (an index range)."""
    since = (now - timedelta(days=1)).date()
    days = await session.scalars(
        select(Holiday.day).where(Holiday.organisation_id == organisation.id, Holiday.day >= since)
    )
    return WorkingHours.of(organisation, days)


async def enqueue(
    session: AsyncSession,
    message: Outgoing,
    now: datetime,
    hours: WorkingHours | None = None,
) -> None:
    """Queue a message unless one with its key is queued already. One that is not urgent waits
    for the organisation's working hours."""
    await enqueue_many(session, [message], now, hours)


async def enqueue_many(
    session: AsyncSession,
    messages: Sequence[Outgoing],
    now: datetime,
    hours: WorkingHours | None = None,
) -> None:
    """`enqueue` for many messages in one statement (a campaign's invitations, say)."""
    if not messages:
        return
    later = hours.next_moment(now) if hours is not None else now
    rows = [
        {
            "key": message.key[:200],
            "chat_id": message.chat_id,
            "user_id": message.user_id,
            "organisation_id": message.organisation_id,
            "purpose": message.purpose,
            "urgent": message.urgent,
            "kind": message.kind,
            "text": message.text,
            "file_id": message.file_id,
            "markup": message.markup,
            "state": DeliveryState.QUEUED,
            "attempts": 0,
            "not_before": now if message.urgent else later,
            "created_at": now,
        }
        for message in messages
    ]
    await session.execute(_insert_once(session), rows)
    session.info[QUEUED_IN_SESSION] = True


def _insert_once(session: AsyncSession) -> Any:
    return insert_unless_present(session, OutboxMessage, ["key"])


def queued_something(session: AsyncSession) -> bool:
    return bool(session.info.get(QUEUED_IN_SESSION))


# --- the sender's side -------------------------------------------------------------------------


async def claim(
    session: AsyncSession,
    now: datetime,
    limit: int,
    busy_chats: Iterable[int] = (),
    chat_interval: timedelta = timedelta(0),
) -> list[OutboxMessage]:
    """Due rows to send now, urgent first, then oldest; at most one per chat, none to a chat
    that is busy: a message to it in flight or sent within `chat_interval`, by this sender
    (`busy_chats`) or another one. On PostgreSQL the rows are locked and skipped by other
    senders until this transaction ends (FOR UPDATE SKIP LOCKED), and claims take turns (a
    transaction-level advisory lock): two senders claiming at once could each take a row to the
    same chat, neither seeing the other's claim yet. On SQLite the claims take turns because
    the first statement is a write (the stale claims released), which takes the database's
    write lock: the driver begins a transaction only at a write, so a read first would let two
    processes read, and send, the same rows.
    """
    if dialect_of(session) == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CLAIM_LOCK})
    await release_stale(session, now)
    busy = list(busy_chats)
    other = aliased(OutboxMessage)
    chat_busy = (
        select(other.id)
        .where(
            other.chat_id == OutboxMessage.chat_id,
            or_(
                other.state == DeliveryState.SENDING,
                and_(other.state == DeliveryState.SENT, other.sent_at > now - chat_interval),
            ),
        )
        .exists()
    )
    query = (
        select(OutboxMessage)
        .where(
            OutboxMessage.state == DeliveryState.QUEUED,
            OutboxMessage.not_before <= now,
            ~chat_busy,
        )
        .order_by(OutboxMessage.urgent.desc(), OutboxMessage.id)
        .limit(limit * 3)  # room for rows skipped as a second one to the same chat
        .with_for_update(skip_locked=True)
    )
    if busy:
        query = query.where(OutboxMessage.chat_id.not_in(busy))
    chosen: dict[int, OutboxMessage] = {}
    for row in await session.scalars(query):
        if row.chat_id not in chosen:
            chosen[row.chat_id] = row
        if len(chosen) >= limit:
            break
    for row in chosen.values():
        row.state = DeliveryState.SENDING
        row.claimed_at = now
        row.attempts += 1
    return list(chosen.values())


async def unclaim(session: AsyncSession, ids: list[int]) -> None:
    """Claimed rows a stopping sender did not send: queued again, the try not counted."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.state == DeliveryState.SENDING)
        .values(state=DeliveryState.QUEUED, attempts=OutboxMessage.attempts - 1)
    )


async def release_stale(session: AsyncSession, now: datetime) -> int:
    """Rows a stopped or crashed sender had claimed go back to the queue."""
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.state == DeliveryState.SENDING,
            OutboxMessage.claimed_at < now - STALE_CLAIM,
        )
        .values(state=DeliveryState.QUEUED)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def mark_sent(session: AsyncSession, ids: Sequence[int], now: datetime) -> None:
    """Rows Telegram took, in one statement (the sender gathers them for a moment)."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.state == DeliveryState.SENDING)
        .values(state=DeliveryState.SENT, sent_at=now, last_error=None)
    )


def drop(row: OutboxMessage) -> None:
    """A reminder whose subject was done, moved or ended while it waited: not sent."""
    row.state = DeliveryState.DROPPED
    row.last_error = "no longer due"


def wait_and_retry(row: OutboxMessage, until: datetime) -> None:
    """Telegram asked to wait (429): the same message again after it, not counted as a try."""
    row.state = DeliveryState.QUEUED
    row.not_before = until
    row.attempts = max(0, row.attempts - 1)


def give_up(row: OutboxMessage, error: str) -> None:
    """Failed for good: visible to the curator in /delivery."""
    row.state = DeliveryState.FAILED
    row.last_error = error[:ERROR_LIMIT]


def retry_later(row: OutboxMessage, now: datetime, error: str, transient: bool = False) -> None:
    """Another error: again after a growing wait, or given up after MAX_ATTEMPTS tries
    (MAX_TRANSIENT_ATTEMPTS when Telegram was out of reach)."""
    if row.attempts >= (MAX_TRANSIENT_ATTEMPTS if transient else MAX_ATTEMPTS):
        give_up(row, error)
        return
    row.last_error = error[:ERROR_LIMIT]
    row.state = DeliveryState.QUEUED
    row.not_before = now + min(timedelta(seconds=2 ** (row.attempts + 1)), MAX_RETRY_WAIT)


async def unreachable(session: AsyncSession, row: OutboxMessage, error: str) -> User | None:
    """The person blocked the bot: this row and every other queued for them stop. Returns the
    user when this is news (they were reachable until now), so the curator is told once."""
    row.state = DeliveryState.UNREACHABLE
    row.last_error = error[:ERROR_LIMIT]
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.chat_id == row.chat_id,
            OutboxMessage.state == DeliveryState.QUEUED,
        )
        .values(state=DeliveryState.UNREACHABLE, last_error="blocked")
    )
    user = await session.scalar(select(User).where(User.telegram_id == row.chat_id))
    if user is None or user.blocked_bot:
        return None
    user.blocked_bot = True
    return user


async def blocked_chats(session: AsyncSession, chat_ids: Iterable[int]) -> set[int]:
    """Of these chats, the people known to have blocked the bot: not sent to."""
    ids = list(chat_ids)
    if not ids:
        return set()
    rows = await session.scalars(
        select(User.telegram_id).where(User.telegram_id.in_(ids), User.blocked_bot.is_(True))
    )
    return set(rows)


# --- what the curator sees ---------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryReport:
    queued: int
    sent_today: int
    failed_count: int  # all of them; `failed` holds the latest few
    failed: list[OutboxMessage]
    unreachable_count: int  # all of them; `unreachable` holds the first few
    unreachable: list[str | None]  # the full names of members who blocked the bot, by name


async def report(
    session: AsyncSession,
    organisation_id: int,
    since: datetime,
    failed_limit: int = 10,
    unreachable_limit: int = 30,
) -> DeliveryReport:
    def count(*conditions: Any) -> Any:
        return (
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.organisation_id == organisation_id, *conditions)
        )

    queued = await session.scalar(
        count(OutboxMessage.state.in_([DeliveryState.QUEUED, DeliveryState.SENDING]))
    )
    sent_today = await session.scalar(
        count(OutboxMessage.state == DeliveryState.SENT, OutboxMessage.sent_at >= since)
    )
    failed_count = await session.scalar(count(OutboxMessage.state == DeliveryState.FAILED))
    failed = list(
        await session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.organisation_id == organisation_id,
                OutboxMessage.state == DeliveryState.FAILED,
            )
            .order_by(OutboxMessage.id.desc())
            .limit(failed_limit)
        )
    )
    blocked = (
        select(Profile.full_name)
        .select_from(User)
        .join(Membership, Membership.user_id == User.id)
        .outerjoin(Profile, Profile.membership_id == Membership.id)
        .where(
            Membership.organisation_id == organisation_id,
            Membership.status == MembershipStatus.ACTIVE,
            User.blocked_bot.is_(True),
        )
    )
    unreachable_count = await session.scalar(select(func.count()).select_from(blocked.subquery()))
    unreachable = await session.scalars(
        blocked.order_by(Profile.full_name, Membership.id).limit(unreachable_limit)
    )
    return DeliveryReport(
        int(queued or 0),
        int(sent_today or 0),
        int(failed_count or 0),
        failed,
        int(unreachable_count or 0),
        list(unreachable),
    )
