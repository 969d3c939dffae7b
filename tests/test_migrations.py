"""Alembic: every step goes up and down, the result matches the models, a new file just works."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import alembic_config, create_engine, downgrade_schema, upgrade_schema
from models import Base

VERSION_TABLE = "alembic_version"


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def revisions_from_base() -> list[tuple[str, str]]:
    """(revision, the one below it or "base"), oldest first."""
    script = script_directory()
    walked = list(script.walk_revisions(base="base", head="heads"))
    assert walked, "no migrations found"
    return [(rev.revision, rev.down_revision or "base") for rev in reversed(walked)]  # type: ignore[misc]


async def current_revision(engine: AsyncEngine) -> str | None:
    def read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        return await connection.run_sync(read)


async def table_names(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))


def test_single_head() -> None:
    assert len(script_directory().get_heads()) == 1


async def test_stairway(engine: AsyncEngine) -> None:
    """Each revision upgrades, downgrades cleanly, and upgrades again on the same database."""
    model_tables = set(Base.metadata.tables)
    try:
        await downgrade_schema(engine, "base")
        assert await current_revision(engine) is None
        assert not model_tables & await table_names(engine)
        for revision, below in revisions_from_base():
            await upgrade_schema(engine, revision)
            assert await current_revision(engine) == revision
            await downgrade_schema(engine, below)
            assert await current_revision(engine) == (None if below == "base" else below)
            await upgrade_schema(engine, revision)
            assert await current_revision(engine) == revision
    finally:
        await upgrade_schema(engine)  # the tests that follow need the full schema
    assert await current_revision(engine) == script_directory().get_current_head()
    assert model_tables <= await table_names(engine)


def schema_differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "target_metadata": Base.metadata}
    )
    return compare_metadata(context, Base.metadata)


async def test_migrated_schema_matches_models(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        differences = await connection.run_sync(schema_differences)
    assert differences == []


async def test_start_up_creates_schema_in_new_file(tmp_path: Path) -> None:
    path = tmp_path / "brand-new.sqlite3"
    assert not path.exists()
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        await upgrade_schema(engine)
        assert path.exists()
        assert await table_names(engine) == set(Base.metadata.tables) | {VERSION_TABLE}
        assert await current_revision(engine) == script_directory().get_current_head()
        await upgrade_schema(engine)  # every start-up runs it again: nothing to do, no error
        assert await current_revision(engine) == script_directory().get_current_head()
    finally:
        await engine.dispose()


async def test_a_desk_notice_sent_under_the_old_step_name_counts_as_sent(
    engine: AsyncEngine,
) -> None:
    """0011: the missing-report notice's mark `day10:<due>` becomes `late:<due>`, so a pair
    whose notice went out before the update does not have it again; other kinds keep theirs."""
    rows = [("report", 1, "day10:20270122"), ("report", 2, "day8:20270122"), ("term", 3, "day10")]
    insert = text(
        "INSERT INTO sent_reminders (kind, subject_id, stage, sent_at) "
        "VALUES (:kind, :subject, :stage, '2027-01-22 09:00:00+00')"
    )
    try:
        await downgrade_schema(engine, "0010")
        async with engine.begin() as connection:
            for kind, subject, stage in rows:
                values = {"kind": kind, "subject": subject, "stage": stage}
                await connection.execute(insert, values)
        await upgrade_schema(engine, "0011")
        async with engine.connect() as connection:
            stored = await connection.execute(
                text("SELECT subject_id, stage FROM sent_reminders ORDER BY subject_id")
            )
            assert list(stored) == [(1, "late:20270122"), (2, "day8:20270122"), (3, "day10")]
    finally:
        async with engine.begin() as connection:
            await connection.execute(text("DELETE FROM sent_reminders"))
        await upgrade_schema(engine)


async def test_dialog_records_kept_before_0012_get_their_chat_and_a_full_period(
    engine: AsyncEngine,
) -> None:
    """0012: a record the database store wrote before counts as changed at the migration, so
    the sweep of idle dialogs gives its chat the full period; a key of another shape goes."""
    insert = text("INSERT INTO fsm_records (key, state, data) VALUES (:key, NULL, '{}')")
    keys = ["fsm:900:900:aiogd:stack:", "fsm:-100:7:900:aiogd:context:AB", "other:1:1"]
    try:
        await downgrade_schema(engine, "0011")
        async with engine.begin() as connection:
            for key in keys:
                await connection.execute(insert, {"key": key})
        await upgrade_schema(engine, "0012")
        async with engine.connect() as connection:
            stored = await connection.execute(
                text("SELECT key, chat_id, touched_at FROM fsm_records ORDER BY key")
            )
            rows = list(stored)
        assert [(key, chat) for key, chat, _ in rows] == [(keys[1], -100), (keys[0], 900)]
        assert all(touched is not None for *_, touched in rows)
    finally:
        async with engine.begin() as connection:
            await connection.execute(text("DELETE FROM fsm_records"))
        await upgrade_schema(engine)
