"""The curator's /bank: pages, filters, a person's card, and who may open it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Membership, Pair, PairMentee, PairStatus, Role
from tests.flows import MENTEE_ANSWERS, MENTOR_ANSWERS, found_organisation, invite, join
from tests.harness import Harness


def named(answers: list[tuple[str, str]], name: str) -> list[tuple[str, str]]:
    return [("text", name), *answers[1:]]


async def test_bank_lists_filters_and_opens_a_card(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    curator = await found_organisation(app)
    mentee_code = await invite(curator, "наставляемый")
    mentor_code = await invite(curator, "наставник")
    await join(app, mentee_code, 501, named(MENTEE_ANSWERS, "Аверина Алла Юрьевна"))
    await join(app, mentee_code, 502, named(MENTEE_ANSWERS, "Борисова Бэла Ивановна"))
    await join(app, mentor_code, 601, MENTOR_ANSWERS)
    async with sessionmaker() as session:  # pair Borisova with the mentor
        mentor = await session.scalar(select(Membership).where(Membership.role == Role.MENTOR))
        borisova = (
            await session.scalars(
                select(Membership).where(Membership.role == Role.MENTEE).order_by(Membership.id)
            )
        ).all()[1]
        assert mentor is not None
        pair = Pair(
            organisation_id=mentor.organisation_id,
            mentor_membership_id=mentor.id,
            status=PairStatus.ACTIVE,
            created_at=datetime.now(UTC),
        )
        session.add(pair)
        await session.flush()
        session.add(PairMentee(pair_id=pair.id, mentee_membership_id=borisova.id))
        await session.commit()

    reply = await curator.sends("/bank")
    assert reply is not None and "<b>Банк</b>: 3" in reply.text
    assert any("Аверина Алла Юрьевна · наставляемый · без пары" in b for b in reply.buttons)
    reply = await curator.taps("Без пары")
    assert reply is not None and "<b>Банк</b>: 1" in reply.text  # the mentor has a pair too
    assert not any("Борисова" in b for b in reply.buttons)
    reply = await curator.taps("Наставники")
    assert reply is not None and "<b>Банк</b>: 1" in reply.text
    reply = await curator.taps("Молодые специалисты")
    assert reply is not None and "<b>Банк</b>: 2" in reply.text
    reply = await curator.taps("Аверина")
    assert reply is not None
    assert "<b>ФИО:</b> Аверина Алла Юрьевна" in reply.text
    assert "<b>Телефон:</b> +79123456789" in reply.text
    assert "<b>Основной запрос:</b> Как провести родительское собрание" in reply.text
    assert "Дата вхождения в программу: 25.11.2026" in reply.text
    reply = await curator.taps("К списку")
    assert reply is not None and "Молодые специалисты" in reply.text


async def test_bank_pages_through_many_people(app: Harness) -> None:
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    for number in range(10):
        await join(
            app,
            code,
            700 + number,
            named(MENTEE_ANSWERS[:1], f"Участница Номер {chr(1040 + number)}"),
        )
    reply = await curator.sends("/bank")
    assert reply is not None and "стр. 1/2" in reply.text
    reply = await curator.taps("▶")
    assert reply is not None and "стр. 2/2" in reply.text
    assert sum("Участница" in b for b in reply.buttons) == 2


async def test_mentee_cannot_open_the_bank_or_a_card(app: Harness) -> None:
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    mentee = await join(app, code, 501, MENTEE_ANSWERS)
    reply = await mentee.sends("/bank")
    assert reply is not None and "недоступно в вашей роли" in reply.text
    await mentee.presses("bank_person\x1d1")  # a forged button of the bank's list
    assert mentee.was_alerted("уже не действует")
    assert not any("Карточка" in text for text in mentee.texts())


async def test_curator_cannot_open_a_card_of_another_organisation(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    admin = await found_organisation(app)
    code = await invite(admin, "наставляемый")
    await join(app, code, 501, MENTEE_ANSWERS)
    async with sessionmaker() as session:
        mentee = await session.scalar(select(Membership).where(Membership.role == Role.MENTEE))
        assert mentee is not None
    await admin.sends("/bank")
    card = admin.callback_data("Петрова")
    await admin.sends("/neworg")
    await admin.sends("Детский сад № 7")
    await admin.sends("Д/с № 7")
    await admin.taps("Омск")
    await admin.taps("Я сам")  # now the administrator works in the second kindergarten
    await admin.presses(card)  # the first kindergarten's card, from the second one
    assert admin.was_alerted("уже не действует")
    assert not any("Карточка" in text for text in admin.texts())


async def test_from_a_mentees_card_straight_to_ranked_mentors(app: Harness) -> None:
    curator = await found_organisation(app)
    await join(app, await invite(curator, "наставник"), 601, MENTOR_ANSWERS)
    await join(app, await invite(curator, "наставляемый"), 501, MENTEE_ANSWERS)
    await curator.sends("/bank")
    reply = await curator.taps("Петрова")
    assert reply is not None and "🤝 Подобрать наставника" in reply.buttons
    reply = await curator.taps("Подобрать наставника")
    assert reply is not None and any("Смирнова" in label for label in reply.buttons)
    await curator.sends("/bank")
    reply = await curator.taps("Смирнова Ольга Ивановна · наставник")
    assert reply is not None and "🤝 Подобрать наставника" not in reply.buttons
