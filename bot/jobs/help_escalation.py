"""Escalation of unanswered requests for help to the curators."""

from __future__ import annotations

from bot.help_relay import Relay, show_to_desk
from bot.jobs import JobContext
from bot.mail import Mail
from bot.services import help_requests
from bot.services.help_requests import Escalation


async def escalate_unanswered_help(context: JobContext) -> None:
    """A mentor who has not answered within the organisation's working hours, who turned out
    to have blocked the bot, or who withdrew from the programme: bring the curators in.

    `escalated_at` is set in the same transaction as the messages are queued, so it happens
    once, and the messages go out once it is committed.
    """
    core = context.core
    async with context.sessionmaker.begin() as session:
        now = context.clock.now()
        for request, why in await help_requests.due_for_escalation(session, now):
            mail = Mail(session, now, f"escalation:{request.id}", request.organisation_id)
            relay = Relay(mail, core, context.settings.default_language)
            help_requests.escalate(request, now)
            await session.flush()
            await show_to_desk(relay, session, request, why)
            mentee = await help_requests.person(session, request.mentee_membership_id)
            if mentee is None:
                continue
            await mail.send(
                mentee.telegram_id,
                core.get(
                    "help-mentee-escalated-left"
                    if why is Escalation.HELPER_LEFT
                    else "help-mentee-escalated",
                    relay.locale(mentee),
                    number=str(request.id),
                ),
                purpose="help",
            )
