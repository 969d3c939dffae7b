"""/settings as the curator uses it: working days, working hours and holidays edited and
stored; messages that can wait (a deadline reminder, a questionnaire invitation) then wait for
the working hours of a working day and skip the holidays."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.scheduler import JobContext
from bot.services import org_settings
from bot.services.clock import FrozenClock
from bot.services.errors import UserFacingError
from models import FsmRecord, Holiday, Organisation, OutboxMessage
from tests.harness import Harness
from tests.pairs_fixture import kindergarten_with_pair, with_plan
from tests.test_survey_support import launch

MOSCOW = ZoneInfo("Europe/Moscow")
STALE = "Эта кнопка уже не действует"


def moscow(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=MOSCOW).astimezone(UTC)


async def organisation(sessionmaker: async_sessionmaker[AsyncSession]) -> Organisation:
    async with sessionmaker() as session:
        return (await session.scalars(select(Organisation))).one()


async def test_the_curator_sets_working_days_hours_and_holidays(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    curator = garden.curator
    await curator.sends("/settings")
    screen = curator.texts()[-1]
    assert "▫️ Наставники видят рейтинг наставников" in screen  # the toggles as before
    assert "Рабочие дни: Пн, Вт, Ср, Чт, Пт" in screen and "09:00–18:00" in screen

    await curator.taps("🗓 Рабочие дни")
    await curator.taps("Пт")
    await curator.taps("Сб")
    assert (await organisation(sessionmaker)).working_days == "12346"
    assert "✅ Сб" in curator.last_reply().buttons  # type: ignore[union-attr]
    await curator.taps("Назад")
    assert "Рабочие дни: Пн, Вт, Ср, Чт, Сб" in curator.texts()[-1]

    await curator.taps("🕘 Рабочие часы")
    await curator.taps("10:00")
    ends = curator.last_reply().buttons  # type: ignore[union-attr]
    assert "10:00" not in ends and "11:00" in ends and "23:00" in ends  # only later hours
    forged = curator.callback_data("11:00").rsplit(":", 1)[0] + ":8"
    await curator.presses(forged)  # an end before the start: refused with the rule
    assert "заканчиваться позже" in curator.alerts()[-1]
    await curator.taps("16:00")
    stored = await organisation(sessionmaker)
    assert (stored.workday_start_hour, stored.workday_end_hour) == (10, 16)
    assert "Рабочие часы: 10:00–16:00" in curator.texts()[-1]

    await curator.taps("🎉 Праздники")
    assert "нерабочих дней впереди нет" in curator.texts()[-1]
    await curator.taps("Добавить день")
    await curator.taps("30")  # Monday 30.11 on the calendar, which opens on today's month
    assert "• 30.11.2026" in curator.texts()[-1]
    await curator.taps("Добавить день")
    await curator.taps("30")  # the same day again: told, stored once
    assert curator.alerts()[-1] == "30.11.2026 уже отмечен нерабочим."
    async with sessionmaker() as session:
        days = list(await session.scalars(select(Holiday.day)))
    assert days == [date(2026, 11, 30)]
    remove = curator.callback_data("✖ 30.11.2026")
    await curator.taps("✖ 30.11.2026")
    await curator.presses(remove)  # a double tap: gone already
    assert curator.alerts()[-1].startswith(STALE)
    async with sessionmaker() as session:
        assert list(await session.scalars(select(Holiday))) == []

    await garden.mentor.sends("/settings")
    assert garden.mentor.texts()[-1] == "Это действие недоступно в вашей роли."
    await garden.mentor.presses(remove)
    assert (await organisation(sessionmaker)).working_days == "12346"


def test_a_week_keeps_a_working_day_and_a_day_ends_after_it_starts() -> None:
    garden = Organisation(working_days="3", workday_start_hour=9, workday_end_hour=18)
    with pytest.raises(UserFacingError):
        org_settings.toggle_day(garden, "3")
    with pytest.raises(UserFacingError):
        org_settings.set_hours(garden, 14, 14)
    with pytest.raises(UserFacingError):
        org_settings.toggle_day(garden, "8")
    assert (garden.working_days, garden.workday_start_hour) == ("3", 9)


async def test_messages_that_can_wait_wait_for_working_hours_and_skip_holidays(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    async with sessionmaker() as session, session.begin():
        stored = (await session.scalars(select(Organisation))).one()
        org_settings.toggle_day(stored, "5")  # Monday to Thursday
        org_settings.set_hours(stored, 10, 16)
        await org_settings.add_holiday(session, stored, date(2026, 11, 30))  # a Monday
    await with_plan(sessionmaker, garden, clock.now(), [("Посетить занятие", date(2026, 11, 30))])
    opening = moscow(date(2026, 12, 1), 10)  # Tuesday: Fri-Sun off, Monday a holiday

    # Thursday 26.11, 17:00: past the end of the day. A questionnaire invitation waits.
    clock.moment = moscow(date(2026, 11, 26), 17)
    await launch(garden.curator, "Входная диагностика", "Наставляемые")
    # Friday 27.11, 12:00 (not a working day now): the plan item's reminder waits too.
    clock.moment = moscow(date(2026, 11, 27), 12)
    await app.run_jobs(JobContext(app.bot, sessionmaker, clock, app.i18n_core(), settings))
    async with sessionmaker() as session:
        rows = (
            await session.execute(select(OutboxMessage.purpose, OutboxMessage.not_before))
        ).all()
    waiting = {purpose: not_before for purpose, not_before in rows if purpose != "notice"}
    assert waiting == {"survey": opening, "reminder": opening}
    assert not any("Посетить занятие" in text for text in garden.mentor.texts())
    assert not any("Входная диагностика" in text for text in garden.mentee.texts())

    # Tuesday at opening: the invitation goes; the item's «3 days left», held past its date,
    # is dropped, and the day's pass tells the truth instead: the item is overdue.
    clock.moment = opening
    await app.deliver()
    assert any("Входная диагностика" in text for text in garden.mentee.texts())
    assert not any("Посетить занятие" in text for text in garden.mentor.texts())
    await app.run_jobs(JobContext(app.bot, sessionmaker, clock, app.i18n_core(), settings))
    await app.deliver()
    [overdue] = [text for text in garden.mentor.texts() if "Посетить занятие" in text]
    assert "просрочен: срок был 30.11.2026" in overdue
    async with sessionmaker() as session:
        states = await session.scalars(
            select(OutboxMessage.state).where(OutboxMessage.purpose == "reminder")
        )
        assert set(states) == {"dropped", "sent"}  # the held ones dropped, the overdue sent


async def test_a_dialog_kept_in_a_state_a_new_version_dropped_is_reset_not_stuck(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """A dialog left open across a deploy that renamed its step (here the old `start_hour`):
    the next message gets the polite answer and a clean slate, and the bot works again."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    curator = garden.curator
    await curator.sends("/settings")
    async with sessionmaker.begin() as session:
        records = (await session.scalars(select(FsmRecord))).all()
        for record in records:
            kept = json.dumps(record.data)
            if "OrgSettings:main" in kept:
                record.data = json.loads(
                    kept.replace("OrgSettings:main", "OrgSettings:start_hour")
                )
    await curator.sends("hello")
    assert "Бот обновился" in curator.texts()[-1]
    await curator.sends("/settings")
    assert "Рабочие дни" in curator.texts()[-1]
