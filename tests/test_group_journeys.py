"""A group (one mentor, two or three mentees) walked as its people would, for what such a walk
turned up: a mentee who leaves (withdraws consent) must not leave the others waiting for them,
neither for the consents before the head approves nor for the programme to be agreed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from models import PairStatus, Programme, ProgrammeStatus
from tests.flows import withdraw
from tests.harness import Harness
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
