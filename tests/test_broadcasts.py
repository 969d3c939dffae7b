"""Broadcasts through the delivery queue (the service; the desk's dialog drives it): each
recipient once even when the same broadcast is queued again after a restart, a live report with
the unreachable, answers to an event, reminders the day and the hour before that follow a moved
event, and a cancelled event told to those who have not declined."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.jobs import JobContext
from bot.live_reports import refresh_live_reports
from bot.mail import Mail
from bot.services import broadcasts
from bot.services.clock import FrozenClock
from models import Broadcast, BroadcastKind, Membership, OutboxMessage, Role
from tests.harness import Harness, Person
from tests.pairs_fixture import kindergarten_with_pair, membership_of


async def event_for_pairs(
    session: AsyncSession, curator: Membership, clock: FrozenClock
) -> tuple[Broadcast, list[broadcasts.Recipient]]:
    """The curator's event «Педсовет в четверг» in three days, for everyone in a pair."""
    target = broadcasts.Target(broadcasts.TargetKind.PAIRS)
    people = await broadcasts.target_recipients(session, curator.organisation_id, target)
    event = await broadcasts.create(
        session,
        organisation_id=curator.organisation_id,
        author_membership_id=curator.id,
        kind=BroadcastKind.EVENT,
        text="Педсовет в четверг",
        target=target,
        recipients=people,
        now=clock.now(),
        event_at=clock.now() + timedelta(days=3),
        place="Методический кабинет",
    )
    return event, people


def latest(person: Person, fragment: str) -> str:
    return next(text for text in reversed(person.texts()) if fragment in text)


async def queue_broadcast(
    session: AsyncSession, broadcast_id: int, people: list[broadcasts.Recipient], now: object
) -> None:
    mail = Mail(session, now, f"broadcast:{broadcast_id}")  # type: ignore[arg-type]
    for person in people:
        await mail.send(
            person.telegram_id,
            "Педсовет в четверг",
            key=broadcasts.message_key(broadcast_id, person.membership_id),
            purpose="broadcast",
        )


