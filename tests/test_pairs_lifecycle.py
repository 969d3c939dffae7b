"""A pair's life from its card in /pairs: extend, replace the mentor (the programme stays), end
early, complete; each with its reason in the history, the people concerned told. And the
psychologist hand-off for a mentee nobody can take now."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import (
    Pair,
    PairEvent,
    PairStatus,
    Programme,
    ProgrammeStatus,
    Role,
    SupportReferral,
)
from tests.flows import withdraw
from tests.harness import Harness, Person
from tests.pairs_flows import NOW, Kindergarten, all_confirm, membership_of, only_pair, propose


async def active_pair(garden: Kindergarten, mentor: Person, mentee: Person) -> None:
    await propose(garden.curator, ["Петрова"], "Смирнова")
    await all_confirm(mentor, mentee)


async def events(sessionmaker: async_sessionmaker[AsyncSession], pair_id: int) -> list[PairEvent]:
    async with sessionmaker() as session:
        return list(
            await session.scalars(
                select(PairEvent).where(PairEvent.pair_id == pair_id).order_by(PairEvent.id)
            )
        )


async def open_card(curator: Person, pair_id: int) -> None:
    await curator.sends("/pairs")
    reply = await curator.taps(f"№ {pair_id} ·")
    assert reply is not None and f"<b>Пара № {pair_id}</b>" in reply.text


async def test_extend_replace_and_end_early_keep_history_and_the_programme(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await Kindergarten.found(app)
    mentor = await garden.mentor(601)
    successor = await garden.mentor(602, "Кузнецова Елена Павловна")
    mentee = await garden.mentee(501, "Петрова Анна Сергеевна")
    curator = garden.curator
    await active_pair(garden, mentor, mentee)
    pair = await only_pair(sessionmaker)
    assert pair.status == PairStatus.ACTIVE
    async with sessionmaker() as session:  # the mentor has begun the programme
        programme = Programme(
            pair_id=pair.id,
            status=ProgrammeStatus.DRAFT,
            goal="Провести первое родительское собрание",
            created_at=NOW,
            updated_at=NOW,
        )
        session.add(programme)
        await session.commit()
        programme_id = programme.id

    reply = await curator.sends("/pairs")
    assert reply is not None and "работает · программа: черновик" in reply.text

    # Extend the term: for a long absence, to a typed date.
    await open_card(curator, pair.id)
    reply = await curator.taps("Продлить срок")
    assert reply is not None and "сейчас до 25.05.2027" in reply.text
    reply = await curator.taps("долгое отсутствие")
    assert reply is not None and "+1 месяц (до 25.06.2027)" in reply.buttons
    await curator.sends("01.05.2027")
    assert "должна быть позже нынешней (25.05.2027)" in curator.texts()[-2]  # the step again
    reply = await curator.sends("25.08.2027")
    assert (
        reply is not None and "Продлить срок пары" in reply.text and "до 25.08.2027?" in reply.text
    )
    assert (await only_pair(sessionmaker)).ends_on == date(2027, 5, 25)  # not before the yes
    reply = await curator.taps("Да, продлить")
    assert reply is not None and "продлён до 25.08.2027" in reply.text
    told = mentee.texts()[-1]
    assert "продлён до 25.08.2027" in told and "долгое отсутствие" in told
    assert "продлён до 25.08.2027" in mentor.texts()[-1]
    assert (await only_pair(sessionmaker)).ends_on == date(2027, 8, 25)

    # Replace the mentor: at the mentee's request.
    await open_card(curator, pair.id)
    await curator.taps("Заменить наставника")
    reply = await curator.taps("по просьбе наставника или наставляемого")
    assert reply is not None and "Кузнецова Елена Павловна" in reply.text
    assert "Смирнова" not in reply.text  # not the current mentor
    reply = await curator.taps("Кузнецова")
    assert (
        reply is not None and "Смирнова Ольга Ивановна → Кузнецова Елена Павловна?" in reply.text
    )
    replace_button = curator.callback_data("Да, заменить")
    reply = await curator.taps("Да, заменить")
    assert reply is not None
    assert "заменён: Смирнова Ольга Ивановна → Кузнецова Елена Павловна" in reply.text
    await curator.presses(replace_button)  # a second tap
    assert curator.was_alerted("кнопка уже не действует")

    stored = await only_pair(sessionmaker)
    new_mentor = await membership_of(sessionmaker, 602, Role.MENTOR)
    assert stored.mentor_membership_id == new_mentor.id
    async with sessionmaker() as session:
        kept = await session.scalar(select(Programme).where(Programme.pair_id == pair.id))
        assert kept is not None and kept.id == programme_id
        assert kept.goal == "Провести первое родительское собрание"
    assert "Вы больше не наставник пары" in mentor.texts()[-1]
    told = successor.texts()[-1]
    assert "Вас назначили наставником" in told and "Петрова Анна Сергеевна" in told
    assert "Программа и история пары сохранены" in told
    assert '<a href="tg://user?id=602">Кузнецова Елена Павловна</a>' in mentee.texts()[-1]

    # End early: the mentee does not fulfil the duties.
    await open_card(curator, pair.id)
    await curator.taps("Завершить досрочно")
    reply = await curator.taps("наставляемый не выполняет обязанности")
    assert reply is not None and "Завершить пару" in reply.text
    end_button = curator.callback_data("Да, завершить досрочно")
    reply = await curator.taps("Да, завершить досрочно")
    assert reply is not None and "завершена досрочно" in reply.text
    await curator.presses(end_button)
    assert curator.was_alerted("кнопка уже не действует")
    stored = await only_pair(sessionmaker)
    assert stored.status == PairStatus.ENDED_EARLY and stored.end_reason == "mentee_duties"
    assert stored.ended_at is not None
    # The news, then the invitation to the final report (handlers/final_report.py).
    assert "завершено досрочно" in mentee.texts()[-2] and "итоговый отчёт" in mentee.texts()[-1]
    assert "завершено досрочно" in successor.texts()[-2]
    assert "завершено досрочно" not in mentor.texts()[-1]  # no longer in the pair

    history = await events(sessionmaker, pair.id)
    assert [event.kind for event in history][-3:] == ["extended", "mentor_replaced", "ended_early"]
    extended, replaced, ended = history[-3:]
    assert extended.reason == "absence"
    assert extended.details == {"from": "2027-05-25", "to": "2027-08-25"}
    previous = await membership_of(sessionmaker, 601, Role.MENTOR)
    assert replaced.reason == "request"
    assert replaced.details == {"from": previous.id, "to": new_mentor.id}
    assert ended.reason == "mentee_duties"

    reply = await curator.taps("К паре")  # the card shows the whole history, no actions
    assert reply is not None
    assert "срок продлён · болезнь, командировка или другое долгое отсутствие · до 25.08.2027" in (
        reply.text
    )
    assert "наставник заменён · по просьбе наставника или наставляемого · Смирнова О. И. → " in (
        reply.text
    )
    assert "согласие участника · Петрова А. С." in reply.text
    assert reply.buttons == ["📝 Отчёты", "← К списку пар"]  # the final reports, to read


async def test_complete_with_the_plan_fulfilled(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await Kindergarten.found(app)
    mentor = await garden.mentor(601)
    mentee = await garden.mentee(501, "Петрова Анна Сергеевна")
    await active_pair(garden, mentor, mentee)
    pair = await only_pair(sessionmaker)
    curator = garden.curator
    await open_card(curator, pair.id)
    reply = await curator.taps("Завершить: программа выполнена")
    assert reply is not None and "выполнена и наставничество завершено?" in reply.text
    reply = await curator.taps("Да, программа выполнена")
    assert reply is not None and "завершена: программа выполнена" in reply.text
    stored = await only_pair(sessionmaker)
    assert stored.status == PairStatus.COMPLETED and stored.end_reason == "plan_fulfilled"
    assert "завершено: программа выполнена" in mentor.texts()[-2]  # then the report's invitation
    assert "завершено: программа выполнена" in mentee.texts()[-2]
    assert (await events(sessionmaker, pair.id))[-1].kind == "completed"
    await curator.presses(f"plc:extend:{pair.id}::0:0")  # an old card's button
    assert curator.was_alerted("кнопка уже не действует")


async def test_extension_reasons_and_limits(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await Kindergarten.found(app)
    mentor = await garden.mentor(601)
    mentee = await garden.mentee(501, "Петрова Анна Сергеевна")
    await active_pair(garden, mentor, mentee)
    pair = await only_pair(sessionmaker)
    curator = garden.curator
    await curator.presses(f"plc:ext_reason:{pair.id}:holiday:0:0")  # not a reason of the rules
    assert curator.was_alerted("кнопка уже не действует")
    await open_card(curator, pair.id)
    await curator.taps("Продлить срок")
    await curator.taps("по договорённости сторон")
    await curator.sends("26.05.2028")
    assert "не больше чем на 12 месяцев" in curator.texts()[-2]  # then the step again
    reply = await curator.taps("+3 месяца")
    assert reply is not None and "до 25.08.2027?" in reply.text
    reply = await curator.taps("Да, продлить")
    assert reply is not None and "продлён до 25.08.2027" in reply.text
    history = await events(sessionmaker, pair.id)
    assert (history[-1].kind, history[-1].reason) == ("extended", "agreement")


async def test_a_mentee_nobody_can_take_is_handed_to_the_psychologist(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await Kindergarten.found(app)
    mentee = await garden.mentee(501, "Петрова Анна Сергеевна")
    curator = garden.curator
    await curator.sends("/pair")
    await curator.taps("Петрова")
    reply = await curator.taps("Далее")
    assert reply is not None and "нет наставника со свободным местом" in reply.text
    await curator.taps("Передать педагогу-психологу")
    reply = await curator.taps("Без комментария")
    assert reply is not None and "нет педагога-психолога" in reply.text

    psychologist = await garden.staff(400, "педагог-психолог", "Сидорова Нина Львовна")
    await curator.sends("/pair")
    await curator.taps("Петрова")
    await curator.taps("Далее")
    reply = await curator.taps("Передать педагогу-психологу")
    assert reply is not None and "Петрова Анна Сергеевна" in reply.text
    reply = await curator.sends("Тревожится перед открытым занятием")
    assert reply is not None
    assert "передан педагогу-психологу: Сидорова Нина Львовна" in reply.text
    told = psychologist.texts()[-1]
    assert "поддержать наставляемого" in told and "Петрова Анна Сергеевна" in told
    assert "«Тревожится перед открытым занятием»" in told

    reply = await psychologist.sends("/support")
    assert reply is not None
    assert "<b>Петрова Анна Сергеевна</b>, тел. +79123456789" in reply.text
    assert "Запрос: Как провести родительское собрание" in reply.text
    assert "Затруднения: Работа с родителями" in reply.text
    assert "комментарий: Тревожится перед открытым занятием" in reply.text
    assert "Наставника пока нет." in reply.text

    await curator.sends("/pair")  # handed over once: a second time is refused
    await curator.taps("Петрова")
    await curator.taps("Далее")
    await curator.taps("Передать педагогу-психологу")
    reply = await curator.taps("Без комментария")
    assert reply is not None and "уже передан педагогу-психологу" in reply.text

    reply = await mentee.sends("/support")
    assert reply is not None and "недоступно в вашей роли" in reply.text
    async with sessionmaker() as session:
        referral = await session.scalar(select(SupportReferral))
        assert referral is not None
    close = psychologist.callback_data("Поддержка оказана")
    await mentee.presses(close)  # another person's button, forged
    assert mentee.was_alerted("кнопка уже не действует")

    reply = await psychologist.taps("Поддержка оказана: Петрова А. С.")
    assert reply is not None and "никого не передали" in reply.text
    await psychologist.presses(close)
    assert psychologist.was_alerted("Поддержка по этому обращению уже отмечена")
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(SupportReferral)) == 1
        closed = await session.scalar(select(SupportReferral))
        assert closed is not None and closed.closed_at is not None
        assert await session.scalar(select(func.count()).select_from(Pair)) == 0


async def test_the_mentees_of_a_psychologist_who_withdraws_can_be_handed_to_another(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Her open referrals must not stay hers: the curator is told whom she supported, and
    handing the mentee to the new psychologist is no longer refused as «already handed»."""
    garden = await Kindergarten.found(app)
    psychologist = await garden.staff(400, "педагог-психолог", "Сидорова Нина Львовна")
    await garden.mentee(501, "Петрова Анна Сергеевна")
    curator = garden.curator

    async def hand_over() -> str:
        await curator.sends("/pair")
        await curator.taps("Петрова")
        await curator.taps("Далее")
        await curator.taps("Передать педагогу-психологу")
        reply = await curator.taps("Без комментария")
        assert reply is not None
        return reply.text

    assert "передан педагогу-психологу: Сидорова Нина Львовна" in await hand_over()
    await withdraw(psychologist)
    assert curator.texts()[-1] == (
        "Педагог-психолог отозвал согласие и больше не поддерживает наставляемого: Петрова Анна"
        " Сергеевна. Передать другому педагогу-психологу: /pair → наставляемый → «Далее» →"
        " «Передать педагогу-психологу»."
    )
    successor = await garden.staff(401, "педагог-психолог", "Новикова Ольга Петровна")
    assert "передан педагогу-психологу: Новикова Ольга Петровна" in await hand_over()
    reply = await successor.sends("/support")
    assert reply is not None and "<b>Петрова Анна Сергеевна</b>" in reply.text
    async with sessionmaker() as session:
        open_ones = await session.scalar(
            select(func.count())
            .select_from(SupportReferral)
            .where(SupportReferral.closed_at.is_(None))
        )
    assert open_ones == 1
