"""Situational help (ситуационное наставничество): asking, relaying, the thread, closing, rating,
the escalation timer in working hours, the psychologist, unreachable people and forged buttons.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.db import create_engine, create_sessionmaker
from bot.scheduler import JobContext, run_jobs
from bot.services.clock import FrozenClock
from models import (
    HelpMessage,
    HelpRequest,
    HelpStatus,
    Membership,
    Pair,
    PairMentee,
    PairStatus,
    Role,
    User,
)
from tests.flows import MENTEE_ANSWERS, MENTOR_ANSWERS, found_organisation, invite, join, withdraw
from tests.harness import Harness, Person

MENTEE_NAME = "Петрова Анна Сергеевна"
MENTOR_NAME = "Смирнова Ольга Ивановна"
PSYCHOLOGIST_ANSWERS = [("text", "Кузнецова Мария Петровна"), ("tap", "Пропустить")]


@dataclass
class Cast:
    curator: Person
    mentee: Person
    mentor: Person


async def membership_of(session: AsyncSession, telegram_id: int, role: Role) -> Membership:
    membership = await session.scalar(
        select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(User.telegram_id == telegram_id, Membership.role == role)
    )
    assert membership is not None
    return membership


async def pair_up(
    sessionmaker: async_sessionmaker[AsyncSession], mentor: Person, *mentees: Person
) -> int:
    """An ACTIVE pair straight in the database (forming pairs is another dialog's work)."""
    async with sessionmaker.begin() as session:
        mentor_membership = await membership_of(session, mentor.telegram_id, Role.MENTOR)
        pair = Pair(
            organisation_id=mentor_membership.organisation_id,
            mentor_membership_id=mentor_membership.id,
            status=PairStatus.ACTIVE,
            forms=["situational"],
            created_at=datetime.now(UTC),
        )
        session.add(pair)
        await session.flush()
        for mentee in mentees:
            membership = await membership_of(session, mentee.telegram_id, Role.MENTEE)
            session.add(PairMentee(pair_id=pair.id, mentee_membership_id=membership.id))
        return pair.id


async def cast(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], *, paired: bool = True
) -> Cast:
    curator = await found_organisation(app)
    mentee = await join(app, await invite(curator, "наставляемый"), 501, MENTEE_ANSWERS)
    mentor = await join(app, await invite(curator, "наставник"), 601, MENTOR_ANSWERS)
    if paired:
        await pair_up(sessionmaker, mentor, mentee)
    for person in (curator, mentee, mentor):
        person.forget()
    return Cast(curator, mentee, mentor)


async def add_psychologist(app: Harness, curator: Person, telegram_id: int = 801) -> Person:
    psychologist = await join(
        app, await invite(curator, "педагог-психолог"), telegram_id, PSYCHOLOGIST_ANSWERS
    )
    curator.forget()
    psychologist.forget()
    return psychologist


def jobs(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> JobContext:
    core = app.dispatcher["i18n_middleware"].core
    return JobContext(app.bot, sessionmaker, clock, core, settings)


async def the_request(sessionmaker: async_sessionmaker[AsyncSession]) -> HelpRequest:
    async with sessionmaker() as session:
        request = await session.scalar(select(HelpRequest))
        assert request is not None
        return request


async def thread(sessionmaker: async_sessionmaker[AsyncSession]) -> list[HelpMessage]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(HelpMessage).order_by(HelpMessage.id)))


