"""Fixtures: a real database (SQLite, or PostgreSQL from TEST_DATABASE_URL) and the app."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.db import create_engine, create_sessionmaker, upgrade_schema
from bot.services.clock import FrozenClock
from models import Base
from tests.harness import Harness

ADMIN_ID = 100
TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz"
_migrated: set[str] = set()


# Garbage: each test leaves a dispatcher's worth of cycles behind (tens of thousands of objects),
# and Python's full collections, triggered by allocation counts, rescanned everything alive,
# the libraries' modules too: about a sixth of a run. The modules are frozen out of the scans
# once collected, and a full collection runs every GC_EVERY tests instead (measured with
# gc.callbacks on three modules: 9.9 s of full collections became 4.2 s).
GC_EVERY = 10
_finished = 0


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(700, 10, 1_000_000)  # no full collection by allocation counts


def pytest_runtest_logfinish(nodeid: str, location: tuple[str, int | None, str]) -> None:
    global _finished
    _finished += 1
    if _finished % GC_EVERY == 0:
        gc.collect()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    configured = os.environ.get("TEST_DATABASE_URL")
    if configured:
        return configured
    path: Path = tmp_path_factory.mktemp("db") / "test.sqlite3"
    return f"sqlite+aiosqlite:///{path}"


async def reset_schema(engine: AsyncEngine) -> None:
    """Start a test run from an empty schema, then migrate it as start-up would."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        else:
            await connection.run_sync(Base.metadata.drop_all)
            await connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    await upgrade_schema(engine)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    if database_url not in _migrated:
        await reset_schema(engine)
        _migrated.add(database_url)
    yield engine
    async with engine.begin() as connection:  # every test starts from empty tables
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(delete(table))
    await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        _env_file=None,
        bot_token=TOKEN,
        database_url=database_url,
        admin_ids=[ADMIN_ID],
        redis_url=None,
    )


@pytest.fixture
async def app(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> Harness:
    harness = Harness(create_dispatcher(settings, sessionmaker, clock=clock))
    await harness.start()
    return harness
