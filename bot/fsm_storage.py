"""FSM storage in the bot's own database, so a dialog survives a restart without Redis.

Inside an update the state goes through that update's session, so a step's answer and the
dialog's position commit together (and SQLite sees one writer, not two that wait on each other).
What has been committed is also kept in memory, so the state every update reads costs no query;
the copy changes only after a commit. One bot process owns this storage: several processes on
one database (webhook workers) use Redis instead.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StorageKey
from sqlalchemy import delete, event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from models import FsmRecord

RECORDS = "fsm_records"  # session.info: the records this session has loaded, by key
PENDING = "fsm_pending"  # session.info: storages with records changed in this transaction
CACHE_SIZE = 100_000
update_session: ContextVar[AsyncSession | None] = ContextVar("update_session", default=None)

Snapshot = tuple[str | None, dict[str, Any]]


class SqlStorage(BaseStorage):
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.key_builder = key_builder or DefaultKeyBuilder()
        self._committed: OrderedDict[str, Snapshot] = OrderedDict()

    # --- the in-memory copy of what is committed ---------------------------------------------

    def _cached(self, name: str) -> Snapshot | None:
        snapshot = self._committed.get(name)
        if snapshot is not None:
            self._committed.move_to_end(name)
        return snapshot

    def _keep(self, name: str, snapshot: Snapshot) -> None:
        self._committed[name] = snapshot
        self._committed.move_to_end(name)
        if len(self._committed) > CACHE_SIZE:
            self._committed.popitem(last=False)

    def committed(self, names: dict[str, FsmRecord | None]) -> None:
        for name, record in names.items():
            if record is None:
                self._keep(name, (None, {}))
            else:
                self._keep(name, (record.state, dict(record.data or {})))

    def rolled_back(self, names: dict[str, FsmRecord | None]) -> None:
        for name in names:
            self._committed.pop(name, None)

    # --- reading and writing through a session ------------------------------------------------

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[AsyncSession]:
        current = update_session.get()
        if current is not None:  # written when the update commits
            yield current
            return
        async with self.sessionmaker.begin() as session:
            yield session

    async def _record(self, session: AsyncSession, name: str) -> FsmRecord | None:
        """The record, loaded once per session: an update reads and writes it several times."""
        loaded = session.info.setdefault(RECORDS, {})
        if name not in loaded:
            loaded[name] = await session.get(FsmRecord, name)
        record: FsmRecord | None = loaded[name]
        return record

    def _changed(self, session: AsyncSession, name: str, record: FsmRecord | None) -> None:
        session.info.setdefault(RECORDS, {})[name] = record
        session.info.setdefault(PENDING, {}).setdefault(self, {})[name] = record

    async def _read(self, key: StorageKey) -> Snapshot:
        name = self.key_builder.build(key)
        current = update_session.get()
        if current is not None and name in current.info.get(RECORDS, {}):
            record = current.info[RECORDS][name]
            return (record.state, dict(record.data or {})) if record else (None, {})
        cached = self._cached(name)
        if cached is not None:
            return cached
        if current is not None:
            record = await self._record(current, name)
        else:
            async with self.sessionmaker() as session:
                record = await session.get(FsmRecord, name)
        snapshot: Snapshot = (record.state, dict(record.data or {})) if record else (None, {})
        self._keep(name, snapshot)
        return snapshot

    async def set_state(self, key: StorageKey, state: str | State | None = None) -> None:
        value = state.state if isinstance(state, State) else state
        name = self.key_builder.build(key)
        async with self._writing() as session:
            record = await self._record(session, name)
            if record is None:
                if value is not None:
                    record = FsmRecord(key=name, state=value, data={})
                    session.add(record)
            elif value is None and not record.data:
                await session.delete(record)
                record = None
            else:
                record.state = value
            self._changed(session, name, record)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._read(key))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        name = self.key_builder.build(key)
        async with self._writing() as session:
            record = await self._record(session, name)
            if record is None:
                if data:
                    record = FsmRecord(key=name, state=None, data=dict(data))
                    session.add(record)
            elif not data and record.state is None:
                await session.delete(record)
                record = None
            else:
                record.data = dict(data)
            self._changed(session, name, record)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return dict((await self._read(key))[1])

    async def clear_all(self) -> None:
        async with self.sessionmaker.begin() as session:
            await session.execute(delete(FsmRecord))
        self._committed.clear()

    async def close(self) -> None:
        return None


@event.listens_for(Session, "after_commit")
def _publish_committed(session: Session) -> None:
    for storage, names in session.info.pop(PENDING, {}).items():
        storage.committed(names)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    for storage, names in session.info.pop(PENDING, {}).items():
        storage.rolled_back(names)
