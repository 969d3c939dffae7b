"""What stays of a person outside the rows withdrawal erases: the bot's own log lines, the
questionnaire results others read, and others' dialogs that merely hold a number."""

from __future__ import annotations

import io
import logging
from datetime import timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.logs import NoTelegramIds, configure
from bot.services.clock import FrozenClock
from bot.services.questionnaires import on_pair_activated, on_programme_ended
from models import HelpRequest, OutboxMessage, RoadmapStage, Role
from models.base import dialect_of
from models.outbox import DeliveryState
from tests.flows import MENTEE_ANSWERS, answer, found_organisation, invite, withdraw
from tests.harness import Harness
from tests.pairs_fixture import membership_of
from tests.test_erasure_scan import columns_holding
from tests.test_help import cast
from tests.test_survey_campaigns import ENTRY, ENTRY_ANSWERS
from tests.test_survey_monitoring import impact_values, submit
from tests.test_survey_support import kindergarten, launch, make_pair

NAME, TELEGRAM_ID = "Петрова Анна Сергеевна", 501
NOBODY = 999_999_999_999  # a Telegram id nobody has: a scan for texts only


# A trigger that refuses any change of a profile, in each database's words.
REFUSE_PROFILES = {
    "sqlite": [
        "CREATE TRIGGER refuse_profiles BEFORE UPDATE ON profiles "
        "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$",
        "CREATE TRIGGER refuse_profiles BEFORE UPDATE ON profiles "
        "FOR EACH ROW EXECUTE FUNCTION refuse_change()",
    ],
}
ALLOW_PROFILES = {
    "sqlite": ["DROP TRIGGER refuse_profiles"],
    "postgresql": ["DROP TRIGGER refuse_profiles ON profiles", "DROP FUNCTION refuse_change()"],
}


