"""Dialog state that moves only when the update's transaction commits, with either store.

- `SqlStorage` keeps the state in the bot's own database. Inside an update it reads and writes
  through that update's session, so a step's answer and the dialog's position commit together,
  and a rolled-back step leaves the dialog where it was. Each record is read once per update.
- `UpdateBufferedStorage` wraps another store (Redis): inside an update, changes are held and
  applied only after the update's transaction committed (`apply`), so there too a rolled-back
  step leaves the dialog where it was.

Nothing is kept between updates: every update reads the state from its store, so another
process or a SQL console changing it is seen at once.
"""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator, Collection, Iterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import replace
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StorageKey
from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import Clock
from bot.services.privacy import Withdrawal
from models import FsmRecord

RECORDS = "fsm_records"  # session.info: the records this update has read, by key (None: none)
RECORD_QUERY = select(FsmRecord).where(FsmRecord.key == bindparam("key"))  # built once
update_session: ContextVar[AsyncSession | None] = ContextVar("update_session", default=None)

StateWrites = dict[StorageKey, dict[str, Any]]  # "state" and/or "data", as last set
update_state_writes: ContextVar[StateWrites | None] = ContextVar(
    "update_state_writes", default=None
)


def _state_name(state: str | State | None) -> str | None:
    return state.state if isinstance(state, State) else state


class SqlStorage(BaseStorage):
    """See the module's note. `remember` takes a record the update's first query has read.

    A record notes its chat and when it last changed (`clock`), for the sweep of idle dialogs
    (bot/services/dialog_expiry.py); both go in the write's own statement, and a step that
    changes nothing writes nothing."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.clock = clock or Clock()
        # With the destiny in the key: aiogram-dialog keeps its stack and contexts beside the
        # plain FSM record, each under a destiny of its own.
        self.key_builder = key_builder or DefaultKeyBuilder(with_destiny=True)

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[AsyncSession]:
        """The update's session (committed with the update), or one of its own outside one."""
        current = update_session.get()
        if current is not None:
            yield current
            return
        async with self.sessionmaker.begin() as session:
            yield session

    def key_name(self, key: StorageKey) -> str:
        return self.key_builder.build(key)

    @staticmethod
    def remember(session: AsyncSession, name: str, record: FsmRecord | None) -> None:
        """A record (or its absence) already read in this update: no query for it again."""
        session.info.setdefault(RECORDS, {})[name] = record

    async def _record(self, session: AsyncSession, name: str) -> FsmRecord | None:
        loaded: dict[str, FsmRecord | None] = session.info.setdefault(RECORDS, {})
        if name not in loaded:
            loaded[name] = await session.scalar(RECORD_QUERY, {"key": name})
        return loaded[name]

    def _remember(self, session: AsyncSession, name: str, record: FsmRecord | None) -> None:
        session.info[RECORDS][name] = record

    async def set_state(self, key: StorageKey, state: str | State | None = None) -> None:
        value = _state_name(state)
        name = self.key_builder.build(key)
        async with self._session() as session:
            record = await self._record(session, name)
            if record is None:
                if value is not None:
                    record = self._new_record(key, name, value, {})
                    session.add(record)
            elif value is None and not record.data:  # nothing left to keep
                await session.delete(record)
                record = None
            elif record.state != value:
                record.state, record.touched_at = value, self.clock.now()
            self._remember(session, name, record)

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        name = self.key_builder.build(key)
        value = dict(data)
        async with self._session() as session:
            record = await self._record(session, name)
            if record is None:
                if value:
                    record = self._new_record(key, name, None, value)
                    session.add(record)
            elif not value and record.state is None:
                await session.delete(record)
                record = None
            elif record.data != value:
                record.data, record.touched_at = value, self.clock.now()
            self._remember(session, name, record)

    def _new_record(
        self, key: StorageKey, name: str, state: str | None, data: dict[str, Any]
    ) -> FsmRecord:
        return FsmRecord(
            key=name, chat_id=key.chat_id, state=state, data=data, touched_at=self.clock.now()
        )

    async def get_state(self, key: StorageKey) -> str | None:
        async with self._session() as session:
            record = await self._record(session, self.key_builder.build(key))
            return record.state if record else None

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self._session() as session:
            record = await self._record(session, self.key_builder.build(key))
            # A copy: a handler may change a list in it and then fail before committing.
            return copy.deepcopy(record.data or {}) if record else {}

    async def clear_all(self) -> None:
        async with self.sessionmaker.begin() as session:
            await session.execute(delete(FsmRecord))

    async def close(self) -> None:
        return None


