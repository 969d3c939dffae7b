"""The profile dialog under bad input, back, /cancel, commands mid-dialog and a restart."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.services.clock import FrozenClock
from handlers.profile import ProfileCb
from models import Profile
from tests.flows import MENTEE_ANSWERS, answer, found_organisation, invite
from tests.harness import Harness, Person, statements


async def start_mentee(app: Harness) -> Person:
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    mentee = app.person(501)
    await mentee.sends(f"/start {code}")
    await mentee.taps("Согласен")
    return mentee


async def stored_profile(sessionmaker: async_sessionmaker[AsyncSession]) -> Profile:
    async with sessionmaker() as session:
        profile = await session.scalar(select(Profile).order_by(Profile.id.desc()))
        assert profile is not None
        return profile


async def test_bad_answers_get_a_clear_message_and_the_same_question(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mentee = await start_mentee(app)
    await mentee.sends("Анна")  # one word is not a full name
    assert "фамилию, имя и отчество" in mentee.texts()[-2]
    assert mentee.texts()[-1].startswith("<b>1/10</b>")
    await mentee.sends("x" * 300)
    assert "Слишком длинно: 300 символов" in mentee.texts()[-2]
    await mentee.sends_sticker()
    assert "нужен текст" in mentee.texts()[-2]
    await mentee.sends_photo()
    assert "нужен текст" in mentee.texts()[-2]
    assert mentee.texts()[-1].startswith("<b>1/10</b>")
    await answer(mentee, MENTEE_ANSWERS[:3])  # name, position, phone
    await mentee.sends("2014")  # makes the person 12
    assert "возраст получается 12" in mentee.texts()[-2]
    await mentee.sends("1914")  # 112
    assert "возраст получается 112" in mentee.texts()[-2]
    await mentee.sends("1999")
    await mentee.taps("Высшее педагогическое")
    await mentee.sends("много")
    assert "целое число от 0 до 60" in mentee.texts()[-2]
    await mentee.sends("20")  # more experience than a person born in 1999 can have
    assert "Стаж получается больше" in mentee.texts()[-2]
    await mentee.sends("1")
    await mentee.sends("31.02.2026")  # no such date
    assert "Такой даты нет" in mentee.texts()[-2]
    await mentee.sends("01.01.2027")
    assert "ещё не наступила" in mentee.texts()[-2]
    profile = await stored_profile(sessionmaker)
    assert profile.full_name == "Петрова Анна Сергеевна"  # nothing lost on the way
    assert profile.birth_year == 1999 and profile.experience_years == 1
    assert profile.started_on is None


async def test_phone_typed_is_normalised_and_someone_elses_contact_refused(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mentee = await start_mentee(app)
    await answer(mentee, MENTEE_ANSWERS[:2])
    await mentee.shares_contact("+79990000000", owner_id=777)
    assert "своим номером" in mentee.texts()[-2]
    await mentee.sends("8 (912) 345-67-89")
    profile = await stored_profile(sessionmaker)
    assert profile.phone == "+79123456789"


async def test_back_returns_to_the_previous_question_and_keeps_answers(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mentee = await start_mentee(app)
    await answer(mentee, MENTEE_ANSWERS[:1])
    reply = await mentee.taps("Назад")
    assert reply is not None and reply.text.startswith("<b>1/10</b>")
    await mentee.sends("Петрова-Сидорова Анна Сергеевна")
    profile = await stored_profile(sessionmaker)
    assert profile.full_name == "Петрова-Сидорова Анна Сергеевна"
    assert mentee.last_reply().text.startswith("<b>2/10</b>")  # type: ignore[union-attr]


async def test_other_position_is_typed_in(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mentee = await start_mentee(app)
    await answer(mentee, MENTEE_ANSWERS[:1])
    await mentee.taps("Другая")
    await mentee.sends("Тьютор")
    assert (await stored_profile(sessionmaker)).position == "Тьютор"


async def test_multi_select_toggles_takes_free_text_and_needs_something(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mentee = await start_mentee(app)
    await answer(mentee, MENTEE_ANSWERS[:9])
    await mentee.taps("Готово")
    assert "хотя бы один вариант" in mentee.texts()[-2]
    await mentee.taps("Документация")
    assert "✅ Документация" in mentee.last_reply().buttons  # type: ignore[union-attr]
    await mentee.taps("Документация")  # untick
    await mentee.taps("Работа с родителями")
    await mentee.sends("Речевое развитие")
    assert "Ваш вариант: Речевое развитие" in mentee.last_reply().text  # type: ignore[union-attr]
    await mentee.taps("Готово")
    profile = await stored_profile(sessionmaker)
    assert profile.difficulties == ["parents"]
    assert profile.difficulties_other == "Речевое развитие"
    assert profile.completed_at is not None


async def test_cancel_leaves_and_start_resumes_where_it_stopped(app: Harness) -> None:
    mentee = await start_mentee(app)
    await answer(mentee, MENTEE_ANSWERS[:4])
    reply = await mentee.sends("/cancel")
    assert reply is not None and "сохранено" in reply.text
    reply = await mentee.sends("Высшее")  # no dialog now
    assert reply is not None and "/help" in reply.text
    await mentee.sends("/start")
    assert mentee.last_reply().text.startswith("<b>5/10</b>")  # type: ignore[union-attr]


async def test_commands_in_the_middle_of_the_dialog(app: Harness) -> None:
    mentee = await start_mentee(app)
    await answer(mentee, MENTEE_ANSWERS[:1])
    reply = await mentee.sends("/help")
    assert reply is not None and "/privacy" in reply.text
    reply = await mentee.sends("/whatever")
    assert reply is not None and "/cancel" in reply.text
    await mentee.taps("Воспитатель")  # the dialog is still where it was
    assert mentee.last_reply().text.startswith("<b>3/10</b>")  # type: ignore[union-attr]


async def test_a_stale_button_from_an_earlier_question_changes_nothing(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mentee = await start_mentee(app)
    await answer(mentee, MENTEE_ANSWERS[:1])
    methodist = mentee.callback_data("Методист")  # a button of the position question
    await answer(mentee, MENTEE_ANSWERS[1:3])  # position, phone: now the year of birth
    await mentee.presses(methodist)
    assert mentee.was_alerted("Эта кнопка уже не действует.")
    await mentee.presses(methodist.rsplit(":", 1)[0] + ":nonsense")  # a forged value
    assert len(mentee.alerts()) == 2
    assert mentee.last_reply().text.startswith("<b>4/10</b>")  # type: ignore[union-attr]
    assert (await stored_profile(sessionmaker)).position == "educator"
    await mentee.sends("/cancel")
    await mentee.presses(methodist)  # after /cancel every button of the dialog is out of date
    assert len(mentee.alerts()) == 3
    assert (await stored_profile(sessionmaker)).position == "educator"


async def test_a_double_tap_answers_once(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mentee = await start_mentee(app)
    await answer(mentee, MENTEE_ANSWERS[:1])
    educator = mentee.callback_data("Воспитатель")
    await mentee.presses(educator)
    await mentee.presses(educator)  # the second tap lands on the phone question: nothing
    assert mentee.last_reply().text.startswith("<b>3/10</b>")  # type: ignore[union-attr]
    assert (await stored_profile(sessionmaker)).position == "educator"


async def test_restart_mid_dialog_continues_at_the_same_question(
    app: Harness,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    mentee = await start_mentee(app)
    await answer(mentee, MENTEE_ANSWERS[:5])
    # The same chat (its messages stay in Telegram), a new process.
    restarted = Harness(create_dispatcher(settings, sessionmaker, clock=clock), app.session)
    await restarted.start()
    same_person = restarted.person(501)
    await same_person.sends("1")  # experience, question 6
    assert same_person.last_reply().text.startswith("<b>7/10</b>")  # type: ignore[union-attr]
    assert (await stored_profile(sessionmaker)).experience_years == 1


async def test_declining_consent_stores_nothing(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    person = app.person(501)
    await person.sends(f"/start {code}")
    await person.sends("Привет")
    assert "ответьте на согласие" in person.last_reply().text  # type: ignore[union-attr]
    reply = await person.taps("Не согласен")
    assert reply is not None and "ничего о вас не сохранили" in reply.text
    async with sessionmaker() as session:
        assert await session.scalar(select(Profile)) is None
    await person.presses("consent:1")
    assert person.was_alerted("Эта кнопка уже не действует.")


async def test_opening_the_link_again_resumes_the_profile(app: Harness) -> None:
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    mentee = app.person(501)
    await mentee.sends(f"/start {code}")
    await mentee.taps("Согласен")
    await answer(mentee, MENTEE_ANSWERS[:4])
    await mentee.sends("/cancel")
    await mentee.sends(f"/start {code}")
    assert "Вы уже участник" in mentee.texts()[-2]
    assert mentee.last_reply().text.startswith("<b>5/10</b>")  # type: ignore[union-attr]


async def test_a_look_at_the_profile_writes_nothing_and_its_buttons_open_the_dialog(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> None:
    """/profile reads (no dialog state, no record of the update); «Продолжить анкету» asks the
    first question left, «Изменить» lists the fields, in the card's own message."""
    mentee = await start_mentee(app)
    await answer(mentee, MENTEE_ANSWERS[:3])  # name, position, phone
    await mentee.sends("/cancel")
    with statements(engine) as seen:
        card = await mentee.sends("/profile")
    assert card is not None and "Петрова Анна Сергеевна" in card.text
    # (the harness's sender runs after each update: its outbox statements are not the update's)
    writes = [
        sql
        for sql in seen
        if not sql.lstrip().upper().startswith("SELECT") and "outbox" not in sql
    ]
    assert writes == []
    assert card.buttons == ["▶ Продолжить анкету", "✏️ Изменить"]
    question = await mentee.taps("Продолжить анкету")
    assert question is not None and question.text.startswith("<b>4/10</b>")  # the birth year
    await mentee.sends("1999")
    assert (await stored_profile(sessionmaker)).birth_year == 1999

    await mentee.sends("/cancel")
    card = await mentee.sends("/profile")
    assert card is not None
    fields = await mentee.taps("Изменить")
    assert fields is not None and fields.message_id == card.message_id  # the same message
    assert "ФИО" in " ".join(fields.buttons)
    stranger = app.person(777)  # the plain card's button pressed by someone else
    await stranger.presses(ProfileCb(action="edit").pack())
    assert stranger.was_alerted("Эта кнопка уже не действует")
