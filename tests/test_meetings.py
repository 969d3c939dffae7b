"""/meeting: logged in a few taps, confirmed once by the other side; group meetings list who was
present; dates stay inside the term and in the past; foreign meetings are out of reach."""

from __future__ import annotations

from datetime import date

from aiogram_dialog.widgets.kbd.calendar_kbd import raw_from_date
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.services import meetings
from bot.services.clock import FrozenClock
from handlers.meetings import MeetingConfirmCb
from models import Meeting, OutboxMessage, Pair, User
from tests.flows import MENTEE_ANSWERS, MENTOR_ANSWERS, invite, join
from tests.harness import Harness, Person
from tests.pairs_fixture import active_pair, kindergarten_with_pair, named


def day_button(shown: str, day: date) -> str:
    """The calendar's button for `day`, forged from the data of a day shown."""
    return shown.rsplit(":", 1)[0] + ":" + str(raw_from_date(day))


async def stored_meetings(sessionmaker: async_sessionmaker[AsyncSession]) -> list[Meeting]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Meeting).order_by(Meeting.id)))


async def attendees_of(
    sessionmaker: async_sessionmaker[AsyncSession], meeting_id: int
) -> list[int]:
    async with sessionmaker() as session:
        return await meetings.attendees(session, meeting_id)


