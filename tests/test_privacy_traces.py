"""What stays of a person outside the rows withdrawal erases: the bot's own log lines, the
questionnaire results others read, and others' dialogs that merely hold a number."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from models import RoadmapStage, Role
from tests.flows import found_organisation, invite
from tests.harness import Harness
from tests.pairs_fixture import membership_of
from tests.test_erasure_scan import withdraw
from tests.test_help import cast

NAME, TELEGRAM_ID = "Петрова Анна Сергеевна", 501


async def test_a_failing_statement_is_logged_without_the_persons_data(
    app: Harness, engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    """The database refuses her name as she joins: the log says which update failed and why,
    but not the values the statement carried (her name, her Telegram id)."""
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "CREATE TRIGGER refuse_profiles BEFORE UPDATE ON profiles "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
        )
    try:
        person = app.person(TELEGRAM_ID)
        with caplog.at_level(logging.INFO):  # the level the bot runs at
            await person.sends(f"/start {code}")
            await person.taps("Согласен")
            await person.sends(NAME)
    finally:
        async with engine.begin() as connection:
            await connection.execute(text("DROP TRIGGER refuse_profiles"))
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
    await curator.sends("/roadmap")
    await curator.taps("Составить по шаблону")
    async with sessionmaker() as session:
        own = await membership_of(session, mentee.telegram_id, Role.MENTEE)
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
