"""The ORM session, with a shorter flush for the usual case: a few loaded rows changed.

A dialog step changes one or two rows it loaded (a profile's answer, the dialog state) and adds
or deletes nothing. SQLAlchemy's unit of work plans such a flush as it plans any: per mapper,
it sorts dependencies, gathers states, looks up the connection, and runs an empty delete step.
That planning cost more than the UPDATEs themselves. When a flush holds only such changes, this
session runs one UPDATE per row, by primary key and with only the changed columns, exactly as
the unit of work would, and then marks the rows clean through the session's own bookkeeping.
Anything else (new or deleted rows, relationship changes, SQL expressions as values, mappers
with update events, versioning or update defaults, flush listeners) goes the usual way.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any, cast

from sqlalchemy import Column, Table, bindparam, update
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapper, UOWTransaction
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm.base import NO_VALUE
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.state import InstanceState
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.dml import Update

from models.prepared import Prepared, prepare

# Bind parameter names: SQLAlchemy keeps a column's own name for itself in a SET clause.
NEW_VALUE = "new_{}"
PRIMARY_KEY = "key_{}"


class Session(OrmSession):
    def _flush(self, objects: Sequence[object] | None = None) -> None:
        if objects is not None or self._new or self._deleted or not self._direct_flush():
            super()._flush(objects)

    def _direct_flush(self) -> bool:
        """Flush changed loaded rows as plain UPDATEs; False (nothing done) if it can't."""
        if self.dispatch.before_flush:
            return False  # a listener may add rows: the unit of work must see them
        dirty = self._dirty_states
        if not dirty:
            return False  # the usual flush returns at once, and tidies up
        updates = []
        for state in dirty:
            changes = _changed_columns(state)
            if changes is None:
                return False
            updates.append((state, changes))
        updates.sort(key=_flush_order)
        self._run_updates(updates)
        return True

    def _run_updates(self, updates: list[tuple[InstanceState[Any], dict[str, Any]]]) -> None:
        """What Session._flush does around the unit of work, with UPDATEs as the work."""
        flush_context = UOWTransaction(self)
        transaction = self._autobegin_t()._begin()
        try:
            for state, changes in updates:
                if changes:
                    _update_row(self, state, changes)
            self.dispatch.after_flush(self, flush_context)
            self._register_persistent({state for state, _ in updates})
            self.dispatch.after_flush_postexec(self, flush_context)
            transaction.commit()
        except BaseException:
            transaction.rollback(_capture_exception=True)
            raise


def _changed_columns(state: InstanceState[Any]) -> dict[str, Any] | None:
    """The changed columns of a loaded row by attribute name; None if the unit of work must
    decide (a relationship, a key, an expression, a mapper that needs more than an UPDATE)."""
    mapper = state.mapper
    columns = _plain_columns(mapper)
    if columns is None or state.key is None:
        return None
    changes: dict[str, Any] = {}
    for name, original in state.committed_state.items():
        column = columns.get(name)
        value = state.dict.get(name, NO_VALUE)
        if column is None or value is NO_VALUE or _is_expression(value):
            return None
        if original is NO_VALUE or not column.type.compare_values(original, value):
            changes[name] = value
    return changes


def _is_expression(value: Any) -> bool:
    """A SQL expression as a value (`counter + 1`): the unit of work fetches the result."""
    return isinstance(value, ClauseElement) or hasattr(value, "__clause_element__")


@cache
def _plain_columns(mapper: Mapper[Any]) -> dict[str, Column[Any]] | None:
    """Attribute name -> column of a mapper whose rows an UPDATE alone keeps right.

    None for mappers the unit of work must handle: inheritance, a version counter, update
    events, columns with update defaults, or attributes over several columns.
    """
    table = mapper.local_table
    if (
        mapper.inherits is not None
        or not isinstance(table, Table)
        or mapper.version_id_col is not None
        or mapper.dispatch.before_update
        or mapper.dispatch.after_update
        or any(c.onupdate is not None or c.server_onupdate is not None for c in table.columns)
    ):
        return None
    columns: dict[str, Column[Any]] = {}
    for attribute in mapper.column_attrs:
        if len(attribute.columns) != 1 or attribute.columns[0].table is not table:
            return None
        column = attribute.columns[0]
        if not column.primary_key:  # a changed key is the unit of work's to handle
            columns[attribute.key] = column  # type: ignore[assignment]
    return columns


def _flush_order(update: tuple[InstanceState[Any], dict[str, Any]]) -> tuple[Any, ...]:
    """Tables in dependency order, rows by key, as the unit of work orders its UPDATEs."""
    state = update[0]
    return (_table_order(state.mapper.local_table), *map(str, state.key[1]))  # type: ignore[index]


@cache
def _table_order(table: Any) -> int:
    sorted_tables: list[Any] = table.metadata.sorted_tables
    return sorted_tables.index(table)


def _update_row(session: OrmSession, state: InstanceState[Any], changes: dict[str, Any]) -> None:
    mapper = state.mapper
    statement = _update_statement(mapper, tuple(sorted(changes)))
    parameters = {NEW_VALUE.format(name): value for name, value in changes.items()}
    for column, value in zip(mapper.primary_key, state.key[1], strict=True):  # type: ignore[index]
        parameters[PRIMARY_KEY.format(column.key)] = value
    connection = session.connection(bind_arguments={"mapper": mapper})
    result = _prepared(statement, connection.dialect).execute(connection, parameters)
    if result.rowcount != 1:
        raise StaleDataError(
            f"UPDATE statement on table '{mapper.local_table.description}' expected to update "
            f"1 row(s); {result.rowcount} were matched."
        )


@lru_cache(maxsize=256)  # per UPDATE shape and engine's dialect
def _prepared(statement: Update, dialect: Dialect) -> Prepared:
    return prepare(statement, dialect)


@cache
def _update_statement(mapper: Mapper[Any], names: tuple[str, ...]) -> Update:
    """UPDATE <table> SET <these attributes' columns> WHERE <primary key>, built once."""
    columns = _plain_columns(mapper) or {}
    where = [
        column == bindparam(PRIMARY_KEY.format(column.key), type_=column.type)
        for column in mapper.primary_key
    ]
    values = {
        columns[name]: bindparam(NEW_VALUE.format(name), type_=columns[name].type)
        for name in names
    }
    table = cast(Table, mapper.local_table)  # a plain table, as _plain_columns checked
    return update(table).where(*where).values(values)
