"""Announcements and events from the curator's desk, to an audience, through the delivery queue.

Each recipient's message is a row of the delivery queue keyed by the broadcast and the
recipient, written in the transaction that records the broadcast: a restart in the middle
sends nobody the message twice, and the sender delivers at Telegram's pace. The live report
reads those rows' states. Those who said they would come get a reminder the day before and an
hour before (keyed by the event's time, so a moved event reminds again); a cancelled or moved
event tells everyone who has not declined.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.people import Actor
from bot.services.questionnaires.campaigns import members
from models import (
    Broadcast,
    BroadcastKind,
    DeliveryState,
    EventAnswer,
    Membership,
    MembershipStatus,
    OutboxMessage,
    Pair,
    PairMentee,
    PairStatus,
    Role,
    User,
)

DAY_BEFORE = timedelta(days=1)
HOUR_BEFORE = timedelta(hours=1)
CHUNK = 500  # keys per IN (...) when reading the report
LONGEST_AHEAD = timedelta(days=366)  # an event's date at most a year ahead
TEXT_LIMIT = 3500  # leaves room for the event's line under a message's 4096
OWN_CAPTION_LIMIT = 900  # a photo's or document's caption holds 1024


@dataclass(frozen=True)
class Recipient:
    membership_id: int
    telegram_id: int
    language: str | None


class TargetKind(StrEnum):
    EVERYONE = "everyone"
    ROLE = "role"  # mentors, mentees, or any one role
    PAIRS = "pairs"  # the mentors and mentees of active pairs
    FORM = "form"  # the people of active pairs of one form of mentoring
    PEOPLE = "people"  # named people


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    role: Role | None = None
    form: str | None = None
    membership_ids: tuple[int, ...] = ()

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "role": self.role, "form": self.form}

    @classmethod
    def from_data(cls, raw: dict[str, Any]) -> Target:
        """The target as a dialog keeps it (`kind`, `role`, `form`, `ids`); else everyone."""
        return cls(
            TargetKind(raw.get("kind", TargetKind.EVERYONE)),
            Role(raw["role"]) if raw.get("role") else None,
            raw.get("form"),
            tuple(int(item) for item in raw.get("ids", [])),
        )


@dataclass(frozen=True)
class Report:
    queued: int = 0  # waiting (queued or being sent)
    sent: int = 0
    failed: int = 0
    unreachable: int = 0
    coming: int = 0
    not_coming: int = 0


def may_broadcast(actor: Actor) -> bool:
    """Curators; the head too where the organisation allows it."""
    organisation = actor.organisation
    if organisation is None:
        return False
    return Role.CURATOR in actor.roles or (
        Role.HEAD in actor.roles and organisation.head_may_broadcast
    )


def parse_time(text: str) -> str:
    """An event's time as typed («15:30», «15.30», «15»), as HH:MM; ValueError otherwise."""
    value = text.strip().replace(".", ":").replace(" ", "")
    moment = time.fromisoformat(value if len(value) > 2 else f"{value}:00")
    return moment.strftime("%H:%M")


def local_moment(day: str, moment: str, timezone: str) -> datetime:
    """A day (ISO) and a time (HH:MM) in the organisation's zone, in UTC."""
    local = datetime.combine(
        date.fromisoformat(day), time.fromisoformat(moment), ZoneInfo(timezone)
    )
    return local.astimezone(UTC)


def message_key(broadcast_id: int, membership_id: int) -> str:
    return f"broadcast:{broadcast_id}:{membership_id}"


def reminder_key(broadcast: Broadcast, stage: str, membership_id: int) -> str:
    moment = broadcast.event_at.strftime("%Y%m%d%H%M") if broadcast.event_at else "-"
    return f"event:{broadcast.id}:{moment}:{stage}:{membership_id}"


def change_key(broadcast: Broadcast, change: str, membership_id: int) -> str:
    moment = broadcast.event_at.strftime("%Y%m%d%H%M") if broadcast.event_at else "-"
    return f"event:{broadcast.id}:{change}:{moment}:{membership_id}"


async def _recipients_of(session: AsyncSession, membership_ids: Iterable[int]) -> list[Recipient]:
    ids = list(membership_ids)
    if not ids:
        return []
    rows = await session.execute(
        select(Membership.id, User.telegram_id, User.language)
        .join(User, User.id == Membership.user_id)
        .where(Membership.id.in_(ids), Membership.status == MembershipStatus.ACTIVE)
        .order_by(Membership.id)
    )
    return [
        Recipient(member_id, telegram_id, language) for member_id, telegram_id, language in rows
    ]


