"""The 10-day (programme) and 30-day (mentor) deadline reminders: who is told what.

What is due is decided in bot/services/reminders.py.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.jobs import JobContext
from bot.notify import notify
from bot.services import reminders
from bot.services.pairs_read import participants
from bot.services.people import Recipient, desk_recipients
from bot.services.reminders import Reminder
from bot.ui import esc, format_date
from models import Pair, Profile


async def send_deadline_reminders(context: JobContext) -> None:
    now = context.clock.now()
    async with context.sessionmaker.begin() as session:
        for reminder in await reminders.due(session, now):
            await _send(context, session, reminder)
            reminders.mark_sent(session, reminder, now)


async def _send(context: JobContext, session: AsyncSession, reminder: Reminder) -> None:
    core, default = context.core, context.settings.default_language
    desk = await desk_recipients(session, reminder.organisation_id)
    common = {"due": format_date(reminder.due), "days": max(reminder.days_left, 0)}
    if reminder.kind == reminders.MENTOR_DEADLINE:
        name = await session.scalar(
            select(Profile.full_name).where(Profile.membership_id == reminder.subject_id)
        )
        key = f"reminder-mentor-{reminder.stage}"
        await notify(
            context.bot,
            desk,
            lambda locale: core.get(key, locale, mentee=esc(name or "—"), **common),
            default,
        )
        return
    pair = await session.get(Pair, reminder.subject_id)
    if pair is None:
        return
    people = await participants(session, pair)
    mentor = [Recipient(p.telegram_id, p.language) for p in people if p.is_mentor]
    mentees = ", ".join(esc(p.full_name or "—") for p in people if not p.is_mentor)
    key = f"reminder-programme-{reminder.stage}"
    await notify(
        context.bot,
        mentor,
        lambda locale: core.get(key, locale, mentees=mentees, **common),
        default,
    )
    if reminder.stage == "overdue":
        mentor_name = next((esc(p.full_name or "—") for p in people if p.is_mentor), "—")
        await notify(
            context.bot,
            desk,
            lambda locale: core.get(
                "reminder-programme-overdue-desk",
                locale,
                mentor=mentor_name,
                mentees=mentees,
                **common,
            ),
            default,
        )
