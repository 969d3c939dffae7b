"""Where the benchmark's bots keep their data: a SQLite file each, or a PostgreSQL schema each.

On PostgreSQL every bot gets a schema of its own (`bench_app`, `bench_peer`), dropped and made
afresh for a run, and its connections find their tables there through `search_path`: nothing
outside those schemas is touched, and the bots' code runs unchanged.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

SQLITE = "sqlite"
POSTGRESQL = "postgresql"


def dialect_of(url: str) -> str:
    return make_url(url).get_backend_name()


def sqlite_url(path: object) -> str:
    return f"sqlite+aiosqlite:///{path}"


def check_schema_name(schema: str) -> str:
    if not schema.replace("_", "").isalnum() or not schema.isascii():
        raise ValueError(f"not a plain schema name: {schema!r}")
    return schema


async def reset_schema(url: str, schema: str) -> None:
    """Drop the schema with everything in it, and make it again, empty (PostgreSQL)."""
    name = check_schema_name(schema)
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
            await connection.execute(text(f'CREATE SCHEMA "{name}"'))
    finally:
        await engine.dispose()


async def drop_schema(url: str, schema: str) -> None:
    """Drop the schema with everything in it (PostgreSQL), leaving the database as it was."""
    name = check_schema_name(schema)
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    finally:
        await engine.dispose()


def use_schema(engine: AsyncEngine, schema: str) -> None:
    """Every connection of the engine finds its tables (and makes new ones) in `schema`.

    The listener goes first, so that the dialect's own first look at the connection already
    sees the schema (as SQLAlchemy's PostgreSQL documentation shows for `search_path`).
    """
    name = check_schema_name(schema)

    def set_search_path(dbapi_connection: Any, _: object) -> None:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True  # not undone by a rollback
        cursor = dbapi_connection.cursor()
        cursor.execute(f'SET SESSION search_path = "{name}"')
        cursor.close()
        dbapi_connection.autocommit = autocommit

    sync_engine: Engine = engine.sync_engine
    event.listen(sync_engine, "connect", set_search_path, insert=True)


def sqlite_write_ahead_log(engine: AsyncEngine) -> None:
    """The app's durability settings for a SQLite file: a write-ahead log, synced at
    checkpoints (without them every commit would wait for the disk twice)."""

    def pragmas(dbapi_connection: Any, _: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    event.listen(engine.sync_engine, "connect", pragmas)
