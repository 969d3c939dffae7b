"""The banks of mentees and mentors as XLSX with the columns of the sample forms (seed 003,
appendix 3, listed in domain.md), in that order, Russian headers, dates as dates, the header row
frozen and filters on; people who withdrew consent appear impersonal."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from bot.services.journals import SHEETS, workbook
from bot.services.questionnaires import campaigns
from bot.services.questionnaires.campaigns import Audience, AudienceKind
from models import (
    Activity,
    ActivityStatus,
    FinalReport,
    Membership,
    MembershipStatus,
    Organisation,
    Pair,
    PairStatus,
    Profile,
    Programme,
    ProgrammeStatus,
    Role,
    SurveyCampaign,
    SurveyResponse,
    User,
)
from tests.harness import Harness
from tests.pairs_fixture import MENTEE_NAMES, kindergarten_with_pair
from tests.test_survey_monitoring import Values, submit
from tests.test_survey_support import organisation_with_people

# Seed 003, appendix 3 (domain.md, "The banks"): the sample forms' columns, in order, as named.
MENTEE_HEADERS = [
    "№",
    "ФИО наставляемого",
    "Контактные данные для связи",
    "Год рождения наставляемого",
    "Основной запрос наставляемого",
    "Дата вхождения в программу",
    "ФИО наставника",
    "Форма наставничества",
    "Место работы/учебы наставника",
    "Дата завершения программы",
    "Результаты программы",
    "Ссылка на кейс/отзыв наставляемого, размещённые на сайте организации",
    "Отметка о прохождении программы",
]
MENTOR_HEADERS = [
    "№",
    "ФИО наставника",
    "Контактные данные для связи",
    "Место работы/учебы наставника",
    "Основные компетенции наставника",
    "Важные для программы достижения наставника",
    "Интересы наставника",
    "Желаемый возраст наставляемых",
    "Ресурс времени на программу наставничества",
    "Дата вхождения в программу",
    "ФИО наставляемого (наставляемых)",
    "Форма наставничества",
    "Место работы/учебы наставляемого",
    "Дата завершения программы",
    "Результаты программы",
    "Ссылка на кейс/отзыв наставника, размещённые на сайте организации",
]
MENTEE_HEADERS_EN = [
    "No.",
    "Mentee's full name",
    "Contact details",
    "Mentee's year of birth",
    "Mentee's main request",
    "Date of entering the programme",
    "Mentor's full name",
    "Form of mentoring",
    "Mentor's place of work or study",
    "Date the programme ended",
    "Programme results",
    "Link to the mentee's case or review on the organisation's site",
    "Mark that the programme was completed",
]


async def test_the_banks_have_the_sample_forms_columns_and_the_pairs_facts(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock, mentees=2)
    async with sessionmaker() as session, session.begin():
        pair = await session.get(Pair, garden.pair_id)
        assert pair is not None
        programme = Programme(
            pair_id=pair.id,
            status=ProgrammeStatus.ACKNOWLEDGED,
            created_at=clock.now(),
            updated_at=clock.now(),
        )
        session.add(programme)
        await session.flush()
        for position, status in enumerate((ActivityStatus.DONE, ActivityStatus.OPEN)):
            session.add(
                Activity(
                    programme_id=programme.id,
                    position=position,
                    content=f"Мероприятие {position}",
                    due_on=date(2027, 1, 10),
                    status=status,
                    created_at=clock.now(),
                )
            )
        pair.status = PairStatus.COMPLETED
        pair.ended_at = datetime(2027, 5, 20, 10, 0, tzinfo=UTC)
        pair.end_reason = "plan_fulfilled"
        # The mentor's final report, sent: its results are the bank's «results».
        session.add(
            FinalReport(
                pair_id=pair.id,
                author_membership_id=pair.mentor_membership_id,
                role=Role.MENTOR,
                due_on=date(2027, 5, 30),
                results="Провела открытое занятие для коллег",
                evaluation={},
                submitted_at=datetime(2027, 5, 25, 10, 0, tzinfo=UTC),
                created_at=clock.now(),
            )
        )
        anna_membership = await session.scalar(
            select(Membership)
            .join(Profile, Profile.membership_id == Membership.id)
            .where(Profile.full_name == MENTEE_NAMES[0])
        )
        assert anna_membership is not None
        session.add(
            FinalReport(
                pair_id=pair.id,
                author_membership_id=anna_membership.id,
                role=Role.MENTEE,
                due_on=date(2027, 5, 30),
                evaluation={"availability": 5, "competence": 4, "support": 5, "feedback": 4},
                submitted_at=datetime(2027, 5, 26, 10, 0, tzinfo=UTC),
                created_at=clock.now(),
            )
        )
        # The second mentee withdrew consent: the bank keeps the row, impersonal.
        withdrawn = await session.scalar(
            select(Membership)
            .join(Profile, Profile.membership_id == Membership.id)
            .where(Profile.full_name == MENTEE_NAMES[1])
        )
        assert withdrawn is not None
        withdrawn.status = MembershipStatus.WITHDRAWN
        organisation = await session.get(Organisation, pair.organisation_id)
        assert organisation is not None

    core = app.i18n_core()
    async with sessionmaker() as session:
        data = await workbook(
            session,
            organisation,
            lambda key, **args: core.get(key, "ru", **args),
            list(SHEETS),
            "ru",
        )
    book = load_workbook(io.BytesIO(data))
    mentees, mentors = book["Банк наставляемых"], book["Банк наставников"]
    assert [cell.value for cell in mentees[1]] == MENTEE_HEADERS
    assert [cell.value for cell in mentors[1]] == MENTOR_HEADERS
    for sheet in (mentees, mentors):
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
        assert (sheet.column_dimensions["B"].width or 0) >= 30
    rows = [[cell.value for cell in row] for row in mentees.iter_rows(min_row=2)]
    by_name = {row[1]: row for row in rows}
    anna = by_name[MENTEE_NAMES[0]]
    assert anna[0] == 1
    assert anna[5] == datetime(2026, 11, 25)  # a date cell, read back as a datetime
    assert mentees.cell(row=2, column=6).number_format == "DD.MM.YYYY"
    assert anna[9] == datetime(2027, 5, 20)
    assert anna[10] == (
        "выполнено 1 из 2 мероприятий плана; программа завершена; "
        "Провела открытое занятие для коллег"
    )
    # The completed programme is a case on the «Наставничество» page, under its anchor.
    assert anna[11] == f"страница «Наставничество», #case-{garden.pair_id}"
    assert anna[12] == "да"
    assert "Участник (данные обезличены)" in by_name
    assert MENTEE_NAMES[1] not in str(rows)
    plans = book["Программы и планы"]
    assert [cell.value for cell in plans[1]][:6] == [
        "№",
        "Пара (наставник — наставляемые)",
        "Статус программы",
        "Цель программы",
        "Мероприятие плана",
        "Срок",
    ]
    plan_rows = [[cell.value for cell in row] for row in plans.iter_rows(min_row=2)]
    assert [row[7] for row in plan_rows] == ["выполнено", "не выполнено"]
    assert plan_rows[0][1].endswith("Участник (данные обезличены)")  # the withdrawn mentee
    assert book["Ситуативная помощь"].max_row == 1 and book["Журнал встреч"].max_row == 1
    reports = [
        [cell.value for cell in row] for row in book["Итоговые отчёты"].iter_rows(min_row=2)
    ]
    # The mentee's evaluation of the mentor as one number, not the criteria's codes.
    assert [(row[2], row[11]) for row in reports] == [("наставник", None), ("наставляемый", 4.5)]
    mentor_rows = [[cell.value for cell in row] for row in mentors.iter_rows(min_row=2)]
    assert len(mentor_rows) == 1
    mentor = mentor_rows[0]
    assert MENTEE_NAMES[0] in mentor[10] and "Участник (данные обезличены)" in mentor[10]
    assert mentor[3] == "МБДОУ «Детский сад № 5», Старший воспитатель"  # a position in words
    assert mentor[4]  # the competencies, in words
    assert mentor[13] == datetime(2027, 5, 20) and mentor[14] == anna[10]
    assert mentor[15] == anna[11]

    # An English curator gets the same forms with English headers and words.
    async with sessionmaker() as session:
        data = await workbook(
            session,
            organisation,
            lambda key, **args: core.get(key, "en", **args),
            ["mentees"],
            "en",
        )
    english = load_workbook(io.BytesIO(data))["Mentees bank"]
    assert [cell.value for cell in english[1]] == MENTEE_HEADERS_EN
    row = [cell.value for cell in english[2]]
    assert row[10].startswith("1 of 2 plan items done; programme completed")
    assert row[11] == f"the «Mentoring» page, #case-{garden.pair_id}" and row[12] == "yes"


async def to_mentees(
    session: AsyncSession, organisation_id: int, code: str, now: datetime
) -> tuple[SurveyCampaign, list[SurveyResponse]]:
    """A questionnaire launched to the organisation's mentees, for a week."""
    return await campaigns.launch(
        session,
        organisation_id=organisation_id,
        code=code,
        audience=Audience(AudienceKind.ROLE, role=Role.MENTEE),
        deadline=now + timedelta(days=7),
        created_by_membership_id=None,
        now=now,
    )