async def test_an_event_later_the_same_day_is_reminded_as_today_not_tomorrow(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    """The day-before reminder goes once the event is within a day: for one at 18:00 the same
    day (Moscow), created in the morning, it says «Сегодня», not «Завтра»."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)  # 12:00 in Moscow
    async with sessionmaker() as session, session.begin():
        curator = await membership_of(session, garden.curator.telegram_id, Role.CURATOR)
        event, people = await event_for_pairs(session, curator, clock)
        event.event_at = clock.now() + timedelta(hours=6)  # 18:00 in Moscow
        mentor = next(p for p in people if p.telegram_id == garden.mentor.telegram_id)
        assert await broadcasts.answer(session, event, mentor.membership_id, True, clock.now())
    await app.run_jobs(JobContext(app.bot, sessionmaker, clock, app.i18n_core(), settings))
    reminded = [text for text in garden.mentor.texts() if text.startswith("⏰")]
    assert len(reminded) == 1 and reminded[0].startswith("⏰ Сегодня в 18:00: Педсовет в четверг")


async def test_an_event_reaches_each_once_reports_and_reminds_those_coming(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock, mentees=2)
    app.session.blocked.add(garden.mentees[1].telegram_id)  # blocked the bot
    async with sessionmaker() as session, session.begin():
        curator = await membership_of(session, garden.curator.telegram_id, Role.CURATOR)
        event, people = await event_for_pairs(session, curator, clock)
        assert len(people) == 3  # the mentor and two mentees
        await queue_broadcast(session, event.id, people, clock.now())
        event_id = event.id
    async with sessionmaker() as session, session.begin():  # a restart queues it again
        again = await broadcasts.in_organisation(session, curator.organisation_id, event_id)
        assert again is not None
        await queue_broadcast(session, event_id, people, clock.now())
    await app.deliver()
    assert garden.mentor.texts().count("Педсовет в четверг") == 1
    assert garden.mentee.texts().count("Педсовет в четверг") == 1

    mentor_member = next(p for p in people if p.telegram_id == garden.mentor.telegram_id)
    async with sessionmaker() as session, session.begin():
        found = await broadcasts.in_organisation(session, curator.organisation_id, event_id)
        assert found is not None
        event = found
        assert await broadcasts.answer(
            session, event, mentor_member.membership_id, True, clock.now()
        )
        assert not await broadcasts.answer(session, event, 10**9, True, clock.now())  # not invited
        report = await broadcasts.report(session, event)
    assert (report.sent, report.unreachable, report.queued, report.coming) == (2, 1, 0, 1)

    async with sessionmaker() as session:
        assert await broadcasts.due_reminders(session, clock.now()) == []  # three days ahead
        due = await broadcasts.due_reminders(session, clock.now() + timedelta(days=2, hours=1))
        assert [(d.stage, [r.telegram_id for r in d.recipients]) for d in due] == [
            ("day", [garden.mentor.telegram_id])
        ]
        hour = await broadcasts.due_reminders(
            session, clock.now() + timedelta(days=2, hours=23, minutes=30)
        )
        assert [d.stage for d in hour] == ["hour"]
        day_key = broadcasts.reminder_key(due[0].broadcast, "day", mentor_member.membership_id)

    async with sessionmaker() as session, session.begin():
        moved = await broadcasts.in_organisation(session, curator.organisation_id, event_id)
        assert moved is not None
        event = moved
        told = await broadcasts.move(session, event, clock.now() + timedelta(days=5), None)
        # Everyone reached who has not declined: the mentor (coming) and the mentees (no answer).
        assert len(told) == 3
        assert broadcasts.reminder_key(event, "day", mentor_member.membership_id) != day_key
        told = await broadcasts.cancel(session, event, clock.now())
        assert len(told) == 3
    async with sessionmaker() as session:
        assert await broadcasts.upcoming(session, curator.organisation_id, clock.now()) == []
        rows = await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.purpose == "broadcast")
        )
    assert rows == 3


async def test_the_curator_broadcasts_an_event_and_sees_who_comes(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    """/broadcast as the curator goes through it: the event's day on the calendar, the time,
    the place, the audience, the preview, the report; answers, a reminder, a cancellation."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock, mentees=2)
    curator, mentee, other = garden.curator, garden.mentee, garden.mentees[1]
    app.session.blocked.add(other.telegram_id)
    await curator.sends("/broadcast")
    await curator.taps("Событие с записью")
    await curator.sends_sticker()
    assert "Здесь нужен текст" in curator.texts()[-2]
    await curator.sends("Круглый стол наставников: делимся опытом")
    await curator.presses("forged-day")  # no such calendar button: the polite answer
    day = clock.now().date() + timedelta(days=3)
    await curator.taps(f"{day.day:02d}")
    await curator.sends("25:99")
    assert "Не получилось разобрать время" in curator.texts()[-2]
    await curator.sends("15:30")
    # A restart in the middle: the dialog goes on from the same step.
    second = Harness(create_dispatcher(settings, sessionmaker, clock=clock), app.session)
    await second.start()
    curator_again = second.person(curator.telegram_id)
    await curator_again.sends("Музыкальный зал")
    await curator_again.taps("Участникам активных пар")
    preview = curator_again.texts()[-1]
    assert "3 получателя" in preview and "Круглый стол наставников" in preview
    assert f"{day:%d.%m.%Y} 15:30" in preview and "Музыкальный зал" in preview
    await curator_again.taps("Отправить")
    report = latest(curator_again, "Отправка")
    assert "(3)" in report
    assert "заблокировал(а) бота" in curator_again.texts()[-1]  # the desk's notice of the 403

    report_message = next(s for s in curator_again.transcript if "Отправка" in s.text)
    assert "ждут очереди 3" in report_message.text  # as drawn when sent

    async def redraw() -> int:
        """One pass of the live reports' refresher, and the redraws it asked for, done."""
        before = latest(curator_again, "Отправка")
        count = await refresh_live_reports(
            second.bot, sessionmaker, clock, second.dispatcher["dialogs_bg"], shown
        )
        for _ in range(500 if count else 0):
            await asyncio.sleep(0.01)
            if latest(curator_again, "Отправка") != before:
                break
        return count

    await second.deliver()
    got = mentee.transcript[-1]
    assert "Круглый стол наставников" in got.text and "Приду" in str(got.markup)
    assert [t for t in garden.mentor.texts() if "Круглый стол" in t]
    # The live report redraws itself as the messages went: the same message, no tap.
    shown: dict[int, broadcasts.Report] = {}
    assert await redraw() == 1
    live = latest(curator_again, "Отправка")
    assert "доставлено 2" in live and "ждут очереди 0" in live and "заблокировали бота 1" in live
    assert report_message.text == live  # edited in place
    assert await redraw() == 0  # nothing changed: nothing redrawn
    await mentee.taps("Приду")
    assert mentee.was_alerted("вы придёте")
    assert await redraw() == 1
    assert "Придут: 1" in latest(curator_again, "Отправка")
    await curator_again.taps("Обновить")  # the button still works (nothing new to show)
    refreshed = latest(curator_again, "Отправка")
    assert "доставлено 2" in refreshed and "Придут: 1" in refreshed

    clock.advance(days=2, hours=4)  # the event is 23.5 hours ahead
    await second.run_jobs(
        JobContext(second.bot, sessionmaker, clock, second.i18n_core(), settings)
    )
    assert any("Завтра" in text for text in mentee.texts())
    await second.run_jobs(
        JobContext(second.bot, sessionmaker, clock, second.i18n_core(), settings)
    )
    assert sum("Завтра" in text for text in mentee.texts()) == 1  # once

    await curator_again.taps("Перенести событие")
    await curator_again.taps("30")
    await curator_again.sends("10:00")
    await second.deliver()
    assert "перенесено на <b>30.11.2026 10:00</b>" in mentee.texts()[-1]
    assert "Отправка" in curator_again.texts()[-1]  # back to the report
    await curator_again.taps("Отменить событие")
    await second.deliver()
    assert "отменено" in mentee.texts()[-1]
    await mentee.taps("Не смогу")  # on the old message: the event is cancelled
    assert mentee.was_alerted("уже не действует")
    await mentee.sends("/events")
    assert "Ближайших событий нет" in mentee.texts()[-1]
