"""A whole programme on a controllable clock, acted on from the reminders' own buttons: from the
pair's approval (the 10-day programme rule) through each plan item's reminders (one marked done,
one moved with a reason), the 14-day notice, the curator completing the pair from the term-end
question, to both final reports. Each reminder arrives once, in working hours, not on the
holiday the curator set in /settings, with the buttons of whoever gets it, across a restart."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.services import final_reports
from bot.services.clock import FrozenClock
from models import (
    Activity,
    ActivityStatus,
    FinalReport,
    OutboxMessage,
    Pair,
    PairEvent,
    PairStatus,
    Role,
)
from tests.harness import Harness, Person, Sent
from tests.pairs_fixture import kindergarten_with_pair, membership_of, mentee_reports, with_plan
from tests.test_deadlines import Received, Watch, context_of, moscow, run_until

TERM_END = date(2026, 12, 28)  # a Monday
HOLIDAY = date(2026, 12, 10)  # a Thursday, set by the curator
MENTOR_BUTTONS = ["✅ Выполнено", "📅 Перенести", "📋 План"]
DECIDE_BUTTONS = ["✅ Завершить", "⏩ Продлить", "⏹ Досрочно", "📋 План"]


def days(received: list[Received]) -> list[date]:
    return [r.at.date() for r in received]


def in_working_hours(received: Received) -> bool:
    at = received.at
    return at.weekday() < 5 and 9 <= at.hour < 18 and at.date() != HOLIDAY


def data_of(sent: Sent, label: str) -> str:
    """The callback data of the button `label` on that very message."""
    found = [
        data for text, data in zip(sent.buttons, buttons_data(sent), strict=True) if label in text
    ]
    assert found, (label, sent.buttons)
    return found[0]


def buttons_data(sent: Sent) -> list[str]:
    rows = getattr(sent.markup, "inline_keyboard", None) or []
    return [str(button.callback_data) for row in rows for button in row]


async def mark_done_from(person: Person, received: Received, result: str) -> None:
    """«✅ Выполнено» on the reminder, the result, no photo."""
    await person.presses(data_of(received.sent, "Выполнено"), received.sent)
    await person.sends(result)
    await person.taps("Без подтверждения")


async def test_a_programme_run_from_its_reminders(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)  # approved Wed 25.11
    curator, mentor, mentee = garden.curator, garden.mentor, garden.mentee
    people = [curator, mentor, mentee]
    watch = Watch(clock, people)
    context = context_of(app, sessionmaker, clock, settings)

    # The curator marks the holiday in /settings.
    await curator.sends("/settings")
    await curator.taps("🎉 Праздники")
    await curator.taps("Добавить день")
    await curator.taps(">>")
    await curator.taps("10")
    assert "• 10.12.2026" in curator.texts()[-1]
    watch.look()

    # The 10-day rule: two days before 05.12 the mentor is reminded, once.
    await run_until(app, context, clock, watch, moscow(date(2026, 12, 4), 12))
    asked = watch.of(mentor, "нужно составить до 05.12.2026")
    assert days(asked) == [date(2026, 12, 3)]
    first, second = await with_plan(
        sessionmaker,
        garden,
        clock.now(),
        [
            ("Посетить занятие наставника", date(2026, 12, 9)),
            ("Открытое занятие", date(2026, 12, 17)),
        ],
        ends_on=TERM_END,
    )

    # The first item: 3 days before (Sun 06.12, so Mon 07.12), on the day, overdue (the holiday,
    # so Fri 11.12); the mentor marks it done from the overdue one.
    await run_until(app, context, clock, watch, moscow(date(2026, 12, 11), 12))
    item = watch.of(mentor, "Посетить занятие наставника")
    assert days(item) == [date(2026, 12, 7), date(2026, 12, 9), date(2026, 12, 11)]
    assert [r.sent.buttons for r in item] == [MENTOR_BUTTONS] * 3
    assert [r.sent.buttons for r in watch.of(mentee, "Посетить занятие наставника")] == [
        ["📋 План"]
    ] * 3
    await mark_done_from(mentor, item[-1], "Посетила два занятия")
    watch.look()

    # The second item, 3 days before (Mon 14.12): moved to 22.12 with a reason. The 14-day
    # notice the same day, to everyone, with the plan's fulfilment.
    await run_until(app, context, clock, watch, moscow(date(2026, 12, 14), 12))
    before = watch.of(mentor, "«Открытое занятие»: срок 17.12.2026")
    assert days(before) == [date(2026, 12, 14)]
    await mentor.presses(data_of(before[0].sent, "Перенести"), before[0].sent)
    await mentor.taps("22")
    await mentor.sends("Группа на карантине")
    watch.look()
    for person in people:
        soon = watch.of(person, "заканчивается 28.12.2026")
        assert len(soon) == 1 and "План выполнен: 1 из 2" in soon[0].sent.text
        assert soon[0].sent.buttons == ["📋 План"]

    # A restart: a new process on the same database and chats goes on.
    app = Harness(create_dispatcher(settings, sessionmaker, clock=clock), app.session)
    await app.start()
    context = context_of(app, sessionmaker, clock, settings)
    curator, mentor, mentee = (app.person(p.telegram_id) for p in people)

    # The moved item is reminded of for its new date (Sat 19.12, so Mon 21.12, then 22.12),
    # and done from the day's reminder.
    await run_until(app, context, clock, watch, moscow(date(2026, 12, 22), 12))
    moved = [r for r in watch.of(mentor, "Открытое занятие") if r.sent.text.startswith("⏰")]
    assert [r.sent.text.count("22.12.2026") > 0 for r in moved] == [False, True, True]
    assert days(moved) == [date(2026, 12, 14), date(2026, 12, 21), date(2026, 12, 22)]
    await mark_done_from(mentor, moved[-1], "Провела открытое занятие для коллег")
    watch.look()

    # The end date (Mon 28.12): the curator decides from the question, the plan shown.
    await run_until(app, context, clock, watch, moscow(date(2026, 12, 28), 10))
    question = watch.of(curator, "истёк 28.12.2026")
    assert days(question) == [date(2026, 12, 28)] and question[0].sent.buttons == DECIDE_BUTTONS
    sent = question[0].sent
    complete = data_of(sent, "Завершить")
    await curator.presses(complete, sent)
    assert "План выполнен: 2 из 2" in curator.texts()[-1]
    assert sent.buttons == []  # the dialog took over: the question's buttons are gone
    await curator.taps("Да, программа выполнена")
    await curator.presses(complete, sent)  # a stale client's tap: refused
    assert curator.alerts()[-1].startswith("Эта кнопка уже не действует")
    watch.look()

    # The reports, due 07.01: both asked on day 3 (Thu 31.12); the mentee reports on 02.01;
    # the mentor is asked again on day 8 (Tue 05.01) and reports on 06.01; after day 10 nobody
    # is missing, so the curator hears nothing.
    await run_until(app, context, clock, watch, moscow(date(2027, 1, 2), 12))
    await mentee_reports(sessionmaker, mentee, date(2027, 1, 7), clock.now())
    await run_until(app, context, clock, watch, moscow(date(2027, 1, 6), 12))
    async with sessionmaker() as session, session.begin():
        member = await membership_of(session, mentor.telegram_id, Role.MENTOR)
        report = await session.scalar(
            select(FinalReport).where(FinalReport.author_membership_id == member.id)
        )
        assert report is not None
        await final_reports.submit_mentor_report(
            session,
            report,
            fulfilment={str(first): {"mark": "late"}, str(second): {"mark": "done"}},
            results="Провела открытое занятие",
            recommendations="Участвовать в конкурсе",
            now=clock.now(),
        )
    await run_until(app, context, clock, watch, moscow(date(2027, 1, 15), 12))
    assert days(watch.of(mentor, "итоговый отчёт до 07.01.2027")) == [
        date(2026, 12, 31),
        date(2027, 1, 5),
    ]
    assert days(watch.of(mentee, "итоговый отчёт до 07.01.2027")) == [date(2026, 12, 31)]
    # The invitation when the pair completed, once, then the reminders, each with its button.
    invitations = watch.of(mentor, "заполните итоговый отчёт наставника")
    assert len(invitations) == 1 and invitations[0].sent.buttons == ["📝 Заполнить отчёт"]
    assert len(watch.of(mentee, "заполните итоговый отчёт:")) == 1
    reminders = watch.of(mentor, "итоговый отчёт до 07.01.2027")
    assert all(each.sent.buttons == ["📝 Отчёт"] for each in reminders)
    assert watch.of(curator, "не отправили") == []
    assert len(watch.of(curator, "истёк 28.12.2026")) == 1  # decided: not asked again

    # What is stored: both items done, the move and its reason, the pair completed.
    async with sessionmaker() as session:
        items = list(await session.scalars(select(Activity).order_by(Activity.position)))
        assert [a.status for a in items] == [ActivityStatus.DONE] * 2
        assert items[1].due_on == date(2026, 12, 22)
        event = await session.scalar(select(PairEvent).where(PairEvent.kind == "activity_moved"))
        assert event is not None and event.note == "Группа на карантине"
        pair = await session.get(Pair, garden.pair_id)
        assert pair is not None and pair.status == PairStatus.COMPLETED
        reports = list(await session.scalars(select(FinalReport.submitted_at)))
        assert len(reports) == 2 and all(reports)

    # Every reminder once (no text twice to one person on one day), all in working hours.
    for person in people:
        got = watch.got[person.telegram_id]
        reminders = [r for r in got if r.sent.text.startswith(("⏰", "⚠️"))]
        seen = Counter((r.sent.text, r.at.date()) for r in reminders)
        repeated = [text for text, count in seen.items() if count > 1]
        assert repeated == [], person.telegram_id
        assert [r for r in reminders if not in_working_hours(r)] == []


async def test_a_weekend_reminder_of_an_item_done_meanwhile_is_not_sent_on_monday(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    """An item due on Saturday: its day's and overdue reminders are decided on the weekend and
    wait for Monday's working hours. The mentor marks it done on Sunday from Wednesday's
    reminder: on Monday nothing about it arrives, and the queue keeps them as dropped."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    mentor, mentee = garden.mentor, garden.mentee
    watch = Watch(clock, [garden.curator, mentor, mentee])
    context = context_of(app, sessionmaker, clock, settings)
    await with_plan(
        sessionmaker, garden, clock.now(), [("Открытое занятие", date(2026, 12, 5))], TERM_END
    )
    await run_until(app, context, clock, watch, moscow(date(2026, 12, 6), 20))  # Sunday night
    before = watch.of(mentor, "Открытое занятие")
    assert days(before) == [date(2026, 12, 2)]  # Wednesday's; the weekend's wait in the queue
    await mark_done_from(mentor, before[0], "Провела занятие в субботу")
    watch.look()
    await run_until(app, context, clock, watch, moscow(date(2026, 12, 8), 12))
    for person in (mentor, mentee):
        reminders = [r for r in watch.of(person, "Открытое занятие") if r.at.day > 2]
        assert [r.sent.text for r in reminders if r.sent.text.startswith("⏰")] == []
    async with sessionmaker() as session:
        item = await session.scalar(select(Activity))
        assert item is not None and item.status == ActivityStatus.DONE
        rows = (await session.execute(select(OutboxMessage.key, OutboxMessage.state))).all()
    waiting = sorted(state for key, state in rows if key.startswith("deadline:activity"))
    assert waiting == ["dropped"] * 4 + ["sent"] * 2  # day and late to both; Wednesday's sent
