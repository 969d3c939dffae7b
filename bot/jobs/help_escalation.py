"""Escalation of unanswered requests for help to the curators."""

from __future__ import annotations

import logging

from aiogram.exceptions import TelegramAPIError

from bot.help_relay import Relay, show_to_desk
from bot.jobs import JobContext
from bot.services import help_requests

log = logging.getLogger(__name__)


async def escalate_unanswered_help(context: JobContext) -> None:
    """A mentor who has not answered within the organisation's working hours: tell the curator.

    `escalated_at` is set in the same transaction as the messages go out, so it happens once.
    """
    core = context.core
    relay = Relay(context.bot, core, context.settings.default_language)
    async with context.sessionmaker.begin() as session:
        now = context.clock.now()
        for request in await help_requests.due_for_escalation(session, now):
            help_requests.escalate(request, now)
            await session.flush()
            await show_to_desk(relay, session, request, overdue=True)
            mentee = await help_requests.person(session, request.mentee_membership_id)
            if mentee is None:
                continue
            try:
                await relay.bot.send_message(
                    mentee.telegram_id,
                    core.get(
                        "help-mentee-escalated", relay.locale(mentee), number=str(request.id)
                    ),
                )
            except TelegramAPIError as error:
                log.warning("could not tell mentee %s: %s", mentee.telegram_id, error)
