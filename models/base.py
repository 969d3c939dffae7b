"""Declarative base with portable types (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

from sqlalchemy import DateTime, MetaData, inspect, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Ids are Integer columns: 32-bit on PostgreSQL. A larger one (only a forged button carries one)
# would fail in the database rather than find nothing.
LARGEST_ID = 2**31 - 1

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always returns them aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware one in UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


def dialect_of(session: Any) -> str:
    """The name of the database dialect a session talks to ("sqlite", "postgresql")."""
    return str(session.bind.dialect.name) if session.bind is not None else "sqlite"


def insert_unless_present(session: Any, model: Any, columns: list[str]) -> Any:
    """INSERT … ON CONFLICT (`columns`) DO NOTHING, in the dialect at hand (both have it)."""
    insert = postgresql.insert if dialect_of(session) == "postgresql" else sqlite.insert
    return insert(model).on_conflict_do_nothing(index_elements=columns)


Row = TypeVar("Row", bound=Base)


# One PostgreSQL advisory lock for the start-up's writes ("migr"): the migrations, the
# questionnaire files and the menus' signatures stored. Processes started at once (two
# workers, a deploy) take turns.
STARTUP_LOCK = 0x6D696772


async def startup_turn(database: AsyncConnection | AsyncSession) -> None:
    """From here to the end of the transaction, one starting process at a time: the next finds
    what the first wrote (else both wrote it, and one stopped on a duplicate). SQLite serves one
    process (see the README)."""
    name = database.dialect.name if isinstance(database, AsyncConnection) else dialect_of(database)
    if name == "postgresql":
        await database.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": STARTUP_LOCK})


async def locked(session: AsyncSession, model: type[Row], key: int) -> Row | None:
    """The row read afresh and locked until the transaction ends, so two people who check it
    and then change it at the same moment (two heads approving a pair) take turns, and the
    second sees what the first did."""
    await _take_write_lock(session, model, key)
    [primary_key] = inspect(model).primary_key
    return await session.scalar(
        select(model)
        .where(primary_key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def relock(session: AsyncSession, row: Base) -> None:
    """`row` read afresh and locked until the transaction ends, as `locked` does."""
    identity = inspect(row).identity
    assert identity is not None, "only a stored row can be locked"
    await _take_write_lock(session, type(row), identity[0])
    await session.refresh(row, with_for_update=True)


async def _take_write_lock(session: AsyncSession, model: type[Base], key: int) -> None:
    """PostgreSQL locks the row with FOR UPDATE; SQLite ignores FOR UPDATE, and its driver
    reads outside any transaction until the first change, so both people would read the row
    as it was. A change that changes nothing takes SQLite's write lock (waiting for a writer
    under way to commit), and what is read after it is the latest."""
    if dialect_of(session) != "sqlite":
        return
    mapper = inspect(model)
    [primary_key] = mapper.primary_key
    column = next(c for c in mapper.columns if not c.primary_key and not c.foreign_keys)
    await session.execute(
        update(model)
        .where(primary_key == key)
        .values({column: column})
        .execution_options(synchronize_session=False)
    )
