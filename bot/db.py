"""Database engine, sessions and schema migrations."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event, make_url
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot import sqlite_driver
from bot.services import actor_cache
from models.session import Session

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# SQLite connections kept open: more than the updates that run at once (bot.app caps them at
# 24) plus the scheduler's jobs. A connection beyond the pool is opened for one update and
# closed after it, PRAGMAs and all: in bench/throughput.py that made a write step a fifth slower.
SQLITE_POOL_SIZE = 32


def create_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        # Every session ends its transaction itself (commit or rollback), so the pool's extra
        # rollback when a connection comes back would be a wasted statement.
        in_memory = make_url(url).database in (None, "", ":memory:")  # one shared connection
        engine = create_async_engine(
            url.replace("sqlite+aiosqlite", sqlite_driver.DRIVER, 1),
            # Only another process can make SQLite wait for its lock (this one's writers take
            # turns, see bot/sqlite_driver.py); the bot waits with it, so not for long.
            connect_args={"timeout": 5},
            pool_reset_on_return=None,
            **({} if in_memory else {"pool_size": SQLITE_POOL_SIZE}),
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    # WAL lets readers go on while one update writes; foreign keys are off by default.
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that share one actor cache (every session's commits keep it current)."""
    return async_sessionmaker(
        engine,
        sync_session_class=Session,  # flushes changed rows as plain UPDATEs (models/session.py)
        expire_on_commit=False,
        info={actor_cache.ACTOR_CACHE: actor_cache.ActorCache()},
    )


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
    """Bring the schema to `revision`; start-up calls this so a new file just works."""
    async with engine.begin() as connection:
        await connection.run_sync(_run, revision, False)


async def downgrade_schema(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_run, revision, True)