async def test_a_caption_of_emoji_keeps_within_telegrams_count(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """500 emoji fit a caption (Telegram counts each as two: 1,000 of 1,024), but not with the
    thread's header: the header goes before the photo, which keeps the whole caption."""
    people = await cast(app, sessionmaker)
    mentee, mentor = people.mentee, people.mentor
    await mentee.sends("/sos")
    await mentee.sends("Посмотрите, как дети нарисовали праздник")
    await mentee.sends_photo(file_id="photo-smiles", caption="😊" * 500)
    photo = mentor.last_reply()
    assert photo is not None and photo.file_id == "photo-smiles" and photo.text == "😊" * 500
    assert "💬" in mentor.texts()[-2]


async def test_mentee_asks_mentor_answers_thread_goes_on_closes_and_is_rated(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    people = await cast(app, sessionmaker)
    mentee, mentor = people.mentee, people.mentor

    reply = await mentee.sends("/sos")
    assert reply is not None and "Опишите ситуацию" in reply.text and MENTOR_NAME in reply.text
    reply = await mentee.sends("Ребёнок плачет <весь день> после ухода мамы. Что делать?")
    assert reply is not None and f"передан наставнику: {MENTOR_NAME}" in reply.text

    # The mentor has it at once, escaped, with a button to answer.
    asked = mentor.last_reply()
    assert asked is not None
    assert "Запрос о помощи №" in asked.text and MENTEE_NAME in asked.text
    assert "&lt;весь день&gt;" in asked.text
    assert asked.buttons == ["✍️ Ответить", "✅ Закрыть запрос"]

    await mentee.sends_photo(file_id="photo-corner", caption="Вот так устроен уголок")
    photo = mentor.last_reply()
    assert photo is not None and photo.kind == "photo" and photo.file_id == "photo-corner"
    assert "Вот так устроен уголок" in photo.text and "💬" in photo.text
    await mentee.sends_video_note(file_id="circle-1")
    assert mentor.last_reply().kind == "video_note"  # type: ignore[union-attr]
    assert "💬" in mentor.texts()[-2]  # a video note has no caption: the header goes before it

    request = await the_request(sessionmaker)
    assert request.status == HelpStatus.OPEN and request.pair_id is not None
    # Wednesday 12:00 in Moscow + 4 working hours = 16:00 Moscow = 13:00 UTC.
    assert request.answer_due_at == datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
    assert request.answered_at is None and request.escalated_at is None

    reply = await mentor.taps("Ответить")
    assert reply is not None and f"запросу №{request.id}" in reply.text
    shown = len(mentor.transcript)
    await mentor.taps("Ответить")  # a double tap: the same window, not a second one
    assert len(mentor.transcript) == shown
    await mentor.sends_voice(file_id="voice-answer")
    heard = mentee.last_reply()
    assert heard is not None and heard.kind == "voice" and heard.file_id == "voice-answer"
    assert f"{MENTOR_NAME} (наставник)" in heard.text

    await mentee.sends("Спасибо, попробую с игрушкой")  # still in the thread
    assert "попробую с игрушкой" in mentor.last_reply().text  # type: ignore[union-attr]
    await mentor.sends("Напишите завтра, как прошло")
    assert "как прошло" in mentee.last_reply().text  # type: ignore[union-attr]

    stored = await thread(sessionmaker)
    assert [(m.content_type, m.file_id) for m in stored] == [
        ("text", None),
        ("photo", "photo-corner"),
        ("video_note", "circle-1"),
        ("voice", "voice-answer"),
        ("text", None),
        ("text", None),
    ]
    assert stored[1].text == "Вот так устроен уголок"
    assert all(m.delivered and m.delivery_error is None for m in stored)
    assert (await the_request(sessionmaker)).answered_at is not None

    reply = await mentee.taps("Закрыть запрос")
    assert reply is not None and "Оцените" in reply.text
    assert reply.buttons == ["1", "2", "3", "4", "5"]
    assert "Закрыл(а): Петрова Анна Сергеевна (наставляемый)" in mentor.last_reply().text  # type: ignore[union-attr]
    rate_five = mentee.callback_data("5")
    reply = await mentee.taps("5")
    assert reply is not None and "Ваша оценка: 5 из 5" in reply.text
    assert reply.buttons == ["🆘 Нужна помощь"]
    request = await the_request(sessionmaker)
    assert request.status == HelpStatus.CLOSED and request.rating == 5
    assert request.closed_at is not None

    # A second tap changes nothing; a message into the closed thread is refused, not lost silently.
    await mentee.presses(rate_five.rsplit(":", 1)[0] + ":2")  # the rating only, not the id
    assert mentee.was_alerted("уже оценили")
    assert (await the_request(sessionmaker)).rating == 5
    reply = await mentor.sends("Ещё одно")
    assert reply is not None and "закрыт" in reply.text
    assert len(await thread(sessionmaker)) == 6


async def test_the_help_button_and_bad_input(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    people = await cast(app, sessionmaker)
    mentee, mentor = people.mentee, people.mentor
    reply = await mentee.sends("🆘 Нужна помощь")  # the reply-keyboard button
    assert reply is not None and "Опишите ситуацию" in reply.text
    reply = await mentee.sends_sticker()
    assert reply is not None and "не передам" in reply.text
    assert await thread(sessionmaker) == []
    await mentee.sends_document(file_id="doc-plan", name="план.docx", caption="Мой план")
    sent = mentor.last_reply()
    assert sent is not None and sent.kind == "document" and sent.file_id == "doc-plan"

    # Asking again while a request is open continues it rather than starting another.
    reply = await mentee.sends("/sos")
    assert reply is not None and "ещё открыт" in reply.text
    await mentee.sends("И ещё вопрос")
    assert "И ещё вопрос" in mentor.last_reply().text  # type: ignore[union-attr]
    async with sessionmaker() as session:
        assert len(list(await session.scalars(select(HelpRequest)))) == 1

    # A mentor cannot ask for help as a mentee.
    reply = await mentor.sends("/sos")
    assert reply is not None and "недоступно" in reply.text


async def test_mentee_without_a_pair_goes_straight_to_the_curator(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    people = await cast(app, sessionmaker, paired=False)
    mentee, curator = people.mentee, people.curator
    reply = await mentee.sends("/sos")
    assert reply is not None and "Наставника у вас пока нет" in reply.text
    reply = await mentee.sends("Не знаю, как начать родительское собрание")
    assert reply is not None and "передан куратору" in reply.text
    asked = curator.last_reply()
    assert asked is not None and "родительское собрание" in asked.text
    assert asked.buttons == ["✍️ Ответить", "✅ Закрыть запрос", "🧠 Передать психологу"]
    request = await the_request(sessionmaker)
    assert request.escalated_at == clock.now() and request.answer_due_at is None
    assert request.helper_membership_id is None and request.pair_id is None

    await curator.taps("Ответить")
    await curator.sends("Начните с приветствия и плана встречи")
    assert "плана встречи" in mentee.last_reply().text  # type: ignore[union-attr]
    async with sessionmaker() as session:
        desk = await membership_of(session, curator.telegram_id, Role.CURATOR)
    request = await the_request(sessionmaker)
    assert request.helper_membership_id == desk.id and request.answered_at is not None

    curator.forget()
    clock.advance(days=3)
    await app.run_jobs(jobs(app, sessionmaker, clock, settings))
    assert curator.texts() == []  # nothing to escalate: the curator has it already


async def test_an_answered_request_whose_mentor_withdrew_goes_to_the_curator(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    """The mentor answers, then withdraws consent: the thread is still open and nobody would
    read on (an answered request is never overdue). The next pass brings the curator in, once,
    saying why; the mentee learns her request went to the curator."""
    people = await cast(app, sessionmaker)
    mentee, mentor, curator = people.mentee, people.mentor, people.curator
    await mentee.sends("/sos Родители просят встречу, а я не знаю, как её провести")
    await mentor.taps("Ответить")
    await mentor.sends("Давайте обсудим завтра")
    await withdraw(mentor)
    await app.deliver()
    curator.forget()
    mentee.forget()
    context = jobs(app, sessionmaker, clock, settings)
    await app.run_jobs(context)
    await app.run_jobs(context)  # once only
    request = await the_request(sessionmaker)
    assert request.escalated_at == clock.now() and request.status == HelpStatus.OPEN
    why, asked, answered = curator.texts()
    assert f"Запрос о помощи №{request.id}" in why and "Наставник больше не участвует" in why
    assert MENTEE_NAME in why and "Родители просят встречу" in asked
    assert "Сообщение удалено" in answered  # the mentor's answer went with her data
    assert curator.last_reply().buttons[:2] == ["✍️ Ответить", "✅ Закрыть запрос"]  # type: ignore[union-attr]
    [told] = mentee.texts()
    assert "больше не участвует в программе" in told and f"№{request.id}" in told


async def test_escalation_counts_working_hours_and_happens_once(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    people = await cast(app, sessionmaker)
    mentee, mentor, curator = people.mentee, people.mentor, people.curator
    psychologist = await add_psychologist(app, curator)
    context = jobs(app, sessionmaker, clock, settings)

    clock.moment = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)  # Friday 17:00 in Moscow
    await mentee.sends("/sos")
    await mentee.sends("Коллега кричит на детей, не знаю, как быть")
    request = await the_request(sessionmaker)
    # One working hour on Friday, three on Monday: Monday 12:00 Moscow.
    assert request.answer_due_at == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

    clock.moment = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # the weekend: hours do not count
    await app.run_jobs(context)
    clock.moment = datetime(2026, 11, 30, 8, 59, tzinfo=UTC)
    await app.run_jobs(context)
    assert curator.texts() == []
    assert (await the_request(sessionmaker)).escalated_at is None

    clock.moment = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    await app.run_jobs(context)
    texts = curator.texts()
    assert len(texts) == 2
    assert "не ответил за 4 рабочих часа" in texts[0] and MENTEE_NAME in texts[0]
    assert "кричит на детей" in texts[1]
    assert curator.last_reply().buttons == [  # type: ignore[union-attr]
        "✍️ Ответить",
        "✅ Закрыть запрос",
        "🧠 Передать психологу",
    ]
    assert "передал и куратору" in mentee.last_reply().text  # type: ignore[union-attr]
    assert (await the_request(sessionmaker)).escalated_at == clock.now()

    clock.advance(hours=2)
    await app.run_jobs(context)
    await app.run_jobs(context)
    assert len(curator.texts()) == 2  # exactly once

    # The curator passes it to the psychologist, who answers.
    reply = await curator.taps("Передать психологу")
    assert reply is not None and "Кузнецова Мария Петровна" in reply.text
    assert "передал вам запрос" in psychologist.texts()[0]
    assert "кричит на детей" in psychologist.texts()[1]
    assert "передан педагогу-психологу" in mentee.last_reply().text  # type: ignore[union-attr]
    assert "Дальше переписку ведёт педагог-психолог" in mentor.last_reply().text  # type: ignore[union-attr]
    async with sessionmaker() as session:
        psy = await membership_of(session, psychologist.telegram_id, Role.PSYCHOLOGIST)
    assert (await the_request(sessionmaker)).helper_membership_id == psy.id

    await psychologist.taps("Ответить")
    await psychologist.sends("Давайте встретимся завтра в 14:00")
    heard = mentee.last_reply()
    assert heard is not None and "встретимся завтра" in heard.text
    assert "(педагог-психолог)" in heard.text
    assert "встретимся завтра" in curator.last_reply().text  # type: ignore[union-attr]

    # The mentor is no longer in this thread: an old button is refused.
    mentor_texts = len(mentor.texts())
    await mentor.taps("Ответить")
    assert mentor.was_alerted("недоступен")
    assert len(mentor.texts()) == mentor_texts

    # Passing twice: already there.
    await curator.presses(curator.callback_data("Передать психологу"))
    assert curator.was_alerted("уже у этого педагога-психолога")


async def test_no_psychologist_is_said_plainly(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    people = await cast(app, sessionmaker, paired=False)
    await people.mentee.sends("/sos")
    await people.mentee.sends("Нужна поддержка")
    await people.curator.taps("Передать психологу")
    assert people.curator.was_alerted("нет педагога-психолога")
    request = await the_request(sessionmaker)
    assert request.helper_membership_id is None and request.status == HelpStatus.OPEN


async def test_relay_to_someone_who_blocked_the_bot_keeps_the_message(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    people = await cast(app, sessionmaker)
    mentee, mentor, curator = people.mentee, people.mentor, people.curator

    # The mentor blocked the bot: the relay is queued, Telegram refuses it (403), the mentor is
    # marked unreachable and the curator told; the next tick brings the curator into the request.
    app.session.blocked.add(mentor.telegram_id)
    await mentee.sends("/sos")
    reply = await mentee.sends("Срочно: ребёнок поранился")
    assert reply is not None and "передан наставнику" in reply.text
    assert any("заблокировал(а) бота" in text for text in curator.texts())
    await app.run_jobs(jobs(app, sessionmaker, clock, settings))
    assert (await the_request(sessionmaker)).escalated_at == clock.now()
    assert any("Его не удалось доставить наставнику" in text for text in curator.texts())
    assert "ребёнок поранился" in curator.texts()[-1]
    stored = await thread(sessionmaker)
    assert len(stored) == 1 and stored[0].text == "Срочно: ребёнок поранился"

    # Now that the mentor is known unreachable, the mentee hears it at once.
    await mentee.sends("Ещё: нужна аптечка")
    assert any("Не удалось доставить" in text for text in mentee.texts())
    stored = await thread(sessionmaker)
    assert stored[-1].delivered is False and "blocked" in (stored[-1].delivery_error or "")

    # The curator answers; then the mentee blocks the bot, and the curator's messages are kept.
    await curator.taps("Ответить")
    await curator.sends("Сейчас подойду")
    assert "Сейчас подойду" in mentee.last_reply().text  # type: ignore[union-attr]
    app.session.blocked.add(mentee.telegram_id)
    await curator.sends("Где вы?")
    await curator.sends("Ответьте, пожалуйста")
    assert "Не удалось доставить" in curator.last_reply().text  # type: ignore[union-attr]
    stored = await thread(sessionmaker)
    assert [m.text for m in stored[-2:]] == ["Где вы?", "Ответьте, пожалуйста"]
    assert stored[-1].delivered is False


async def test_unreachable_mentee_is_reported_to_the_curator_once(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    people = await cast(app, sessionmaker)
    mentee, mentor, curator = people.mentee, people.mentor, people.curator
    await mentee.sends("/sos")
    await mentee.sends("Как оформить портфолио?")
    app.session.blocked.add(mentee.telegram_id)
    await mentor.taps("Ответить")
    await mentor.sends("Пришлю образец")
    await mentor.sends("И ещё ссылку")
    warnings = [text for text in curator.texts() if "заблокировал(а) бота" in text]
    assert len(warnings) == 1 and "Петрова Анна Сергеевна" in warnings[0]
    assert "Не удалось доставить" in mentor.last_reply().text  # type: ignore[union-attr]
    stored = await thread(sessionmaker)
    assert stored[-1].text == "И ещё ссылку" and not stored[-1].delivered


async def test_forged_callbacks_for_another_request_are_refused(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    people = await cast(app, sessionmaker)
    mentee, mentor, curator = people.mentee, people.mentor, people.curator
    other = await join(
        app,
        await invite(curator, "наставляемый"),
        502,
        [("text", "Иванова Ирина Олеговна"), *MENTEE_ANSWERS[1:]],
    )
    other.forget()
    await mentee.sends("/sos")
    await mentee.sends("Личный вопрос")
    request = await the_request(sessionmaker)
    answer = mentor.callback_data("Ответить")
    close = mentor.callback_data("Закрыть")

    for data in (answer, close, f"help:rate:{request.id}:5", f"help:pass:{request.id}:0"):
        await other.presses(data)
    assert other.alerts() and all("недоступен" in alert for alert in other.alerts())
    # Before escalation even the curator is not in the thread.
    await curator.presses(answer)
    assert curator.was_alerted("недоступен")
    reply = await other.sends("Это попадёт в чужой запрос?")
    assert reply is not None and "Не понял" in reply.text
    request = await the_request(sessionmaker)
    assert request.status == HelpStatus.OPEN and request.rating is None
    assert len(await thread(sessionmaker)) == 1


async def test_cancel_leaves_the_thread_and_requests_lists_it(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    people = await cast(app, sessionmaker)
    mentee, mentor = people.mentee, people.mentor
    await mentee.sends("/sos")
    await mentee.sends("Как вести дневник наблюдений?")

    reply = await mentor.sends("/requests")
    assert reply is not None and "Открытые запросы о помощи: 1" in reply.text
    assert any(MENTEE_NAME in b and "ждёт ответа" in b for b in reply.buttons)
    shown = len(mentor.texts())
    await mentor.taps(MENTEE_NAME)
    texts = mentor.texts()[shown - 1 :]  # the list became the thread's window, then its history
    assert "Запрос о помощи №" in texts[0] and MENTEE_NAME in texts[0] and "Пишите" in texts[0]
    assert mentor.transcript[shown - 1].buttons == ["✅ Закрыть запрос"]
    assert len(texts) == 2 and "дневник наблюдений" in texts[1]
    assert mentor.last_reply().buttons == ["✍️ Ответить", "✅ Закрыть запрос"]  # type: ignore[union-attr]

    await mentor.taps("Ответить")
    mentee_seen = len(mentee.texts())
    reply = await mentor.sends("/cancel")
    assert reply is not None and "вышли из диалога" in reply.text
    assert len(mentee.texts()) == mentee_seen
    assert len(await thread(sessionmaker)) == 1
    assert (await the_request(sessionmaker)).status == HelpStatus.OPEN

    reply = await mentee.sends("/requests")
    assert reply is not None and "Открытые запросы о помощи: 1" in reply.text


# --- the dialogs: /sos with its text, a reply without «Ответить», taking it back ---------------


async def test_sos_with_the_text_in_the_same_message_takes_it_as_the_request(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    people = await cast(app, sessionmaker)
    mentee, mentor = people.mentee, people.mentor
    reply = await mentee.sends("/sos   ")  # nothing typed after it: asked to describe
    assert reply is not None and "Опишите ситуацию" in reply.text
    await mentee.sends("/cancel")
    reply = await mentee.sends("/sos Родители снова просят о встрече")
    assert reply is not None and f"передан наставнику: {MENTOR_NAME}" in reply.text
    assert "Опишите" not in reply.text
    assert "Родители снова просят о встрече" in mentor.last_reply().text  # type: ignore[union-attr]
    assert [m.text for m in await thread(sessionmaker)] == ["Родители снова просят о встрече"]
    await mentee.sends("Они недовольны расписанием")  # the thread goes on in the same message
    assert "недовольны расписанием" in mentor.last_reply().text  # type: ignore[union-attr]
    reply = await mentee.sends("/sos И ещё: придут вдвоём")  # joins the open request
    assert reply is not None and "Добавлено в запрос" in reply.text
    async with sessionmaker() as session:
        assert len(list(await session.scalars(select(HelpRequest)))) == 1
    assert len(await thread(sessionmaker)) == 3


async def test_a_reply_without_the_button_goes_to_the_one_open_thread_and_can_be_taken_back(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    people = await cast(app, sessionmaker)
    mentee, mentor = people.mentee, people.mentor
    await mentee.sends("/sos")
    await mentee.sends("Как вести дневник наблюдений?")
    request = await the_request(sessionmaker)

    reply = await mentor.sends("Заведите тетрадь и пишите каждый день")  # no «Ответить» tapped
    assert reply is not None and f"ответ по запросу №{request.id}" in reply.text
    assert reply.buttons == ["↩️ Забрать ответ", "✅ Закрыть запрос"]
    assert "Заведите тетрадь" in mentee.last_reply().text  # type: ignore[union-attr]
    assert (await the_request(sessionmaker)).answered_at is not None

    take_back = mentor.callback_data("Забрать ответ")
    shown = len(mentor.transcript)
    await mentor.taps("Забрать ответ")
    assert len(mentor.transcript) == shown  # the same message, edited
    assert "отозван" in mentor.texts()[-1] and "Забрать ответ" not in mentor.last_reply().buttons  # type: ignore[union-attr]
    note = mentee.last_reply()
    assert note is not None and "Отзываю своё сообщение «Заведите тетрадь" in note.text
    await mentor.presses(take_back)  # a double tap: no second note
    assert [m.text for m in await thread(sessionmaker)][1:] == [
        "Заведите тетрадь и пишите каждый день",
        "↩️ Отзываю своё сообщение «Заведите тетрадь и пишите каждый день» — пожалуйста, не"
        " учитывайте его.",
    ]
    # The only answer was withdrawn: the mentee is waiting again, and the timer runs.
    assert (await the_request(sessionmaker)).answered_at is None

    await mentor.sends("Лучше начните с таблицы")  # still in the thread: relayed as usual
    assert "с таблицы" in mentee.last_reply().text  # type: ignore[union-attr]
    await mentor.sends("/cancel")
    alerts = len(mentor.alerts())
    await mentor.presses(take_back)  # after /cancel the window's buttons are out of date
    assert len(mentor.alerts()) == alerts + 1 and "уже не действует" in mentor.alerts()[-1]
    assert len(await thread(sessionmaker)) == 4

    # The mentee's own request is not something they answer: a stray text is not understood.
    await mentee.sends("/cancel")
    reply = await mentee.sends("Просто текст")
    assert reply is not None and "Не понял" in reply.text
    assert len(await thread(sessionmaker)) == 4


async def test_a_reply_without_the_button_to_several_threads_asks_which(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    people = await cast(app, sessionmaker, paired=False)
    curator, mentor, first = people.curator, people.mentor, people.mentee
    second = await join(
        app,
        await invite(curator, "наставляемый"),
        502,
        [("text", "Иванова Ирина Олеговна"), *MENTEE_ANSWERS[1:]],
    )
    await pair_up(sessionmaker, mentor, first, second)
    await first.sends("/sos Как говорить с папой Пети?")
    await second.sends("/sos Где взять план занятий?")
    first.forget()
    second.forget()

    reply = await mentor.sends("Пришлю вечером")
    assert reply is not None and "К какому из них этот ответ" in reply.text
    assert any(MENTEE_NAME in b for b in reply.buttons)
    assert any("Иванова Ирина Олеговна" in b for b in reply.buttons)
    assert "Не отправлять" in reply.buttons
    assert await thread(sessionmaker) and len(await thread(sessionmaker)) == 2  # nothing sent yet

    await mentor.presses(mentor.callback_data(MENTEE_NAME).rsplit(":", 1)[0] + ":abc")
    assert mentor.was_alerted("уже не действует")  # a forged choice: nothing sent
    assert first.texts() == [] and second.texts() == []
    await mentor.sends("Пришлю вечером")  # asked again

    chosen = mentor.callback_data("Иванова Ирина Олеговна")
    shown = len(mentor.transcript)
    await mentor.taps("Иванова Ирина Олеговна")
    assert len(mentor.transcript) == shown and "как ответ по запросу" in mentor.texts()[-1]
    assert first.texts() == [] and "Пришлю вечером" in second.texts()[-1]
    await mentor.presses(chosen)  # a double tap sends nothing twice
    assert len(second.texts()) == 1
    assert len(await thread(sessionmaker)) == 3

    await mentor.sends("/cancel")
    await mentor.sends("Это никому")
    reply = await mentor.taps("Не отправлять")
    assert first.texts() == [] and len(second.texts()) == 1
    assert len(await thread(sessionmaker)) == 3


async def test_the_help_dialogs_go_on_after_a_restart(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    clock: FrozenClock,
) -> None:
    people = await cast(app, sessionmaker)
    mentee, mentor = people.mentee, people.mentor
    await mentee.sends("/sos")
    restarted = Harness(create_dispatcher(settings, sessionmaker, clock=clock), app.session)
    await restarted.start()
    mentee_again = restarted.person(mentee.telegram_id)
    reply = await mentee_again.sends("Ребёнок не ест в саду")  # describe, after the restart
    assert reply is not None and "передан наставнику" in reply.text
    await mentor.taps("Ответить")
    again = Harness(create_dispatcher(settings, sessionmaker, clock=clock), app.session)
    await again.start()
    await again.person(mentor.telegram_id).sends("Предложите ему ложку побольше")
    assert "ложку побольше" in mentee.last_reply().text  # type: ignore[union-attr]
    stored = await thread(sessionmaker)
    assert [m.text for m in stored] == ["Ребёнок не ест в саду", "Предложите ему ложку побольше"]


async def test_the_close_button_of_the_thread_window_twice_and_after_cancel(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    people = await cast(app, sessionmaker)
    mentee, mentor = people.mentee, people.mentor
    reply = await mentee.sends("/sos Дети не слушаются на прогулке")
    assert reply is not None and reply.buttons == ["✅ Закрыть запрос"]
    close = mentee.callback_data("Закрыть запрос")
    await mentee.sends("/cancel")
    await mentee.presses(close)
    assert mentee.was_alerted("уже не действует")
    assert (await the_request(sessionmaker)).status == HelpStatus.OPEN
    reply = await mentee.sends("/sos")
    assert reply is not None and "ещё открыт" in reply.text
    close = mentee.callback_data("Закрыть запрос")
    await mentee.taps("Закрыть запрос")
    assert "закрыт" in mentee.texts()[-1] and "Закрыл(а)" in mentor.texts()[-1]
    await mentee.presses(close)  # twice: the window is gone
    assert mentee.was_alerted("уже не действует")
    assert (await the_request(sessionmaker)).status == HelpStatus.CLOSED


async def test_two_processes_escalating_at_once_tell_the_curator_once(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
    database_url: str,
) -> None:
    """Two bot processes on one database reach the same unanswered request in the same tick:
    the curator gets it once, and the mentee hears once that the curator has it."""
    people = await cast(app, sessionmaker)
    mentee, curator = people.mentee, people.curator
    clock.moment = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)  # Friday 17:00 in Moscow
    await mentee.sends("/sos")
    await mentee.sends("Коллега кричит на детей, не знаю, как быть")
    clock.moment = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # four working hours later
    other_engine = create_engine(database_url)
    first = jobs(app, sessionmaker, clock, settings)
    second = jobs(app, create_sessionmaker(other_engine), clock, settings)
    await asyncio.gather(run_jobs(first), run_jobs(second))
    await other_engine.dispose()
    await app.deliver()
    texts = curator.texts()
    assert len(texts) == 2 and "кричит на детей" in texts[1]
    told = [text for text in mentee.texts() if "передал и куратору" in text]
    assert len(told) == 1
