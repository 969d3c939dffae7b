"""Who may see or change a pair's programme, one loader per use (`handlers.dialog_kit.owned`).

Each takes the session, the actor and an id from a button or a dialog's start data, and returns
the record only when it is this person's: the mentor of an active pair edits its programme; a
mentee of the pair reads it and answers it; the curator or head of the pair's organisation reads
it. Anything else is None, so forged and stale ids all get the same polite answer.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import programmes
from bot.services.pairs_read import pair_for_member
from bot.services.people import Actor
from bot.services.plan_access import member_ids  # one rule for both, re-exported
from models import Activity, Pair, PairMentee, PairStatus, Programme, ProgrammeStatus


async def pair_to_edit(session: AsyncSession, actor: Actor, pair_id: int) -> Pair | None:
    """The active pair whose mentor the actor is."""
    pair = await session.get(Pair, pair_id)
    if pair is None or pair.status != PairStatus.ACTIVE:
        return None
    return pair if pair.mentor_membership_id in member_ids(actor) else None


async def pair_to_read(session: AsyncSession, actor: Actor, pair_id: int) -> Pair | None:
    """A pair the actor is in, or one of the organisation they keep as curator or head."""
    pair = await pair_for_member(session, pair_id, member_ids(actor))
    if pair is None and actor.is_desk and actor.organisation is not None:
        pair = await session.get(Pair, pair_id)
        if pair is not None and pair.organisation_id != actor.organisation.id:
            return None
    return pair


async def pair_as_mentee(
    session: AsyncSession, actor: Actor, pair_id: int
) -> tuple[Pair, Programme, int] | None:
    """The pair, its programme and the actor's mentee membership in it."""
    row = (
        await session.execute(
            select(Pair, Programme, PairMentee.mentee_membership_id)
            .join(Programme, Programme.pair_id == Pair.id)
            .join(PairMentee, PairMentee.pair_id == Pair.id)
            .where(Pair.id == pair_id, PairMentee.mentee_membership_id.in_(member_ids(actor)))
        )
    ).first()
    return None if row is None else (row[0], row[1], row[2])


async def activity_to_edit(
    session: AsyncSession, actor: Actor, activity_id: int
) -> tuple[Pair, Programme, Activity] | None:
    """A plan item of a programme the actor may edit (the mentor of the active pair)."""
    row = (
        await session.execute(
            select(Pair, Programme, Activity)
            .join(Programme, Programme.pair_id == Pair.id)
            .join(Activity, Activity.programme_id == Programme.id)
            .where(
                Activity.id == activity_id,
                Pair.status == PairStatus.ACTIVE,
                Pair.mentor_membership_id.in_(member_ids(actor)),
            )
        )
    ).first()
    return None if row is None else (row[0], row[1], row[2])


async def reading(
    session: AsyncSession, actor: Actor, pair: Pair, programme: Programme | None
) -> tuple[bool, bool, bool]:
    """Is the actor the mentor; may they read the programme (the mentor at once, the others once
    it is written); may they answer it (a mentee, while it waits for them)."""
    is_mentor = pair.mentor_membership_id in member_ids(actor)
    readable = programme is not None and (is_mentor or programmes.is_written(programme))
    mine = set(member_ids(actor)) & set(await programmes.mentee_ids(session, pair.id))
    waiting = programme is not None and programme.status == ProgrammeStatus.SUBMITTED
    return is_mentor, readable, waiting and bool(mine)
