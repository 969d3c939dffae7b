"""What a person is reminded of (/reminders) and the curator's list of overdue plan items.

Which kinds reach whom follows bot/jobs/deadlines.py: a person sees the kinds that can reach
one of their roles. A mute is kept per membership (the pass leaves out (membership, kind)); a
person's choice applies to all their memberships in the organisation, so a mentor who is also
the curator mutes a kind once. Kinds the Положение requires cannot be muted
(`deadlines.set_muted` refuses them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import deadlines
from models import ReminderMute, Role

EVERY_ROLE = frozenset(Role)
DESK = frozenset({Role.CURATOR, Role.HEAD})
PAIR = frozenset({Role.MENTOR, Role.MENTEE})
# Who each kind can reach (bot/jobs/deadlines.py): the roadmap names anyone responsible, and
# anyone may be asked to fill in a questionnaire.
REACHES: dict[str, frozenset[Role]] = {
    deadlines.PROGRAMME: frozenset({Role.MENTOR}) | DESK,
    deadlines.MENTOR_DEADLINE: DESK,
    deadlines.ACTIVITY: PAIR,
    deadlines.TERM_SOON: PAIR | DESK,
    deadlines.TERM_END: DESK,
    deadlines.REPORT: PAIR | DESK,
    deadlines.ROADMAP: EVERY_ROLE,
    deadlines.YEAR: DESK,
    deadlines.SURVEY: EVERY_ROLE,
}


@dataclass(frozen=True)
class Choice:
    kind: str
    mutable: bool
    muted: bool


def kinds_for(roles: set[Role]) -> list[tuple[str, bool]]:
    """(kind, may be muted) of the kinds that reach any of `roles`, in the pass's order."""
    return [
        (kind, mutable)
        for kind, mutable in deadlines.reminder_kinds()
        if REACHES.get(kind, EVERY_ROLE) & roles
    ]


async def _muted(session: AsyncSession, membership_ids: list[int]) -> set[str]:
    """The kinds muted for any of the memberships, in one query."""
    if not membership_ids:
        return set()
    return set(
        await session.scalars(
            select(ReminderMute.kind).where(ReminderMute.membership_id.in_(membership_ids))
        )
    )


async def choices(
    session: AsyncSession, membership_ids: list[int], roles: set[Role]
) -> list[Choice]:
    """What the person is reminded of; a kind is muted when muted for any of their memberships."""
    muted = await _muted(session, membership_ids)
    return [Choice(kind, mutable, mutable and kind in muted) for kind, mutable in kinds_for(roles)]


async def toggle(
    session: AsyncSession, membership_ids: list[int], kind: str, now: datetime
) -> bool:
    """Mute a kind for all the person's memberships, or unmute it; returns whether it is muted
    now. A required kind is refused (UserFacingError deadline-mute-required)."""
    mute = kind not in await _muted(session, membership_ids)
    for membership_id in membership_ids:
        await deadlines.set_muted(session, membership_id, kind, mute, now)
    await session.flush()
    return mute


# --- the curator's overdue list --------------------------------------------------------------


@dataclass(frozen=True)
class Overdue:
    activity_id: int
    pair_id: int
    due_on: date
    content: str
    mentor: str | None
    mentees: list[str | None]


async def overdue_page(
    session: AsyncSession, organisation_id: int, today: date, now: datetime, page: int, size: int
) -> tuple[list[Overdue], bool]:
    """One page of the organisation's overdue plan items, oldest first, with each pair's people;
    and whether there is a next page."""
    rows = await deadlines.overdue_activities(
        session, organisation_id, today, limit=(page + 1) * size + 1
    )
    shown, more = rows[page * size : (page + 1) * size], len(rows) > (page + 1) * size
    people = await deadlines.Pass(session, now).pair_people({row[1] for row in shown})
    items = []
    for activity_id, pair_id, due_on, content in shown:
        members = people.get(pair_id, [])
        mentor = next((p.full_name for p in members if p.is_mentor), None)
        mentees = [p.full_name for p in members if not p.is_mentor]
        items.append(Overdue(activity_id, pair_id, due_on, content, mentor, mentees))
    return items, more
