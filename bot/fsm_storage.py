"""FSM storage in the bot's own database, so a dialog survives a restart without Redis.

Inside an update the state goes through that update's session, so a step's answer and the
dialog's position commit together (and SQLite sees one writer, not two that wait on each other).
Every committed record is also kept in memory, loaded once when the storage is first used, so
reading a state costs no query and changing one needs no SELECT first; the copy changes only
after a commit. It holds one small entry per person in the middle of a dialog. One bot process
owns this storage: several processes on one database (webhook workers) use Redis instead.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StorageKey
from sqlalchemy import delete, event, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from models import FsmRecord
from models.attached import attach_loaded

RECORDS = "fsm_records"  # session.info: the records this session has loaded, by key
PENDING = "fsm_pending"  # session.info: storages with records changed in this transaction
update_session: ContextVar[AsyncSession | None] = ContextVar("update_session", default=None)

Snapshot = tuple[str | None, dict[str, Any]]
NOTHING: Snapshot = (None, {})


class SqlStorage(BaseStorage):
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.key_builder = key_builder or DefaultKeyBuilder()
        self._committed: dict[str, Snapshot] = {}  # every record, once loaded
        self._loaded = False
        self._loading = asyncio.Lock()
        self._committed_while_loading: set[str] = set()

    # --- the in-memory copy of what is committed ---------------------------------------------

    async def _load(self, session: AsyncSession | None) -> None:
        """Read every record once; a commit that lands meanwhile wins over what was read."""
        async with self._loading:
            if self._loaded:
                return
            statement = select(FsmRecord.key, FsmRecord.state, FsmRecord.data)
            if session is not None:
                rows = (await session.execute(statement)).all()
            else:
                async with self.sessionmaker() as own:
                    rows = (await own.execute(statement)).all()
            for name, state, data in rows:
                if name not in self._committed_while_loading:
                    self._committed[name] = (state, dict(data or {}))
            self._committed_while_loading.clear()
            self._loaded = True

    async def _snapshot(self, name: str, session: AsyncSession | None) -> Snapshot:
        if not self._loaded:
            await self._load(session)
        return self._committed.get(name, NOTHING)

    def committed(self, names: dict[str, FsmRecord | None]) -> None:
        for name, record in names.items():
            if not self._loaded:
                self._committed_while_loading.add(name)
            if record is None:
                self._committed.pop(name, None)
            else:
                self._committed[name] = (record.state, dict(record.data or {}))

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
        """The record in this session, made from the committed copy (no SELECT), once."""
        loaded = session.info.setdefault(RECORDS, {})
        if name not in loaded:
            state, data = await self._snapshot(name, session)
            if state is None and not data:
                loaded[name] = None
            else:
                loaded[name] = attach_loaded(
                    session.sync_session,
                    FsmRecord,
                    {"key": name, "state": state, "data": copy.deepcopy(data)},
                )
        record: FsmRecord | None = loaded[name]
        return record

    def _changed(self, session: AsyncSession, name: str, record: FsmRecord | None) -> None:
        session.info.setdefault(RECORDS, {})[name] = record
        session.info.setdefault(PENDING, {}).setdefault(self, {})[name] = record

    async def _read(self, key: StorageKey) -> Snapshot:
        name = self.key_builder.build(key)
        current = update_session.get()
        if current is not None and name in current.info.get(RECORDS, {}):
            record = current.info[RECORDS][name]  # this update's own, maybe uncommitted
            return (record.state, dict(record.data or {})) if record else NOTHING
        return await self._snapshot(name, current)

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
        # A deep copy: a handler may change a list in it and then fail before committing.
        return copy.deepcopy((await self._read(key))[1])

    async def clear_all(self) -> None:
        async with self.sessionmaker.begin() as session:
            await session.execute(delete(FsmRecord))
        self._committed.clear()
        self._loaded = True

    async def close(self) -> None:
        return None


@event.listens_for(Session, "after_commit")
def _publish_committed(session: Session) -> None:
    for storage, names in session.info.pop(PENDING, {}).items():
        storage.committed(names)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(PENDING, None)  # what was committed before still stands
