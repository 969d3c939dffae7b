"""A school year in a kindergarten in Vladivostok (UTC+10: its morning is the previous evening in
UTC), walked from 1 September to August a tick a day (each working morning, and the nights of
the days off): what each person is reminded of, when (their local working hours), how often
(once), with which dates and numbers, and that it stops when the thing is done, the term
extended, the pair ended, the kind muted or the person gone; the desk's own views agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.scheduler import JobContext
from bot.services import lifecycle, roadmap
from bot.services.clock import FrozenClock
from models import (
    Activity,
    ActivityStatus,
    Broadcast,
    BroadcastKind,
    EventAnswer,
    Holiday,
    RoadmapStage,
    Role,
)
from tests.flows import (
    MENTEE_ANSWERS,
    MENTOR_ANSWERS,
    found_organisation,
    invite,
    join,
    withdraw,
)
from tests.harness import Harness, Person, Sent
from tests.pairs_fixture import (
    Kindergarten,
    active_pair,
    membership_of,
    mentee_reports,
    named,
    with_plan,
)

ZONE = ZoneInfo("Asia/Vladivostok")
MORNING, NIGHT = 9.5, 1.0  # the morning tick is 23:30 UTC of the day before


def local(day: date, hour: float = 0) -> datetime:
    start = datetime(day.year, day.month, day.day, tzinfo=ZONE)
    return (start + timedelta(hours=hour)).astimezone(UTC)


@dataclass
class Got:
    at: datetime  # local time of delivery
    sent: Sent


class Year:
    """The clock, the jobs and what everyone received, by local time."""

    def __init__(self, app: Harness, clock: FrozenClock, context: JobContext) -> None:
        self.app, self.clock, self.context = app, clock, context
        self.people: list[Person] = []
        self.seen: dict[int, int] = {}
        self.got: dict[int, list[Got]] = {}

    def watch(self, *people: Person) -> None:
        for person in people:
            self.people.append(person)
            self.seen[person.telegram_id] = len(person.transcript)
            self.got[person.telegram_id] = []

    def look(self) -> None:
        at = self.clock.now().astimezone(ZONE)
        for person in self.people:
            new = person.transcript[self.seen[person.telegram_id] :]
            self.seen[person.telegram_id] = len(person.transcript)
            self.got[person.telegram_id] += [Got(at, sent) for sent in new]

    async def until(self, day: date, hour: float = 0) -> None:
        """Ticks up to `day` at `hour` (local): each working morning (the evening before in
        UTC), and at night on the days off (decided then, held for Monday's working hours)."""
        end = local(day, hour)
        while True:
            today = self.clock.now().astimezone(ZONE).date()
            moment = min(
                at
                for ahead in (0, 1)
                for at in [self.tick_of(today + timedelta(days=ahead))]
                if at > self.clock.now()
            )
            if moment >= end:
                self.clock.moment = end
                return
            self.clock.moment = moment
            await self.tick()

    @staticmethod
    def tick_of(day: date) -> datetime:
        return local(day, MORNING if day.weekday() < 5 else NIGHT)

    async def tick(self) -> None:
        await self.app.run_jobs(self.context)
        self.look()

    def skip(self, *people: Person) -> None:
        """What people's own steps brought (their replies) is not what the jobs sent."""
        for person in people or self.people:
            self.seen[person.telegram_id] = len(person.transcript)


def started(answers: list[tuple[str, str]], day: str) -> list[tuple[str, str]]:
    return [(kind, day) if value == "01.09.2026" else (kind, value) for kind, value in answers]


async def test_a_school_year_in_vladivostok(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    clock = FrozenClock(local(date(2026, 9, 1), 8))  # Tue 01.09, 08:00 there; 31.08 in UTC
    app = Harness(create_dispatcher(settings, sessionmaker, clock=clock))
    await app.start()
    context = JobContext(app.bot, sessionmaker, clock, app.i18n_core(), settings)
    curator = await found_organisation(app, "Владивосток", 7)
    mentor_code = await invite(curator, "наставник")
    mentee_code = await invite(curator, "наставляемый")
    mentor = await join(app, mentor_code, 601, MENTOR_ANSWERS)
    mentor2 = await join(app, mentor_code, 602, named(MENTOR_ANSWERS, "Орлова Вера Николаевна"))
    anna = await join(app, mentee_code, 501, MENTEE_ANSWERS)  # started 01.09.2026
    daria = await join(app, mentee_code, 502, named(MENTEE_ANSWERS, "Кузнецова Дарья Олеговна"))
    year = Year(app, clock, context)
    for person in (curator, mentor, mentor2, anna, daria):
        person.forget()
    year.watch(curator, mentor, mentor2, anna, daria)

    async with sessionmaker() as session, session.begin():
        curator_m = await membership_of(session, curator.telegram_id, Role.CURATOR)
        mentor_m = await membership_of(session, mentor.telegram_id, Role.MENTOR)
        organisation_id = curator_m.organisation_id
        stages = {
            stage.code: stage
            for stage in await roadmap.set_up(session, organisation_id, 2026, clock.now())
        }
        for code, due_on, responsible in (
            ("mentee_bank", date(2026, 9, 30), curator_m.id),
            ("mentor_training", date(2026, 12, 15), mentor_m.id),
        ):
            await roadmap.plan_stage(
                session,
                stages[code],
                due_on=due_on,
                responsible_membership_id=responsible,
                now=clock.now(),
            )
        training = stages["mentor_training"].id
        # The New Year holidays, as the curator marks them in /settings.
        session.add_all(
            Holiday(organisation_id=organisation_id, day=date(2027, 1, day)) for day in range(1, 9)
        )

    # Anna is paired on Thu 10.09 (the programme due 20.09, a Sunday); Vera, who starts work
    # on Tue 15.09, joins then and is paired on Mon 05.10 (the 30 days end on 15.10).
    await year.until(date(2026, 9, 10), 11)
    pair_a = await active_pair(
        sessionmaker, clock, mentor, [anna], date(2026, 9, 10), date(2027, 3, 10)
    )
    await year.until(date(2026, 9, 15), 11)
    mentee_code = await invite(curator, "наставляемый")
    vera = await join(
        app,
        mentee_code,
        503,
        started(named(MENTEE_ANSWERS, "Белова Вера Ильинична"), "15.09.2026"),
    )
    year.skip()
    year.watch(vera)
    # Anna's programme comes two days late (Tue 22.09).
    await year.until(date(2026, 9, 22), 11)
    items = await with_plan(
        sessionmaker,
        Kindergarten(curator, mentor, [anna], pair_a),
        clock.now(),
        [
            ("Диагностическая беседа", date(2026, 10, 15)),
            ("Открытое занятие", date(2026, 11, 20)),
            ("Консультация по портфолио", date(2026, 12, 22)),  # a Tuesday
            ("Анализ первого полугодия", date(2027, 1, 11)),  # the Monday after the holidays
            ("Родительское собрание", date(2027, 2, 5)),
        ],
    )
    await year.until(date(2026, 10, 5), 11)
    pair_v = await active_pair(
        sessionmaker, clock, mentor2, [vera], date(2026, 10, 5), date(2027, 4, 5)
    )
    await year.until(date(2026, 10, 12), 11)  # Vera's programme on time
    await with_plan(
        sessionmaker,
        Kindergarten(curator, mentor2, [vera], pair_v),
        clock.now(),
        [("Мастер-класс", date(2026, 12, 10))],
    )
    # The desk's own views agree with what it was told, read at 09:45 on Fri 02.10 there
    # (still 01.10 in UTC): the roadmap's stage overdue, Daria 1 day past her 30 days.
    await year.until(date(2026, 10, 2), 9.75)
    await curator.sends("/roadmap")
    assert "Просрочено: «Формирование банка наставляемых»" in curator.texts()[-1]
    assert "Ближайший срок: 15.12.2026, «Отбор и обучение наставников»" in curator.texts()[-1]
    await curator.sends("/pair")
    assert "Кузнецова Дарья Олеговна — срок прошёл 1 день назад" in curator.texts()[-1]
    await curator.sends("/cancel")
    year.skip()
    # Anna's first item is done the day before its date (Wed 14.10); she then mutes the plan's
    # reminders in /reminders (the mentor still gets them).
    await year.until(date(2026, 10, 14), 11)
    async with sessionmaker() as session, session.begin():
        activity = await session.get(Activity, items[0])
        assert activity is not None
        activity.status, activity.done_at = ActivityStatus.DONE, clock.now()
    await anna.sends("/reminders")
    await anna.taps("Выключить: сроки пунктов плана")
    year.skip()

    # The curator's list of overdue items agrees with the overdue reminders (Tue 24.11).
    await year.until(date(2026, 11, 24), 11)
    await curator.sends("/overdue")
    overdue = curator.texts()[-1]
    assert "«Открытое занятие», срок 20.11.2026 (просрочено на 4 дня)" in overdue
    assert "Диагностическая беседа" not in overdue and "Родительское" not in overdue
    year.skip()

    # Vera withdraws her consent on Tue 01.12: her pair ends early; nobody owes a report.
    await year.until(date(2026, 12, 1), 11)
    await withdraw(vera)
    year.skip(vera)
    year.look()  # the second mentor is told
    # An event on Fri 18.12 at 15:00 there: Anna, the mentor and Daria say they will come.
    async with sessionmaker() as session, session.begin():
        members = {
            person.telegram_id: (await membership_of(session, person.telegram_id, role)).id
            for person, role in (
                (anna, Role.MENTEE),
                (mentor, Role.MENTOR),
                (mentor2, Role.MENTOR),
                (daria, Role.MENTEE),
            )
        }
        event = Broadcast(
            organisation_id=organisation_id,
            author_membership_id=curator_m.id,
            kind=BroadcastKind.EVENT,
            text="Семинар наставников",
            audience={"kind": "all", "members": list(members.values())},
            recipients=len(members),
            event_at=local(date(2026, 12, 18), 15),
            place="Методический кабинет",
            created_at=clock.now(),
        )
        session.add(event)
        await session.flush()
        for telegram_id, coming in ((501, True), (601, True), (602, False), (502, True)):
            session.add(
                EventAnswer(
                    broadcast_id=event.id,
                    membership_id=members[telegram_id],
                    coming=coming,
                    answered_at=clock.now(),
                )
            )
    year.skip()
    # The training stage is marked done on Mon 14.12, before its day (15.12).
    await year.until(date(2026, 12, 14), 11)
    async with sessionmaker() as session, session.begin():
        stage = await session.get(RoadmapStage, training)
        assert stage is not None
        roadmap.mark_done(stage, True, clock.now())
    # Daria leaves (withdraws) on Thu 17.12 in the morning; the event's day before and hour
    # before (ticks at 15:30 on Thu and 14:30 on Fri, as the minute's tick would).
    await year.until(date(2026, 12, 17), 10)
    await withdraw(daria)
    year.skip(daria)
    year.look()
    clock.moment = local(date(2026, 12, 17), 15.5)
    await year.tick()
    await year.until(date(2026, 12, 18), 14.5)
    await year.tick()

    # Anna's term is extended on Fri 26.02, after the 14-day notice, to Mon 10.05.
    await year.until(date(2027, 2, 26), 11)
    async with sessionmaker() as session, session.begin():
        await lifecycle.extend(
            session,
            pair_a,
            organisation_id,
            ends_on=date(2027, 5, 10),
            reason="absence",
            actor_membership_id=None,
            now=clock.now(),
        )
    # Completed on Wed 12.05 (reports due 22.05); Anna reports on Tue 18.05, the mentor never.
    await year.until(date(2027, 5, 12), 11)
    async with sessionmaker() as session, session.begin():
        await lifecycle.complete(
            session, pair_a, organisation_id, actor_membership_id=None, now=clock.now()
        )
    await year.until(date(2027, 5, 18), 11)
    await mentee_reports(sessionmaker, anna, date(2027, 5, 22), clock.now())
    await year.until(date(2027, 8, 31))

    def timeline(person: Person) -> list[tuple[date, str]]:
        return [(got.at.date(), got.sent.text) for got in year.got[person.telegram_id]]

    def on(day: tuple[int, int, int], fragment: str) -> tuple[date, str]:
        return date(*day), fragment

    def matches(person: Person, expected: list[tuple[date, str]]) -> None:
        got = timeline(person)
        assert [(d, next((f for d2, f in expected if d2 == d and f in t), t)) for d, t in got] == (
            expected
        ), "\n".join(f"{d} {t[:90]}" for d, t in got)

    matches(
        curator,
        [
            on((2026, 9, 1), "Начался учебный год"),
            on((2026, 9, 21), "не отправил программу для: Петрова Анна Сергеевна; срок был 20.09"),
            on(
                (2026, 9, 23),
                "«Формирование банка наставляемых»: срок 30.09.2026 (осталось 7 дней)",
            ),
            on(
                (2026, 9, 24), "Кузнецова Дарья Олеговна: наставника нужно утвердить до 01.10.2026"
            ),
            on((2026, 9, 30), "Сегодня, 30.09.2026, срок этапа"),
            on((2026, 10, 1), "«Формирование банка наставляемых» просрочен: срок был 30.09.2026"),
            on((2026, 10, 2), "Кузнецова Дарья Олеговна: 30 дней с начала работы прошли 01.10"),
            on((2026, 12, 1), "Участник (наставляемый) отозвал согласие"),
            on((2026, 12, 1), f"Пара №{pair_v} завершена: участник отозвал согласие"),
            on((2026, 12, 17), "Участник (наставляемый) отозвал согласие"),
            on((2027, 2, 24), "заканчивается 10.03.2027, через 14 дней. План выполнен: 1 из 5"),
            on((2027, 4, 26), "заканчивается 10.05.2027, через 14 дней. План выполнен: 1 из 5"),
            on((2027, 5, 3), "пора мониторинга"),
            on((2027, 5, 10), "истёк 10.05.2027. План выполнен: 1 из 5"),
            on(
                (2027, 5, 24),
                "Итоговые отчёты не отправили: Смирнова Ольга Ивановна. Срок был 22.05",
            ),
        ],
    )
    plan = [
        on((2026, 11, 17), "«Открытое занятие»: срок 20.11.2026 (осталось 3 дня)"),
        on((2026, 11, 20), "Сегодня, 20.11.2026, срок пункта плана «Открытое занятие»"),
        on((2026, 11, 23), "«Открытое занятие» просрочен: срок был 20.11.2026"),
    ]
    ends = [
        on((2027, 2, 24), "заканчивается 10.03.2027"),
        on((2027, 4, 26), "заканчивается 10.05.2027"),
    ]
    matches(
        mentor,
        [
            on((2026, 9, 18), "нужно составить до 20.09.2026 (осталось 2 дня)"),
            on((2026, 9, 21), "истёк 20.09.2026"),
            on((2026, 10, 12), "«Диагностическая беседа»: срок 15.10.2026 (осталось 3 дня)"),
            *plan,
            on((2026, 12, 8), "«Отбор и обучение наставников»: срок 15.12.2026 (осталось 7 дней)"),
            on((2026, 12, 17), "Завтра, 18.12.2026 15:00: Семинар наставников"),
            on((2026, 12, 18), "Через час, в 15:00: Семинар наставников"),
            # Decided on Saturday 19.12, read on Monday: one day left.
            on((2026, 12, 21), "«Консультация по портфолио»: срок 22.12.2026 (осталось 1 день)"),
            on((2026, 12, 22), "Сегодня, 22.12.2026, срок пункта плана «Консультация"),
            on((2026, 12, 23), "«Консультация по портфолио» просрочен: срок был 22.12.2026"),
            # Its «3 days left» fell on the holiday 08.01 and would be read on the day itself:
            # the day's own reminder says it.
            on((2027, 1, 11), "Сегодня, 11.01.2027, срок пункта плана «Анализ первого"),
            on((2027, 1, 12), "«Анализ первого полугодия» просрочен: срок был 11.01.2027"),
            on((2027, 2, 2), "«Родительское собрание»: срок 05.02.2027 (осталось 3 дня)"),
            on((2027, 2, 5), "Сегодня, 05.02.2027, срок пункта плана «Родительское собрание»"),
            on((2027, 2, 8), "«Родительское собрание» просрочен: срок был 05.02.2027"),
            *ends,
            on((2027, 5, 13), "Влияние программы"),
            on((2027, 5, 17), "отправьте итоговый отчёт до 22.05.2027"),
            on((2027, 5, 20), "отправьте итоговый отчёт до 22.05.2027"),
        ],
    )
    matches(
        anna,
        [
            on((2026, 10, 12), "«Диагностическая беседа»: срок 15.10.2026 (осталось 3 дня)"),
            on((2026, 12, 17), "Завтра, 18.12.2026 15:00: Семинар наставников"),
            on((2026, 12, 18), "Через час, в 15:00: Семинар наставников"),
            *ends,
            on((2027, 5, 13), "Влияние программы"),
            on((2027, 5, 17), "отправьте итоговый отчёт до 22.05.2027"),
        ],
    )
    # The second mentor: the programme on time, the pair ended by Vera's withdrawal (told
    # then), no item of it reminded after, no report asked for.
    matches(mentor2, [on((2026, 12, 1), "завершена: участник отозвал согласие")])
    assert timeline(vera) == [] and timeline(daria) == []
    # Every reminder in working hours there (the event's come at their own hour).
    for person in (curator, mentor, mentor2, anna):
        for got in year.got[person.telegram_id]:
            assert got.at.weekday() < 5 and 9 <= got.at.hour < 18, (got.at, got.sent.text)


async def test_two_zones_on_different_dates_in_one_pass(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    """At 15:00 UTC on Tue 08.12 it is 17:00 that Tuesday in Kaliningrad and already 01:00 on
    Wednesday in Vladivostok: one pass reminds each kindergarten of an item due Wed 09.12 by
    its own date, each in its own working hours, each once."""
    clock = FrozenClock(datetime(2026, 12, 8, 15, tzinfo=UTC))
    app = Harness(create_dispatcher(settings, sessionmaker, clock=clock))
    await app.start()
    context = JobContext(app.bot, sessionmaker, clock, app.i18n_core(), settings)
    gardens = []
    for zone, number in (("Калининград", 0), ("Владивосток", 1)):
        admin = await found_organisation(app, zone, number + 20)
        mentor = await join(app, await invite(admin, "наставник"), 611 + number, MENTOR_ANSWERS)
        mentee = await join(app, await invite(admin, "наставляемый"), 511 + number, MENTEE_ANSWERS)
        pair = await active_pair(sessionmaker, clock, mentor, [mentee])
        await with_plan(
            sessionmaker,
            Kindergarten(admin, mentor, [mentee], pair),
            clock.now(),
            [(f"Занятие в саду № {number + 20}", date(2026, 12, 9))],
        )
        mentor.forget()
        gardens.append(mentor)
    kaliningrad, vladivostok = gardens

    def told(mentor: Person) -> list[str]:
        return [text for text in mentor.texts() if text.startswith("⏰")]

    await app.run_jobs(context)  # Kaliningrad 17:00 Tue, Vladivostok 01:00 Wed
    await app.run_jobs(context)
    assert told(kaliningrad) == [
        "⏰ Пункт плана «Занятие в саду № 20»: срок 09.12.2026 (осталось 1 день)."
    ]
    assert told(vladivostok) == []  # the day's reminder waits for 09:00 there
    clock.moment = datetime(2026, 12, 8, 23, 30, tzinfo=UTC)  # 09:30 Wed in Vladivostok
    await app.run_jobs(context)
    assert told(vladivostok) == [
        "⏰ Сегодня, 09.12.2026, срок пункта плана «Занятие в саду № 21»."
    ]
    assert len(told(kaliningrad)) == 1  # 01:30 Wed there: its day's reminder waits
    clock.moment = datetime(2026, 12, 9, 7, 30, tzinfo=UTC)  # 09:30 Wed in Kaliningrad
    await app.run_jobs(context)
    await app.run_jobs(context)
    assert told(kaliningrad)[1:] == [
        "⏰ Сегодня, 09.12.2026, срок пункта плана «Занятие в саду № 20»."
    ]
    assert len(told(vladivostok)) == 1
