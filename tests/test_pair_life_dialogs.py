"""The pair's lifecycle, consent and approval dialogs as people use them: Back, "← К паре",
/cancel, a restart in the middle, a double tap, a stale or forged button and a bad value."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.services.clock import FrozenClock
from models import Pair, PairConfirmation, PairEvent, PairStatus, Role, SupportReferral
from tests.harness import Harness
from tests.pairs_flows import NOW, Kindergarten, all_confirm, membership_of, only_pair, propose

STALE = "кнопка уже не действует"


async def active(app: Harness) -> tuple[Kindergarten, int]:
    garden = await Kindergarten.found(app)
    mentor = await garden.mentor(601)
    mentee = await garden.mentee(501, "Петрова Анна Сергеевна")
    await propose(garden.curator, ["Петрова"], "Смирнова")
    await all_confirm(mentor, mentee)
    return garden, (await only_pair_id(app, garden))


async def only_pair_id(app: Harness, garden: Kindergarten) -> int:
    reply = await garden.curator.sends("/pairs")
    assert reply is not None
    return int(reply.text.split("№ ")[1].split("<")[0])


async def card(garden: Kindergarten, pair_id: int) -> None:
    await garden.curator.sends("/pairs")
    await garden.curator.taps(f"№ {pair_id} ·")


async def count_events(sessionmaker: async_sessionmaker[AsyncSession], kind: str) -> int:
    async with sessionmaker() as session:
        query = select(func.count()).select_from(PairEvent).where(PairEvent.kind == kind)
        return int(await session.scalar(query) or 0)


async def test_extend_by_the_calendar_back_and_the_card(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden, pair_id = await active(app)
    curator = garden.curator
    await card(garden, pair_id)
    shown = len(curator.transcript)
    reply = await curator.taps("Продлить срок")
    assert len(curator.transcript) == shown  # the card's message becomes the dialog
    await curator.taps("по договорённости сторон")
    reply = await curator.taps("Назад")
    assert reply is not None and "Причина?" in reply.text
    await curator.taps("по договорённости сторон")
    reply = await curator.taps("30")  # the calendar opens on May 2027, the end of the term
    assert reply is not None and "до 30.05.2027?" in reply.text
    yes = curator.callback_data("Да, продлить")
    reply = await curator.taps("Да, продлить")
    assert reply is not None and "продлён до 30.05.2027" in reply.text
    await curator.presses(yes)  # a double tap
    assert curator.was_alerted(STALE)
    assert await count_events(sessionmaker, "extended") == 1
    reply = await curator.taps("К паре")
    assert reply is not None and "Продлить срок" in reply.buttons

    await curator.taps("Завершить досрочно")  # "← К паре" from a step: the card again
    reply = await curator.taps("К паре")
    assert reply is not None and f"<b>Пара № {pair_id}</b>" in reply.text
    assert (await only_pair(sessionmaker)).status == PairStatus.ACTIVE


async def test_cancel_stale_forged_and_a_restart_in_the_middle(
    app: Harness,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    garden, pair_id = await active(app)
    curator = garden.curator
    await card(garden, pair_id)
    await curator.taps("Завершить досрочно")
    reason = curator.callback_data("наставляемый не выполняет обязанности")
    await curator.sends("/cancel")
    await curator.presses(reason)  # after /cancel
    assert curator.was_alerted(STALE)
    await card(garden, pair_id)
    await curator.taps("Завершить досрочно")
    forged = curator.callback_data("наставляемый не выполняет").replace("mentee_duties", "holiday")
    alerts = len(curator.alerts())
    await curator.presses(forged)  # a reason the rules do not know
    assert len(curator.alerts()) == alerts + 1 and STALE in curator.alerts()[-1]

    await card(garden, pair_id)
    await curator.taps("Продлить срок")
    await curator.taps("болезнь")
    again = Harness(create_dispatcher(settings, sessionmaker, clock=clock), app.session)
    await again.start()
    curator_again = again.person(curator.telegram_id)
    await curator_again.sends("31.02.2027")  # not a date
    assert "ДД.ММ.ГГГГ" in curator_again.texts()[-2]
    reply = await curator_again.sends("01.07.2027")
    assert reply is not None and "до 01.07.2027?" in reply.text
    await curator_again.taps("Да, продлить")
    assert (await only_pair(sessionmaker)).ends_on is not None
    assert await count_events(sessionmaker, "extended") == 1
    assert await count_events(sessionmaker, "ended_early") == 0
    assert not [text for text in curator.texts() if "что-то пошло не так" in text]


async def test_decline_dialog_cancel_bounds_and_restart(
    app: Harness,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    garden = await Kindergarten.found(app)
    await garden.mentor(601)
    mentee = await garden.mentee(501, "Петрова Анна Сергеевна")
    await propose(garden.curator, ["Петрова"], "Смирнова")
    await mentee.taps("Отказываюсь")
    reply = await mentee.taps("Отмена")  # changed her mind: nothing stored
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(PairConfirmation)) == 0
    await mentee.taps("Отказываюсь")
    await mentee.sends("а" * 501)
    assert "от 1 до 500 знаков" in mentee.texts()[-2]
    again = Harness(create_dispatcher(settings, sessionmaker, clock=clock), app.session)
    await again.start()
    reply = await again.person(mentee.telegram_id).sends("Ухожу в декрет")
    assert reply is not None and "Отказ от пары" in reply.text
    assert (await only_pair(sessionmaker)).status == PairStatus.REFUSED


async def test_the_head_approves_without_the_order_once(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await Kindergarten.found(app)
    head = await garden.staff(300, "заведующий", "Иванова Мария Петровна")
    mentor = await garden.mentor(601)
    mentee = await garden.mentee(501, "Петрова Анна Сергеевна")
    await propose(garden.curator, ["Петрова"], "Смирнова")
    await all_confirm(mentor, mentee)
    await head.taps("Не утверждать")
    await head.sends("/cancel")
    assert (await only_pair(sessionmaker)).status == PairStatus.AWAITING_APPROVAL
    await head.taps("Утвердить")
    skip = head.callback_data("Без номера приказа")
    reply = await head.taps("Без номера приказа")
    assert reply is not None and "утверждена" in reply.text
    await head.presses(skip)  # a double tap
    assert head.was_alerted(STALE)
    pair = await only_pair(sessionmaker)
    assert pair.status == PairStatus.ACTIVE and pair.approval_order is None
    assert await count_events(sessionmaker, "approved") == 1
    assert "начала работу" in mentor.texts()[-1]


async def test_support_pages_cancel_and_a_stale_button(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await Kindergarten.found(app)
    psychologist = await garden.staff(400, "педагог-психолог", "Сидорова Нина Львовна")
    mentees = [
        await garden.mentee(501 + n, f"Участница{letter} Анна Сергеевна")
        for n, letter in enumerate("АБВГДЕ")
    ]
    psychologist_id = (await membership_of(sessionmaker, 400, Role.PSYCHOLOGIST)).id
    async with sessionmaker() as session:
        for person in mentees:
            mentee = await membership_of(sessionmaker, person.telegram_id, Role.MENTEE)
            session.add(
                SupportReferral(
                    organisation_id=mentee.organisation_id,
                    mentee_membership_id=mentee.id,
                    psychologist_membership_id=psychologist_id,
                    created_at=NOW,
                )
            )
        await session.commit()
    reply = await psychologist.sends("/support")
    assert reply is not None and "УчастницаА" in reply.text and "УчастницаЕ" not in reply.text
    reply = await psychologist.taps("▶")  # five on a page
    assert reply is not None and "УчастницаЕ" in reply.text and "УчастницаА" not in reply.text
    close = psychologist.callback_data("Поддержка оказана: УчастницаЕ")
    await psychologist.sends("/cancel")
    await psychologist.presses(close)
    assert psychologist.was_alerted(STALE)
    async with sessionmaker() as session:
        open_ones = select(func.count()).select_from(SupportReferral)
        assert await session.scalar(open_ones.where(SupportReferral.closed_at.is_(None))) == 6


async def test_a_pair_stored_without_an_end_is_extended_from_the_kindergartens_today(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """An earlier version stored pairs without dates: the term is extended from today in the
    kindergarten's time zone (as the service checks it), not from the server's date."""
    garden, pair_id = await active(app)
    async with sessionmaker() as session, session.begin():
        pair = await session.get(Pair, pair_id)
        assert pair is not None
        pair.starts_on = pair.ends_on = None
    clock.moment = datetime(2027, 1, 9, 22, 0, tzinfo=UTC)  # 10.01.2027, 01:00 in Moscow
    await card(garden, pair_id)
    await garden.curator.taps("Продлить срок")
    reply = await garden.curator.taps("по договорённости сторон")
    assert reply is not None and "+3 месяца (до 10.04.2027)" in reply.buttons
    reply = await garden.curator.sends("10.01.2027")  # today is no later end
    assert "позже нынешней (10.01.2027)" in garden.curator.texts()[-2]
    await garden.curator.taps("+3 месяца")
    reply = await garden.curator.taps("Да, продлить")
    assert reply is not None and "продлён до 10.04.2027" in reply.text
    assert (await only_pair(sessionmaker)).ends_on == date(2027, 4, 10)