async def _in_active_pairs(
    session: AsyncSession, organisation_id: int, form: str | None
) -> set[int]:
    pairs = list(
        await session.execute(
            select(Pair.id, Pair.mentor_membership_id, Pair.forms).where(
                Pair.organisation_id == organisation_id, Pair.status == PairStatus.ACTIVE
            )
        )
    )
    chosen = {
        pair_id: mentor
        for pair_id, mentor, forms in pairs
        if form is None or form in (forms or [])
    }
    mentees = await session.scalars(
        select(PairMentee.mentee_membership_id).where(PairMentee.pair_id.in_(list(chosen)))
    )
    return set(chosen.values()) | set(mentees)


async def target_recipients(
    session: AsyncSession, organisation_id: int, target: Target
) -> list[Recipient]:
    """Whom a target reaches: active members of this organisation, each person once."""
    everyone = await members(session, organisation_id)
    if target.kind is TargetKind.ROLE:
        chosen = [m for m in everyone if m.role == target.role]
    elif target.kind in (TargetKind.PAIRS, TargetKind.FORM):
        form = target.form if target.kind is TargetKind.FORM else None
        in_pairs = await _in_active_pairs(session, organisation_id, form)
        chosen = [m for m in everyone if m.membership_id in in_pairs]
    elif target.kind is TargetKind.PEOPLE:
        wanted = set(target.membership_ids)
        chosen = [m for m in everyone if m.membership_id in wanted]
    else:
        chosen = everyone
    once: dict[int, int] = {}
    for member in chosen:
        once.setdefault(member.user_id, member.membership_id)
    return await _recipients_of(session, once.values())


async def create(
    session: AsyncSession,
    *,
    organisation_id: int,
    author_membership_id: int | None,
    kind: BroadcastKind,
    text: str,
    target: Target,
    recipients: list[Recipient],
    now: datetime,
    file_kind: str | None = None,
    file_id: str | None = None,
    event_at: datetime | None = None,
    place: str | None = None,
) -> Broadcast:
    """Record the broadcast (the caller queues each recipient's message with `message_key`)."""
    broadcast = Broadcast(
        organisation_id=organisation_id,
        author_membership_id=author_membership_id,
        kind=kind,
        text=text,
        file_kind=file_kind,
        file_id=file_id,
        audience={
            **target.describe(),
            "count": len(recipients),
            "members": [recipient.membership_id for recipient in recipients],
        },
        recipients=len(recipients),
        event_at=event_at,
        place=place,
        created_at=now,
    )
    session.add(broadcast)
    await session.flush()
    return broadcast


async def in_organisation(
    session: AsyncSession, organisation_id: int, broadcast_id: int
) -> Broadcast | None:
    broadcast = await session.get(Broadcast, broadcast_id)
    return broadcast if broadcast and broadcast.organisation_id == organisation_id else None


async def desk_broadcast(
    session: AsyncSession, actor: Actor, broadcast_id: int
) -> Broadcast | None:
    """A broadcast of the person's organisation, for those who may send them."""
    if actor.organisation is None or not may_broadcast(actor):
        return None
    return await in_organisation(session, actor.organisation.id, broadcast_id)


def members_of(broadcast: Broadcast) -> list[int]:
    members: Any = broadcast.audience.get("members", [])
    return [int(member) for member in members]


async def answer(
    session: AsyncSession, broadcast: Broadcast, membership_id: int, coming: bool, now: datetime
) -> bool:
    """A recipient's answer (the last tap counts); False when it is not theirs to answer or the
    event is cancelled or over."""
    if (
        broadcast.kind != BroadcastKind.EVENT
        or broadcast.cancelled_at is not None
        or (broadcast.event_at is not None and broadcast.event_at <= now)
        or membership_id not in members_of(broadcast)
    ):
        return False
    existing = await session.get(EventAnswer, (broadcast.id, membership_id))
    if existing is None:
        session.add(
            EventAnswer(
                broadcast_id=broadcast.id,
                membership_id=membership_id,
                coming=coming,
                answered_at=now,
            )
        )
    else:
        existing.coming, existing.answered_at = coming, now
    return True


async def answer_as(
    session: AsyncSession, actor: Actor, event_id: int, coming: bool, now: datetime
) -> bool:
    """The person's answer to an event of their organisation that reached them; False when
    there is no such event for them or it can no longer be answered."""
    if actor.organisation is None or not 0 < event_id < 2**62:
        return False
    event = await in_organisation(session, actor.organisation.id, event_id)
    invited = set(members_of(event)) if event else set()
    mine = [m.id for m in actor.memberships if m.id in invited]
    if event is None or not mine:
        return False
    return await answer(session, event, mine[0], coming, now)


