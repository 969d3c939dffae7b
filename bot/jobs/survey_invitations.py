"""Stage-2 questionnaires of new and ended pairs, delivered once each."""

from __future__ import annotations

from bot.jobs import JobContext
from bot.services.questionnaires import campaigns
from bot.survey_invite import send_survey_invitations


async def deliver_stage2_invitations(context: JobContext) -> None:
    async with context.sessionmaker.begin() as session:
        responses = await campaigns.undelivered_pair_assignments(session)
        if responses:
            await send_survey_invitations(
                context.bot,
                session,
                context.core,
                responses,
                context.settings.default_language,
                context.clock.now(),
            )
