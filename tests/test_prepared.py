"""Prepared statements write and read exactly what Core statements do, on each database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, cast

import pytest
from sqlalchemy import (
    Connection,
    Select,
    Table,
    bindparam,
    column,
    insert,
    select,
    table,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from models import Membership, MembershipStatus, Organisation, Profile, Role, User
from models.prepared import prepare
from tests.harness import statements

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
PROFILE = cast(Table, Profile.__table__)
ROW = select(PROFILE).where(PROFILE.c.membership_id == bindparam("membership"))
# Values of every kind an actor's rows hold: text, JSON lists, None in JSON and in text
# columns, dates, aware datetimes.
CHANGES: dict[str, Any] = {
    "full_name": "Иванова Мария Петровна",
    "difficulties": ["parents", "documentation"],
    "competencies": None,
    "difficulties_other": None,
    "started_on": date(2025, 9, 1),
    "birth_year": 1999,
    "completed_at": datetime(2026, 11, 25, 12, 30, tzinfo=UTC),
}
CHANGE = (
    update(PROFILE)
    .where(PROFILE.c.id == bindparam("key"))
    .values({PROFILE.c[name]: bindparam(f"new_{name}") for name in CHANGES})
)
VALUES = {f"new_{name}": value for name, value in CHANGES.items()}


def _insert(connection: Connection, model: Any, **values: Any) -> int:
    key = connection.execute(insert(model).values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def _seed(connection: Connection, telegram_id: int) -> tuple[int, int]:
    """A mentee's membership and empty profile: (membership id, profile id)."""
    organisation = _insert(
        connection,
        Organisation,
        name="Детский сад № 5",
        short_name="Д/с № 5",
        timezone="Europe/Moscow",
        created_at=NOW,
    )
    user = _insert(connection, User, telegram_id=telegram_id, created_at=NOW)
    membership = _insert(
        connection,
        Membership,
        user_id=user,
        organisation_id=organisation,
        role=Role.MENTEE.value,
        status=MembershipStatus.ACTIVE.value,
        joined_at=NOW,
    )
    profile = _insert(connection, Profile, membership_id=membership, skipped=[], updated_at=NOW)
    return membership, profile


def _prepared_change(connection: Connection, profile: int) -> int:
    return (
        prepare(CHANGE, connection.dialect)
        .execute(connection, {"key": profile, **VALUES})
        .rowcount
    )


def _as_stored(connection: Connection, profile: int) -> tuple[Any, ...]:
    """The row as the database holds it, read without any type conversion."""
    columns = ", ".join(CHANGES)
    raw = connection.exec_driver_sql(f"SELECT {columns} FROM profiles WHERE id = {int(profile)}")
    return tuple(raw.one())


async def test_prepared_update_writes_what_core_writes(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        _, by_core = await connection.run_sync(_seed, 501)
        _, by_prepared = await connection.run_sync(_seed, 502)
        await connection.execute(CHANGE, {"key": by_core, **VALUES})
        with statements(engine) as seen:
            assert await connection.run_sync(_prepared_change, by_prepared) == 1
        assert [sql.split()[0] for sql in seen] == ["UPDATE"]  # cursor events see it
        assert await connection.run_sync(_as_stored, by_prepared) == await connection.run_sync(
            _as_stored, by_core
        )
        # None in the JSON column is JSON null, as Core writes it; in the text column, NULL.
        nulls = await connection.execute(
            text("SELECT competencies IS NULL, difficulties_other IS NULL FROM profiles")
        )
        assert {tuple(map(bool, row)) for row in nulls} == {(False, True)}


def _read_both(connection: Connection, membership: int) -> tuple[list[Any], list[Any]]:
    prepared = prepare(ROW, connection.dialect).rows(connection, {"membership": membership})
    core = [tuple(row) for row in connection.execute(ROW, {"membership": membership})]
    return prepared, core


async def test_prepared_rows_read_what_core_reads(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        membership, profile = await connection.run_sync(_seed, 501)
        await connection.execute(CHANGE, {"key": profile, **VALUES})
        prepared, core = await connection.run_sync(_read_both, membership)
    assert prepared == core
    stored = dict(zip(ROW.selected_columns.keys(), prepared[0], strict=True))
    assert {name: stored[name] for name in CHANGES} == CHANGES
    assert stored["completed_at"].tzinfo is not None  # aware, as the model reads it


async def test_listeners_see_a_prepared_read(engine: AsyncEngine) -> None:
    """With cursor events listened to, the read goes through Core, so it is seen and counted."""
    async with engine.begin() as connection:
        membership, profile = await connection.run_sync(_seed, 501)
        await connection.execute(CHANGE, {"key": profile, **VALUES})
        with statements(engine) as seen:
            prepared, core = await connection.run_sync(_read_both, membership)
    assert prepared == core
    assert [sql.split()[0] for sql in seen] == ["SELECT", "SELECT"]


MISSING: Select[Any] = (
    select(column("id")).select_from(table("no_such_table")).where(column("id") == bindparam("id"))
)


def _read_missing(connection: Connection) -> list[Any]:
    return prepare(MISSING, connection.dialect).rows(connection, {"id": 1})


async def test_a_driver_error_comes_out_as_sqlalchemys(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        with pytest.raises(DBAPIError, match="no_such_table"):
            await connection.run_sync(_read_missing)
