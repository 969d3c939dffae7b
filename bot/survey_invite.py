"""Telling people a questionnaire waits for them, with a button to start; best effort.

Used by the survey desk when a campaign starts or reminds, and by the periodic job in
bot/jobs/survey_invitations.py, which delivers the stage-2 questionnaires that the pair lifecycle
assigns and marks each one invited in the same transaction, so a person is told once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError, TelegramRetryAfter
from aiogram.filters.callback_data import CallbackData
from aiogram_i18n.cores import BaseCore
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.questionnaires import campaigns
from bot.services.questionnaires.campaigns import Invitee
from bot.ui import button, esc, format_date, keyboard
from models import SurveyResponse

log = logging.getLogger(__name__)
RETRY_LIMIT_SECONDS = 30  # Telegram's flood wait: wait it out once, if it is short


class SurveyCb(CallbackData, prefix="sv"):
    """The questionnaire's buttons (handlers/survey.py); an invitation's "start" is one of them."""

    a: str  # go, pick, tog, done, back, skip, keep, edit, send
    r: int  # the response
    q: str = ""  # the question the button belongs to ("" for the summary)
    v: str = ""


def _text(core: BaseCore[Any], invitee: Invitee, locale: str, reminder: bool) -> str:
    due = (
        format_date(invitee.due_at.astimezone(ZoneInfo(invitee.timezone)).date())
        if invitee.due_at is not None
        else "none"
    )
    return core.get(
        "survey-reminder" if reminder else "survey-invitation",
        locale,
        title=esc(invitee.questionnaire.title.get(locale)),
        phase=str(invitee.phase),
        due=due,
        # the questions everyone gets; conditional ones may add a few
        count=sum(1 for q in invitee.questionnaire.questions if q.show_if is None),
    )


async def _send(bot: Bot, chat_id: int, text: str, start_label: str, response_id: int) -> None:
    markup = keyboard([button(start_label, SurveyCb(a="go", r=response_id))])
    try:
        await bot.send_message(chat_id, text, reply_markup=markup)
    except TelegramRetryAfter as error:
        if error.retry_after > RETRY_LIMIT_SECONDS:
            raise
        await asyncio.sleep(error.retry_after)
        await bot.send_message(chat_id, text, reply_markup=markup)


async def send_survey_invitations(
    bot: Bot,
    session: AsyncSession,
    core: BaseCore[Any],
    responses: Sequence[SurveyResponse],
    default_locale: str,
    now: datetime,
    *,
    reminder: bool = False,
) -> int:
    """Message each person of `responses` in their language; return how many got it.

    A person who blocked the bot is marked (User.blocked_bot) and skipped: /survey still
    lists the questionnaire for them.
    """
    delivered: list[int] = []
    blocked: list[int] = []
    for invitee in await campaigns.invitees(session, [r.id for r in responses]):
        locale = invitee.language or default_locale
        try:
            await _send(
                bot,
                invitee.telegram_id,
                _text(core, invitee, locale, reminder),
                core.get("survey-continue" if invitee.started else "survey-start", locale),
                invitee.response_id,
            )
            delivered.append(invitee.response_id)
        except TelegramForbiddenError:
            blocked.append(invitee.user_id)
        except TelegramAPIError as error:
            log.warning(
                "could not send a questionnaire to chat %s: %s", invitee.telegram_id, error
            )
    await campaigns.mark_invited(session, delivered, blocked, now)
    return len(delivered)
