"""Every built-in questionnaire answered through the Dispatcher, as people would."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from bot.services.questionnaires import on_pair_activated, on_programme_ended
from bot.services.questionnaires.loader import builtin
from bot.services.questionnaires.schema import QuestionType
from models import Phase, ResponseStatus
from tests.harness import Harness, Person
from tests.test_survey_support import (
    Step,
    answer,
    answers_of,
    kindergarten,
    launch,
    make_pair,
    response_of,
)


async def fill_and_send(person: Person, steps: list[Step]) -> str:
    await person.taps("Начать")
    await answer(person, steps)
    summary = person.last_reply()
    assert summary is not None and "Проверьте ответы" in summary.text
    await person.taps("Отправить")
    sent = person.last_reply()
    assert sent is not None and "Ответы на анкету" in sent.text
    return summary.text


def test_built_in_questionnaires_cover_every_question_type() -> None:
    kinds = {question.type for q in builtin().values() for question in q.questions}
    assert kinds == set(QuestionType)
    assert set(builtin()) == {
        "mentee_entry",
        "mentor_candidate",
        "impact",
        "quality_mentee",
        "quality_mentor",
        "curator",
    }
    impact = builtin()["impact"]
    assert [q.id for q in impact.questions if q.type == QuestionType.SCALE] == [
        "engagement",
        "achievements",
        "competencies",
        "mentoring_wish",
        "role",
        "satisfaction",
        "climate",
        "involvement",
    ]


async def test_mentor_candidate_questionnaire(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await kindergarten(app, mentees=1)
    await launch(garden.curator, "кандидата в наставники", "Наставники")
    summary = await fill_and_send(
        garden.mentor,
        [
            ("text", "25"),
            ("tap", "Высшая"),
            ("tap", "Работа с родителями"),
            ("tap", "Подготовка к конкурсам"),
            ("tap", "Готово"),
            ("text", "Победитель конкурса «Воспитатель года» 2019"),
            ("tap", "Хочу передать опыт"),
            ("tap", "Готово"),
            ("tap", "Да"),  # mentored before: asks how many
            ("text", "3"),
            ("text", "10"),
            ("tap", "Один на один"),
            ("tap", "Готово"),
            ("tap", "Пропустить"),
            ("tap", "5"),
            ("text", "01.11.2026"),  # a start in the past: refused, asked again
            ("text", "01.12.2026"),
        ],
    )
    assert any("Эта дата уже прошла" in text for text in garden.mentor.texts()[-8:])
    assert "7. Сопровождала (сопровождал): <b>3</b>" in summary
    response = await response_of(sessionmaker, garden.mentor.telegram_id, "mentor_candidate")
    stored = await answers_of(sessionmaker, response.id)
    assert response.status == ResponseStatus.SUBMITTED
    assert [a.option for a in stored["competencies"]] == ["parents", "contests"]
    assert stored["mentored_count"][0].number == 3
    assert stored["preferred_mentee"][0].text is None  # skipped
    assert stored["start_from"][0].day == date(2026, 12, 1)


async def test_quality_questionnaires_of_mentee_and_mentor(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await kindergarten(app, mentees=1)
    await launch(garden.curator, "Качество программы — наставляемый", "Наставляемые")
    await launch(garden.curator, "Качество программы — наставник", "Наставники")
    await fill_and_send(
        garden.mentees[0],
        [
            ("tap", "Нет"),  # took part before: "where" is not asked
            ("tap", "8"),
            ("tap", "9"),
            ("tap", "10"),
            ("tap", "7"),
            ("tap", "Каждую неделю"),
            ("tap", "Полностью"),
            ("text", "Поддержка наставника в первые недели"),
            ("text", "Мало времени на встречи"),
            ("tap", "Пропустить"),
            ("text", "Нагрузка в группе"),
            ("tap", "Да"),
            ("tap", "Позже"),
        ],
    )
    await fill_and_send(
        garden.mentor,
        [
            ("tap", "8"),
            ("tap", "9"),
            ("tap", "7"),
            ("tap", "6"),
            ("tap", "Едва"),
            ("tap", "Частично"),
            ("text", "Открытые занятия"),
            ("text", "Документация отнимает время"),
            ("text", "Муниципальный конкурс наставников"),
            ("tap", "Пропустить"),
            ("tap", "Да"),
        ],
    )
    mentee_response = await response_of(sessionmaker, garden.mentees[0].telegram_id)
    stored = await answers_of(sessionmaker, mentee_response.id)
    assert "where_before" not in stored
    assert stored["mentor_help"][0].number == 10
    assert stored["become_mentor"][0].option == "later"
    mentor_response = await response_of(sessionmaker, garden.mentor.telegram_id)
    stored = await answers_of(sessionmaker, mentor_response.id)
    assert stored["time_enough"][0].option == "barely"
    assert stored["opportunities"][0].text == "Муниципальный конкурс наставников"


async def test_curators_questionnaire_with_an_optional_multiple_choice_left_empty(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await kindergarten(app, mentees=1)
    await launch(garden.curator, "Анкета куратора", "Кураторы")
    await fill_and_send(
        garden.curator,
        [
            ("text", "4"),
            ("tap", "4"),
            ("tap", "3"),
            ("tap", "5"),
            ("tap", "Приказ"),
            ("tap", "Положение"),
            ("tap", "Дорожная карта"),
            ("tap", "Готово"),
            ("tap", "Готово"),  # final events: optional, nothing ticked is a skip
            ("text", "Опытные наставники"),
            ("text", "Мало времени"),
            ("text", "Курсы в ИРО"),
            ("text", "Текучесть кадров"),
            ("text", "20.05.2027"),
        ],
    )
    response = await response_of(sessionmaker, garden.curator.telegram_id)
    stored = await answers_of(sessionmaker, response.id)
    assert [a.option for a in stored["documents"]] == ["order", "regulation", "roadmap"]
    assert [a.option for a in stored["final_events"]] == [None]  # skipped
    assert stored["report_on"][0].day == date(2027, 5, 20)


async def test_impact_questionnaire_before_and_after_through_survey(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten(app, mentees=1)
    pair_id = await make_pair(sessionmaker)
    async with sessionmaker() as session:
        await on_pair_activated(session, pair_id, clock.now())
        await session.commit()
    mentee = garden.mentees[0]
    reply = await mentee.sends("/survey")
    assert reply is not None
    assert "Влияние программы (до и после)</b> (в начале программы), до 25.12.2026" in reply.text
    await mentee.taps("Влияние программы")
    await answer(mentee, [("tap", str(point)) for point in (3, 4, 2, 6, 5, 7, 4, 8)])
    await answer(mentee, [("tap", "Пропустить"), ("tap", "Отправить")])
    clock.advance(days=90)
    async with sessionmaker() as session:
        await on_programme_ended(session, pair_id, clock.now())
        await session.commit()
    await mentee.sends("/survey")
    assert "(по итогам программы)" in mentee.last_reply().text  # type: ignore[union-attr]
    await mentee.taps("Влияние программы")
    await answer(mentee, [("tap", str(point)) for point in (6, 5, 5, 8, 7, 8, 6, 9)])
    await answer(mentee, [("text", "Стала увереннее"), ("tap", "Отправить")])
    after = await response_of(sessionmaker, mentee.telegram_id)
    assert after.phase == Phase.AFTER and after.status == ResponseStatus.SUBMITTED
    stored = await answers_of(sessionmaker, after.id)
    assert stored["engagement"][0].number == 6 and stored["comment"][0].text == "Стала увереннее"
