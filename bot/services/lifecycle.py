"""A pair's life once formed: it starts, its term is extended, its mentor replaced, it ends.

`activate()` and `end()` are the one place where a pair starts and stops; whatever must happen
at those moments (the stage-2 questionnaires of monitoring, say) belongs there. Every step is
kept in the pair's history (PairEvent) with who did it and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import final_reports, rules
from bot.services.errors import UserFacingError
from bot.services.pair_members import check_mentor, locked_pair, mentee_ids_of
from bot.services.people import Actor
from bot.services.questionnaires import campaigns
from models import Organisation, Pair, PairEvent, PairStatus, Role

# How a pair ends: completion has one reason, an early end one of rules.EARLY_END_REASONS.
COMPLETION_REASON = "plan_fulfilled"
# The kinds of PairEvent, in the order a pair lives them.
EVENT_KINDS = (
    "proposed",
    "confirmed",
    "declined",
    "awaiting_approval",
    "approved",
    "rejected",
    "activated",
    "extended",
    "mentor_replaced",
    "completed",
    "ended_early",
)


def curator_membership(actor: Actor) -> int | None:
    """The curator's membership, recorded with a change to a pair (the head reads, approves)."""
    membership = actor.membership(Role.CURATOR)
    return membership.id if membership else None


async def active_desk_pair(session: AsyncSession, actor: Actor, pair_id: int) -> Pair | None:
    """An active pair of the person's organisation, for its curator to change."""
    if actor.organisation is None or curator_membership(actor) is None:
        return None
    pair = await session.get(Pair, pair_id)
    mine = pair is not None and pair.organisation_id == actor.organisation.id
    return pair if mine and pair is not None and pair.status == PairStatus.ACTIVE else None


def record(
    session: AsyncSession,
    pair: Pair,
    kind: str,
    actor_membership_id: int | None,
    now: datetime,
    *,
    reason: str | None = None,
    note: str | None = None,
    details: dict[str, Any] | None = None,
) -> PairEvent:
    """One line of the pair's history."""
    event = PairEvent(
        pair_id=pair.id,
        kind=kind,
        actor_membership_id=actor_membership_id,
        reason=reason,
        note=note,
        details=details or {},
        created_at=now,
    )
    session.add(event)
    return event


async def local_day(session: AsyncSession, organisation_id: int, moment: datetime) -> date:
    organisation = await session.get(Organisation, organisation_id)
    zone = ZoneInfo(organisation.timezone if organisation else "UTC")
    return moment.astimezone(zone).date()


async def programme_due_of(session: AsyncSession, pair: Pair) -> date | None:
    """The day by which the mentor writes the programme: 10 days after the approval."""
    approved = pair.approved_at or pair.activated_at
    if approved is None:
        return None
    return rules.programme_due(await local_day(session, pair.organisation_id, approved))


async def activate(
    session: AsyncSession, pair: Pair, *, actor_membership_id: int | None, now: datetime
) -> date:
    """The pair starts working: approved by the head, or consented to where there is no head.

    Returns the day by which the mentor writes the programme.
    """
    pair.status = PairStatus.ACTIVE
    pair.activated_at = now
    if pair.approved_at is None:  # no head: consent of all is the approval
        pair.approved_at = now
    due = await programme_due_of(session, pair)
    assert due is not None
    record(
        session,
        pair,
        "activated",
        actor_membership_id,
        now,
        details={"programme_due": due.isoformat()},
    )
    await session.flush()
    await campaigns.on_pair_activated(session, pair.id, now)  # monitoring stage 2, "before"
    return due


async def active_pair(session: AsyncSession, pair_id: int, organisation_id: int) -> Pair:
    """The organisation's active pair, locked for the change that follows."""
    pair = await locked_pair(session, pair_id)
    if pair is None or pair.organisation_id != organisation_id:
        raise UserFacingError("error-not-found")
    if pair.status != PairStatus.ACTIVE:
        raise UserFacingError("pair-not-active")
    return pair


