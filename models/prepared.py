"""Statements compiled once per dialect, for the few that every update runs.

`Connection.execute` of a Core statement looks its compiled form up by the statement's cache
key, builds an execution context that maps each parameter by name through its type, and wraps
the cursor in a result that converts each column. For the actor query and the UPDATEs of a
dialog step that cost about as much as SQLite's own work. A `Prepared` statement keeps the SQL
text and the type conversions for one dialect:

* `execute` (an UPDATE) runs it through `Connection.exec_driver_sql`: the same connection,
  transaction and cursor events, with the parameters converted here;
* `rows` (a SELECT) reads it on the connection's own DBAPI cursor and converts the columns
  here; a driver result would rebuild its column map from the cursor on every call, which costs
  more than Core saves. When anything listens to cursor events (tests that count statements,
  instrumentation), or the driver raises, the Core statement runs instead, so listeners see it
  and errors come out as SQLAlchemy's.

Statements with expanding (IN) or literal parameters are not for this.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, CursorResult
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement, Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.types import TypeEngine

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class Prepared:
    statement: ClauseElement
    sql: str
    names: tuple[str, ...]  # bind parameter names, in the order the SQL takes them
    binds: tuple[Processor, ...]  # per parameter, how its type converts a value for the driver
    results: tuple[Processor, ...]  # per result column, how its type reads the driver's value
    positional: bool  # the driver takes a tuple (else a dict by name)

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        converted = [
            value if process is None else process(value)
            for value, process in zip(map(values.__getitem__, self.names), self.binds, strict=True)
        ]
        if self.positional:
            return tuple(converted)
        return dict(zip(self.names, converted, strict=True))

    def execute(self, connection: Connection, values: Mapping[str, Any]) -> CursorResult[Any]:
        return connection.exec_driver_sql(self.sql, self.parameters(values))

    def rows(self, connection: Connection, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The rows, every column converted as a Core result would."""
        if connection.dispatch.before_cursor_execute or connection.dispatch.after_cursor_execute:
            return self._core_rows(connection, values)
        cursor = connection.connection.cursor()
        try:
            cursor.execute(self.sql, self.parameters(values))
            fetched = cursor.fetchall()
        except connection.dialect.loaded_dbapi.Error:
            return self._core_rows(connection, values)  # raises as SQLAlchemy does, or reads
        finally:
            cursor.close()
        processors = self.results
        return [
            tuple(
                value if process is None else process(value)
                for value, process in zip(row, processors, strict=True)
            )
            for row in fetched
        ]

    def _core_rows(self, connection: Connection, values: Mapping[str, Any]) -> list[Any]:
        return [tuple(row) for row in connection.execute(cast(Executable, self.statement), values)]


def prepare(statement: ClauseElement, dialect: Dialect) -> Prepared:
    compiled = statement.compile(dialect=dialect)
    assert isinstance(compiled, SQLCompiler)
    binds = {name: bind for bind, name in compiled.bind_names.items()}
    names = tuple(compiled.positiontup or ()) if dialect.positional else tuple(binds)
    columns = getattr(statement, "selected_columns", ())
    return Prepared(
        statement=statement,
        sql=compiled.string,
        names=names,
        binds=tuple(_bind_processor(binds[name].type, dialect) for name in names),
        results=tuple(_result_processor(column.type, dialect) for column in columns),
        positional=bool(dialect.positional),
    )


def _bind_processor(type_: TypeEngine[Any], dialect: Dialect) -> Processor:
    return type_.dialect_impl(dialect).bind_processor(dialect)


def _result_processor(type_: TypeEngine[Any], dialect: Dialect) -> Processor:
    return type_.dialect_impl(dialect).result_processor(dialect, None)
