"""/plan: progress, overdue items and next deadlines as time passes; items marked done with
evidence (the mentee is told) and reopened with a reason (the other side is told)."""

from __future__ import annotations

from aiogram.methods import SendDocument, SendPhoto
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.services import programmes
from bot.services.clock import FrozenClock
from handlers.plan import PlanItemCb
from models import Activity, ActivityStatus, PairEvent
from tests.harness import Harness
from tests.pairs_fixture import Kindergarten, kindergarten_with_pair


async def agreed_programme(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> tuple[Kindergarten, list[Activity]]:
    """A pair whose mentor wrote «Первый год в профессии» and whose mentee acknowledged it."""
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    await k.mentor.sends("/programme")
    await k.mentor.taps("Первый год в профессии")
    await k.mentor.taps("Отправить наставляемому")
    await k.mentee.taps("Ознакомлен")
    return k, await activities(sessionmaker, k.pair_id)


async def activities(
    sessionmaker: async_sessionmaker[AsyncSession], pair_id: int
) -> list[Activity]:
    async with sessionmaker() as session:
        programme = await programmes.programme_of(session, pair_id)
        assert programme is not None
        return await programmes.activities_of(session, programme.id)


async def test_plan_shows_progress_next_deadlines_and_overdue_items_as_time_passes(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k, rows = await agreed_programme(app, sessionmaker, clock)
    reply = await k.mentor.sends("/plan")
    assert reply is not None
    assert "Выполнено: 0 из 10 (0%)" in reply.text
    assert "согласована 25.11.2026" in reply.text
    assert "Просрочено" not in reply.text
    upcoming = reply.text.split("Ближайшие сроки")[1]
    assert "• 25.11.2026 — Диагностическая беседа" in upcoming
    assert upcoming.count("• ") == 3
    assert "Встреч записано: 0" in reply.text

    clock.advance(days=40)  # 04.01.2027: the first items are past their dates
    reply = await k.mentee.sends("/plan")
    assert reply is not None
    overdue = [a for a in rows if a.due_on < clock.today("Europe/Moscow")]
    assert len(overdue) >= 2
    assert f"⚠️ Просрочено: {len(overdue)}" in reply.text
    for activity in overdue:
        assert activity.content[:30] in reply.text.split("Ближайшие сроки")[0]
    reply = await k.mentee.taps("Пункты плана")
    assert reply is not None and reply.buttons[0].startswith("⚠️ 1. 25.11")
    reply = await k.mentee.taps("1. 25.11")
    assert reply is not None and "Просрочен на 40 дней" in reply.text
    assert "Отметить выполненным" not in reply.buttons  # only the mentor marks items done


async def test_mentor_marks_items_done_with_evidence_and_the_mentee_is_told(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k, _ = await agreed_programme(app, sessionmaker, clock)
    await k.mentor.sends("/plan")
    await k.mentor.taps("Пункты плана")
    await k.mentor.taps("1. 25.11")
    done_button = k.mentor.callback_data("Отметить выполненным")
    reply = await k.mentor.taps("Отметить выполненным")
    assert reply is not None and "что сделано" in reply.text
    reply = await k.mentor.sends_sticker()
    assert "Здесь нужен текст" in k.mentor.texts()[-2]  # the answer, then the step again
    reply = await k.mentor.sends("Обсудили затруднения: планирование и родители")
    assert reply is not None and "Без подтверждения" in reply.buttons
    await k.mentor.sends("просто текст")
    assert "нужно фото или документ" in k.mentor.texts()[-2]
    reply = await k.mentor.sends_photo(file_id="photo-of-the-talk")
    assert reply is not None and "Пункт 1 отмечен выполненным" in reply.text

    notice = k.mentee.last_reply()
    assert notice is not None
    assert "Смирнова Ольга Ивановна отметил(а) пункт плана выполненным" in notice.text
    assert "Результат: Обсудили затруднения: планирование и родители" in notice.text
    assert "Есть подтверждение" in notice.text and notice.buttons == ["Открыть пункт"]

    await k.mentor.presses(done_button)  # the old button again: the item is done already
    assert k.mentor.was_alerted("уже отмечен выполненным")

    await k.mentor.sends("/plan")
    await k.mentor.taps("Пункты плана")
    await k.mentor.taps("2. ")
    await k.mentor.taps("Отметить выполненным")
    await k.mentor.sends("Изучили программу и документы группы")
    await k.mentor.sends_document(file_id="doc-checklist", name="checklist.pdf")
    await k.mentor.sends("/plan")
    await k.mentor.taps("Пункты плана")
    await k.mentor.taps("3. ")
    await k.mentor.taps("Отметить выполненным")
    await k.mentor.sends("План на месяц составлен")
    await k.mentor.taps("Без подтверждения")
    assert "Пункт 3 отмечен выполненным" in k.mentor.texts()[-1]
    assert "Есть подтверждение" not in k.mentee.texts()[-1]

    stored = await activities(sessionmaker, k.pair_id)
    assert [(a.status, a.evidence_kind, a.evidence_file_id) for a in stored[:4]] == [
        (ActivityStatus.DONE, "photo", "photo-of-the-talk"),
        (ActivityStatus.DONE, "document", "doc-checklist"),
        (ActivityStatus.DONE, None, None),
        (ActivityStatus.OPEN, None, None),
    ]
    assert stored[0].done_at == clock.now() and stored[2].result == "План на месяц составлен"

    reply = await k.mentee.sends("/plan")
    assert reply is not None and "Выполнено: 3 из 10 (30%)" in reply.text
    await k.mentee.taps("Пункты плана")
    await k.mentee.taps("1. 25.11")
    reply = await k.mentee.taps("Показать подтверждение")
    photos = app.session.calls_of(SendPhoto)
    assert [(p.chat_id, p.photo) for p in photos] == [(501, "photo-of-the-talk")]
    await k.mentee.taps("Назад")  # the card closes: back to the list of items
    await k.mentee.taps("2. ")
    await k.mentee.taps("Показать подтверждение")
    assert [d.document for d in app.session.calls_of(SendDocument)] == ["doc-checklist"]

    # the mentee cannot mark an item done, even with a forged button
    card = k.mentee.callback_data("Показать подтверждение")
    await k.mentee.presses(card.replace("activity_evidence", "activity_mark_done"))
    assert k.mentee.was_alerted("уже не действует")
    stored = await activities(sessionmaker, k.pair_id)
    assert [a.status for a in stored].count(ActivityStatus.DONE) == 3


async def test_either_side_reopens_an_item_with_a_reason(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k, _ = await agreed_programme(app, sessionmaker, clock)
    await k.mentor.sends("/plan")
    await k.mentor.taps("Пункты плана")
    await k.mentor.taps("1. 25.11")
    await k.mentor.taps("Отметить выполненным")
    await k.mentor.sends("Беседа проведена")
    await k.mentor.sends_photo(file_id="talk")

    await k.mentee.taps("Открыть пункт")
    reopen = k.mentee.callback_data("Вернуть в работу")
    reply = await k.mentee.taps("Вернуть в работу")
    assert reply is not None and "Почему пункт" in reply.text
    await k.mentee.sends("я" * 301)
    assert "Слишком длинно" in k.mentee.texts()[-2]
    reply = await k.mentee.sends("Мы не обсудили работу с родителями")
    assert reply is not None and "Пункт 1 снова в работе" in reply.text
    notice = k.mentor.last_reply()
    assert (
        notice is not None
        and "Петрова Анна Сергеевна вернул(а) пункт плана в работу" in notice.text
    )
    assert "Причина: Мы не обсудили работу с родителями" in notice.text

    stored = (await activities(sessionmaker, k.pair_id))[0]
    assert stored.status == ActivityStatus.OPEN and stored.result is None
    assert stored.evidence_file_id is None
    assert stored.reopen_reason == "Мы не обсудили работу с родителями"
    async with sessionmaker() as session:
        event = await session.scalar(
            select(PairEvent).where(PairEvent.kind == programmes.EVENT_REOPENED)
        )
    assert event is not None and event.details["result"] == "Беседа проведена"
    assert event.details["evidence_file_id"] == "talk"  # the history keeps what was undone

    await k.mentee.presses(reopen)  # the old button: the item is open again already
    assert k.mentee.was_alerted("и так в работе")

    reply = await k.mentor.taps("Открыть пункт")
    assert reply is not None and "Возвращён в работу: Мы не обсудили" in reply.text
    await k.mentor.taps("Отметить выполненным")
    await k.mentor.sends("Обсудили и работу с родителями")
    await k.mentor.taps("Без подтверждения")
    await k.mentor.taps("Вернуть в работу")
    await k.mentor.sends("Нужно повторить через месяц")
    assert "Причина: Нужно повторить через месяц" in k.mentee.texts()[-1]


async def test_plan_refuses_someone_elses_items(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k, rows = await agreed_programme(app, sessionmaker, clock)
    reply = await k.curator.sends("/plan")  # an administrator too acts by the roles held
    assert reply is not None and "недоступно в вашей роли" in reply.text
    await k.mentee.presses(PlanItemCb(activity_id=rows[-1].id + 1).pack())
    assert k.mentee.was_alerted("Запись не найдена")
    await k.curator.presses(PlanItemCb(activity_id=rows[0].id).pack())
    assert k.curator.was_alerted("Запись не найдена")


async def test_the_plan_pages_goes_back_resumes_after_a_restart_and_saves_a_double_tap_once(
    app: Harness,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    k, _ = await agreed_programme(app, sessionmaker, clock)
    reply = await k.mentor.sends("/plan")
    shown = len(k.mentor.transcript)
    reply = await k.mentor.taps("Пункты плана")
    assert reply is not None and not any(b.startswith("⬜ 9. ") for b in reply.buttons)
    reply = await k.mentor.taps(">")  # ten items: eight a page
    assert reply is not None and any(b.startswith("⬜ 9. ") for b in reply.buttons)
    reply = await k.mentor.taps("Назад")
    assert reply is not None and "Выполнено: 0 из 10" in reply.text
    await k.mentor.taps("Пункты плана")
    await k.mentor.taps("<")  # the list kept its page
    await k.mentor.taps("1. 25.11")
    await k.mentor.taps("Отметить выполненным")
    reply = await k.mentor.taps("Назад")  # from the result back to the card
    assert reply is not None and "Пункт 1 из 10" in reply.text
    assert len(k.mentor.transcript) == shown  # one message, edited in place
    await k.mentor.taps("Отметить выполненным")
    await k.mentor.sends("Итог беседы")

    # the bot restarts: a new Dispatcher on the same database goes on with the step
    second = Harness(create_dispatcher(settings, sessionmaker, clock=clock), app.session)
    await second.start()
    mentor = second.person(k.mentor.telegram_id)
    no_evidence = mentor.callback_data("Без подтверждения")
    await mentor.presses(no_evidence)
    await mentor.presses(no_evidence)  # a double tap: the step is gone, nothing repeats
    assert "Пункт 1 отмечен выполненным" in mentor.texts()[-1]
    stored = await activities(sessionmaker, k.pair_id)
    assert (stored[0].status, stored[0].result) == (ActivityStatus.DONE, "Итог беседы")
    notices = [t for t in k.mentee.texts() if "отметил(а) пункт плана выполненным" in t]
    assert len(notices) == 1

    reopen = mentor.callback_data("Вернуть в работу")
    await mentor.sends("/cancel")
    await mentor.presses(reopen)  # after /cancel the card's buttons are out of date
    assert mentor.was_alerted("уже не действует")
    assert (await activities(sessionmaker, k.pair_id))[0].status == ActivityStatus.DONE


async def test_forged_pages_items_and_ids_get_the_polite_answer(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k, rows = await agreed_programme(app, sessionmaker, clock)
    forged = [("activities", "abc"), ("activities", "9" * 30), ("activity", "9" * 30)]
    for widget, value in forged:
        await k.mentee.sends("/plan")
        await k.mentee.taps("Пункты плана")
        page = k.mentee.callback_data(">").rsplit("\x1d", 1)[0]
        await k.mentee.presses(f"{page}\x1dplan_{widget}:{value}")
        assert k.mentee.alerts()[-1].startswith("Эта кнопка уже не действует")
    await k.mentee.presses(f"plan_item:{2**70}")  # past any id: the button's filter refuses it
    assert k.mentee.was_alerted("Эта кнопка уже не действует")
    # a mentee reads the plan: no button marks an item done, and a forged one changes nothing
    await k.mentee.sends("/plan")
    await k.mentee.taps("Пункты плана")
    reply = await k.mentee.taps("1. 25.11")
    assert reply is not None and reply.buttons == ["« Назад"]
    card = k.mentee.callback_data("Назад").rsplit("\x1d", 1)[0]
    await k.mentee.presses(f"{card}\x1dactivity_mark_done")
    assert k.mentee.alerts()[-1].startswith("Эта кнопка уже не действует")
    stored = await activities(sessionmaker, k.pair_id)
    assert [a.status for a in stored] == [a.status for a in rows]
    assert not [t for t in k.mentee.texts() if "что-то пошло не так" in t]
