"""Who may see or change the organisation's roadmap, one loader per use (`dialog_kit.owned`).

The curator and the head see the whole roadmap, a stage's responsible
person sees their own stages; the curator changes it and the head approves
it; the curator or a stage's responsible person marks a stage done. Checked on every step, never
from what the screen showed: anything else is None, so forged and stale ids get one answer.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.people import Actor
from bot.services.plan_access import member_ids
from models import LARGEST_ID, RoadmapStage, Role


def sees_all(actor: Actor) -> bool:
    """The curator and the head see the whole roadmap."""
    return actor.desk_organisation() is not None


def may_edit(actor: Actor) -> bool:
    """Only the curator changes it; the head reads."""
    return actor.desk_organisation(keeps=True) is not None


def may_approve(actor: Actor) -> bool:
    """The head approves the roadmap (domain.md); the curator writes it."""
    return actor.organisation is not None and actor.membership(Role.HEAD) is not None


def is_responsible(actor: Actor, stage: RoadmapStage) -> bool:
    return stage.responsible_membership_id in member_ids(actor)


def may_mark_stage(actor: Actor, stage: RoadmapStage) -> bool:
    """For a stage the person may see: the curator, or the stage's responsible person."""
    return may_edit(actor) or is_responsible(actor, stage)


async def stage_to_see(session: AsyncSession, actor: Actor, stage_id: int) -> RoadmapStage | None:
    """A stage of the person's organisation, for the desk or the stage's responsible person."""
    if actor.organisation is None or not 0 < stage_id <= LARGEST_ID:
        return None
    stage = await session.get(RoadmapStage, stage_id)
    if stage is None or stage.organisation_id != actor.organisation.id:
        return None
    return stage if sees_all(actor) or is_responsible(actor, stage) else None


async def stage_to_edit(session: AsyncSession, actor: Actor, stage_id: int) -> RoadmapStage | None:
    stage = await stage_to_see(session, actor, stage_id)
    return stage if stage is not None and may_edit(actor) else None


async def stage_to_mark(session: AsyncSession, actor: Actor, stage_id: int) -> RoadmapStage | None:
    """The curator, or the person responsible for the stage, marks it done (not the head)."""
    stage = await stage_to_see(session, actor, stage_id)
    return stage if stage is not None and may_mark_stage(actor, stage) else None
