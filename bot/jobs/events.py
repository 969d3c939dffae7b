"""Reminders of the desk's events to those who said they would come: the day before and an
hour before (decided in bot/services/broadcasts.py, keyed by the event's time)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.jobs import JobContext
from bot.mail import Mail
from bot.services import broadcasts
from bot.ui import esc, quoted
from models import Organisation


async def remind_of_events(context: JobContext) -> None:
    now = context.clock.now()
    core, default = context.core, context.settings.default_language
    async with context.sessionmaker.begin() as session:
        for due in await broadcasts.due_reminders(session, now):
            event = due.broadcast
            organisation = await session.get(Organisation, event.organisation_id)
            if organisation is None or event.event_at is None:
                continue
            zone = ZoneInfo(organisation.timezone)
            when = event.event_at.astimezone(zone)
            # The day-before reminder goes within a day of the event: "tomorrow" only when the
            # event is on the next calendar day there (the reminder goes at once).
            same_day = due.stage == "day" and when.date() == now.astimezone(zone).date()
            stage = "today" if same_day else due.stage
            mail = Mail(session, now, f"event:{event.id}", organisation.id)
            for person in due.recipients:
                text = core.get(
                    f"broadcast-reminder-{stage}",
                    person.language or default,
                    when=when.strftime("%d.%m.%Y %H:%M"),
                    time=when.strftime("%H:%M"),
                    place=esc(event.place or "—"),
                    text=quoted(event.text, 300),
                )
                await mail.send(
                    person.telegram_id,
                    text,
                    key=broadcasts.reminder_key(event, due.stage, person.membership_id),
                    purpose="reminder",
                )
