"""The database FSM storage: state commits with the update, a rollback leaves the old one."""

from __future__ import annotations

import pytest
from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.fsm_storage import SqlStorage, update_session
from bot.services.clock import FrozenClock
from models import FsmRecord
from tests.harness import statements

KEY = StorageKey(bot_id=1, chat_id=501, user_id=501)
NAME = DefaultKeyBuilder(with_destiny=True).build(KEY)


async def in_update(
    sessionmaker: async_sessionmaker[AsyncSession], storage: SqlStorage, state: str, fail: bool
) -> None:
    async with sessionmaker() as session, session.begin():
        token = update_session.set(session)
        try:
            await storage.set_state(KEY, state)
            await storage.set_data(KEY, {"step": state})
            assert await storage.get_state(KEY) == state  # the update sees its own change
            if fail:
                raise RuntimeError("the handler failed")
        finally:
            update_session.reset(token)


async def test_state_commits_with_the_update_and_a_failed_update_changes_nothing(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    storage = SqlStorage(sessionmaker)
    await in_update(sessionmaker, storage, "Form:first", fail=False)
    assert await storage.get_state(KEY) == "Form:first"
    with pytest.raises(RuntimeError):
        await in_update(sessionmaker, storage, "Form:second", fail=True)
    assert await storage.get_state(KEY) == "Form:first"
    assert await storage.get_data(KEY) == {"step": "Form:first"}
    other_process = SqlStorage(sessionmaker)
    assert await other_process.get_state(KEY) == "Form:first"
    await other_process.set_state(KEY, None)
    await other_process.set_data(KEY, {})
    assert await storage.get_state(KEY) is None  # no copy of its own to go stale
    async with sessionmaker() as session:
        assert await session.get(FsmRecord, NAME) is None  # nothing left to keep


async def test_a_step_reads_its_record_once(
    sessionmaker: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> None:
    storage = SqlStorage(sessionmaker)
    await in_update(sessionmaker, storage, "Form:first", fail=False)
    with statements(engine) as seen:
        await in_update(sessionmaker, storage, "Form:second", fail=False)
    assert len([sql for sql in seen if sql.lstrip().upper().startswith("SELECT")]) == 1
    assert await SqlStorage(sessionmaker).get_state(KEY) == "Form:second"


async def test_data_handed_out_is_a_copy(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    storage = SqlStorage(sessionmaker)
    await storage.set_data(KEY, {"picked": ["a"]})
    (await storage.get_data(KEY))["picked"].append("b")  # and then the handler fails
    assert await storage.get_data(KEY) == {"picked": ["a"]}


async def test_a_record_notes_its_chat_and_its_last_change_and_no_change_writes_nothing(
    sessionmaker: async_sessionmaker[AsyncSession], engine: AsyncEngine, clock: FrozenClock
) -> None:
    """For the sweep of idle dialogs (bot/services/dialog_expiry.py). A step that shows the
    same screen again saves the same state: that stays a read, as it was."""
    storage = SqlStorage(sessionmaker, clock=clock)
    started = clock.now()
    await in_update(sessionmaker, storage, "Form:first", fail=False)
    clock.advance(hours=1)
    with statements(engine) as seen:
        await in_update(sessionmaker, storage, "Form:first", fail=False)
    assert not [sql for sql in seen if not sql.lstrip().upper().startswith("SELECT")]
    async with sessionmaker() as session:
        record = await session.get(FsmRecord, NAME)
        assert record is not None
        assert (record.chat_id, record.touched_at) == (KEY.chat_id, started)
    await in_update(sessionmaker, storage, "Form:second", fail=False)
    async with sessionmaker() as session:
        record = await session.get(FsmRecord, NAME)
        assert record is not None and record.touched_at == clock.now()
