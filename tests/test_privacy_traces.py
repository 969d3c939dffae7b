"""What stays of a person outside the rows withdrawal erases: the bot's own log lines, the
questionnaire results others read, and others' dialogs that merely hold a number."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.flows import found_organisation, invite
from tests.harness import Harness

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
