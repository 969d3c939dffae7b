"""Monitoring: stage 2 assignments from the pair lifecycle, figures computed from known
answers (distributions, means, medians, before/after), small groups, SWOT, chart, export."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from aiogram.methods import SendPhoto
from aiogram_i18n.cores import FluentRuntimeCore
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import LOCALES_DIR
from bot.mail import Mail
from bot.services.clock import FrozenClock
from bot.services.questionnaires import campaigns, on_pair_activated, on_programme_ended, results
from bot.services.questionnaires.campaigns import Audience, AudienceKind
from bot.survey_invite import send_survey_invitations
from models import (
    Membership,
    MembershipStatus,
    Phase,
    ResponseStatus,
    Role,
    SurveyAnswer,
    SurveyCampaign,
    SurveyResponse,
)
from tests.harness import Harness
from tests.test_survey_support import (
    answer,
    kindergarten,
    launch,
    make_pair,
    organisation_with_people,
)

Values = dict[str, object]


async def submit(
    session: AsyncSession, response: SurveyResponse, values: Values, now: datetime
) -> None:
    """Answers written straight into the database, as the dialog would store them."""
    for question_id, value in values.items():
        if isinstance(value, int | float):
            session.add(
                SurveyAnswer(response_id=response.id, question_id=question_id, number=float(value))
            )
        elif isinstance(value, list):
            session.add_all(
                SurveyAnswer(response_id=response.id, question_id=question_id, option=option)
                for option in value
            )
        elif isinstance(value, str) and value.startswith("opt:"):
            session.add(
                SurveyAnswer(response_id=response.id, question_id=question_id, option=value[4:])
            )
        else:
            session.add(
                SurveyAnswer(response_id=response.id, question_id=question_id, text=str(value))
            )
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = now
    await session.flush()


IMPACT_ITEMS = (
    "engagement",
    "achievements",
    "competencies",
    "mentoring_wish",
    "role",
    "satisfaction",
    "climate",
    "involvement",
)


def impact_values(points: tuple[int, ...]) -> Values:
    return dict(zip(IMPACT_ITEMS, points, strict=True))


async def test_stage_two_assignments_follow_the_pair_and_are_idempotent(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    await kindergarten(app, mentees=2)
    pair_id = await make_pair(sessionmaker)
    now = clock.now()
    async with sessionmaker() as session:
        before = await on_pair_activated(session, pair_id, now)
        assert len(before) == 3  # the mentor and both mentees
        assert {r.phase for r in before} == {Phase.BEFORE}
        assert all(r.due_at == now + timedelta(days=30) for r in before)
        assert await on_pair_activated(session, pair_id, now) == []
        assert await on_pair_activated(session, 999_999, now) == []
        await submit(session, before[0], impact_values((5,) * 8), now)
        after = await on_programme_ended(session, pair_id, now + timedelta(days=90))
        assert len(after) == 3 and {r.phase for r in after} == {Phase.AFTER}
        assert await on_programme_ended(session, pair_id, now + timedelta(days=91)) == []
        statuses = {
            r.id: r.status
            for r in await session.scalars(
                select(SurveyResponse).where(SurveyResponse.phase == Phase.BEFORE)
            )
        }
        # the one "before" answered stays; those never answered are closed
        assert statuses[before[0].id] == ResponseStatus.SUBMITTED
        assert {statuses[r.id] for r in before[1:]} == {ResponseStatus.CLOSED}
        campaigns_made = (await session.scalars(select(SurveyCampaign))).all()
        assert len(campaigns_made) == 1 and campaigns_made[0].purpose == "impact"
        await session.commit()


async def test_stage_two_skips_people_who_withdrew(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    await kindergarten(app, mentees=2)
    pair_id = await make_pair(sessionmaker)
    async with sessionmaker() as session:
        mentee = await session.scalar(
            select(Membership).where(Membership.role == Role.MENTEE).limit(1)
        )
        assert mentee is not None
        mentee.status = MembershipStatus.WITHDRAWN
        created = await on_pair_activated(session, pair_id, clock.now())
        assert mentee.id not in {r.membership_id for r in created} and len(created) == 2


async def test_before_after_figures_from_known_answers(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten(app, mentees=1)
    pair_id = await make_pair(sessionmaker)
    now = clock.now()
    async with sessionmaker() as session:
        before = await on_pair_activated(session, pair_id, now)
        mentor_before = next(r for r in before if r.membership_id != before[-1].membership_id)
        mentee_before = before[-1]
        await submit(session, mentor_before, impact_values((5, 6, 7, 8, 6, 7, 6, 5)), now)
        await submit(session, mentee_before, impact_values((3, 2, 3, 4, 4, 5, 4, 3)), now)
        after = await on_programme_ended(session, pair_id, now + timedelta(days=90))
        mentor_after = next(r for r in after if r.membership_id == mentor_before.membership_id)
        mentee_after = next(r for r in after if r.membership_id == mentee_before.membership_id)
        await submit(session, mentor_after, impact_values((8, 6, 8, 8, 7, 8, 6, 6)), now)
        await submit(session, mentee_after, impact_values((5, 4, 6, 7, 6, 7, 3, 6)), now)
        await session.commit()
        campaign = await session.get(SurveyCampaign, mentor_before.campaign_id)
        assert campaign is not None
        figures = {
            item.question_id: item for item in await results.impact_items(session, campaign.id)
        }
    engagement = figures["engagement"]
    assert (engagement.people, engagement.before, engagement.after) == (2, 4.0, 6.5)
    assert engagement.change == 2.5 and engagement.improved == 2
    climate = figures["climate"]
    assert (climate.before, climate.after, climate.improved) == (5.0, 4.5, 0)
    assert figures["achievements"].improved == 1  # the mentor stayed at 6

    curator = garden.curator
    await curator.sends("/surveys")
    await curator.taps("Влияние программы")
    reply = await curator.taps("Итоги")
    assert reply is not None
    text = "\n".join(curator.texts()[-2:])
    assert "В начале программы: 2, по итогам: 2." in text
    assert "Вовлечённость: 4,0 → 6,5 (+2,5), выросло у 2 из 2" in text
    assert "Климат в коллективе: 5,0 → 4,5 (−0,5), выросло у 0 из 2" in text
    assert "<b>Петрова Анна Сергеевна</b> · наставляемый" in text
    assert "  Вовлечённость: 3 → 5 (+2)" in text
    assert "<b>Смирнова Ольга Ивановна</b> · наставник" in text

    await curator.taps("График")
    photos = app.session.calls_of(SendPhoto)
    assert photos and photos[-1].photo.data.startswith(b"\x89PNG")
    assert "Влияние программы (до и после): ответили 4" in photos[-1].caption

    await curator.taps("Выгрузка XLSX")
    document = curator.last_reply()
    assert document is not None and document.document is not None
    book = load_workbook(io.BytesIO(document.document))
    assert book.sheetnames == ["Ответы", "Сводка", "До и после"]
    rows = list(book["До и после"].iter_rows(values_only=True))
    assert rows[0][:5] == ("Вопрос", "Участников", "До", "После", "Изменение")
    assert ("Вовлечённость", 2, 4.0, 6.5, 2.5) in [row[:5] for row in rows]
    assert any(row[0] == "Петрова Анна Сергеевна" and row[2] == "3 → 5" for row in rows)
    answers = list(book["Ответы"].iter_rows(values_only=True))
    assert answers[0][:5] == ("№", "Участник", "Роль", "Этап", "Отправлено")
    assert len(answers) == 5


async def test_distributions_means_and_medians_in_sql(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    now = clock.now()
    async with sessionmaker() as session:
        organisation_id, _ = await organisation_with_people(session, now, 5)
        campaign, responses = await campaigns.launch(
            session,
            organisation_id=organisation_id,
            code="mentee_entry",
            audience=Audience(AudienceKind.ROLE, role=Role.MENTEE),
            deadline=now + timedelta(days=7),
            created_by_membership_id=None,
            now=now,
        )
        confidence = (1, 2, 2, 5, 5)
        hours = (10, 2, 4, 8)  # four answers: the median is between 4 and 8
        for number, response in enumerate(responses):
            values: Values = {
                "confidence": confidence[number],
                "category": "opt:young_specialist" if number < 3 else "opt:new_to_team",
                "difficulties": ["parents", "documents"] if number % 2 else ["parents"],
                "request": f"Запрос {number}",
            }
            if number < 4:
                values["hours"] = hours[number]
            await submit(session, response, values, now)
        result = await results.results(session, campaign)
    by_id = {item.question.id: item for item in result.questions}
    assert result.respondents == 5 and result.assigned == 5
    scale = by_id["confidence"]
    assert scale.stats is not None
    assert (scale.stats.mean, scale.stats.median, scale.stats.count) == (3.0, 2.0, 5)
    assert scale.points == {1: 1, 2: 2, 5: 2}
    assert by_id["hours"].stats is not None and by_id["hours"].stats.median == 6.0
    assert by_id["category"].options == {"young_specialist": 3, "new_to_team": 2}
    assert by_id["difficulties"].options == {"parents": 5, "documents": 2}
    assert by_id["difficulties"].answered == 5
    assert by_id["request"].answered == 5 and len(by_id["request"].samples) == 5


async def quality_campaign(
    session: AsyncSession, now: datetime, answers: list[Values]
) -> SurveyCampaign:
    organisation_id, _ = await organisation_with_people(session, now, len(answers))
    campaign, responses = await campaigns.launch(
        session,
        organisation_id=organisation_id,
        code="quality_mentee",
        audience=Audience(AudienceKind.ROLE, role=Role.MENTEE),
        deadline=now + timedelta(days=7),
        created_by_membership_id=None,
        now=now,
    )
    for response, values in zip(responses, answers, strict=True):
        await submit(session, response, values, now)
    return campaign


async def test_small_anonymous_group_shows_nothing_that_identifies(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    now = clock.now()
    two = [
        {"effectiveness": 9, "strengths": "Наставник рядом", "weaknesses": "Мало встреч"},
        {"effectiveness": 4, "strengths": "Открытые занятия", "weaknesses": "Нет времени"},
    ]
    async with sessionmaker() as session:
        campaign = await quality_campaign(session, now, two)
        small = await results.results(session, campaign)
        table = await results.swot(session, [campaign])
    assert small.small_group and not small.may_identify
    by_id = {item.question.id: item for item in small.questions}
    assert by_id["strengths"].samples == [] and by_id["strengths"].answered == 2
    assert by_id["effectiveness"].stats is not None  # figures are still shown
    assert table.empty and table.hidden == 2


async def test_swot_collates_open_answers_of_a_large_enough_group(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    now = clock.now()
    answers: list[Values] = [
        {
            "strengths": "Поддержка наставника",
            "weaknesses": "Мало времени",
            "threats": "Текучесть кадров",
            "where_before": "В школе",
        },
        {
            "strengths": "Поддержка наставника",
            "weaknesses": "Много документов",
            "where_before": "В вузе",
        },
        {
            "strengths": "Открытые занятия",
            "weaknesses": "Мало времени",
            "opportunities": "Курсы в ИРО",
            "where_before": "В школе",
        },
    ]
    async with sessionmaker() as session:
        campaign = await quality_campaign(session, now, answers)
        result = await results.results(session, campaign)
        table = await results.swot(session, [campaign])
    assert result.may_identify
    by_id = {item.question.id: item for item in result.questions}
    # equal answers counted together, the most frequent first: the order tells nothing
    assert by_id["where_before"].samples == [("В школе", 2), ("В вузе", 1)]
    assert by_id["strengths"].samples == []  # quoted in the SWOT table instead
    assert table.items[results.Swot.STRENGTHS] == [
        ("Поддержка наставника", 2),
        ("Открытые занятия", 1),
    ]
    assert table.items[results.Swot.WEAKNESSES][0] == ("Мало времени", 2)
    assert table.items[results.Swot.OPPORTUNITIES] == [("Курсы в ИРО", 1)]
    assert table.totals[results.Swot.THREATS] == 1


async def test_results_swot_and_export_in_chat_for_a_quality_campaign(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await kindergarten(app, mentees=3)
    await launch(garden.curator, "Качество программы — наставляемый", "Наставляемые")
    for number, person in enumerate(garden.mentees):
        await person.taps("Начать")
        await answer(
            person,
            [
                ("tap", "Нет"),
                ("tap", str(6 + number)),
                ("tap", "9"),
                ("tap", "8"),
                ("tap", "7"),
                ("tap", "Раз в месяц"),
                ("tap", "Частично"),
                ("text", "Поддержка наставника"),
                ("text", "Мало времени" if number else "Много документов"),
                ("tap", "Пропустить"),
                ("tap", "Пропустить"),
                ("tap", "Да"),
                ("tap", "Позже"),
                ("tap", "Отправить"),
            ],
        )
    curator = garden.curator
    await curator.sends("/surveys")
    await curator.taps("Качество программы — наставляемый: 3/3")
    seen = len(curator.texts())
    await curator.taps("Итоги")
    text = "\n".join(curator.texts()[seen:])
    assert "Ответили 3 из 3." in text and "Анкета анонимная" in text
    assert "<b>3. Польза программы</b> — ответили 3" in text
    assert "среднее 7,0 · медиана 7 · от 6 до 8" in text
    assert "Раз в месяц — 3 (100%)" in text
    assert "S — сильные стороны</b> (3)" in text
    assert "• Поддержка наставника (×3)" in text
    assert "Петрова" not in text  # anonymous: no names anywhere
    await curator.taps("Выгрузка XLSX")
    document = curator.last_reply()
    assert document is not None and document.document is not None
    book = load_workbook(io.BytesIO(document.document))
    assert book.sheetnames == ["Ответы", "Сводка", "SWOT"]
    head = next(book["Ответы"].iter_rows(values_only=True))
    assert head[:2] == ("№", "Участие раньше") and "Участник" not in head
    swot = list(book["SWOT"].iter_rows(values_only=True))
    assert swot[1][0] == "Внутренние" and "• Поддержка наставника (×3)" in swot[1][1]
    await curator.sends("/surveys")
    reply = await curator.taps("SWOT за год")
    assert reply is not None and "• Поддержка наставника (×3)" in reply.text


async def test_small_anonymous_group_export_is_refused_in_chat(app: Harness) -> None:
    garden = await kindergarten(app, mentees=1)
    await launch(garden.curator, "Качество программы — наставник", "Наставники")
    await garden.mentor.taps("Начать")
    await answer(
        garden.mentor,
        [
            ("tap", "8"),
            ("tap", "9"),
            ("tap", "7"),
            ("tap", "6"),
            ("tap", "Едва"),
            ("tap", "Частично"),
            ("text", "Открытые занятия"),
            ("text", "Документы"),
            ("tap", "Пропустить"),
            ("tap", "Пропустить"),
            ("tap", "Да"),
            ("tap", "Отправить"),
        ],
    )
    curator = garden.curator
    await curator.sends("/surveys")
    await curator.taps("Качество программы — наставник")
    seen = len(curator.texts())
    await curator.taps("Итоги")
    text = "\n".join(curator.texts()[seen:])
    assert "Ответили меньше 3 человек" in text and "Открытые занятия" not in text
    assert "среднее 8,0" in text
    await curator.taps("Выгрузка XLSX")
    assert curator.was_alerted("выгрузка ответов анонимной анкеты раскрыла бы")


async def test_invitations_for_the_pair_lifecycle(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """What the pair lifecycle calls: assignments, then the messages with a start button."""
    garden = await kindergarten(app, mentees=1)
    pair_id = await make_pair(sessionmaker)
    core = FluentRuntimeCore(path=LOCALES_DIR / "{locale}")
    await core.startup()
    try:
        async with sessionmaker() as session:
            created = await on_pair_activated(session, pair_id, clock.now())
            mail = Mail(session, clock.now(), "test")
            delivered = await send_survey_invitations(mail, core, created, "ru")
            await session.commit()
    finally:
        await core.shutdown()
    assert delivered == 2
    await app.deliver()  # the sender sends what was queued
    invitation = garden.mentees[0].last_reply()
    assert invitation is not None and invitation.buttons == ["Начать"]
    assert "в начале программы наставничества" in invitation.text
    assert "Ответить можно до 25.12.2026" in invitation.text
    await garden.mentees[0].taps("Начать")
    assert garden.mentees[0].last_reply().text.startswith("<b>1/9</b>")  # type: ignore[union-attr]


async def test_withdrawal_erases_typed_answers_and_closes_what_waits(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    now = clock.now()
    async with sessionmaker() as session:
        organisation_id, members = await organisation_with_people(session, now, 2)
        _, (sent, waiting) = await campaigns.launch(
            session,
            organisation_id=organisation_id,
            code="quality_mentee",
            audience=Audience(AudienceKind.ROLE, role=Role.MENTEE),
            deadline=now + timedelta(days=7),
            created_by_membership_id=None,
            now=now,
        )
        await submit(session, sent, {"effectiveness": 7, "strengths": "Моя наставница Ольга"}, now)
        erased = await campaigns.forget_member(session, members)
        assert erased == 1
        rows = (
            await session.scalars(select(SurveyAnswer).where(SurveyAnswer.response_id == sent.id))
        ).all()
        assert {(row.question_id, row.number, row.text) for row in rows} == {
            ("effectiveness", 7.0, None),
            ("strengths", None, None),
        }
        await session.refresh(waiting)
        assert waiting.status == ResponseStatus.CLOSED