async def report(session: AsyncSession, broadcast: Broadcast) -> Report:
    """The live report: each recipient's message by its state, and the answers to an event."""
    states: Counter[str] = Counter()
    keys = [message_key(broadcast.id, member) for member in members_of(broadcast)]
    for start in range(0, len(keys), CHUNK):
        for state, count in await session.execute(
            select(OutboxMessage.state, func.count())
            .where(OutboxMessage.key.in_(keys[start : start + CHUNK]))
            .group_by(OutboxMessage.state)
        ):
            states[str(state)] += count
    answers = Counter(
        bool(coming)
        for coming in await session.scalars(
            select(EventAnswer.coming).where(EventAnswer.broadcast_id == broadcast.id)
        )
    )
    return Report(
        queued=states[DeliveryState.QUEUED] + states[DeliveryState.SENDING],
        sent=states[DeliveryState.SENT],
        failed=states[DeliveryState.FAILED],
        unreachable=states[DeliveryState.UNREACHABLE],
        coming=answers[True],
        not_coming=answers[False],
    )


@dataclass(frozen=True)
class LiveReport:
    broadcast_id: int
    chat_id: int  # the author's chat, where the report is shown
    report: Report


async def live_reports(session: AsyncSession, since: datetime) -> list[LiveReport]:
    """The reports of broadcasts sent since `since` that their authors are shown, as they
    stand now (the caller redraws those that changed)."""
    found = []
    for broadcast in await session.scalars(
        select(Broadcast)
        .where(Broadcast.created_at >= since, Broadcast.report_chat_id.is_not(None))
        .order_by(Broadcast.id)
    ):
        assert broadcast.report_chat_id is not None
        found.append(
            LiveReport(broadcast.id, broadcast.report_chat_id, await report(session, broadcast))
        )
    return found


async def coming(session: AsyncSession, broadcast: Broadcast) -> list[Recipient]:
    ids = await session.scalars(
        select(EventAnswer.membership_id).where(
            EventAnswer.broadcast_id == broadcast.id, EventAnswer.coming.is_(True)
        )
    )
    return await _recipients_of(session, ids)


async def not_declined(session: AsyncSession, broadcast: Broadcast) -> list[Recipient]:
    """Everyone the event reached who has not said they would not come."""
    declined = set(
        await session.scalars(
            select(EventAnswer.membership_id).where(
                EventAnswer.broadcast_id == broadcast.id, EventAnswer.coming.is_(False)
            )
        )
    )
    return await _recipients_of(session, (m for m in members_of(broadcast) if m not in declined))


async def cancel(session: AsyncSession, broadcast: Broadcast, now: datetime) -> list[Recipient]:
    """Cancel an event; returns whom to tell."""
    broadcast.cancelled_at = now
    return await not_declined(session, broadcast)


async def move(
    session: AsyncSession, broadcast: Broadcast, event_at: datetime, place: str | None
) -> list[Recipient]:
    """Move an event; returns whom to tell. Reminders follow the new time."""
    broadcast.event_at = event_at
    if place:
        broadcast.place = place
    return await not_declined(session, broadcast)


async def upcoming(session: AsyncSession, organisation_id: int, now: datetime) -> list[Broadcast]:
    return list(
        await session.scalars(
            select(Broadcast)
            .where(
                Broadcast.organisation_id == organisation_id,
                Broadcast.event_at >= now,
                Broadcast.kind == BroadcastKind.EVENT,
                Broadcast.cancelled_at.is_(None),
            )
            .order_by(Broadcast.event_at)
        )
    )


async def visible(session: AsyncSession, actor: Actor, now: datetime) -> list[Broadcast]:
    """The upcoming events the person sees: all of them for the desk, else those sent to them."""
    if actor.organisation is None:
        return []
    mine = {m.id for m in actor.memberships}
    return [
        event
        for event in await upcoming(session, actor.organisation.id, now)
        if actor.is_desk or mine & set(members_of(event))
    ]


@dataclass(frozen=True)
class DueReminder:
    broadcast: Broadcast
    stage: str  # "day" or "hour"
    recipients: list[Recipient]


async def due_reminders(session: AsyncSession, now: datetime) -> list[DueReminder]:
    """Events within a day (through the event_at index): the day-before reminder, then the
    hour-before one, to those coming. The queue's keys make each go once."""
    due = []
    for broadcast in await session.scalars(
        select(Broadcast).where(
            Broadcast.event_at > now,
            Broadcast.event_at <= now + DAY_BEFORE,
            Broadcast.kind == BroadcastKind.EVENT,
            Broadcast.cancelled_at.is_(None),
        )
    ):
        assert broadcast.event_at is not None
        stage = "hour" if broadcast.event_at - now <= HOUR_BEFORE else "day"
        people = await coming(session, broadcast)
        if people:
            due.append(DueReminder(broadcast, stage, people))
    return due