class UpdateBufferedStorage(BaseStorage):
    """Holds an update's state changes until its transaction commits; see the module's note."""

    def __init__(self, inner: BaseStorage) -> None:
        self.inner = inner

    async def set_state(self, key: StorageKey, state: str | State | None = None) -> None:
        writes = update_state_writes.get()
        if writes is None:
            await self.inner.set_state(key, state)
        else:
            writes.setdefault(key, {})["state"] = _state_name(state)

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        writes = update_state_writes.get()
        if writes is None:
            await self.inner.set_data(key, data)
        else:
            writes.setdefault(key, {})["data"] = copy.deepcopy(dict(data))

    async def get_state(self, key: StorageKey) -> str | None:
        pending = (update_state_writes.get() or {}).get(key, {})
        if "state" in pending:
            state: str | None = pending["state"]
            return state
        return await self.inner.get_state(key)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        pending = (update_state_writes.get() or {}).get(key, {})
        if "data" in pending:
            return copy.deepcopy(pending["data"])
        return await self.inner.get_data(key)

    async def apply(self, writes: StateWrites) -> None:
        """Write what a committed update changed to the store."""
        for key, pending in writes.items():
            if "state" in pending:
                await self.inner.set_state(key, pending["state"])
            if "data" in pending:
                await self.inner.set_data(key, pending["data"])

    async def close(self) -> None:
        await self.inner.close()


# aiogram-dialog's records in a private chat: the default stack, and each dialog's context.
DIALOG_STACK = "aiogd:stack:"
DIALOG_CONTEXT = "aiogd:context:"


# Keys under which a dialog keeps a number that is not a person's: another record's id (a
# pair, a plan item, a stage of the roadmap, ...) or a quantity. Membership ids are kept under
# other keys (`membership_id`, `mentor`, `people`, a generic `id`, ...), or ticked in a widget.
NOT_PEOPLE = frozenset(
    {
        "activity_id",
        "broadcast_id",
        "invitation_id",
        "pair_id",
        "stage_id",
        "item",  # a plan item of the final report
        "duration_minutes",
        "year",
        "step",
        "start",  # an hour of the working day
    }
)


def _holds(context: Mapping[str, Any], needles: Collection[str], numbers: Collection[int]) -> bool:
    """A dialog's context holds a needle in its text, or one of `numbers` as an id it keeps or
    a box ticked in it."""
    values = [context.get(part) for part in ("start_data", "dialog_data", "widget_data")]
    shown = json.dumps(values, ensure_ascii=False)
    if any(needle in shown for needle in needles):
        return True
    kept = {*_ids(context.get("start_data")), *_ids(context.get("dialog_data"))}
    return not set(numbers).isdisjoint(kept | set(_ticked(context.get("widget_data"))))


def _ids(value: Any) -> Iterator[int]:
    """Every whole number a dialog keeps, as a number or as digits, but under NOT_PEOPLE."""
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        yield value
    elif isinstance(value, str) and value.isdigit() and len(value) <= 19:
        yield int(value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key not in NOT_PEOPLE:
                yield from _ids(item)
    elif isinstance(value, list):
        for item in value:
            yield from _ids(item)


def _ticked(widgets: Any) -> Iterator[int]:
    """The items ticked or chosen in a dialog's widgets (kept as digits); a widget's bare
    number is a pager's page or a counter's value, never a person."""
    for value in widgets.values() if isinstance(widgets, Mapping) else ():
        if isinstance(value, str | list):
            yield from _ids(value)


async def close_dialogs_naming(
    storage: BaseStorage, bot_id: int, telegram_id: int, withdrawal: Withdrawal
) -> list[int]:
    """After `withdrawal` (bot.services.privacy) of the person `telegram_id`: closes the open
    dialogs of the organisation's people that hold their name, phone or Telegram id, and of
    the people who pick them by id (the desk, their pairs) that hold their memberships' ids:
    the stack and every context in it go, so nothing shows or acts on erased data, and a tap on
    the old screen gets the polite answer to a stale button. Read and written through the
    store's own API (inside an update, with its transaction: see the module's note). Returns
    the chats whose dialogs closed."""
    closed = []
    near = set(withdrawal.near)
    for chat_id in withdrawal.chats:
        stack_key = StorageKey(
            bot_id=bot_id, chat_id=chat_id, user_id=chat_id, destiny=DIALOG_STACK
        )
        stack = await storage.get_data(stack_key)
        keys = [
            replace(stack_key, destiny=f"{DIALOG_CONTEXT}{intent}")
            for intent in stack.get("intents", [])
        ]
        numbers = {telegram_id, *(withdrawal.ids if chat_id in near else ())}
        needles = {*withdrawal.needles, str(telegram_id)}
        contexts = [await storage.get_data(key) for key in keys]
        if not any(_holds(context, needles, numbers) for context in contexts):
            continue
        for key in [*keys, stack_key]:
            await storage.set_data(key, {})
        closed.append(chat_id)
    return closed
