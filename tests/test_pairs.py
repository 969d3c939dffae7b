"""Forming pairs and groups through /pair: consent of both sides, the head's approval, the rules
of the Положение (capacity, term, 30 days), refusals, and buttons that are forged or stale."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services import pairing
from bot.services.errors import UserFacingError
from models import (
    Pair,
    PairConfirmation,
    PairEvent,
    PairMentee,
    PairStatus,
    Profile,
    Role,
)
from tests.harness import Harness
from tests.pairs_flows import (
    Kindergarten,
    all_confirm,
    forged,
    hold_mentees,
    membership_of,
    only_pair,
    propose,
    to_forms,
)


async def events_of(sessionmaker: async_sessionmaker[AsyncSession], pair_id: int) -> list[str]:
    async with sessionmaker() as session:
        return list(
            await session.scalars(
                select(PairEvent.kind).where(PairEvent.pair_id == pair_id).order_by(PairEvent.id)
            )
        )


async def test_curator_forms_a_pair_both_consent_head_approves_and_both_are_told(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await Kindergarten.found(app)
    head = await garden.staff(300, "заведующий", "Иванова Мария Петровна")
    mentor = await garden.mentor(601)
    mentee = await garden.mentee(501, "Петрова Анна Сергеевна")
    curator = garden.curator

    reply = await curator.sends("/pair")
    assert reply is not None
    assert "Петрова Анна Сергеевна — срок прошёл 55 дней назад" in reply.text
    reply = await curator.taps("Петрова")
    assert reply is not None and "✅ Петрова А. С." in reply.buttons[0]
    reply = await curator.taps("Далее")
    assert reply is not None
    assert "<b>Смирнова Ольга Ивановна</b>" in reply.text
    assert "Совпадает: Работа с родителями" in reply.text  # the mentee's area, the mentor's too
    assert "Свободных мест: 3 · часов в месяц: 8" in reply.text
    reply = await curator.taps("Смирнова")
    assert reply is not None and "✅ традиционная (один на один)" in reply.buttons
    await curator.taps("Готово")
    reply = await curator.taps("Сегодня, 25.11.2026")
    assert reply is not None and "Начало — 25.11.2026" in reply.text
    reply = await curator.taps("6 месяцев")
    assert reply is not None
    assert "Срок: с 25.11.2026 по 25.05.2027" in reply.text
    assert "затем пару утвердит заведующий" in reply.text
    await curator.taps("Отправить на согласие")

    pair = await only_pair(sessionmaker)
    assert pair.status == PairStatus.PROPOSED
    assert (pair.starts_on, pair.ends_on) == (date(2026, 11, 25), date(2027, 5, 25))
    assert pair.forms == ["traditional"]
    assert f"Пара № {pair.id} предложена" in curator.texts()[-1]
    request = mentor.last_reply()
    assert request is not None and "Куратор предлагает вам наставничество" in request.text
    assert "Петрова Анна Сергеевна" in request.text
    assert request.buttons == ["✅ Подтверждаю", "✖ Отказываюсь"]
    assert "Смирнова Ольга Ивановна" in mentee.texts()[-1]

    await all_confirm(mentor)
    await mentor.presses(f"pair_confirm:{pair.id}")  # a second tap on the same consent
    assert mentor.was_alerted("Вы уже дали согласие")
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(PairConfirmation)) == 1
    assert (await only_pair(sessionmaker)).status == PairStatus.PROPOSED

    await all_confirm(mentee)
    assert (await only_pair(sessionmaker)).status == PairStatus.AWAITING_APPROVAL
    assert f"Утвердите пару № {pair.id}" in head.texts()[-1]
    assert any("передана на утверждение" in text for text in curator.texts())

    reply = await head.taps("Утвердить")
    assert reply is not None and "Номер и дата приказа" in reply.text
    await head.sends_sticker()
    assert "Здесь нужен текст" in head.texts()[-2]  # then the question again
    reply = await head.sends("№ 45 от 01.12.2026")
    assert reply is not None and f"Пара № {pair.id} утверждена" in reply.text

    pair = await only_pair(sessionmaker)
    assert pair.status == PairStatus.ACTIVE
    assert pair.approval_order == "№ 45 от 01.12.2026"
    assert pair.approved_at is not None and pair.activated_at is not None
    told = mentor.texts()[-1]
    assert "начала работу" in told and "Петрова Анна Сергеевна" in told
    assert '<a href="tg://user?id=501">' in told and "+79123456789" in told
    assert "до 05.12.2026" in told  # the programme: 10 days after the approval
    told = mentee.texts()[-1]
    assert '<a href="tg://user?id=601">Смирнова Ольга Ивановна</a>' in told and "/sos" in told
    assert "начала работу" in curator.texts()[-1]
    assert await events_of(sessionmaker, pair.id) == [
        "proposed",
        "confirmed",
        "confirmed",
        "awaiting_approval",
        "approved",
        "activated",
    ]

    await head.presses(f"pair_approve:{pair.id}")  # the old button, once more
    assert head.was_alerted("кнопка уже не действует")
    reply = await curator.sends("/pairs")
    assert reply is not None
    assert f"№ {pair.id}</b> · работает · программа: ещё нет" in reply.text
    assert "Смирнова О. И. → Петрова А. С." in reply.text


async def test_group_of_two_mentees_without_a_head_starts_once_all_consent(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await Kindergarten.found(app)
    mentor = await garden.mentor(601)
    first = await garden.mentee(501, "Петрова Анна Сергеевна")
    second = await garden.mentee(502, "Орлова Вера Павловна")
    curator = garden.curator

    await curator.sends("/pair")
    await curator.taps("Петрова")
    await curator.taps("Орлова")
    await curator.taps("Далее")
    reply = await curator.taps("Смирнова")
    assert reply is not None and "✅ в группе" in reply.buttons
    await curator.taps("Готово")
    await curator.taps("Сегодня")
    reply = await curator.taps("3 месяца")
    assert reply is not None and "когда все согласятся, пара начнёт работу" in reply.text
    await curator.taps("Отправить на согласие")

    pair = await only_pair(sessionmaker)
    assert pair.forms == ["group"]
    async with sessionmaker() as session:
        assert (
            await session.scalar(
                select(func.count()).select_from(PairMentee).where(PairMentee.pair_id == pair.id)
            )
            == 2
        )
    assert "В группе также: Орлова Вера Павловна" in first.texts()[-1]
    await all_confirm(mentor, first)
    assert (await only_pair(sessionmaker)).status == PairStatus.PROPOSED
    await all_confirm(second)
    assert (await only_pair(sessionmaker)).status == PairStatus.ACTIVE
    told = mentor.texts()[-1]
    assert "Ваши наставляемые" in told
    assert "Петрова Анна Сергеевна" in told and "Орлова Вера Павловна" in told
    assert "В группе также: Петрова Анна Сергеевна" in second.texts()[-1]


async def test_mentor_capacity_of_three_is_enforced_even_against_forged_buttons(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await Kindergarten.found(app)
    await garden.mentor(601)
    mentees = [
        await garden.mentee(501 + i, f"Участница{chr(1040 + i)} Анна Сергеевна") for i in range(7)
    ]
    curator = garden.curator
    mentor = await membership_of(sessionmaker, 601, Role.MENTOR)
    held = [
        (await membership_of(sessionmaker, p.telegram_id, Role.MENTEE)).id for p in mentees[:2]
    ]
    await hold_mentees(sessionmaker, mentor.id, held)  # two of three places taken

    await curator.sends("/pair")
    await curator.taps("УчастницаВ")
    await curator.taps("УчастницаГ")
    reply = await curator.taps("Далее")  # a group of two does not fit into one free place
    assert reply is not None and "Смирнова" not in reply.text
    assert "нет наставника со свободным местом" in reply.text
    await curator.presses(forged(curator, "Назад", "pair_mentor", mentor.id))  # the mentor anyway
    assert curator.was_alerted("У наставника уже 2 из 3 наставляемых")

    await curator.taps("Назад")
    await curator.taps("УчастницаГ")  # untick: a single mentee fits
    reply = await curator.taps("Далее")
    assert reply is not None and "Свободных мест: 1" in reply.text
    await curator.taps("Смирнова")
    await curator.taps("Готово")
    await curator.taps("Сегодня")
    await curator.taps("6 месяцев")
    await curator.taps("Отправить на согласие")  # now the mentor holds three

    await curator.sends("/pair")
    await curator.taps("УчастницаГ")
    reply = await curator.taps("Далее")
    assert reply is not None and "Смирнова" not in reply.text  # a mentor at capacity
    await curator.presses(forged(curator, "Назад", "pair_mentor", mentor.id))
    assert curator.was_alerted("У наставника уже 3 из 3 наставляемых")
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Pair)) == 2

    await curator.sends("/pair")  # a group of four is refused while ticking
    for letter in "ГДЕЖ":
        await curator.taps(f"Участница{letter}")
    assert curator.was_alerted("В группе у одного наставника не больше 3 наставляемых")
    assert "Отмечено: 3" in curator.texts()[-1]


async def test_a_full_mentor_forged_at_the_last_step_is_refused(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await Kindergarten.found(app)
    await garden.mentor(601)
    await garden.mentee(501, "Петрова Анна Сергеевна")
    others = [
        await garden.mentee(502 + i, f"Другая{chr(1040 + i)} Анна Сергеевна") for i in range(3)
    ]
    curator = garden.curator
    await to_forms(curator, ["Петрова"], "Смирнова")
    await curator.taps("Готово")
    await curator.taps("Сегодня")
    await curator.taps("6 месяцев")
    # Meanwhile the mentor's three places are taken elsewhere.
    mentor = await membership_of(sessionmaker, 601, Role.MENTOR)
    ids = [(await membership_of(sessionmaker, p.telegram_id, Role.MENTEE)).id for p in others]
    await hold_mentees(sessionmaker, mentor.id, ids)
    await curator.taps("Отправить на согласие")
    assert curator.was_alerted("У наставника уже 3 из 3 наставляемых")
    async with sessionmaker() as session:
        assert (
            await session.scalar(
                select(func.count()).select_from(Pair).where(Pair.status == PairStatus.PROPOSED)
            )
            == 0
        )


async def test_term_from_one_month_to_one_year_and_bad_dates(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await Kindergarten.found(app)
    await garden.mentor(601)
    await garden.mentee(501, "Петрова Анна Сергеевна")
    curator = garden.curator
    await to_forms(curator, ["Петрова"], "Смирнова")
    await curator.taps("Готово")
    for typed, answer in (
        ("01.11.2026", "Дата начала уже прошла"),
        ("31.02.2027", "Такой даты нет"),
        ("01.12.2026", "Начало — 01.12.2026"),
        ("31.12.2026", "не меньше 1 месяца (Положение о наставничестве)"),
        ("02.12.2027", "не больше года (Положение о наставничестве)"),
    ):
        await curator.sends(typed)  # an answer, then the step again below it
        assert answer in "\n".join(curator.texts()[-2:]), (typed, curator.texts()[-2:])
    await curator.sends_sticker()
    assert "Здесь нужен текст" in curator.texts()[-2]
    await curator.sends("/nonsense")  # an unknown command: the step is shown again
    assert "Дата окончания?" in curator.texts()[-1]
    reply = await curator.sends("01.01.2027")
    assert reply is not None and "Срок: с 01.12.2026 по 01.01.2027" in reply.text
    await curator.taps("Отправить на согласие")
    pair = await only_pair(sessionmaker)
    assert (pair.starts_on, pair.ends_on) == (date(2026, 12, 1), date(2027, 1, 1))


async def test_mentees_without_a_mentor_come_first_by_the_30_day_deadline(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await Kindergarten.found(app)
    await garden.mentor(601)
    await garden.mentee(501, "Арбузова Анна Сергеевна", "20.11.2026")  # 25 days left
    await garden.mentee(502, "Борисова Анна Сергеевна", "01.11.2026")  # 6 days left
    paired = await garden.mentee(503, "Волкова Анна Сергеевна", "01.09.2026")  # has a mentor
    await garden.mentee(504, "Громова Анна Сергеевна", "01.09.2026")  # 55 days overdue
    await garden.mentee(505, "Демина Анна Сергеевна", "27.10.2026")  # 1 day left
    mentor = await membership_of(sessionmaker, 601, Role.MENTOR)
    await hold_mentees(
        sessionmaker,
        mentor.id,
        [(await membership_of(sessionmaker, paired.telegram_id, Role.MENTEE)).id],
    )
    reply = await garden.curator.sends("/pair")
    assert reply is not None
    assert reply.buttons[:5] == [
        "Громова А. С. · срок прошёл 55 дней назад",
        "Демина А. С. · остался 1 день",
        "Борисова А. С. · осталось 6 дней",
        "Арбузова А. С. · осталось 25 дней",
        "Волкова А. С. · есть наставник",
    ]
    await garden.curator.taps("Волкова")
    assert garden.curator.was_alerted("уже есть наставник или предложенная пара")


async def test_a_refusal_goes_back_to_the_curator_with_its_reason(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await Kindergarten.found(app)
    mentor = await garden.mentor(601)
    mentee = await garden.mentee(501, "Петрова Анна Сергеевна")
    curator = garden.curator
    await propose(curator, ["Петрова"], "Смирнова")
    pair = await only_pair(sessionmaker)
    await all_confirm(mentor)

    reply = await mentee.taps("Отказываюсь")
    assert reply is not None and "причину отказа" in reply.text
    await mentee.sends_sticker()
    assert "Здесь нужен текст" in mentee.texts()[-2]  # then the question again
    reply = await mentee.sends("Уже договорилась <b>с другим</b> наставником")
    assert reply is not None and "Отказ от пары" in reply.text

    stored = await only_pair(sessionmaker)
    assert stored.status == PairStatus.REFUSED and stored.end_reason == "declined"
    told = curator.texts()[-1]
    assert f"Пара № {pair.id} не состоится: Петрова Анна Сергеевна (наставляемый)" in told
    assert "«Уже договорилась &lt;b&gt;с другим&lt;/b&gt; наставником»" in told
    assert f"Пара № {pair.id} не состоится" in mentor.texts()[-1]
    async with sessionmaker() as session:
        refusal = await session.scalar(
            select(PairConfirmation).where(PairConfirmation.accepted.is_(False))
        )
        assert (
            refusal is not None
            and refusal.reason == "Уже договорилась <b>с другим</b> наставником"
        )

    await mentee.presses(f"pair_confirm:{pair.id}")  # the old request's other button
    assert mentee.was_alerted("Вы уже отказались")
    await mentor.presses(f"pair_decline:{pair.id}")
    assert mentor.was_alerted("кнопка уже не действует")
    reply = await curator.sends("/pair")  # the mentee is free again
    assert reply is not None and "Петрова А. С. · срок прошёл" in reply.buttons[0]


async def test_the_head_may_reject_with_a_reason(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await Kindergarten.found(app)
    head = await garden.staff(300, "заведующий", "Иванова Мария Петровна")
    mentor = await garden.mentor(601)
    mentee = await garden.mentee(501, "Петрова Анна Сергеевна")
    await propose(garden.curator, ["Петрова"], "Смирнова")
    await all_confirm(mentor, mentee)
    pair = await only_pair(sessionmaker)
    reply = await head.taps("Не утверждать")
    assert reply is not None and "почему пара" in reply.text
    await head.sends("Наставник уходит в отпуск")
    assert (await only_pair(sessionmaker)).status == PairStatus.REFUSED
    assert "«Наставник уходит в отпуск»" in garden.curator.texts()[-1]
    assert f"Пара № {pair.id} не состоится" in mentee.texts()[-1]
    await head.presses(f"pair_approve:{pair.id}")
    assert head.was_alerted("кнопка уже не действует")
    assert (await only_pair(sessionmaker)).status == PairStatus.REFUSED


async def test_a_mentor_without_written_consent_is_not_offered(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await Kindergarten.found(app)
    await garden.mentor(601)
    await garden.mentor(602, "Кузнецова Елена Павловна")
    await garden.mentee(501, "Петрова Анна Сергеевна")
    silent = await membership_of(sessionmaker, 602, Role.MENTOR)
    async with sessionmaker() as session:
        profile = await session.scalar(select(Profile).where(Profile.membership_id == silent.id))
        assert profile is not None
        profile.mentor_consent_at = None
        await session.commit()
    curator = garden.curator
    await curator.sends("/pair")
    await curator.taps("Петрова")
    reply = await curator.taps("Далее")
    assert reply is not None and "Смирнова" in reply.text and "Кузнецова" not in reply.text
    await curator.presses(forged(curator, "Назад", "pair_mentor", silent.id))
    assert curator.was_alerted("не дал письменного согласия быть наставником")


async def test_forged_buttons_for_another_organisation_or_person_change_nothing(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await Kindergarten.found(app)
    mentor = await garden.mentor(601)
    await garden.mentee(501, "Петрова Анна Сергеевна")
    outsider = await garden.mentee(502, "Орлова Вера Павловна")
    admin = garden.curator
    await propose(admin, ["Петрова"], "Смирнова")
    pair = await only_pair(sessionmaker)
    mentee_id = (await membership_of(sessionmaker, 501, Role.MENTEE)).id

    await outsider.presses(f"pair_confirm:{pair.id}")  # not her pair
    assert outsider.was_alerted("Запись не найдена")
    await outsider.presses(f"pair_approve:{pair.id}")
    assert outsider.was_alerted("недоступно в вашей роли")
    await mentor.presses(f"plc:complete_yes:{pair.id}::0:0")
    assert mentor.was_alerted("недоступно в вашей роли")

    await admin.sends("/neworg")  # the administrator moves to a second kindergarten
    await admin.sends("Детский сад № 7")
    await admin.sends("Д/с № 7")
    await admin.taps("Омск")
    await admin.taps("Я сам")
    await admin.sends("/pair")
    before = len(admin.alerts())
    await admin.presses(forged(admin, "Отмена", "pair_mentees", mentee_id))
    assert admin.was_alerted("Запись не найдена")
    await admin.presses(f"plc:extend:{pair.id}::0:0")
    await admin.presses(f"plc:early_yes:{pair.id}:mentee_duties:0:0")
    stale = "Эта кнопка уже не действует. Откройте нужный раздел заново."
    assert admin.alerts()[before:] == ["Запись не найдена или вам недоступна.", *[stale] * 2]
    assert (await only_pair(sessionmaker)).status == PairStatus.PROPOSED
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(PairConfirmation)) == 0


async def test_cancel_and_stale_buttons_of_the_dialog(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await Kindergarten.found(app)
    await garden.mentor(601)
    await garden.mentee(501, "Петрова Анна Сергеевна")
    curator = garden.curator
    await curator.sends("/pair")
    await curator.taps("Петрова")
    await curator.sends("привет")  # text where a tap is expected: the step stays
    assert "Отмечено: 1" in curator.texts()[-1]
    next_step = curator.callback_data("Далее")
    await curator.taps("Отмена")
    assert "Подбор пары отменён, ничего не сохранено." in curator.texts()
    await curator.presses(next_step)  # a button of the dialog after it ended
    assert curator.was_alerted("кнопка уже не действует")
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Pair)) == 0


def test_forms_are_known_and_a_group_is_two_mentees_or_more() -> None:
    assert pairing.check_forms(["virtual", "traditional"], 1) == ["traditional", "virtual"]
    assert pairing.check_forms(["traditional"], 2) == ["traditional", "group"]
    for forms, count, key in (
        ([], 1, "pair-pick-form"),
        (["group"], 1, "pair-group-needs-two"),
        (["lunch"], 1, "error-stale-button"),
    ):
        with pytest.raises(UserFacingError) as raised:
            pairing.check_forms(forms, count)
        assert raised.value.key == key


async def test_nobody_is_made_their_own_mentor_even_by_a_forged_button(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """One teacher may be a mentor and a mentee of the same kindergarten: she is never offered
    as her own mentor, and a forged button naming her mentor self is refused."""
    garden = await Kindergarten.found(app)
    await garden.mentee(501, "Петрова Анна Сергеевна")
    await garden.mentor(501, "Петрова Анна Сергеевна")  # the same person, as a mentor too
    await garden.mentor(601)
    herself = await membership_of(sessionmaker, 501, Role.MENTOR)
    curator = garden.curator
    await curator.sends("/pair")
    await curator.taps("Петрова")
    reply = await curator.taps("Далее")
    assert reply is not None and "Смирнова" in reply.text and "<b>Петрова" not in reply.text
    await curator.presses(forged(curator, "Назад", "pair_mentor", herself.id))
    assert curator.was_alerted("Нельзя быть наставником самому себе")
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Pair)) == 0
