"""The buttons on real reminders (the job run with a frozen clock, the queue delivered, the
delivered button tapped): done and move for the pair's mentor, the plan for its people and the
curator, complete / extend / end early for the curator; refused alike for someone else, a
stale record or a forged id. /overdue lists overdue items; /reminders mutes what may be muted."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.reminder_buttons import ActivityDone, ActivityMove, PairComplete, PairExtend, PlanOpen
from bot.scheduler import JobContext
from bot.services import deadlines
from bot.services.clock import FrozenClock
from models import (
    Activity,
    ActivityStatus,
    Pair,
    PairEvent,
    PairStatus,
    ReminderMute,
    Role,
)
from tests.harness import Harness, Person, Sent
from tests.pairs_fixture import kindergarten_with_pair, membership_of, with_plan

MOSCOW = ZoneInfo("Europe/Moscow")
STALE = "Эта кнопка уже не действует"


def moscow(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=MOSCOW).astimezone(UTC)


async def tick_at(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
    moment: datetime,
) -> None:
    """The clock moved to `moment`, one pass of the jobs, the queue delivered."""
    clock.moment = moment
    await app.run_jobs(JobContext(app.bot, sessionmaker, clock, app.i18n_core(), settings))


def reminder(person: Person, fragment: str) -> Sent:
    found = [sent for sent in person.transcript if fragment in sent.text]
    assert len(found) == 1, (fragment, person.texts()[-3:])
    return found[0]


async def activity(sessionmaker: async_sessionmaker[AsyncSession], activity_id: int) -> Activity:
    async with sessionmaker() as session:
        row = await session.get(Activity, activity_id)
        assert row is not None
        return row


async def test_done_and_move_from_a_plan_reminder(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    mentor, mentee, curator = garden.mentor, garden.mentee, garden.curator
    visit, lesson = await with_plan(
        sessionmaker,
        garden,
        clock.now(),
        [
            ("Посетить занятие наставника", date(2026, 11, 30)),
            ("Открытое занятие", date(2026, 12, 1)),
        ],
    )
    # Fri 27.11, 10:00 Moscow: 3 days before the first item, 4 before the second (not yet).
    await tick_at(app, sessionmaker, clock, settings, moscow(date(2026, 11, 27), 10))
    sent = reminder(mentor, "Посетить занятие наставника")
    assert sent.buttons == ["✅ Выполнено", "📅 Перенести", "📋 План"]
    assert reminder(mentee, "Посетить занятие наставника").buttons == ["📋 План"]

    # Move: a day on the calendar, then the reason; the mentee is told, the history keeps it.
    await mentor.presses(ActivityMove(activity_id=visit).pack(), sent)
    assert "Выберите новую дату" in mentor.texts()[-1]
    await mentor.sends("завтра")  # typed instead of tapped: asked again, nothing lost
    assert "на календаре" in mentor.texts()[-2]
    await mentor.taps(">>")  # the calendar opens on today's month
    await mentor.taps("15")
    assert "Почему срок переносится" in mentor.texts()[-1]
    await mentor.sends("х" * 400)  # too long: explained, asked again
    assert (await activity(sessionmaker, visit)).due_on == date(2026, 11, 30)
    await mentor.sends("Наставник на курсах повышения квалификации")
    assert "Срок пункта 1 перенесён на 15.12.2026" in mentor.texts()[-1]
    assert (await activity(sessionmaker, visit)).due_on == date(2026, 12, 15)
    told = mentee.texts()[-1]
    assert "перенёс(ла) срок пункта плана на 15.12.2026" in told and "на курсах" in told
    async with sessionmaker() as session:
        event = await session.scalar(select(PairEvent).where(PairEvent.kind == "activity_moved"))
        assert event is not None and event.note == "Наставник на курсах повышения квалификации"
        assert event.details == {"activity_id": visit, "from": "2026-11-30", "to": "2026-12-15"}

    # Done: the item's own flow (a result, optionally a photo), then the mentee is told.
    await mentor.presses(ActivityDone(activity_id=visit).pack(), sent)
    assert "результат" in mentor.texts()[-1].lower()
    await mentor.sends("Посетила два занятия, разобрали приёмы")
    await mentor.taps("Без подтверждения")
    done = await activity(sessionmaker, visit)
    assert done.status == ActivityStatus.DONE and done.result and "два занятия" in done.result
    assert "отметил(а) пункт плана выполненным" in mentee.texts()[-1]
    # A second tap on the same reminder: told, nothing changes.
    await mentor.presses(ActivityDone(activity_id=visit).pack(), sent)
    await mentor.presses(ActivityMove(activity_id=visit).pack(), sent)
    assert mentor.alerts()[-2:] == ["Этот пункт уже отмечен выполненным."] * 2
    assert (await activity(sessionmaker, visit)).due_on == date(2026, 12, 15)

    # Someone else's taps and forged ids: one polite answer, nothing changes.
    for person, data in (
        (mentee, ActivityDone(activity_id=lesson).pack()),
        (mentee, ActivityMove(activity_id=lesson).pack()),
        (curator, ActivityDone(activity_id=lesson).pack()),
        (mentor, ActivityDone(activity_id=10**6).pack()),
        (mentor, "activity_move:-1"),
        (mentor, "activity_done:" + "9" * 30),
    ):
        await person.presses(data)
        assert person.alerts()[-1].startswith(STALE), (person.telegram_id, data)
    assert (await activity(sessionmaker, lesson)).status == ActivityStatus.OPEN


async def test_the_plan_button_opens_the_plan_or_the_programme(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    await with_plan(
        sessionmaker,
        garden,
        clock.now(),
        [("Посетить занятие", date(2026, 11, 30))],
        date(2026, 12, 11),
    )
    # Fri 27.11: the item's reminder; the term ends in 14 days: everyone with the plan button.
    await tick_at(app, sessionmaker, clock, settings, moscow(date(2026, 11, 27), 10))
    await garden.mentee.taps("📋 План")
    assert "План наставничества" in garden.mentee.texts()[-1]
    await garden.mentor.taps("📋 План")
    assert "План наставничества" in garden.mentor.texts()[-1]
    soon = reminder(garden.curator, "заканчивается 11.12.2026")
    assert soon.buttons == ["📋 План"]
    await garden.curator.presses(PlanOpen(pair_id=garden.pair_id).pack(), soon)
    assert "Посетить занятие" in garden.curator.texts()[-1]  # the programme, read only
    for data in (PlanOpen(pair_id=garden.pair_id + 1).pack(), "plan_open:-5"):
        await garden.mentee.presses(data)
        assert garden.mentee.alerts()[-1].startswith(STALE)


async def test_the_curator_decides_from_the_term_end_reminder(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    curator, mentor = garden.curator, garden.mentor
    ids = await with_plan(
        sessionmaker,
        garden,
        clock.now(),
        [("Посетить занятие", date(2026, 11, 26)), ("Открытое занятие", date(2026, 11, 27))],
        ends_on=date(2026, 11, 27),
    )
    async with sessionmaker() as session, session.begin():
        first = await session.get(Activity, ids[0])
        assert first is not None
        first.status, first.done_at = ActivityStatus.DONE, clock.now()
    # Fri 27.11, 12:00: the term ends today; the curator is asked.
    await tick_at(app, sessionmaker, clock, settings, moscow(date(2026, 11, 27), 12))
    asked = reminder(curator, "истёк 27.11.2026")
    assert asked.buttons == ["✅ Завершить", "⏩ Продлить", "⏹ Досрочно", "📋 План"]
    # Not theirs: the mentor, forged ids.
    for data in (PairComplete(pair_id=garden.pair_id).pack(), "pair_end_early:0"):
        await mentor.presses(data)
        assert mentor.alerts()[-1].startswith(STALE)

    # Extend opens the lifecycle at its first step, with the plan's fulfilment.
    await curator.presses(PairExtend(pair_id=garden.pair_id).pack(), asked)
    screen = curator.texts()[-1]
    assert "Продление срока пары" in screen and "План выполнен: 1 из 2" in screen
    await curator.presses(PairComplete(pair_id=garden.pair_id).pack(), asked)
    screen = curator.texts()[-1]
    assert "Отметить, что программа пары" in screen and "План выполнен: 1 из 2" in screen
    await curator.taps("Да, программа выполнена")
    async with sessionmaker() as session:
        pair = await session.get(Pair, garden.pair_id)
        assert pair is not None and pair.status == PairStatus.COMPLETED
    # The same button again: the pair is no longer active, one polite answer.
    await curator.presses(PairComplete(pair_id=garden.pair_id).pack(), asked)
    assert curator.alerts()[-1].startswith(STALE)


async def test_overdue_list_and_term_passed_on_the_pairs(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    items = [(f"Пункт {n}", date(2026, 11, 25)) for n in range(1, 13)]
    await with_plan(sessionmaker, garden, clock.now(), items, ends_on=date(2026, 11, 26))
    clock.moment = moscow(date(2026, 11, 28), 10)
    await garden.curator.sends("/overdue")
    page = garden.curator.texts()[-1]
    assert "Просроченные пункты планов" in page and "Смирнова" in page and "Петрова" in page
    assert "«Пункт 1», срок 25.11.2026 (просрочено на 3 дня)" in page
    assert "Пункт 11" not in page
    await garden.curator.taps("▶")
    assert "«Пункт 12»" in garden.curator.texts()[-1]
    await garden.curator.taps("◀")  # and back to the first page
    assert (
        "«Пункт 1»" in garden.curator.texts()[-1] and "Пункт 12" not in garden.curator.texts()[-1]
    )
    await garden.mentor.sends("/overdue")
    assert garden.mentor.texts()[-1] == "Это действие недоступно в вашей роли."

    await garden.curator.sends("/pairs")
    assert "срок истёк" in garden.curator.texts()[-1]
    await garden.curator.taps(f"№ {garden.pair_id}")
    assert "срок истёк" in garden.curator.texts()[-1]


async def test_reminders_mute_what_may_be_muted(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    mentee, mentor = garden.mentee, garden.mentor
    await with_plan(sessionmaker, garden, clock.now(), [("Посетить занятие", date(2026, 11, 30))])
    await mentee.sends("/reminders")
    screen = mentee.texts()[-1]
    assert "🔔 сроки пунктов плана" in screen and "📌 итоговые отчёты — обязательно" in screen
    assert "решение по истёкшему сроку" not in screen  # the curator's, not a mentee's
    await mentee.taps("Выключить: сроки пунктов плана")
    assert "🔕 сроки пунктов плана — выключено" in mentee.texts()[-1]
    await mentee.presses(mentee.callback_data("Выключить: за 14 дней до конца программы"))
    await mentee.taps("Включить: за 14 дней до конца программы")  # back on
    # A forged tap on a required kind: refused with the rule.
    forged = mentee.callback_data("Включить: сроки пунктов плана").replace("activity", "report")
    await mentee.presses(forged)
    assert "требует Положение" in mentee.alerts()[-1]
    async with sessionmaker() as session:
        member = await membership_of(session, mentee.telegram_id, Role.MENTEE)
        mutes = await session.scalars(
            select(ReminderMute.kind).where(ReminderMute.membership_id == member.id)
        )
        assert set(mutes) == {deadlines.ACTIVITY}

    await tick_at(app, sessionmaker, clock, settings, moscow(date(2026, 11, 27), 10))
    assert reminder(mentor, "Посетить занятие").buttons[0] == "✅ Выполнено"
    assert not any("Посетить занятие" in text for text in mentee.texts())
