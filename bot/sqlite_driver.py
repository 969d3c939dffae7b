"""SQLite for the bot: statements run in the event loop's thread, one writer at a time.

SQLAlchemy's aiosqlite adapter hands every step of every statement (open a cursor, execute,
fetch, close, commit) to aiosqlite's worker thread and back. For a bot whose updates each run a
few small queries on a local file, those hand-offs cost far more than SQLite itself, which
answers such a query in tens of microseconds. This adapter runs each statement, and commit and
rollback, directly; aiosqlite's thread is left only opening and closing connections.

Running in the loop's thread means a statement must never wait for SQLite's own lock, or the
whole bot would wait with it. So the writers of this process take turns on an asyncio lock per
database file, taken before a statement that may begin writing and given back when its
transaction ends; readers never wait (WAL). Another process writing the same file would make
a statement wait on SQLite's lock (up to the busy timeout): one bot process owns its SQLite
file, as it owns its in-memory dialog state. Measured by bench/throughput.py.
"""

from __future__ import annotations

import asyncio
import collections
import sqlite3
from typing import Any
from weakref import WeakValueDictionary

from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
    SQLiteDialect_aiosqlite,
)
from sqlalchemy.util import EMPTY_DICT

DRIVER = "sqlite+nastavnik"
WRITER_WAIT_SECONDS = 30.0  # as long as SQLite's own busy timeout would have waited
READING = ("SELECT", "select", "PRAGMA", "pragma")  # never begin a write transaction

# One lock per database file (and event loop) for all engines and connections of the process.
_writers: WeakValueDictionary[tuple[str, int], asyncio.Lock] = WeakValueDictionary()


def writer_lock(database: str) -> asyncio.Lock:
    key = (database, id(asyncio.get_running_loop()))
    lock = _writers.get(key)
    if lock is None:
        lock = _writers[key] = asyncio.Lock()
    return lock


def _run_statement(
    connection: sqlite3.Connection, operation: Any, parameters: Any, many: bool
) -> tuple[Any, list[Any], int, int | None]:
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class InlineCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ("_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: Any) -> None:
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]  # rows come with the statement
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid or 0

    @property
    def arraysize(self) -> int:
        return 1

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        return None

    async def _run(self, operation: Any, parameters: Any, many: bool) -> None:
        turn: WriterTurn = self._connection.writer_turn
        connection = self._connection._conn
        if not connection.in_transaction and not operation.lstrip().startswith(READING):
            await turn.take()
        try:
            result = _run_statement(connection, operation, parameters, many)
        finally:
            if not connection.in_transaction:  # a statement outside any transaction
                turn.end()
        self._description, rows, self._rowcount, self._lastrowid = result
        self._rows = collections.deque(rows)

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        await self._run(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        await self._run(operation, seq_of_parameters, many=True)

    async def _async_soft_close(self) -> None:
        return None

    def close(self) -> None:
        self._rows.clear()


class WriterTurn:
    """One connection's turn among the process's writers of a database file."""

    def __init__(self, database: str) -> None:
        self.lock = writer_lock(database)
        self.taken = False

    async def take(self) -> None:
        if not self.lock.locked():
            await self.lock.acquire()  # free: taken at once, no timer needed
        else:
            try:
                await asyncio.wait_for(self.lock.acquire(), WRITER_WAIT_SECONDS)
            except TimeoutError:
                raise sqlite3.OperationalError("database is locked") from None
        self.taken = True

    def end(self) -> None:
        if self.taken:
            self.taken = False
            self.lock.release()


class InlineConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = InlineCursor

    @property
    def writer_turn(self) -> WriterTurn:
        turn: WriterTurn = self._connection.writer_turn
        return turn

    def commit(self) -> None:
        self._end_transaction("commit")

    def rollback(self) -> None:
        self._end_transaction("rollback")

    def _end_transaction(self, how: str) -> None:
        try:
            if self._connection._connection:  # still open
                getattr(self._connection._conn, how)()
        except Exception as error:
            self._handle_exception(error)
        finally:
            self.writer_turn.end()

    def close(self) -> None:
        self.writer_turn.end()
        super().close()


class InlineDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *args: Any, **kwargs: Any) -> InlineConnection:
        kwargs["check_same_thread"] = False  # opened in aiosqlite's thread, used in the loop's
        connection = super().connect(*args, **kwargs)
        connection.__class__ = InlineConnection  # same layout, our cursor and transactions
        database = str(args[0] if args else kwargs.get("database", ""))
        connection._connection.writer_turn = WriterTurn(database)
        return connection  # type: ignore[return-value]


class InlineDialect(SQLiteDialect_aiosqlite):
    driver = "nastavnik"
    supports_statement_cache = True

    @classmethod
    def import_dbapi(cls) -> InlineDBAPI:
        import aiosqlite

        return InlineDBAPI(aiosqlite, sqlite3)


registry.register("sqlite.nastavnik", __name__, "InlineDialect")