async def test_a_failing_statement_is_logged_without_the_persons_data(
    app: Harness, engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    """The database refuses her name as she joins: the log says which update failed and why,
    but not the values the statement carried (her name, her Telegram id)."""
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    async with engine.begin() as connection:
        for statement in REFUSE_PROFILES[engine.dialect.name]:
            await connection.execute(text(statement))
    try:
        person = app.person(TELEGRAM_ID)
        with caplog.at_level(logging.INFO):  # the level the bot runs at
            await person.sends(f"/start {code}")
            await person.taps("Согласен")
            await person.sends(NAME)
    finally:
        async with engine.begin() as connection:
            for statement in ALLOW_PROFILES[engine.dialect.name]:
                await connection.execute(text(statement))
    assert "Ничего из сохранённого не потеряно" in person.texts()[-1]
    logged = caplog.text
    assert "refused by the test" in logged  # the cause is there
    for trace in (NAME, str(TELEGRAM_ID)):
        assert trace not in logged, trace


async def test_a_dialog_holding_her_number_as_something_else_goes_on(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """The curator has a stage of the roadmap open whose id happens to be the mentee's
    membership id: she withdraws, and the curator's dialog, which holds nothing of hers, goes
    on (one that ticked her for a pair closes: tests/test_erasure_others.py)."""
    people = await cast(app, sessionmaker, paired=False)
    curator, mentee = people.curator, people.mentee
    async with sessionmaker.begin() as session:
        own = await membership_of(session, mentee.telegram_id, Role.MENTEE)
        if dialect_of(session) == "postgresql":  # its ids run on: number the stages from hers
            sequence = "pg_get_serial_sequence('roadmap_stages', 'id')"
            await session.execute(text(f"SELECT setval({sequence}, :id, false)"), {"id": own.id})
    await curator.sends("/roadmap")
    await curator.taps("Составить по шаблону")
    async with sessionmaker() as session:
        stage = await session.get(RoadmapStage, own.id)
        assert stage is not None  # the stage numbered as her membership
    card = await curator.taps(f"{stage.position}. ")
    assert card is not None and f"Этап {stage.position} из 7" in card.text
    await withdraw(mentee)
    alerts = len(curator.alerts())
    reply = await curator.taps("Мероприятия")
    assert curator.alerts()[alerts:] == [] and reply is not None
    await curator.sends("Установочная сессия по понедельникам")
    async with sessionmaker() as session:
        kept = await session.get(RoadmapStage, stage.id)
        assert kept is not None and kept.actions == "Установочная сессия по понедельникам"


def cells(document: bytes | None) -> dict[str, list[tuple[Any, ...]]]:
    assert document is not None
    book = load_workbook(io.BytesIO(document))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def traces(rows: list[tuple[Any, ...]]) -> list[Any]:
    """The cells holding her name, phone or Telegram id, or marking a row as hers."""
    return [
        value
        for row in rows
        for value in row
        if any(
            trace in str(value)
            for trace in ("Петрова", "9123456789", str(TELEGRAM_ID), "обезличен")
        )
    ]


async def test_a_named_questionnaire_keeps_no_row_of_hers_once_she_withdraws(
    app: Harness,
) -> None:
    """Two mentees answer the named entry questionnaire (she is sure at 5, her colleague at 3);
    she withdraws. The results and both exports count her taps in the figures, but no row of
    the answers is hers, not even an impersonal one (role, sending time and taps would tie it
    to her)."""
    garden = await kindergarten(app, mentees=2)
    her, colleague = garden.mentees
    curator = garden.curator
    await launch(curator, ENTRY, "Наставляемые (2)")
    for person, sure in ((her, "5"), (colleague, "3")):
        await person.taps("Начать")
        await answer(
            person, [(kind, sure if value == "3" else value) for kind, value in ENTRY_ANSWERS]
        )
    await withdraw(her)

    await curator.sends("/surveys")
    await curator.taps("Входная диагностика наставляемого")
    seen = len(curator.texts())
    await curator.taps("Итоги")
    shown = "\n".join(curator.texts()[seen:])
    assert "Ответили 2 из 2" in shown and "Петрова" not in shown
    await curator.taps("Выгрузка XLSX")
    book = cells(curator.last_reply().document)  # type: ignore[union-attr]
    answers = book["Ответы"]
    assert [row[1] for row in answers[1:]] == ["Иванова Мария Петровна"]
    summary = book["Сводка"]
    assert (None, 5, 1) in [row[:3] for row in summary]  # her tap, counted
    assert traces(answers) == traces(summary) == []

    await curator.sends("/export")
    await curator.taps("Ответы на анкеты")
    rows = cells(curator.last_reply().document)["Ответы на анкеты"]  # type: ignore[union-attr]
    assert {row[3] for row in rows[1:]} == {"Иванова Мария Петровна"}
    assert traces(rows) == []


async def test_before_and_after_lists_no_one_who_withdrew(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """Mentor and mentee answered the impact questionnaire before and after; the mentee
    withdraws. The figures still count both; the person by person list, on the screen and in
    the XLSX, and the answers sheet, hold the mentor only."""
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
        for response in after:
            mine = response.membership_id == mentee_before.membership_id
            points = (5, 4, 6, 7, 6, 7, 3, 6) if mine else (8, 6, 8, 8, 7, 8, 6, 6)
            await submit(session, response, impact_values(points), now)
        await session.commit()
    await withdraw(garden.mentees[0])

    curator = garden.curator
    await curator.sends("/surveys")
    await curator.taps("Влияние программы")
    await curator.taps("Итоги")
    text = "\n".join(curator.texts()[-2:])
    assert "Вовлечённость: 4,0 → 6,5 (+2,5), выросло у 2 из 2" in text  # she is counted
    assert "<b>Смирнова Ольга Ивановна</b> · наставник" in text
    assert "наставляемый" not in text and "Петрова" not in text and "без имени" not in text
    await curator.taps("Выгрузка XLSX")
    book = cells(curator.last_reply().document)  # type: ignore[union-attr]
    impact = book["До и после"]
    assert ("Вовлечённость", 2, 4.0, 6.5, 2.5) in [row[:5] for row in impact]
    people = impact[impact.index(next(r for r in impact if r[0] == "Участник")) + 1 :]
    assert [row[:2] for row in people] == [("Смирнова Ольга Ивановна", "наставник")]
    assert [row[1] for row in book["Ответы"][1:]] == ["Смирнова Ольга Ивановна"] * 2
    assert traces(impact) == traces(book["Ответы"]) == []


async def test_her_thread_replays_the_withdrawn_helpers_photo_as_deleted(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """The mentor answers the mentee's request with a photo, then withdraws. The mentee opens
    the thread: its history shows the mentor's message as deleted (a photo without its file
    would be refused, and with it the thread's buttons), naming nobody."""
    people = await cast(app, sessionmaker)
    mentee, mentor = people.mentee, people.mentor
    await mentee.sends("/sos")
    await mentee.sends("Дети не спят в тихий час")
    await mentor.taps("Ответить")
    await mentor.sends_photo(file_id="photo-answer", caption="Вот так укладываем")
    await withdraw(mentor)
    await app.deliver()
    mentee.forget()
    await mentee.sends("/requests")
    await mentee.taps("№")
    await app.deliver()
    async with sessionmaker() as session:
        number = await session.scalar(select(HelpRequest.id))
    replayed = [sent for sent in mentee.transcript if sent.text.startswith(f"<b>№{number}</b> ·")]
    assert [sent.kind for sent in replayed] == ["text", "text"]
    assert "Сообщение удалено" in replayed[-1].text and "без имени" in replayed[-1].text
    assert replayed[-1].buttons == ["✍️ Ответить", "✅ Закрыть запрос"]
    async with sessionmaker() as session:
        outbox = list(await session.scalars(select(OutboxMessage)))
    assert not [row for row in outbox if row.state != DeliveryState.SENT]
    shown = "\n".join(mentee.texts()) + str([(row.text, row.file_id) for row in outbox])
    for trace in ("Смирнова", "Вот так укладываем", "photo-answer", "601"):
        assert trace not in shown, trace


async def test_telegrams_name_and_username_are_never_stored(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """What Telegram tells of her (first name, username) is stored neither while she reads the
    consent, nor once she joins (the bank takes the name she types); after she withdraws
    nothing holds her name, phone, username or Telegram id."""
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    guest = app.person(TELEGRAM_ID, name="Зинаида", username="zina_vospitatel")
    telegram = ("Зинаида", "zina_vospitatel")
    await guest.sends(f"/start {code}")
    await guest.sends("Здравствуйте")  # before she answers the consent
    assert "Согласен" in str(guest.last_reply().buttons)  # type: ignore[union-attr]
    assert await columns_holding(sessionmaker, (*telegram, NAME), NOBODY) == []
    await guest.taps("Согласен")
    await answer(guest, MENTEE_ANSWERS)
    assert any(NAME in line for line in await columns_holding(sessionmaker, (NAME,), NOBODY))
    assert await columns_holding(sessionmaker, telegram, NOBODY) == []
    await withdraw(guest)
    traces = (*telegram, NAME, "+79123456789")
    assert await columns_holding(sessionmaker, traces, TELEGRAM_ID) == []


def test_the_libraries_warnings_name_no_telegram_ids(caplog: pytest.LogCaptureFixture) -> None:
    """aiogram-dialog's warning about a broken dialog stack names the user and the chat by
    their Telegram ids; the bot's log set-up keeps the warning and drops the ids."""
    configure("INFO")
    library = logging.getLogger("aiogram_dialog.context.intent_middleware")
    try:
        library.warning("Stack is broken for user %s, chat %s, resetting", TELEGRAM_ID, 7501)
    finally:
        for handler in logging.getLogger().handlers:
            for hidden in [f for f in handler.filters if isinstance(f, NoTelegramIds)]:
                handler.removeFilter(hidden)
    assert "Stack is broken for user …, chat …, resetting" in caplog.text
    assert str(TELEGRAM_ID) not in caplog.text and "7501" not in caplog.text
