"""Deadline reminders: the 10-day programme rule and the 30-day mentor rule, each stage once,
only in the organisation's working hours."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db import create_engine, create_sessionmaker
from bot.scheduler import JobContext, run_jobs
from bot.services.clock import FrozenClock
from models import OutboxMessage, PairStatus, SentReminder
from tests.flows import MENTEE_ANSWERS, invite, join
from tests.harness import Harness, Person
from tests.pairs_fixture import kindergarten_with_pair
from tests.pairs_flows import Kindergarten, all_confirm, only_pair, propose


@dataclass
class PairFolks:
    curator: Person
    head: Person


def jobs(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> JobContext:
    return JobContext(
        app.bot, sessionmaker, clock, app.dispatcher["i18n_middleware"].core, settings
    )


def reminders(person: Person) -> list[str]:
    return [text for text in person.texts() if text.startswith(("⏰", "⚠️"))]


async def test_programme_reminders_soon_then_overdue_each_once_in_working_hours(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)  # approved Wed 25.11, 12:00
    context = jobs(app, sessionmaker, clock, settings)
    await app.run_jobs(context)
    assert reminders(garden.mentor) == []  # ten days ahead: nothing yet
    clock.advance(days=8)  # Thursday 03.12, two days left
    await app.run_jobs(context)
    await app.run_jobs(context)
    assert len(reminders(garden.mentor)) == 1
    assert "до 05.12.2026" in reminders(garden.mentor)[0]
    assert "осталось 2 дня" in reminders(garden.mentor)[0]
    clock.advance(days=3)  # Sunday 06.12: overdue, but nobody is at work
    await app.run_jobs(context)
    assert len(reminders(garden.mentor)) == 1
    clock.advance(days=1, hours=-6)  # Monday 07.12, 06:00 Moscow: before the working day
    await app.run_jobs(context)
    assert len(reminders(garden.mentor)) == 1
    clock.advance(hours=4)  # 10:00 Moscow
    await app.run_jobs(context)
    await app.run_jobs(context)
    assert len(reminders(garden.mentor)) == 2 and "истёк 05.12.2026" in reminders(garden.mentor)[1]
    desk = [text for text in reminders(garden.curator) if "не отправил программу" in text]
    assert len(desk) == 1 and "Смирнова Ольга Ивановна" in desk[0]
    # The mentee in the pair is not reported under the 30-day rule.
    assert not any("наставника нужно утвердить" in text for text in garden.curator.texts())


async def test_a_new_teacher_without_a_mentor_is_reported_to_the_curator_once(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    code = await invite(garden.curator, "наставляемый")
    newcomer = list(MENTEE_ANSWERS)
    newcomer[0] = ("text", "Орлова Вера Павловна")
    newcomer[6] = ("text", "01.11.2026")  # the 30 days run out on 01.12
    await join(app, code, 777, newcomer)
    context = jobs(app, sessionmaker, clock, settings)
    await app.run_jobs(context)
    await app.run_jobs(context)
    told = [text for text in reminders(garden.curator) if "Орлова Вера Павловна" in text]
    assert len(told) == 1
    assert "до 01.12.2026" in told[0] and "осталось 6 дней" in told[0] and "/pair" in told[0]
    # Petrova started on 01.09 and is in a pair: never reported.
    assert not any("Петрова" in text for text in reminders(garden.curator))


async def test_two_processes_running_the_same_tick_queue_each_reminder_once(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Two bot processes on one database make the same pass at the same moment (on SQLite no
    lock keeps them apart): every reminder is still queued, and sent, once, and the one that
    comes second finds it marked and says nothing (no error in the log)."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    code = await invite(garden.curator, "наставляемый")
    newcomer = list(MENTEE_ANSWERS)
    newcomer[0] = ("text", "Орлова Вера Павловна")
    newcomer[6] = ("text", "01.11.2026")
    await join(app, code, 777, newcomer)
    clock.advance(days=8)  # Thursday 03.12: the programme's two days, the newcomer's 30 days
    other_engine = create_engine(database_url)
    first = jobs(app, sessionmaker, clock, settings)
    second = jobs(app, create_sessionmaker(other_engine), clock, settings)
    with caplog.at_level(logging.WARNING):
        await asyncio.gather(run_jobs(first), run_jobs(second))
        await run_jobs(second)  # and the next tick finds nothing left to do
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    await other_engine.dispose()
    await app.deliver()
    assert len(reminders(garden.mentor)) == 1
    told = [text for text in reminders(garden.curator) if "Орлова Вера Павловна" in text]
    assert len(told) == 1
    async with sessionmaker() as session:
        queued = (await session.execute(select(OutboxMessage.chat_id, OutboxMessage.text))).all()
    assert len(queued) == len(set(queued))  # no message twice, whatever its key
    async with sessionmaker() as session:
        marks = (await session.execute(select(SentReminder.kind, SentReminder.subject_id))).all()
    assert sorted(kind for kind, _ in marks) == ["mentor_30d", "programme"]


async def pending_pair(app: Harness, sessionmaker: async_sessionmaker[AsyncSession]) -> PairFolks:
    """A new teacher (started 01.11.2026: the 30 days run out on 01.12) whose pair both sides
    consented to and the head has not approved yet."""
    garden = await Kindergarten.found(app)
    head = await garden.staff(300, "заведующий", "Иванова Мария Петровна")
    mentor = await garden.mentor(601)
    mentee = await garden.mentee(501, "Орлова Вера Павловна", "01.11.2026")
    await propose(garden.curator, ["Орлова"], "Смирнова")
    await all_confirm(mentor, mentee)
    assert (await only_pair(sessionmaker)).status == PairStatus.AWAITING_APPROVAL
    return PairFolks(garden.curator, head)


async def test_a_pair_still_waiting_for_the_head_does_not_meet_the_30_day_rule(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    """The rule is that the mentor is approved within 30 days: a pair proposed and consented
    to but not approved is reminded of, as waiting (not "find a mentor": /pair refuses her)."""
    folks = await pending_pair(app, sessionmaker)
    context = jobs(app, sessionmaker, clock, settings)
    await app.run_jobs(context)  # Wed 25.11, 6 days left
    told = [text for text in reminders(folks.curator) if "Орлова Вера Павловна" in text]
    assert len(told) == 1 and "до 01.12.2026" in told[0] and "осталось 6 дней" in told[0]
    assert "ещё не утверждена" in told[0] and "/pairs" in told[0] and "/pair " not in told[0]
    clock.advance(days=7)  # Wed 02.12, 12:00 Moscow: a day overdue, still not approved
    await app.run_jobs(context)
    await app.run_jobs(context)
    told = [text for text in reminders(folks.curator) if "Орлова Вера Павловна" in text]
    assert len(told) == 2
    assert "прошли 01.12.2026" in told[1] and "пара с наставником ещё не утверждена" in told[1]


async def test_a_mentor_approved_on_the_30th_day_is_in_time(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    folks = await pending_pair(app, sessionmaker)
    context = jobs(app, sessionmaker, clock, settings)
    await app.run_jobs(context)
    # Tue 01.12, 23:00 Moscow (20:00 UTC): the last day allowed, in the kindergarten's zone.
    clock.advance(days=6, hours=11)
    await folks.head.taps("Утвердить")
    reply = await folks.head.sends("№ 45 от 01.12.2026")
    assert reply is not None and "утверждена" in reply.text
    for _ in range(3):  # 02.12 to 04.12: nothing overdue
        clock.advance(days=1)
        await app.run_jobs(context)
    told = [text for text in reminders(folks.curator) if "Орлова Вера Павловна" in text]
    assert len(told) == 1 and "осталось 6 дней" in told[0]  # only the early one
    pair = await only_pair(sessionmaker)
    assert pair.status == PairStatus.ACTIVE and pair.approved_at is not None
    assert pair.approved_at.astimezone(ZoneInfo("Europe/Moscow")).date() == date(2026, 12, 1)
