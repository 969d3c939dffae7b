"""Database engine, sessions and schema migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, make_url, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from models.base import dialect_of, startup_turn

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# How long a SQLite writer waits for another one to finish, in seconds. An update holds the
# write lock from its first change to its commit, its reply included, so this is longer than
# the longest Bot API call allowed (bot.app.BOT_API_TIMEOUT).
SQLITE_BUSY_TIMEOUT = 60
# An update holds its connection until it ends (its reply included): the pool has one for each
# update that may run at once (bot.app.MAX_CONCURRENT_UPDATES) and a few for the jobs, so no
# update waits for another's connection.
POOL_SIZE = 32


def create_engine(url: str) -> AsyncEngine:
    # A failed statement's error (logged with its update) shows the SQL but not the values it
    # carried: those are people's names, phones and Telegram ids, which our logs must not keep.
    if url.startswith("sqlite"):
        engine = create_async_engine(
            url,
            hide_parameters=True,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT},
            **({"pool_size": POOL_SIZE} if _is_file(url) else {}),
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # No ping before each use (a round trip per update): a connection the server dropped fails
    # one statement, SQLAlchemy then discards the pool's connections, and the next update gets
    # fresh ones. Idle connections are renewed before a firewall would cut them.
    return create_async_engine(
        url, hide_parameters=True, pool_size=POOL_SIZE, max_overflow=8, pool_recycle=1800
    )


def _is_file(url: str) -> bool:
    """A SQLite file, as opposed to a database in memory (one shared connection, no pool)."""
    return make_url(url).database not in (None, "", ":memory:")


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    # WAL lets readers go on while one update writes; foreign keys are off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted and overwritten content is zeroed in the file, so erased personal data is gone.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


async def wal_checkpoint(session: AsyncSession) -> None:
    """After personal data was erased and committed (SQLite): copy the write-ahead log into
    the database file and truncate it, so the old contents do not linger in the log."""
    if dialect_of(session) == "sqlite":
        await session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        await session.commit()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    return config


def _run(connection: Connection, revision: str, downgrade: bool) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    if downgrade:
        command.downgrade(config, revision)
    else:
        command.upgrade(config, revision)


async def upgrade_schema(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to `revision`; start-up calls this so a new file just works.

    Processes starting at once migrate in turns (`models.base.startup_turn`): the others find
    the schema at `revision` and do nothing."""
    async with engine.begin() as connection:
        await startup_turn(connection)
        await connection.run_sync(_run, revision, False)


async def downgrade_schema(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_run, revision, True)
