"""The organisation's yearly roadmap: the 7 stages of the seeds' template (domain.md, seed 001),
each with its actions, a deadline, a responsible person (anyone of the organisation) and a done
mark. The /roadmap dialog comes with the aiogram-dialog port; bot/jobs/deadlines.py reminds."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import UserFacingError
from models import Membership, MembershipStatus, RoadmapStage

# The template's stages in order; their names and actions are Fluent texts deadline-stage-<code>.
STAGES = (
    "preparation",
    "mentee_bank",
    "mentor_bank",
    "mentor_training",
    "pairs",
    "work_in_pairs",
    "completion",
)


async def set_up(
    session: AsyncSession, organisation_id: int, year: int, now: datetime
) -> list[RoadmapStage]:
    """The year's seven stages, made once (those already there are kept)."""
    have = {
        stage.position: stage
        for stage in await session.scalars(
            select(RoadmapStage).where(
                RoadmapStage.organisation_id == organisation_id, RoadmapStage.year == year
            )
        )
    }
    for position, code in enumerate(STAGES, start=1):
        if position not in have:
            have[position] = RoadmapStage(
                organisation_id=organisation_id,
                year=year,
                position=position,
                code=code,
                updated_at=now,
            )
            session.add(have[position])
    await session.flush()
    return [have[position] for position in sorted(have)]


async def plan_stage(
    session: AsyncSession,
    stage: RoadmapStage,
    *,
    due_on: date | None,
    responsible_membership_id: int | None,
    now: datetime,
) -> None:
    """A stage's deadline and responsible person (an active member of the organisation)."""
    if responsible_membership_id is not None:
        found = await session.scalar(
            select(Membership.id).where(
                Membership.id == responsible_membership_id,
                Membership.organisation_id == stage.organisation_id,
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
        if found is None:
            raise UserFacingError("deadline-roadmap-not-a-member")
    stage.due_on = due_on
    stage.responsible_membership_id = responsible_membership_id
    stage.updated_at = now


def mark_done(stage: RoadmapStage, done: bool, now: datetime) -> None:
    """Done stops its reminders."""
    stage.done_at = now if done else None
    stage.updated_at = now
