"""Deadline reminders over a whole programme, the clock moved from the pair's approval to both
reports: each reminder once, in working hours, not on holidays, across a restart, with its
buttons; muted kinds skipped, required ones not mutable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.reminder_buttons import ActivityDone, PairComplete, ReportOpen
from bot.scheduler import JobContext
from bot.services import deadlines, final_reports, lifecycle, roadmap
from bot.services.clock import FrozenClock
from bot.services.errors import UserFacingError
from bot.services.outbox import WorkingHours
from models import (
    Activity,
    ActivityStatus,
    FinalReport,
    Holiday,
    OutboxMessage,
    Pair,
    RoadmapStage,
    Role,
)
from tests.harness import Harness, Person, Sent
from tests.pairs_fixture import (
    Kindergarten,
    kindergarten_with_pair,
    membership_of,
    mentee_reports,
    with_plan,
)

MOSCOW = ZoneInfo("Europe/Moscow")
TERM_END = date(2026, 12, 28)  # a Monday
HOLIDAY = date(2026, 12, 10)  # a Thursday the kindergarten does not work


@dataclass
class Received:
    at: datetime  # local time of delivery
    sent: Sent


class Watch:
    """What each person received, and when (the clock's local time at delivery)."""

    def __init__(self, clock: FrozenClock, people: list[Person]) -> None:
        self.clock, self.people = clock, people
        self.seen = {person.telegram_id: 0 for person in people}
        self.got: dict[int, list[Received]] = {person.telegram_id: [] for person in people}

    def look(self) -> None:
        for person in self.people:
            new = person.transcript[self.seen[person.telegram_id] :]
            self.seen[person.telegram_id] = len(person.transcript)
            at = self.clock.now().astimezone(MOSCOW)
            self.got[person.telegram_id] += [Received(at, sent) for sent in new]

    def of(self, person: Person, fragment: str) -> list[Received]:
        return [r for r in self.got[person.telegram_id] if fragment in r.sent.text]


def context_of(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> JobContext:
    return JobContext(app.bot, sessionmaker, clock, app.i18n_core(), settings)


async def programme_with_plan(
    sessionmaker: async_sessionmaker[AsyncSession], garden: Kindergarten, now: datetime
) -> tuple[int, int]:
    """A submitted programme with two items: due 10.12 (a holiday) and 17.12."""
    items = [
        ("Посетить занятие наставника", HOLIDAY),
        ("Провести открытое занятие", date(2026, 12, 17)),
    ]
    first, second = await with_plan(sessionmaker, garden, now, items, ends_on=TERM_END)
    async with sessionmaker() as session, session.begin():
        pair = await session.get(Pair, garden.pair_id)
        assert pair is not None
        session.add(Holiday(organisation_id=pair.organisation_id, day=HOLIDAY))
    return first, second


async def run_until(
    app: Harness, context: JobContext, clock: FrozenClock, watch: Watch, until: datetime
) -> None:
    """Every 4 hours a tick of the jobs; once a day a second one at once (it must add nothing)."""
    while clock.now() < until:
        clock.advance(hours=4)
        await app.run_jobs(context)
        if clock.now().astimezone(MOSCOW).hour == 12:
            await app.run_jobs(context)
        watch.look()


def first_button(sent: Sent) -> str | None:
    assert isinstance(sent.markup, InlineKeyboardMarkup)
    return sent.markup.inline_keyboard[0][0].callback_data


def moscow(day: date, hour: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=MOSCOW).astimezone(UTC)


def working(received: Received) -> bool:
    at = received.at
    return at.weekday() < 5 and 9 <= at.hour < 18 and at.date() != HOLIDAY


async def test_a_whole_programme_from_approval_to_both_reports(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)  # approved Wed 25.11
    first, second = await programme_with_plan(sessionmaker, garden, clock.now())
    people = [garden.curator, garden.mentor, garden.mentee]
    watch = Watch(clock, people)
    context = context_of(app, sessionmaker, clock, settings)

    # The plan item due on the holiday: 3 days before (Mon 07.12), then overdue (Fri 11.12),
    # each once, to the mentor and the mentee. The day's own reminder ("today, 10.12") waited
    # for Friday in the queue and is dropped there: by then it would not be true.
    await run_until(app, context, clock, watch, moscow(date(2026, 12, 12)))
    for person in (garden.mentor, garden.mentee):
        item = watch.of(person, "Посетить занятие наставника")
        assert [r.at.date() for r in item] == [date(2026, 12, 7), date(2026, 12, 11)]
        assert "осталось 3 дня" in item[0].sent.text and "просрочен" in item[1].sent.text
    async with sessionmaker() as session:
        held = await session.scalars(
            select(OutboxMessage.state).where(OutboxMessage.key.like("deadline:activity:%:day:%"))
        )
        assert list(held) == ["dropped", "dropped"]
    mentor_item = watch.of(garden.mentor, "Посетить занятие наставника")[0].sent
    assert mentor_item.buttons == ["✅ Выполнено", "📅 Перенести", "📋 План"]
    assert first_button(mentor_item) == ActivityDone(activity_id=first).pack()
    mentee_item = watch.of(garden.mentee, "Посетить занятие наставника")[0].sent
    assert mentee_item.buttons == ["📋 План"]  # only the mentor marks or moves an item
    assert watch.of(garden.curator, "Посетить занятие") == []

    # The second item is done before its reminders: none goes out.
    async with sessionmaker() as session, session.begin():
        activity = await session.get(Activity, second)
        assert activity is not None
        activity.status, activity.done_at = ActivityStatus.DONE, clock.now()

    # A restart: a new process (dispatcher) on the same database and chats goes on.
    app = Harness(create_dispatcher(settings, sessionmaker, clock=clock), app.session)
    await app.start()
    context = context_of(app, sessionmaker, clock, settings)

    # 14 days before the end (Mon 14.12): everyone, with the plan's fulfilment; on the day
    # (Mon 28.12) and a week later the curator decides, one tap each.
    await run_until(app, context, clock, watch, moscow(date(2027, 1, 12), 10))
    assert watch.of(garden.mentor, "Провести открытое занятие") == []
    for person in people:
        soon = watch.of(person, "заканчивается 28.12.2026")
        assert len(soon) == 1 and "План выполнен: 1 из 2" in soon[0].sent.text
    asked = watch.of(garden.curator, "истёк 28.12.2026")
    assert [r.at.date() for r in asked] == [
        date(2026, 12, 28),
        date(2027, 1, 4),
        date(2027, 1, 11),
    ]
    assert asked[0].sent.buttons == ["✅ Завершить", "⏩ Продлить", "⏹ Досрочно", "📋 План"]
    assert first_button(asked[0].sent) == PairComplete(pair_id=garden.pair_id).pack()
    assert "решение ещё не принято" in asked[1].sent.text
    assert watch.of(garden.mentor, "истёк 28.12.2026") == []
    async with sessionmaker() as session:
        pair = await session.get(Pair, garden.pair_id)
        assert pair is not None and deadlines.term_passed(pair, date(2027, 1, 12))

    # The curator completes it (Tue 12.01): both reports open, due 22.01.
    async with sessionmaker() as session, session.begin():
        pair = await session.get(Pair, garden.pair_id)
        assert pair is not None
        await lifecycle.complete(
            session, pair.id, pair.organisation_id, actor_membership_id=None, now=clock.now()
        )
    # The mentee reports on Mon 18.01; the mentor never does.
    await run_until(app, context, clock, watch, moscow(date(2027, 1, 18), 12))
    await mentee_reports(sessionmaker, garden.mentee, date(2027, 1, 22), clock.now(), support=4)
    await run_until(app, context, clock, watch, moscow(date(2027, 2, 1)))
    asked_mentor = watch.of(garden.mentor, "итоговый отчёт до 22.01.2027")
    asked_mentee = watch.of(garden.mentee, "итоговый отчёт до 22.01.2027")
    assert [r.at.date() for r in asked_mentor] == [date(2027, 1, 15), date(2027, 1, 20)]
    assert [r.at.date() for r in asked_mentee] == [date(2027, 1, 15)]  # sent before day 8
    assert asked_mentor[0].sent.buttons == ["📝 Отчёт"]
    assert first_button(asked_mentor[0].sent) == ReportOpen(pair_id=garden.pair_id).pack()
    # Due Fri 22.01, the last day to send it: the curator hears once the day has passed
    # (Sat 23.01, delivered on the next working day).
    missing = watch.of(garden.curator, "Итоговые отчёты не отправили")
    assert len(missing) == 1 and missing[0].at.date() == date(2027, 1, 25)
    assert "Смирнова Ольга Ивановна" in missing[0].sent.text
    assert "Петрова" not in missing[0].sent.text
    assert watch.of(garden.curator, "истёк 28.12.2026")[-1].at.date() == date(2027, 1, 11)

    # Everything came in working hours, on working days, never on the holiday.
    for person in people:
        late = [r for r in watch.got[person.telegram_id] if not working(r)]
        assert late == []


async def test_a_final_report_sent_on_its_tenth_day_is_on_time(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    """Within 10 days of the end: the tenth day is still the author's, to its last minute in
    the kindergarten's time zone; the curator hears of a missing report only the day after."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    watch = Watch(clock, [garden.curator, garden.mentor, garden.mentee])
    context = context_of(app, sessionmaker, clock, settings)
    clock.moment = moscow(date(2026, 11, 30), 12)  # a Monday: the curator completes the pair
    async with sessionmaker() as session, session.begin():
        pair = await session.get(Pair, garden.pair_id)
        assert pair is not None
        await lifecycle.complete(
            session, pair.id, pair.organisation_id, actor_membership_id=None, now=clock.now()
        )
    # The whole of Thu 10.12, the tenth day: nobody is reported to the curator.
    await run_until(app, context, clock, watch, moscow(date(2026, 12, 10), 20))
    assert watch.of(garden.curator, "не отправили") == []
    assert len(watch.of(garden.mentor, "итоговый отчёт до 10.12.2026")) == 2  # days 3 and 8
    # The mentor sends it at 23:30 Moscow on the tenth day (20:30 UTC, the same day).
    clock.moment = moscow(date(2026, 12, 10), 23) + timedelta(minutes=30)
    async with sessionmaker() as session, session.begin():
        mentor = await membership_of(session, garden.mentor.telegram_id, Role.MENTOR)
        report = await session.scalar(
            select(FinalReport).where(FinalReport.author_membership_id == mentor.id)
        )
        assert report is not None and report.due_on == date(2026, 12, 10)
        await final_reports.submit_mentor_report(
            session, report, fulfilment={}, results="Итоги", recommendations=None, now=clock.now()
        )
    await run_until(app, context, clock, watch, moscow(date(2026, 12, 16)))
    missing = watch.of(garden.curator, "Итоговые отчёты не отправили")
    assert [r.at.date() for r in missing] == [date(2026, 12, 11)]  # day 11, once
    assert "Петрова Анна Сергеевна" in missing[0].sent.text
    assert "Смирнова" not in missing[0].sent.text and "10.12.2026" in missing[0].sent.text


async def test_muted_kinds_are_skipped_and_required_ones_cannot_be_muted(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    first, _ = await programme_with_plan(sessionmaker, garden, clock.now())
    async with sessionmaker() as session, session.begin():
        pair = await session.get(Pair, garden.pair_id)
        assert pair is not None
        overdue = await deadlines.overdue_activities(
            session, pair.organisation_id, date(2026, 12, 11)
        )
        assert [(item[0], item[2]) for item in overdue] == [(first, HOLIDAY)]  # the desk's list
        assert dict(deadlines.reminder_kinds())[deadlines.ACTIVITY] is True
        mentee = await membership_of(session, garden.mentee.telegram_id, Role.MENTEE)
        await deadlines.set_muted(session, mentee.id, deadlines.ACTIVITY, True, clock.now())
        for required in (deadlines.REPORT, deadlines.TERM_END, deadlines.PROGRAMME):
            with pytest.raises(UserFacingError):
                await deadlines.set_muted(session, mentee.id, required, True, clock.now())
        assert await deadlines.muted_kinds(session, mentee.id) == {deadlines.ACTIVITY}
    watch = Watch(clock, [garden.mentor, garden.mentee])
    context = context_of(app, sessionmaker, clock, settings)
    await run_until(app, context, clock, watch, moscow(date(2026, 12, 8)))
    assert len(watch.of(garden.mentor, "Посетить занятие наставника")) == 1
    assert watch.of(garden.mentee, "Посетить занятие наставника") == []


async def test_roadmap_stage_deadlines_go_to_the_responsible_then_the_curator(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    async with sessionmaker() as session, session.begin():
        mentor = await membership_of(session, garden.mentor.telegram_id, Role.MENTOR)
        stages = await roadmap.set_up(session, mentor.organisation_id, 2026, clock.now())
        assert [stage.code for stage in stages] == list(roadmap.STAGES)
        await roadmap.plan_stage(
            session,
            stages[3],
            due_on=date(2026, 12, 9),
            responsible_membership_id=mentor.id,
            now=clock.now(),
        )
        await roadmap.plan_stage(
            session,
            stages[4],
            due_on=date(2026, 12, 9),
            responsible_membership_id=mentor.id,
            now=clock.now(),
        )
        roadmap.mark_done(stages[4], True, clock.now())
    watch = Watch(clock, [garden.curator, garden.mentor])
    context = context_of(app, sessionmaker, clock, settings)
    await run_until(app, context, clock, watch, moscow(date(2026, 12, 14)))
    told = watch.of(garden.mentor, "Отбор и обучение наставников")
    assert [r.at.date() for r in told] == [
        date(2026, 12, 2),
        date(2026, 12, 9),
        date(2026, 12, 10),
    ]
    assert told[0].sent.buttons == ["✅ Этап выполнен", "🗺 Дорожная карта"]
    desk = watch.of(garden.curator, "Отбор и обучение наставников")
    assert len(desk) == 1 and "не выполнен в срок" in desk[0].sent.text
    assert watch.of(garden.mentor, "Формирование пар") == []  # done: no reminder
    async with sessionmaker() as session:
        assert len(list(await session.scalars(select(RoadmapStage)))) == 7


async def test_year_prompts_and_campaign_deadlines(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    clock = FrozenClock(datetime(2027, 4, 29, 9, tzinfo=UTC))
    app = Harness(create_dispatcher(settings, sessionmaker, clock=clock))
    await app.start()
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    watch = Watch(clock, [garden.curator])
    context = context_of(app, sessionmaker, clock, settings)
    await run_until(app, context, clock, watch, moscow(date(2027, 5, 12)))
    may = watch.of(garden.curator, "пора мониторинга")
    assert len(may) == 1 and may[0].at.date() == date(2027, 5, 3)  # 01.05 is a Saturday
    async with sessionmaker() as session:
        queued = await session.scalar(
            select(OutboxMessage.not_before).where(OutboxMessage.key.like("deadline:year:%"))
        )
    assert queued == moscow(date(2027, 5, 3), 9)  # waited for Monday's opening


def test_working_hours_skip_the_days_off_and_holidays() -> None:
    friday_evening = moscow(date(2026, 12, 11), 19)
    week = WorkingHours("Europe/Moscow", 9, 18)
    assert week.next_moment(friday_evening) == moscow(date(2026, 12, 14), 9)
    six_days = WorkingHours("Europe/Moscow", 9, 18, "123456", frozenset({date(2026, 12, 14)}))
    assert six_days.next_moment(friday_evening) == moscow(date(2026, 12, 12), 9)  # Saturday
    saturday_evening = moscow(date(2026, 12, 12), 19)
    assert six_days.next_moment(saturday_evening) == moscow(date(2026, 12, 15), 9)  # holiday


def test_a_step_is_sent_once_even_when_its_day_was_missed() -> None:
    steps = deadlines.STEPS[deadlines.ACTIVITY]
    due = date(2026, 12, 10)
    assert [steps.step(due, due + timedelta(days=d)) for d in range(-5, 6)] == [
        None,
        None,
        "before",
        "before",
        "before",
        "day",
        "late",
        "late",
        "late",
        None,
        None,
    ]
    assert steps.window([due]) == (date(2026, 12, 7), date(2026, 12, 13))
