"""SQLite in the loop's thread: writers take turns without stopping the bot, errors surface."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import MAX_CONCURRENT_UPDATES as MAX_CONCURRENT
from bot.db import create_engine
from models import Organisation

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def only_sqlite(engine: AsyncEngine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("about the SQLite driver")


def kindergarten(number: int) -> Organisation:
    return Organisation(
        name=f"Детский сад № {number}",
        short_name=f"Д/с № {number}",
        timezone="Europe/Moscow",
        created_at=NOW,
    )


async def count(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Organisation)) or 0)


async def test_a_second_writer_waits_its_turn_while_the_bot_goes_on(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async def second_writer() -> None:
        async with sessionmaker.begin() as second:
            second.add(kindergarten(2))

    async with sessionmaker() as first:
        first.add(kindergarten(1))
        await first.flush()  # the first transaction is writing, and stays open
        waiting = asyncio.create_task(second_writer())
        ticks = 0
        for _ in range(5):  # the event loop is free: other updates go on meanwhile
            await asyncio.sleep(0.01)
            ticks += 1
        assert ticks == 5 and not waiting.done()
        assert await count(sessionmaker) == 0  # readers are not held up, and see no half-work
        await first.commit()
    await asyncio.wait_for(waiting, 5)
    assert await count(sessionmaker) == 2


async def test_a_failed_write_gives_the_turn_back(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker.begin() as session:
        session.add(kindergarten(1))
    with pytest.raises(IntegrityError):
        async with sessionmaker.begin() as session:
            duplicate = kindergarten(2)
            duplicate.id = 1
            session.add(duplicate)
    async with sessionmaker.begin() as session:  # would wait forever if the turn were kept
        session.add(kindergarten(3))
    assert await count(sessionmaker) == 2


async def test_connections_stay_open_for_as_many_updates_as_run_at_once(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    opened: list[object] = []
    event.listen(engine.sync_engine, "connect", lambda connection, _: opened.append(connection))

    async def update_reading_while_others_run() -> None:
        async with sessionmaker() as session:
            await session.scalar(select(func.count()).select_from(Organisation))
            await asyncio.sleep(0.01)  # awaiting Telegram, with its transaction open

    for _ in range(3):  # three busy moments: connections are opened only in the first
        await asyncio.gather(*(update_reading_while_others_run() for _ in range(MAX_CONCURRENT)))
    assert len(opened) <= MAX_CONCURRENT


async def test_an_in_memory_database_works_too() -> None:
    engine = create_engine("sqlite+aiosqlite:///:memory:")  # one connection, shared
    try:
        async with engine.connect() as connection:
            assert await connection.scalar(select(func.count()).select_from(text("(SELECT 1)")))
    finally:
        await engine.dispose()
