"""The database FSM storage: state commits with the update, a rollback leaves the old one."""

from __future__ import annotations

import pytest
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.fsm_storage import SqlStorage, update_session

KEY = StorageKey(bot_id=1, chat_id=501, user_id=501)


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
    restarted = SqlStorage(sessionmaker)  # a new process reads what was committed
    assert await restarted.get_state(KEY) == "Form:first"
    await storage.set_state(KEY, None)
    await storage.set_data(KEY, {})
    assert await restarted.get_state(KEY) == "Form:first"  # its own copy, until it restarts
    assert await SqlStorage(sessionmaker).get_state(KEY) is None
