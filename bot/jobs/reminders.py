"""The 10-day (programme) and 30-day (mentor) deadline reminders: who is told what.

What is due is decided in bot/services/reminders.py.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.jobs import JobContext
from bot.mail import Mail
from bot.notify import tell_each
from bot.services import reminders
from bot.services.pairs_read import participants
from bot.services.people import Recipient, desk_recipients
from bot.services.reminders import Reminder
from bot.ui import esc, format_date
from models import Pair, Profile


async def send_deadline_reminders(context: JobContext) -> None:
    """Each reminder is queued and marked sent in one transaction: decided once, sent once."""
    now = context.clock.now()
    async with context.sessionmaker.begin() as session:
        for reminder in await reminders.due(session, now):
            origin = f"reminder:{reminder.kind}:{reminder.subject_id}:{reminder.stage}"
            mail = Mail(session, now, origin, reminder.organisation_id)
            await _send(context, session, mail, reminder)
            reminders.mark_sent(session, reminder, now)


async def _send(
    context: JobContext, session: AsyncSession, mail: Mail, reminder: Reminder
) -> None:
    core, default = context.core, context.settings.default_language
    desk = await desk_recipients(session, reminder.organisation_id)
    common = {"due": format_date(reminder.due), "days": max(reminder.days_left, 0)}
    if reminder.kind == reminders.MENTOR_DEADLINE:
        name = await session.scalar(
            select(Profile.full_name).where(Profile.membership_id == reminder.subject_id)
        )
        key = f"reminder-mentor-{reminder.stage}"
        await tell_each(
            mail,
            desk,
            lambda locale: core.get(key, locale, mentee=esc(name or "—"), **common),
            default,
            purpose="reminder",
            urgent=False,
        )
        return
    pair = await session.get(Pair, reminder.subject_id)
    if pair is None:
        return
    people = await participants(session, pair)
    mentor = [Recipient(p.telegram_id, p.language) for p in people if p.is_mentor]
    mentees = ", ".join(esc(p.full_name or "—") for p in people if not p.is_mentor)
    key = f"reminder-programme-{reminder.stage}"
    await tell_each(
        mail,
        mentor,
        lambda locale: core.get(key, locale, mentees=mentees, **common),
        default,
        purpose="reminder",
        urgent=False,
    )
    if reminder.stage == "overdue":
        mentor_name = next((esc(p.full_name or "—") for p in people if p.is_mentor), "—")
        await tell_each(
            mail,
            desk,
            lambda locale: core.get(
                "reminder-programme-overdue-desk",
                locale,
                mentor=mentor_name,
                mentees=mentees,
                **common,
            ),
            default,
            purpose="reminder",
            urgent=False,
        )
