"""Telling people a questionnaire waits for them, with a button to start (through the queue).

Used by the survey desk when a campaign starts or reminds, and by the periodic job in
bot/jobs/survey_invitations.py, which delivers the stage-2 questionnaires that the pair lifecycle
assigns and marks each one invited in the same transaction, so a person is told once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram_i18n.cores import BaseCore

from bot.mail import Mail
from bot.services.outbox import Outgoing
from bot.services.questionnaires import campaigns
from bot.services.questionnaires.campaigns import Invitee
from bot.ui import RecordId, button, esc, format_day, keyboard
from models import SurveyResponse

log = logging.getLogger(__name__)


class SurveyCb(CallbackData, prefix="sv"):
    """The questionnaire's buttons (handlers/survey.py); an invitation's "start" is one of them."""

    a: str  # go, pick, tog, done, back, skip, keep, edit, send
    r: RecordId  # the response
    q: str = ""  # the question the button belongs to ("" for the summary)
    v: str = ""


def _text(core: BaseCore[Any], invitee: Invitee, locale: str, reminder: bool) -> str:
    due = format_day(invitee.due_at, invitee.timezone) if invitee.due_at is not None else "none"
    return core.get(
        "survey-reminder" if reminder else "survey-invitation",
        locale,
        title=esc(invitee.questionnaire.title.get(locale)),
        phase=str(invitee.phase),
        due=due,
        # the questions everyone gets; conditional ones may add a few
        count=sum(1 for q in invitee.questionnaire.questions if q.show_if is None),
    )


async def send_survey_invitations(
    mail: Mail,
    core: BaseCore[Any],
    responses: Sequence[SurveyResponse],
    default_locale: str,
    *,
    reminder: bool = False,
) -> int:
    """Queue a message to each person of `responses` in their language; return how many.

    A person known to have blocked the bot (User.blocked_bot) is skipped: /survey still lists
    the questionnaire for them. Invitations wait for the organisation's working hours.
    """
    queued: list[int] = []
    blocked: list[int] = []
    messages: dict[int, list[Outgoing]] = {}  # by organisation
    day = mail.now.date().isoformat()
    for invitee in await campaigns.invitees(mail.session, [r.id for r in responses]):
        if invitee.blocked:
            blocked.append(invitee.user_id)
            continue
        locale = invitee.language or default_locale
        label = core.get("survey-continue" if invitee.started else "survey-start", locale)
        messages.setdefault(invitee.organisation_id, []).append(
            mail.outgoing(
                invitee.telegram_id,
                _text(core, invitee, locale, reminder),
                keyboard([button(label, SurveyCb(a="go", r=invitee.response_id))]),
                purpose="survey",
                urgent=False,
                key=f"survey:{invitee.response_id}:"
                + (f"reminder:{day}" if reminder else "invite"),
                organisation_id=invitee.organisation_id,
            )
        )
        queued.append(invitee.response_id)
    for organisation_id, batch in messages.items():
        await mail.send_many(batch, organisation_id)
    await campaigns.mark_invited(mail.session, queued, blocked, mail.now)
    return len(queued)