SURVEY_HEADERS = [
    "№",
    "Анкета",
    "Запущена",
    "Кто ответил",
    "Роль",
    "Этап",
    "Отправлена",
    "Вопрос",
    "Ответ",
]


async def test_the_questionnaire_answers_sheet_names_whom_it_may_and_only_its_own(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    now = clock.now()
    async with sessionmaker() as session, session.begin():
        organisation_id, members = await organisation_with_people(session, now, 3)
        named, answering = await to_mentees(session, organisation_id, "mentee_entry", now)
        for number, response in enumerate(answering):
            values: Values = {"confidence": number + 2, "had_mentor": "opt:yes"}
            values["request"] = f"Запрос участницы {number + 1}"
            await submit(session, response, values, now)
        # An anonymous questionnaire answered by two: fewer than MIN_GROUP, so left out.
        _, anonymous = await to_mentees(session, organisation_id, "quality_mentee", now)
        for response in anonymous[:2]:
            await submit(session, response, {"effectiveness": 7}, now)
        # The third participant withdrew consent: no row of hers, even impersonal (her row
        # would tie her taps and sending time to her); the campaign's figures count her.
        withdrawn = await session.get(Membership, members[2])
        assert withdrawn is not None
        withdrawn.status = MembershipStatus.WITHDRAWN
        # Another organisation's answers never reach this one's export.
        other = Organisation(
            name="Детский сад № 10", short_name="№ 10", timezone="UTC", created_at=now
        )
        session.add(other)
        await session.flush()
        user = User(telegram_id=990_001, language="ru", created_at=now)
        session.add(user)
        await session.flush()
        stranger = Membership(
            user_id=user.id,
            organisation_id=other.id,
            role=Role.MENTEE,
            status=MembershipStatus.ACTIVE,
            joined_at=now,
        )
        session.add(stranger)
        await session.flush()
        session.add(
            Profile(
                membership_id=stranger.id, full_name="Чужая Участница", skipped=[], updated_at=now
            )
        )
        _, theirs = await to_mentees(session, other.id, "mentee_entry", now)
        await submit(session, theirs[0], {"request": "Чужой запрос"}, now)
        organisation = await session.get(Organisation, organisation_id)
        assert organisation is not None and named.id

    core = app.i18n_core()
    async with sessionmaker() as session:
        data = await workbook(
            session,
            organisation,
            lambda key, **args: core.get(key, "ru", **args),
            ["surveys"],
            "ru",
        )
    sheet = load_workbook(io.BytesIO(data))["Ответы на анкеты"]
    assert [cell.value for cell in sheet[1]] == SURVEY_HEADERS
    assert sheet.freeze_panes == "A2"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == 6  # two people, three answered questions each
    assert [row[0] for row in rows] == list(range(1, 7))
    assert {row[1] for row in rows} == {"Входная диагностика наставляемого"}
    first = rows[:3]
    assert {row[3] for row in first} == {"Участница Номер 1"}
    assert {row[4] for row in first} == {"наставляемый"}
    assert first[0][2] == now.replace(tzinfo=None) + timedelta(hours=3)  # Moscow time
    by_question = {row[7]: row[8] for row in first}  # the questions' short titles
    assert by_question == {
        "Уверенность в работе": 2,
        "Основной запрос": "Запрос участницы 1",
        "Был наставник": "Да",
    }
    assert {row[3] for row in rows[3:]} == {"Участница Номер 2"}
    assert "Участница Номер 3" not in str(rows) and "обезличены" not in str(rows)
    assert "Чуж" not in str(rows)
    assert "Качество программы" not in str(rows)
