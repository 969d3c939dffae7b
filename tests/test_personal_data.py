"""The map of personal data covers the schema; withdrawal erases it; the copy holds it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlalchemy import JSON, BigInteger, String, Text, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.personal_data import PERSONAL_DATA, Action
from bot.services.privacy import texts_naming
from models import (
    Activity,
    HelpRequest,
    HelpStatus,
    Meeting,
    Pair,
    PairConfirmation,
    PairEvent,
    PairMentee,
    PairStatus,
    Programme,
    Role,
    SupportReferral,
)
from models.base import Base
from tests.flows import MENTEE_ANSWERS, invite, join
from tests.harness import Harness
from tests.test_help import cast, membership_of, pair_up

SECRETS = (
    "Ребёнок плачет весь день",
    "photo-corner",
    "Уголок у окна",
    "Попробуйте игрушку",
    "voice-answer",
    "Не сошлись характерами",
    "Перепишите цель",
    "Обсудили адаптацию Кати",
    "Позвонить маме Кати",
    "Цель: адаптация",
    "Тревожность, нужна консультация",
    "Петрова Анна Сергеевна",
)


def test_every_text_column_is_in_the_map() -> None:
    missing = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String | Text | JSON | BigInteger)
        and column.name not in PERSONAL_DATA.get(table.name, {})
        and not (isinstance(column.type, BigInteger) and column.primary_key)
    ]
    assert missing == []
    assert set(PERSONAL_DATA) == set(Base.metadata.tables)


async def dump(sessionmaker: async_sessionmaker[AsyncSession]) -> list[object]:
    """Every stored value but a big integer key: an update's id (the tests count them across
    the run, so one is sooner or later a test person's Telegram id), never a person's."""
    values: list[object] = []
    async with sessionmaker() as session:
        for table in Base.metadata.sorted_tables:
            columns = [
                column
                for column in table.columns
                if not (isinstance(column.type, BigInteger) and column.primary_key)
            ]
            rows = await session.execute(select(*columns))
            values.extend(value for row in rows for value in row)
    return values


async def test_withdrawal_erases_everything_the_export_held(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    people = await cast(app, sessionmaker)
    mentee, mentor, curator = people.mentee, people.mentor, people.curator
    await mentee.sends("/sos")
    await mentee.sends("Ребёнок плачет весь день")
    await mentee.sends_photo(file_id="photo-corner", caption="Уголок у окна")
    await mentor.taps("Ответить")
    await mentor.sends("Попробуйте игрушку")
    await mentor.sends_voice(file_id="voice-answer")
    now = datetime.now(UTC)
    async with sessionmaker.begin() as session:
        pair = await session.scalar(select(Pair))
        assert pair is not None
        pair.starts_on, pair.ends_on = date(2026, 11, 25), date(2027, 5, 25)
        own = await membership_of(session, 501, Role.MENTEE)
        session.add(
            PairConfirmation(
                pair_id=pair.id,
                membership_id=own.id,
                accepted=False,
                reason="Не сошлись характерами",
                decided_at=now,
            )
        )
        session.add(
            PairEvent(pair_id=pair.id, kind="declined", note="Перепишите цель", created_at=now)
        )
        programme = Programme(
            pair_id=pair.id, status="draft", goal="Цель: адаптация", created_at=now, updated_at=now
        )
        session.add(programme)
        await session.flush()
        session.add(
            Activity(
                programme_id=programme.id,
                position=1,
                content="Обсудили адаптацию Кати",
                due_on=date(2026, 12, 1),
                status="open",
                created_at=now,
            )
        )
        session.add(
            Meeting(
                pair_id=pair.id,
                held_on=date(2026, 11, 25),
                format="online",
                duration_minutes=30,
                notes="Обсудили адаптацию Кати",
                next_steps="Позвонить маме Кати",
                created_at=now,
            )
        )
        session.add(
            SupportReferral(
                organisation_id=own.organisation_id,
                mentee_membership_id=own.id,
                note="Тревожность, нужна консультация",
                created_at=now,
            )
        )
    await app.deliver()

    await mentee.sends("/privacy")
    await mentee.taps("Выгрузить")
    files = {m.document_name: m.document or b"" for m in mentee.transcript if m.document}
    exported = files["nastavnik-my-data.json"].decode()
    readable = files["nastavnik-my-data.txt"].decode()
    for secret in SECRETS:
        assert secret in exported, secret
        assert secret in readable, secret
    assert "Встречи" in readable and "Запросы о помощи" in readable

    for person in (mentee, mentor, curator):
        person.forget()
    await mentee.sends("/privacy")
    await mentee.taps("Отозвать согласие")
    reply = await mentee.taps("Да, отозвать")
    assert reply is not None and "обезличенная запись" in reply.text
    await app.deliver()

    values = await dump(sessionmaker)
    assert 501 not in values
    for value in values:
        for secret in SECRETS:
            assert secret not in str(value), (secret, str(value))
    async with sessionmaker() as session:
        pair = await session.scalar(select(Pair))
        request = await session.scalar(select(HelpRequest))
        referral = await session.scalar(select(SupportReferral))
        assert pair is not None and pair.status == PairStatus.ENDED_EARLY
        assert pair.end_reason == "consent_withdrawn"
        assert request is not None and request.status == HelpStatus.CLOSED
        assert referral is not None and referral.closed_at is not None
        withdrawn = await session.scalar(
            text("SELECT count(*) FROM memberships WHERE status = 'withdrawn'")
        )
        assert withdrawn == 1  # the anonymous row stays for the statistics
    assert any("Пара №" in t and "отозвал согласие" in t for t in mentor.texts())
    assert any("Пара №" in t for t in curator.texts())
    assert any("отозвал согласие" in t for t in curator.texts())
    assert not any("Петрова" in t for t in mentor.texts() + curator.texts())


async def test_export_is_json_and_text(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    people = await cast(app, sessionmaker)
    await people.mentee.sends("/privacy")
    await people.mentee.taps("Выгрузить")
    names = [m.document_name for m in people.mentee.transcript if m.document]
    assert names == ["nastavnik-my-data.json", "nastavnik-my-data.txt"]
    exported = json.loads(people.mentee.transcript[-2].document or b"")
    assert exported["memberships"][0]["help_messages"] == []


async def test_a_mentee_who_withdraws_leaves_a_group_that_goes_on(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    people = await cast(app, sessionmaker, paired=False)
    other = await join(app, await invite(people.curator, "наставляемый"), 502, MENTEE_ANSWERS)
    pair_id = await pair_up(sessionmaker, people.mentor, people.mentee, other)
    await people.mentee.sends("/privacy")
    await people.mentee.taps("Отозвать согласие")
    await people.mentee.taps("Да, отозвать")
    async with sessionmaker() as session:
        pair = await session.get(Pair, pair_id)
        assert pair is not None and pair.status == PairStatus.ACTIVE  # it goes on
        stays = await membership_of(session, 502, Role.MENTEE)
        mentees = list(
            await session.scalars(
                select(PairMentee.mentee_membership_id).where(PairMentee.pair_id == pair_id)
            )
        )
        assert mentees == [stays.id]
    notice = f"Из группы №{pair_id} вышел наставляемый"
    assert any(notice in text for text in people.mentor.texts())
    assert any(notice in text for text in people.curator.texts())
    assert any(notice in text for text in other.texts())


def test_every_redacted_column_is_searched_for_the_name() -> None:
    """A column the map keeps with the person's name redacted is one withdrawal searches."""
    searched = {
        f"{model.__tablename__}.{column}"
        for model, columns, _ in texts_naming(0)
        for column in columns
    }
    redacted = {
        f"{table}.{column}"
        for table, columns in PERSONAL_DATA.items()
        for column, action in columns.items()
        if action is Action.REDACT
    }
    assert redacted and redacted <= searched
    assert all(PERSONAL_DATA[name.split(".")[0]] for name in searched)