def _check_reason(reason: str, allowed: tuple[str, ...]) -> None:
    if reason not in allowed:
        raise UserFacingError("error-stale-button")


def check_new_end(current: date, ends_on: date) -> None:
    """A term is extended past its end, by at most the longest term at a time."""
    if ends_on <= current:
        raise UserFacingError("pair-extend-not-later", end=current.strftime("%d.%m.%Y"))
    if ends_on > rules.add_months(current, rules.MAX_TERM_MONTHS):
        raise UserFacingError("pair-extend-too-far", months=rules.MAX_TERM_MONTHS)


async def extend(
    session: AsyncSession,
    pair_id: int,
    organisation_id: int,
    *,
    ends_on: date,
    reason: str,
    actor_membership_id: int | None,
    now: datetime,
) -> Pair:
    """Move the end of the term later, for a long absence of either side or by agreement."""
    _check_reason(reason, rules.EXTENSION_REASONS)
    pair = await active_pair(session, pair_id, organisation_id)
    current = pair.ends_on or await local_day(session, organisation_id, now)
    check_new_end(current, ends_on)
    pair.ends_on = ends_on
    record(
        session,
        pair,
        "extended",
        actor_membership_id,
        now,
        reason=reason,
        details={"from": current.isoformat(), "to": ends_on.isoformat()},
    )
    await session.flush()
    return pair


@dataclass(frozen=True)
class Replacement:
    pair: Pair
    old_mentor_id: int


async def replace_mentor(
    session: AsyncSession,
    pair_id: int,
    organisation_id: int,
    *,
    new_mentor_id: int,
    reason: str,
    actor_membership_id: int | None,
    now: datetime,
) -> Replacement:
    """Another mentor takes the pair. The programme and its history stay with the pair."""
    _check_reason(reason, rules.REPLACEMENT_REASONS)
    pair = await active_pair(session, pair_id, organisation_id)
    if new_mentor_id == pair.mentor_membership_id:
        raise UserFacingError("pair-same-mentor")
    mentees = await mentee_ids_of(session, pair.id)
    if new_mentor_id in mentees:
        raise UserFacingError("error-not-found")
    await check_mentor(session, organisation_id, new_mentor_id, mentees, lock=True)
    old = pair.mentor_membership_id
    pair.mentor_membership_id = new_mentor_id
    record(
        session,
        pair,
        "mentor_replaced",
        actor_membership_id,
        now,
        reason=reason,
        details={"from": old, "to": new_mentor_id},
    )
    await session.flush()
    await campaigns.on_pair_activated(session, pair.id, now)  # the new mentor's "before"
    return Replacement(pair, old)


async def end(
    session: AsyncSession,
    pair_id: int,
    organisation_id: int,
    *,
    completed: bool,
    reason: str,
    actor_membership_id: int | None,
    now: datetime,
) -> Pair:
    """The pair stops: completed (the plan fulfilled) or ended early for one of the reasons."""
    if completed:
        _check_reason(reason, (COMPLETION_REASON,))
    else:
        _check_reason(reason, rules.EARLY_END_REASONS)
    pair = await active_pair(session, pair_id, organisation_id)
    pair.status = PairStatus.COMPLETED if completed else PairStatus.ENDED_EARLY
    pair.ended_at = now
    pair.end_reason = reason
    record(
        session,
        pair,
        "completed" if completed else "ended_early",
        actor_membership_id,
        now,
        reason=reason,
    )
    await session.flush()
    await campaigns.on_programme_ended(session, pair.id, now)  # monitoring stage 2, "after"
    # The two final reports open, due within 10 days (reminded by bot/jobs/deadlines.py).
    await final_reports.open_reports(
        session, pair, await local_day(session, organisation_id, now), now
    )
    return pair


async def complete(
    session: AsyncSession,
    pair_id: int,
    organisation_id: int,
    *,
    actor_membership_id: int | None,
    now: datetime,
) -> Pair:
    return await end(
        session,
        pair_id,
        organisation_id,
        completed=True,
        reason=COMPLETION_REASON,
        actor_membership_id=actor_membership_id,
        now=now,
    )
