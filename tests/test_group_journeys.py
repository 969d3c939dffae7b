"""A group (one mentor, two or three mentees) walked as its people would, for what such a walk
turned up: a mentee who leaves (withdraws consent) must not leave the others waiting for them,
neither for the consents before the head approves, nor for the programme to be agreed, nor for
the final reports; the head decides from the pair's card too; the mentor sees how many of the
group have read the programme."""

from __future__ import annotations

import uuid

import pytest
from aiogram.fsm.storage.base import DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisStorage
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.services.clock import FrozenClock
from models import FinalReport, PairStatus, Programme, ProgrammeStatus
from tests.flows import send_mentee_report, withdraw
from tests.harness import REDIS_URL, Harness, RecordingSession, redis_or_skip
from tests.pairs_fixture import kindergarten_with_pair
from tests.pairs_flows import Kindergarten, only_pair, propose


async def test_the_group_goes_to_the_head_when_the_one_not_yet_consented_withdraws(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await Kindergarten.found(app)
    head = await garden.staff(300, "заведующий", "Иванова Мария Петровна")
    mentor = await garden.mentor(601)
    first = await garden.mentee(501, "Петрова Анна Сергеевна")
    second = await garden.mentee(502, "Орлова Вера Павловна")
    await propose(garden.curator, ["Петрова", "Орлова"], "Смирнова", "3 месяца")
    await mentor.taps("Подтверждаю")
    await first.taps("Подтверждаю")
    await withdraw(second)  # the only one who had not consented yet
    pair = await only_pair(sessionmaker)
    assert pair.status == PairStatus.AWAITING_APPROVAL
    request = head.texts()[-1]
    assert f"Утвердите пару № {pair.id}" in request and "Орлова" not in request
    assert "Петрова Анна Сергеевна" in request
    assert head.last_reply().buttons == ["✅ Утвердить", "✖ Не утверждать"]  # type: ignore[union-attr]
    assert any("передана на утверждение" in text for text in garden.curator.texts()[-2:])
    reply = await head.taps("Утвердить")
    reply = await head.taps("Без номера приказа")
    assert reply is not None and f"Пара № {pair.id} утверждена" in reply.text
    assert (await only_pair(sessionmaker)).status == PairStatus.ACTIVE
    assert "начала работу" in first.texts()[-1] and "В группе также" not in first.texts()[-1]


async def test_the_programme_is_agreed_when_the_one_who_has_not_read_it_withdraws(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock, mentees=3)
    mentor, (first, second, third) = garden.mentor, garden.mentees
    await mentor.sends("/language")
    await mentor.taps("English")
    await mentor.sends("/programme")
    await mentor.taps("First year in the profession")
    await mentor.taps("Send to the mentee")
    await first.taps("Ознакомлен")
    await second.taps("Ознакомлен")
    reply = await mentor.sends("/plan")  # the mentor sees how many of the group have read it
    assert reply is not None and "sent to the mentees on 25.11.2026, 2 of 3 have read it" in (
        reply.text
    )
    await withdraw(third)
    async with sessionmaker() as session:
        programme = await session.scalar(select(Programme))
        assert programme is not None and programme.status == ProgrammeStatus.ACKNOWLEDGED
        assert programme.acknowledged_at == clock.now()
    assert mentor.texts()[-1] == (
        f"✅ The programme of group No. {garden.pair_id} is agreed: everyone still in the group"
        " has read it. Work by the plan: /plan"
    )
    reply = await first.sends("/plan")
    assert reply is not None and "согласована 25.11.2026" in reply.text
    await garden.curator.sends("/pairs")  # the card says which of the group read it
    card = await garden.curator.taps(f"№ {garden.pair_id}")
    assert card is not None
    assert "наставляемый ознакомился с программой · Петрова А. С." in card.text
    assert "наставляемый ознакомился с программой · Кузнецова Д. О." in card.text


async def test_the_group_ends_and_one_who_withdraws_before_reporting_is_waited_for_no_more(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """Each of a group writes a final report; the one who withdraws before writing hers leaves
    no report pending: the curator hears that all are in, and the others' own reports (their
    evaluation of the mentor) stay; the mentor's, which speaks of her, is emptied."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock, mentees=3)
    curator, mentor, (first, second, third) = garden.curator, garden.mentor, garden.mentees
    await curator.sends("/pairs")
    await curator.taps(f"№ {garden.pair_id}")
    await curator.taps("Завершить: программа выполнена")
    await curator.taps("Да, программа выполнена")
    invitation = mentor.texts()[-1]  # the mentor writes of each of the three
    assert "каких результатов достиг каждый из 3 наставляемых и что вы им рекомендуете" in (
        invitation
    )
    await mentor.taps("Заполнить отчёт")
    asked = await mentor.taps("Далее")
    assert asked is not None and "<b>Результаты наставляемых</b> — о каждом по имени" in asked.text
    await mentor.sends("Научились вести собрания")
    assert "развитию каждого из наставляемых" in mentor.texts()[-1]
    await mentor.sends("Продолжать")
    await mentor.taps("Отправить отчёт")
    await send_mentee_report(first, "Хорошо, много практики")
    await send_mentee_report(second, "Полезно")
    curator.forget()
    await withdraw(third)
    all_in = [text for text in curator.texts() if "сданы все" in text]
    assert all_in == [
        f"📝 Итоговые отчёты по паре № {garden.pair_id} сданы все."
        " Прочитать: /pairs → пара → «📝 Отчёты»."
    ]
    async with sessionmaker() as session:
        reports = list(await session.scalars(select(FinalReport).order_by(FinalReport.id)))
    assert [r.submitted_at is not None for r in reports] == [True, True, True]
    assert [(r.role, r.how_it_went, bool(r.evaluation)) for r in reports[1:]] == [
        ("mentee", "Хорошо, много практики", True),
        ("mentee", "Полезно", True),
    ]
    assert reports[0].results is None  # the mentor's, about the whole group
    await curator.sends("/pairs")
    card = await curator.taps(f"№ {garden.pair_id}")
    assert card is not None and "⏳" not in card.text and "ждём" not in card.text
    # Their mentor was approved in time: nobody waits for one, no 30-day deadline is overdue.
    stats = await curator.sends("/stats")
    assert stats is not None and "Наставляемых без наставника: 0" in stats.text
    picking = await curator.sends("/pair")
    assert picking is not None and "срок прошёл" not in picking.text
    assert "• Петрова Анна Сергеевна — наставник уже был" in picking.text


@pytest.mark.parametrize("store", ["database", "redis"])
async def test_a_head_who_joined_after_the_request_approves_from_the_pairs_card(
    store: str,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    clock: FrozenClock,
) -> None:
    """The head who was asked withdrew; the new head never got the request's message: the
    pair's card in /pairs offers the decision (to the head only), and a stale tap is refused.
    The bot restarts while the head is typing the order, on either state store."""
    prefix = f"qa-journeys-{uuid.uuid4().hex[:8]}"
    storages: list[RedisStorage] = []

    async def started(session: RecordingSession | None = None) -> Harness:
        storage = None
        if store == "redis":
            await redis_or_skip()
            keys = DefaultKeyBuilder(prefix=prefix, with_destiny=True)
            storage = RedisStorage.from_url(REDIS_URL, key_builder=keys)
            storages.append(storage)
        dispatcher = create_dispatcher(settings, sessionmaker, storage=storage, clock=clock)
        harness = Harness(dispatcher, session)
        await harness.start()
        return harness

    app = await started()
    garden = await Kindergarten.found(app)
    first_head = await garden.staff(300, "заведующий", "Иванова Мария Петровна")
    mentor = await garden.mentor(601)
    mentees = [
        await garden.mentee(501, "Петрова Анна Сергеевна"),
        await garden.mentee(502, "Орлова Вера Павловна"),
    ]
    await propose(garden.curator, ["Петрова", "Орлова"], "Смирнова", "3 месяца")
    for person in (mentor, *mentees):
        await person.taps("Подтверждаю")
    pair = await only_pair(sessionmaker)
    assert pair.status == PairStatus.AWAITING_APPROVAL
    await withdraw(first_head)
    head = await garden.staff(301, "заведующий", "Соколова Елена Игоревна")
    await garden.curator.sends("/pairs")
    card = await garden.curator.taps(f"№ {pair.id} ·")
    assert card is not None and "Утвердить" not in str(card.buttons)  # the curator's: no
    await head.sends("/pairs")
    card = await head.taps(f"№ {pair.id} ·")
    assert card is not None and "ждёт утверждения" in card.text
    assert card.buttons == ["✅ Утвердить", "✖ Не утверждать", "← К списку пар"]
    approve = head.callback_data("Утвердить")
    reply = await head.taps("Утвердить")
    assert reply is not None and f"приказа об утверждении пары № {pair.id}" in reply.text
    restarted = await started(app.session)  # a restart before the order is typed
    head = restarted.person(head.telegram_id)
    await head.sends_sticker()
    assert "Здесь нужен текст" in head.texts()[-2]
    await head.sends("№ 7 от 02.12.2026")
    assert f"Пара № {pair.id} утверждена" in head.texts()[-1]
    stored = await only_pair(sessionmaker)
    assert stored.status == PairStatus.ACTIVE and stored.approval_order == "№ 7 от 02.12.2026"
    assert "начала работу" in restarted.person(mentor.telegram_id).texts()[-1]
    await head.presses(approve)  # the card's old button
    assert head.was_alerted("уже не действует")
    await head.sends("/pairs")
    card = await head.taps(f"№ {pair.id} ·")
    assert card is not None and card.buttons == ["← К списку пар"]
    for storage in storages:
        if keys := await storage.redis.keys(f"{prefix}:*"):
            await storage.redis.delete(*keys)
        await storage.close()


async def test_a_change_asked_by_the_one_who_withdraws_goes_with_her(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """Her request to change the group's programme is her words: erased with her, and the
    programme, read by the others, is agreed rather than left waiting for the mentor."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock, mentees=2)
    mentor, (first, second) = garden.mentor, garden.mentees
    await mentor.sends("/programme")
    await mentor.taps("Первый год в профессии")
    await mentor.taps("Отправить наставляемому")
    await first.taps("Ознакомлен")
    await second.taps("Попросить изменения")
    await second.sends("Уберите открытое занятие: я ухожу в декрет")
    await withdraw(second)
    async with sessionmaker() as session:
        programme = await session.scalar(select(Programme))
        assert programme is not None and programme.status == ProgrammeStatus.ACKNOWLEDGED
        assert programme.change_request is None
    assert "Программа группы № " in mentor.texts()[-1] and "согласована" in mentor.texts()[-1]
