"""Answering a questionnaire on the phone: every question type with good and bad input,
back, skip, a conditional question, the summary, sending, and resuming after a restart."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.services.clock import FrozenClock
from models import ResponseStatus
from tests.harness import Harness
from tests.test_survey_support import answer, answers_of, kindergarten, launch, response_of

ENTRY = "Входная диагностика"


def last_text(person: object) -> str:
    reply = person.last_reply()  # type: ignore[attr-defined]
    assert reply is not None
    return str(reply.text)


async def test_mentee_entry_diagnostics_every_type_good_and_bad(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await kindergarten(app, mentees=1)
    await launch(garden.curator, ENTRY, "Наставляемые")
    launched = "Анкета запущена: 1 человек, приглашений в очереди на отправку: 1"
    assert launched in last_text(garden.curator)
    mentee = garden.mentees[0]
    invitation = mentee.last_reply()
    assert invitation is not None and "Вас ждёт анкета «Входная диагностика наставляемого»" in (
        invitation.text
    )
    assert "до 02.12.2026" in invitation.text and invitation.buttons == ["Начать"]

    await mentee.taps("Начать")
    assert "Вопросов: 9" in mentee.texts()[-2]  # the intro; the conditional one is hidden
    assert last_text(mentee).startswith("<b>1/9</b> · Входная диагностика")

    # single choice with "other": a typed answer is the person's own option
    await mentee.sends("Воспитатель после колледжа")
    assert last_text(mentee).startswith("<b>2/9</b>")

    # date: a date that does not exist, a date in the future, then a good one
    await mentee.sends("31.02.2026")
    assert "Такой даты нет" in mentee.texts()[-2]
    assert last_text(mentee).startswith("<b>2/9</b>")
    await mentee.sends("01.01.2027")
    assert "ещё не наступила" in mentee.texts()[-2]
    await mentee.sends("01.09.2026")

    # multiple choice: nothing ticked, tick and untick, a typed own answer, done
    assert last_text(mentee).startswith("<b>3/9</b>")
    await mentee.taps("Готово")
    assert mentee.was_alerted("Отметьте хотя бы один вариант или напишите свой")
    await mentee.taps("Работа с родителями")
    assert "✅ Работа с родителями" in mentee.last_reply().buttons  # type: ignore[union-attr]
    await mentee.taps("Документация")
    await mentee.taps("Документация")
    assert "✅ Документация" not in mentee.last_reply().buttons  # type: ignore[union-attr]
    await mentee.sends("Речевое развитие")
    assert "✅ Свой вариант: Речевое развитие" in mentee.last_reply().buttons  # type: ignore[union-attr]
    await mentee.taps("Готово")

    # scale 1-5: 0 and 7 are refused with the range, a tap answers
    assert last_text(mentee).startswith("<b>4/9</b>")
    assert "От 1 (совсем неуверенно) до 5 (полностью уверенно)" in last_text(mentee)
    await mentee.sends("0")
    assert "Выберите оценку от 1 до 5" in mentee.texts()[-2]
    await mentee.sends("7")
    assert "Выберите оценку от 1 до 5" in mentee.texts()[-2]
    await mentee.taps("4")

    # free text: too long, a sticker, then a good answer
    await mentee.sends("ж" * 1001)
    assert "Слишком длинно: 1\xa0001 символ, а можно не больше 1\xa0000" in mentee.texts()[-2]
    await mentee.sends_sticker()
    assert "Здесь нужен текст" in mentee.texts()[-2]
    assert last_text(mentee).startswith("<b>5/9</b>")
    await mentee.sends("Как проводить родительские собрания")

    # yes/no: words it cannot read, then "Да" shows the conditional question
    await mentee.sends("может быть")
    assert "Ответьте, пожалуйста, кнопкой" in mentee.texts()[-2]
    await mentee.taps("Да")
    assert last_text(mentee).startswith("<b>7/10</b>")
    assert "Что в той работе с наставником было самым полезным?" in last_text(mentee)

    # back returns to the answered question and shows the answer; keep goes on
    await mentee.taps("Назад")
    assert last_text(mentee).startswith("<b>6/10</b>") and "Сейчас: Да" in last_text(mentee)
    await mentee.taps("Оставить")
    assert last_text(mentee).startswith("<b>7/10</b>")
    await mentee.taps("Пропустить")

    # multiple choice without "other" takes taps only
    await mentee.sends("что-нибудь")
    assert "Ответьте, пожалуйста, кнопкой" in mentee.texts()[-2]
    await mentee.taps("Консультации на рабочем месте")
    await mentee.taps("Готово")
    await mentee.sends("Уверенно вести группу одной")

    # number with bounds: words, out of range, not whole, then good
    assert last_text(mentee).startswith("<b>10/10</b>")
    await mentee.sends("много")
    assert "Напишите число от 1 до 40" in mentee.texts()[-2]
    await mentee.sends("100")
    assert "Напишите число от 1 до 40" in mentee.texts()[-2]
    await mentee.sends("2,5")
    assert "Нужно целое число от 1 до 40" in mentee.texts()[-2]
    await mentee.sends("8")

    # the summary, then change an answer: "Нет" hides the conditional question again
    summary = last_text(mentee)
    assert "Проверьте ответы" in summary
    assert "1. Категория: <b>свой вариант: Воспитатель после колледжа</b>" in summary
    assert "3. Трудности: <b>Работа с родителями, свой вариант: Речевое развитие</b>" in summary
    assert "4. Уверенность в работе: <b>4 из 5</b>" in summary
    assert "7. Прошлый опыт: <b>пропущено</b>" in summary
    await mentee.sends("ещё один ответ")
    assert "Вы проверяете ответы" in mentee.texts()[-2]
    await mentee.taps("✏️ 6")
    await mentee.taps("Нет")
    summary = last_text(mentee)
    assert "Прошлый опыт" not in summary and "6. Был наставник: <b>Нет</b>" in summary

    response = await response_of(sessionmaker, mentee.telegram_id)
    await mentee.taps("Отправить")
    assert "Спасибо! Ответы на анкету «Входная диагностика наставляемого» отправлены" in (
        last_text(mentee)
    )

    stored = await answers_of(sessionmaker, response.id)
    assert [(a.option, a.text) for a in stored["category"]] == [
        ("other", "Воспитатель после колледжа")
    ]
    assert stored["started_on"][0].day == date(2026, 9, 1)
    assert [(a.option, a.text) for a in stored["difficulties"]] == [
        ("parents", None),
        ("other", "Речевое развитие"),
    ]
    assert stored["confidence"][0].number == 4
    assert stored["had_mentor"][0].option == "no"
    assert "past_mentoring" not in stored  # hidden by the changed answer: not part of it
    assert [a.option for a in stored["formats"]] == ["consultations"]
    assert stored["hours"][0].number == 8
    sent = await response_of(sessionmaker, mentee.telegram_id)
    assert sent.status == ResponseStatus.SUBMITTED and sent.version == 1

    # once sent, final: an old button is refused and /survey has nothing more
    await mentee.presses(f"sv:pick:{response.id}:had_mentor:yes")
    assert mentee.was_alerted("уже отправлена")
    await mentee.sends("/survey")
    assert "Сейчас анкет для вас нет" in last_text(mentee)


async def test_restart_mid_questionnaire_continues_at_the_same_question(
    app: Harness,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    garden = await kindergarten(app, mentees=1)
    await launch(garden.curator, "кандидата в наставники", "Наставники")
    mentor = garden.mentor
    await mentor.taps("Начать")
    await answer(mentor, [("text", "25"), ("tap", "Высшая"), ("tap", "Работа с родителями")])
    await mentor.taps("Готово")
    assert last_text(mentor).startswith("<b>4/11</b>")

    restarted = Harness(create_dispatcher(settings, sessionmaker, clock=clock), app.session)
    await restarted.start()
    same = restarted.person(mentor.telegram_id)
    await same.sends("Победитель конкурса «Воспитатель года»")
    assert last_text(same).startswith("<b>5/11</b>")
    response = await response_of(sessionmaker, mentor.telegram_id)
    stored = await answers_of(sessionmaker, response.id)
    assert stored["achievements"][0].text == "Победитель конкурса «Воспитатель года»"
    assert stored["experience_years"][0].number == 25


async def test_cancel_keeps_answers_and_survey_resumes_where_it_stopped(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await kindergarten(app, mentees=1)
    await launch(garden.curator, ENTRY, "Наставляемые")
    mentee = garden.mentees[0]
    await mentee.taps("Начать")
    await answer(mentee, [("tap", "Молодой специалист"), ("text", "01.09.2026")])
    old_screen = mentee.callback_data("Документация")
    await mentee.sends("/cancel")
    await mentee.sends("Работа с родителями")  # no dialog now: not taken as an answer
    assert "/help" in last_text(mentee)
    await mentee.presses(old_screen)  # the old screen's buttons are out of date
    assert mentee.alerts()[-1].startswith("Эта кнопка уже не действует")

    reply = await mentee.sends("/survey")
    assert reply is not None and "начата: 2 из 10" in reply.text and "до 02.12.2026" in reply.text
    await mentee.taps("Входная диагностика")
    assert last_text(mentee).startswith("<b>3/9</b>")  # no intro again, same question
    assert not any("Вопросов: 9" in text for text in mentee.texts()[-2:])
    response = await response_of(sessionmaker, mentee.telegram_id)
    assert response.status == ResponseStatus.IN_PROGRESS
    assert response.current_question == "difficulties"


async def test_commands_work_mid_questionnaire_and_it_stays_where_it_was(app: Harness) -> None:
    garden = await kindergarten(app, mentees=1)
    await launch(garden.curator, ENTRY, "Наставляемые")
    mentee = garden.mentees[0]
    await mentee.taps("Начать")
    reply = await mentee.sends("/help")
    assert reply is not None and "/survey" in reply.text
    await mentee.taps("Молодой специалист")  # the questionnaire's message, edited in place
    assert any(text.startswith("<b>2/9</b>") for text in mentee.texts())
    assert last_text(mentee) == reply.text


async def test_someone_elses_double_tapped_or_forged_buttons_change_nothing(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await kindergarten(app, mentees=2)
    await launch(garden.curator, ENTRY, "Наставляемые")
    first, second = garden.mentees
    await first.taps("Начать")
    response = await response_of(sessionmaker, first.telegram_id)
    await second.presses(f"sv:go:{response.id}::")
    assert second.was_alerted("предназначена не вам")
    option = first.callback_data("Молодой специалист")
    await second.presses(option)  # another person's screen: not theirs
    assert second.alerts()[-1].startswith("Эта кнопка уже не действует")
    screen = option.split("\x1d")[0] + "\x1d"
    await first.presses(screen + "survey_option:1.x")  # not the question on screen
    assert first.alerts()[-1] == "Эта кнопка уже не действует: ответьте на вопрос на экране."
    await first.presses(screen + "survey_option:0.nonsense")
    await first.presses(screen + "survey_option:99.young_specialist")
    await first.presses(screen + "survey_point:0.3")  # a widget of another window
    await first.presses(screen + "survey_move:0.skip")  # a required question
    assert first.was_alerted("На этот вопрос нужно ответить")
    await first.presses(screen + "survey_send")  # not on the summary
    # three refused politely by the service, two ignored (not on this screen): nothing stored
    assert len([a for a in first.alerts() if "ответьте на вопрос на экране" in a]) == 3
    assert await answers_of(sessionmaker, response.id) == {}

    await first.presses(option)
    await first.presses(option)  # a double tap: the second is for a question gone by
    assert last_text(first).startswith("<b>2/9</b>")
    stored = await answers_of(sessionmaker, response.id)
    assert list(stored) == ["category"] and stored["category"][0].option == "young_specialist"
    apologies = [text for text in first.texts() if "что-то пошло не так" in text]
    assert apologies == []


async def test_after_the_deadline_the_questionnaire_is_closed_to_answers(
    app: Harness, clock: FrozenClock
) -> None:
    garden = await kindergarten(app, mentees=1)
    await launch(garden.curator, ENTRY, "Наставляемые", deadline="3 дня")
    mentee = garden.mentees[0]
    clock.advance(days=4)
    await mentee.taps("Начать")
    assert mentee.was_alerted("Срок этой анкеты истёк")
    reply = await mentee.sends("/survey")
    assert reply is not None and "Сейчас анкет для вас нет" in reply.text
