"""Stage-2 questionnaires of new and ended pairs, delivered once each."""

from __future__ import annotations

from bot.jobs import JobContext
from bot.mail import Mail
from bot.services.questionnaires import campaigns
from bot.survey_invite import send_survey_invitations


async def deliver_stage2_invitations(context: JobContext) -> None:
    async with context.sessionmaker.begin() as session:
        responses = await campaigns.undelivered_pair_assignments(session)
        if responses:
            mail = Mail(session, context.clock.now(), "stage2")
            await send_survey_invitations(
                mail, context.core, responses, context.settings.default_language
            )
