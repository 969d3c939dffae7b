"""FSM storage in the bot's own database, so a dialog survives a restart without Redis.

Inside an update the state goes through that update's session, so a step's answer and the
dialog's position commit together (and SQLite sees one writer, not two that wait on each other).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StorageKey
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import FsmRecord

RECORDS = "fsm_records"  # session.info key of the records an update has loaded
update_session: ContextVar[AsyncSession | None] = ContextVar("update_session", default=None)


class SqlStorage(BaseStorage):
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.key_builder = key_builder or DefaultKeyBuilder()

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[AsyncSession]:
        current = update_session.get()
        if current is not None:  # written when the update commits
            yield current
            return
        async with self.sessionmaker.begin() as session:
            yield session

    async def _record(self, session: AsyncSession, key: StorageKey) -> FsmRecord | None:
        """The record, loaded once per session: an update reads and writes it several times."""
        loaded = session.info.setdefault(RECORDS, {})
        name = self.key_builder.build(key)
        if name not in loaded:
            loaded[name] = await session.get(FsmRecord, name)
        return loaded[name]

    def _remember(self, session: AsyncSession, key: StorageKey, record: FsmRecord | None) -> None:
        session.info.setdefault(RECORDS, {})[self.key_builder.build(key)] = record

    async def _read(self, key: StorageKey) -> FsmRecord | None:
        current = update_session.get()
        if current is not None:
            return await self._record(current, key)
        async with self.sessionmaker() as session:
            return await self._record(session, key)

    async def set_state(self, key: StorageKey, state: str | State | None = None) -> None:
        value = state.state if isinstance(state, State) else state
        async with self._writing() as session:
            record = await self._record(session, key)
            if record is None:
                if value is not None:
                    record = FsmRecord(key=self.key_builder.build(key), state=value, data={})
                    session.add(record)
                    self._remember(session, key, record)
            elif value is None and not record.data:
                await session.delete(record)
                self._remember(session, key, None)
            else:
                record.state = value

    async def get_state(self, key: StorageKey) -> str | None:
        record = await self._read(key)
        return record.state if record is not None else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        async with self._writing() as session:
            record = await self._record(session, key)
            if record is None:
                if data:
                    record = FsmRecord(
                        key=self.key_builder.build(key), state=None, data=dict(data)
                    )
                    session.add(record)
                    self._remember(session, key, record)
            elif not data and record.state is None:
                await session.delete(record)
                self._remember(session, key, None)
            else:
                record.data = dict(data)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        record = await self._read(key)
        return dict(record.data or {}) if record is not None else {}

    async def clear_all(self) -> None:
        async with self.sessionmaker.begin() as session:
            await session.execute(delete(FsmRecord))

    async def close(self) -> None:
        return None