async def test_mentee_logs_a_meeting_today_and_the_mentor_confirms_it_once(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    await k.mentor.sends("/programme")
    await k.mentor.taps("Родительское собрание")
    await k.mentor.taps("Отправить наставляемому")
    k.mentor.forget()

    reply = await k.mentee.sends("/meeting")
    assert reply is not None and "Когда она прошла?" in reply.text
    assert reply.buttons == ["Сегодня, 25.11.2026", "📅 Другая дата"]
    reply = await k.mentee.taps("Сегодня")
    assert reply is not None and reply.buttons == ["🏫 Очно", "💻 Онлайн", "« Назад"]
    await k.mentee.sends("очно")  # typed where a button is wanted
    assert "кнопкой выше" in k.mentee.texts()[-2]  # the answer, then the step again
    reply = await k.mentee.taps("Очно")
    assert reply is not None and "К какому пункту плана" in reply.text
    assert reply.buttons[0].startswith("1. 25.11 Определение затруднений")
    reply = await k.mentee.taps("1. 25.11")
    assert reply is not None and reply.buttons[:4] == ["30 мин", "45 мин", "60 мин", "90 мин"]
    reply = await k.mentee.taps("45 мин")
    assert reply is not None and "Заметки" in reply.text
    await k.mentee.sends("Обсудили, какие собрания уже были <и как>")
    reply = await k.mentee.taps("Пропустить")
    assert reply is not None and "Встреча записана" in reply.text
    assert "📅 25.11.2026 · 🏫 Очно · 45 мин" in reply.text
    assert "🗓 Пункт плана: Определение затруднений" in reply.text
    assert "📝 Заметки: Обсудили, какие собрания уже были &lt;и как&gt;" in reply.text
    assert "Подтвердить её попросил: Смирнова Ольга Ивановна" in reply.text

    request = k.mentor.last_reply()
    assert request is not None and "Петрова Анна Сергеевна записал(а) встречу" in request.text
    assert request.buttons == ["✅ Подтверждаю"]
    [meeting] = await stored_meetings(sessionmaker)
    assert (meeting.held_on, meeting.format, meeting.duration_minutes) == (
        date(2026, 11, 25),
        "in_person",
        45,
    )
    assert meeting.next_steps is None and meeting.confirmed_at is None

    # not by the one who logged it
    await k.mentee.presses(MeetingConfirmCb(meeting_id=meeting.id).pack())
    assert k.mentee.was_alerted("подтверждает другая сторона")
    confirm = k.mentor.callback_data("Подтверждаю")
    reply = await k.mentor.taps("Подтверждаю")
    assert reply is not None and "встреча подтверждена" in reply.text
    assert k.mentee.texts()[-1] == "✅ Смирнова Ольга Ивановна подтвердил(а) встречу 25.11.2026."
    await k.mentor.presses(confirm)  # a second tap
    assert k.mentor.was_alerted("уже подтверждена")
    [meeting] = await stored_meetings(sessionmaker)
    assert meeting.confirmed_at == clock.now()
    async with sessionmaker() as session:
        pair = await session.get(Pair, k.pair_id)
        assert pair is not None and meeting.confirmed_by_membership_id == pair.mentor_membership_id
    notices = [text for text in k.mentee.texts() if "подтвердил(а) встречу" in text]
    assert len(notices) == 1  # one notice, however often the button is tapped

    reply = await k.mentee.sends("/plan")
    assert reply is not None and "Встреч записано: 1, подтверждено: 1" in reply.text


async def test_another_day_from_the_calendar_or_typed_inside_the_term(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    clock.advance(days=10)  # today is 05.12.2026; the term began on 25.11.2026
    await k.mentor.sends("/meeting")
    reply = await k.mentor.taps("Другая дата")
    assert reply is not None and "Выберите день" in reply.text
    assert "🗓 Декабрь 2026" in reply.buttons and "Пн" in reply.buttons
    assert [b for b in reply.buttons if b.isdigit()] == ["01", "02", "03", "04", "05"]
    reply = await k.mentor.taps("<< Ноябрь 2026")
    assert reply is not None and "🗓 Ноябрь 2026" in reply.buttons
    assert [b for b in reply.buttons if b.isdigit()] == [str(day) for day in range(25, 31)]
    # a day not shown, forged: in the future, before the term
    await k.mentor.presses(day_button(k.mentor.callback_data("28"), date(2026, 12, 20)))
    assert k.mentor.was_alerted("ещё не наступила")
    await k.mentor.presses(day_button(k.mentor.callback_data("28"), date(2026, 11, 20)))
    assert k.mentor.was_alerted("в пределах срока наставничества")
    await k.mentor.sends("31.02.2026")
    assert "Такой даты нет" in k.mentor.texts()[-2]  # the answer, then the step again
    await k.mentor.sends("01.01.2027")
    assert "ещё не наступила" in k.mentor.texts()[-2]
    await k.mentor.sends_sticker()
    assert "Здесь нужен текст" in k.mentor.texts()[-2]
    reply = await k.mentor.taps("28")
    assert reply is not None and "Дата: 28.11.2026" in reply.text
    reply = await k.mentor.taps("Онлайн")  # no programme yet: straight to the duration
    assert reply is not None and "Сколько длилась" in reply.text
    await k.mentor.sends("полчаса")
    assert "целое число от 5 до 480" in k.mentor.texts()[-2]
    await k.mentor.sends("600")
    assert "целое число от 5 до 480" in k.mentor.texts()[-2]
    await k.mentor.sends("75")
    await k.mentor.taps("Пропустить")
    # The mentee is known to have blocked the bot (a message to them was refused before).
    app.session.blocked.add(k.mentee.telegram_id)
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(User).where(User.telegram_id == k.mentee.telegram_id).values(blocked_bot=True)
        )
    reply = await k.mentor.sends("Подготовить вопросы для родителей")
    assert k.mentor.texts()[-1].startswith("⚠️ Сообщение не дошло: Петрова Анна Сергеевна")
    async with sessionmaker() as session:  # nothing is queued for them
        queued = select(OutboxMessage).where(OutboxMessage.chat_id == k.mentee.telegram_id)
        assert (await session.scalars(queued)).all() == []
    reply = k.mentor.transcript[-2]
    assert reply is not None and "➡️ Дальше: Подготовить вопросы для родителей" in reply.text
    assert "💻 Онлайн · 75 мин" in reply.text
    [meeting] = await stored_meetings(sessionmaker)
    assert meeting.held_on == date(2026, 11, 28) and meeting.activity_id is None
    assert meeting.notes is None and meeting.next_steps == "Подготовить вопросы для родителей"
    app.session.blocked.clear()  # back again: /plan offers what awaits them
    reply = await k.mentee.sends("/plan")
    assert reply is not None and "✅ Подтвердить встречу 28.11.2026" in reply.buttons
    await k.mentee.taps("Подтвердить встречу 28.11.2026")
    [meeting] = await stored_meetings(sessionmaker)
    assert meeting.confirmed_at is not None
    reply = await k.mentee.sends("/plan")
    assert reply is not None and not any("Подтвердить встречу" in b for b in reply.buttons)


async def test_group_meeting_lists_those_present_and_asks_only_them(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock, mentees=3)
    await k.mentor.sends("/meeting")
    await k.mentor.taps("Сегодня")
    await k.mentor.taps("Очно")
    reply = await k.mentor.taps("60 мин")
    assert reply is not None and "Кто из наставляемых был" in reply.text
    assert reply.buttons == [
        "✅ Петрова Анна Сергеевна",
        "✅ Кузнецова Дарья Олеговна",
        "✅ Васильева Ирина Петровна",
        "Готово",
        "« Назад",
    ]
    reply = await k.mentor.taps("Кузнецова")
    assert reply is not None and "⬜ Кузнецова Дарья Олеговна" in reply.buttons
    await k.mentor.taps("Петрова")
    await k.mentor.taps("Васильева")
    await k.mentor.taps("Готово")  # nobody marked
    assert k.mentor.was_alerted("хотя бы одного")
    await k.mentor.taps("Петрова")
    await k.mentor.taps("Васильева")
    await k.mentor.taps("Готово")
    await k.mentor.sends("Разобрали сценарии собраний")
    reply = await k.mentor.taps("Пропустить")
    assert reply is not None
    assert "Были: Петрова Анна Сергеевна, Васильева Ирина Петровна" in reply.text
    assert "Подтвердить её попросил: Петрова Анна Сергеевна, Васильева Ирина Петровна" in (
        reply.text
    )
    [meeting] = await stored_meetings(sessionmaker)
    present = await attendees_of(sessionmaker, meeting.id)
    assert len(present) == 2
    assert "записал(а) встречу" in k.mentees[0].texts()[-1]
    assert "записал(а) встречу" in k.mentees[2].texts()[-1]
    assert not any("записал(а) встречу" in text for text in k.mentees[1].texts())

    await k.mentees[1].presses(MeetingConfirmCb(meeting_id=meeting.id).pack())  # was not there
    assert k.mentees[1].was_alerted("подтверждает другая сторона")
    await k.mentees[2].taps("Подтверждаю")
    await k.mentees[0].taps("Подтверждаю")  # already confirmed by another present mentee
    assert k.mentees[0].was_alerted("уже подтверждена")
    [meeting] = await stored_meetings(sessionmaker)
    assert meeting.confirmed_by_membership_id == present[1]


async def test_meetings_of_other_pairs_are_out_of_reach(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    await k.mentor.sends("/programme")
    await k.mentor.taps("Первый год в профессии")
    await k.mentor.sends("/meeting")
    await k.mentor.taps("Сегодня")
    await k.mentor.taps("Очно")
    foreign_activity = k.mentor.callback_data("1. 25.11").split(":")[-1]
    await k.mentor.taps("Без привязки")
    await k.mentor.taps("30 мин")
    await k.mentor.taps("Пропустить")
    await k.mentor.taps("Пропустить")
    [meeting] = await stored_meetings(sessionmaker)

    stranger = await join(app, await invite(k.curator, "наставник"), 602, MENTOR_ANSWERS)
    stranger_mentee = await join(
        app,
        await invite(k.curator, "наставляемый"),
        503,
        named(MENTEE_ANSWERS, "Орлова Мария Ивановна"),
    )
    other_pair = await active_pair(sessionmaker, clock, stranger, [stranger_mentee])
    await stranger.presses(MeetingConfirmCb(meeting_id=meeting.id).pack())
    assert stranger.was_alerted("Запись не найдена")
    assert other_pair != k.pair_id

    # in their own dialog, a button naming another pair's activity is refused
    await stranger.sends("/programme")
    await stranger.taps("Подготовка к конкурсу")
    await stranger.sends("/meeting")
    await stranger.taps("Сегодня")
    await stranger.taps("Очно")
    own = stranger.callback_data("1. ")
    duration = own.replace("meeting_activity", "meeting_duration").rsplit(":", 1)[0] + ":30"
    await stranger.presses(own.rsplit(":", 1)[0] + ":" + foreign_activity)
    assert stranger.was_alerted("кнопка уже не действует")
    await stranger.presses(duration)  # the dialog is closed: nothing goes on
    assert len([a for a in stranger.alerts() if "уже не действует" in a]) == 2
    await stranger.sends("/cancel")
    assert len(await stored_meetings(sessionmaker)) == 1


def apologies(person: Person) -> list[str]:
    return [text for text in person.texts() if "что-то пошло не так" in text]


async def test_the_form_goes_back_resumes_after_a_restart_and_a_double_tap_saves_once(
    app: Harness,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    clock.advance(days=3)
    await k.mentor.sends("/meeting")
    shown = len(k.mentor.transcript)
    reply = await k.mentor.taps("Другая дата")
    reply = await k.mentor.taps("Назад")
    assert reply is not None and "Когда она прошла?" in reply.text
    await k.mentor.taps("Сегодня")
    reply = await k.mentor.taps("Назад")  # from the format back to the date
    assert reply is not None and "Когда она прошла?" in reply.text
    await k.mentor.sends("26.11.2026")
    reply = await k.mentor.taps("Онлайн")
    assert reply is not None and "Сколько длилась" in reply.text
    assert len(k.mentor.transcript) == shown + 1  # one message edited, one typed answer

    # the bot restarts: a new Dispatcher on the same database goes on with the step
    second = Harness(create_dispatcher(settings, sessionmaker, clock=clock), app.session)
    await second.start()
    mentor = second.person(k.mentor.telegram_id)
    reply = await mentor.sends("50")
    assert reply is not None and "Заметки" in reply.text
    await mentor.taps("Пропустить")
    skip = mentor.callback_data("Пропустить")
    await mentor.presses(skip)
    await mentor.presses(skip)  # a double tap: the dialog is closed, nothing more is saved
    assert "Встреча записана" in mentor.texts()[-1]
    assert mentor.was_alerted("уже не действует")
    [meeting] = await stored_meetings(sessionmaker)
    assert (meeting.held_on, meeting.format, meeting.duration_minutes) == (
        date(2026, 11, 26),
        "online",
        50,
    )
    assert apologies(mentor) == []


async def test_cancel_ends_the_form_and_its_buttons_go_stale(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    await k.mentee.sends("/meeting")
    today = k.mentee.callback_data("Сегодня")
    await k.mentee.sends("/cancel")
    assert "Вы вышли из диалога" in k.mentee.texts()[-1]
    await k.mentee.presses(today)
    assert k.mentee.was_alerted("уже не действует")
    await k.mentee.sends("25.11.2026")  # no dialog: the text is not a meeting's date
    assert await stored_meetings(sessionmaker) == []
    assert apologies(k.mentee) == []


async def test_forged_calendar_pages_days_and_ids_get_the_polite_answer(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock, mentees=2)

    async def calendar() -> str:
        await k.mentor.sends("/meeting")
        await k.mentor.taps("Другая дата")
        return k.mentor.callback_data("25").rsplit(":", 1)[0]

    forged = [
        "YEAR9999",  # the 9999-12: a year page, then its December
        "MONTH13",
        "9" * 40,  # a day past any date and past the integer range
        str(2**63),
    ]
    for data in forged:
        await k.mentor.presses(f"{await calendar()}:{data}")
        assert k.mentor.alerts()[-1].startswith("Эта кнопка уже не действует")
    await k.mentor.presses(f"{await calendar()}:YEAR2026")  # a page in range: it shows
    reply = await k.mentor.taps("Ноябрь")
    assert reply is not None and "🗓 Ноябрь 2026" in reply.buttons and "25" in reply.buttons

    # forged values of the other steps: a format, a duration, present people, an item
    await k.mentor.sends("/meeting")
    await k.mentor.taps("Сегодня")
    await k.mentor.presses(k.mentor.callback_data("Онлайн").replace("online", "zoom"))
    assert k.mentor.alerts()[-1].startswith("Эта кнопка уже не действует")
    await k.mentor.sends("/meeting")
    await k.mentor.taps("Сегодня")
    await k.mentor.taps("Онлайн")
    await k.mentor.presses(k.mentor.callback_data("30 мин").replace(":30", ":100000"))
    assert k.mentor.alerts()[-1].startswith("Эта кнопка уже не действует")
    await k.mentor.sends("/meeting")
    await k.mentor.taps("Сегодня")
    await k.mentor.taps("Онлайн")
    await k.mentor.taps("30 мин")
    for name in ("Петрова", "Кузнецова"):
        await k.mentor.taps(name)  # nobody left present
    anyone = k.mentor.callback_data("Петрова").rsplit(":", 1)[0]
    await k.mentor.presses(f"{anyone}:{'9' * 30}")  # a forged person: not one of the pair
    await k.mentor.taps("Готово")
    assert k.mentor.alerts()[-1].startswith("Отметьте хотя бы одного")
    await k.mentor.presses(f"meeting_confirm:{2**70}")  # past any id: the button's filter
    assert k.mentor.was_alerted("Эта кнопка уже не действует")
    assert await stored_meetings(sessionmaker) == []
    assert apologies(k.mentor) == []


async def test_a_meeting_logged_from_the_plan_is_counted_there(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    await k.mentee.sends("/plan")
    await k.mentee.taps("Записать встречу")  # the form on top of the plan, in its message
    await k.mentee.taps("Сегодня")
    await k.mentee.taps("Очно")  # no programme yet: straight to the duration
    await k.mentee.taps("60 мин")
    await k.mentee.taps("Пропустить")
    await k.mentee.taps("Пропустить")
    assert "Встреча записана" in k.mentee.texts()[-1]
    assert "Встреч записано: 1, подтверждено: 0" in k.mentee.texts()[-2]  # the plan again
    assert len(await stored_meetings(sessionmaker)) == 1
