"""The committed rows behind recent actors, so most updates know who is acting without a query.

Every update starts by loading the acting user, their memberships, organisations and profiles
(`actor_rows`: one query of plain columns). This cache keeps those column values per Telegram
id, and rebuilds them as ORM objects in the update's session (attached, no SQL), so handlers use
them exactly as if queried.

A commit that changed a row of an entry writes the row's new values into it (a dialog step
changes the profile it then reads again next step); one that added, deleted or re-linked rows,
or changed an organisation, drops the entries concerned, and bulk statements on these tables
drop everything. A load that raced with such a commit is not kept.
One process owns the cache, as it owns the in-memory dialog state (see bot/fsm_storage.py); the
app turns it off when several processes share the database (Redis configured).
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, event, inspect, select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapper, ORMExecuteState, Session

from models import Membership, Organisation, Profile, User
from models.attached import attach_loaded
from models.prepared import Prepared, prepare

ACTOR_CACHE = "actor_cache"  # session.info: the cache this session's sessionmaker shares
EVICT = "actor_cache_evict"  # session.info: Telegram ids whose entries this transaction drops
PATCH = "actor_cache_patch"  # session.info: (model index, row id) -> the new values
EVICT_ALL = "all"
WATCHED = (User, Membership, Organisation, Profile)
WATCHED_TABLES = frozenset(model.__tablename__ for model in WATCHED)
CACHE_SIZE = 50_000
FLAT = frozenset({str, int, float, bool, type(None)})  # immutable JSON items

Values = dict[str, Any]
Snapshot = tuple[tuple[Values | None, ...], ...]  # per row: user, membership, org, profile
Patch = tuple[int, int]  # index of the model in WATCHED, row id


class ActorCache:
    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self.enabled = True
        self.generation = 0  # moves on at every commit that changed watched rows
        self._entries: OrderedDict[int, Snapshot] = OrderedDict()
        # (model index, row id) -> the Telegram id whose entry holds that user, membership or
        # profile row (organisations are shared by many entries and not tracked).
        self._holders: dict[tuple[int, int], int] = {}

    def get(self, telegram_id: int) -> Snapshot | None:
        if not self.enabled:
            return None
        entry = self._entries.get(telegram_id)
        if entry is not None:
            self._entries.move_to_end(telegram_id)
        return entry

    def keep(self, telegram_id: int, snapshot: Snapshot, generation: int) -> None:
        """Remember what a query returned, unless a commit changed watched rows since it ran."""
        if not self.enabled or generation != self.generation:
            return
        self._entries[telegram_id] = snapshot
        for row_key in _row_keys(snapshot):
            self._holders[row_key] = telegram_id
        if len(self._entries) > self.size:
            self._drop(next(iter(self._entries)))

    def committed(self, evicted: set[int | str], patches: dict[Patch, Values]) -> None:
        """What a commit changed: entries to drop, and rows whose new values replace theirs.

        Loads begun before the commit are not kept either way.
        """
        self.generation += 1
        if EVICT_ALL in evicted:
            self._entries.clear()
            self._holders.clear()
            return
        for telegram_id in evicted:
            self._drop(int(telegram_id))
        for (model_index, row_id), values in patches.items():
            holder = self._holders.get((model_index, row_id))
            entry = self._entries.get(holder) if holder is not None else None
            if holder is not None and entry is not None:
                self._entries[holder] = _patched(entry, model_index, row_id, values)

    def _drop(self, telegram_id: int) -> None:
        for row_key in _row_keys(self._entries.pop(telegram_id, ())):
            if self._holders.get(row_key) == telegram_id:
                del self._holders[row_key]

    def holder(self, instance: object) -> int | None:
        """The Telegram id whose entry holds this row now, if one does."""
        return self._holders.get((WATCHED.index(type(instance)), instance.id))  # type: ignore[attr-defined]

    def concerned(self, instance: object) -> set[int | str]:
        """The entries a new, deleted or re-linked row changes: the one holding it, and the
        one it now belongs in (EVICT_ALL: an organisation, shared by many entries)."""
        if isinstance(instance, Organisation):
            return {EVICT_ALL}
        belongs: int | None
        if isinstance(instance, User):
            belongs = instance.telegram_id  # it may be cached as "no such user"
        elif isinstance(instance, Membership):
            belongs = self._holders.get((0, instance.user_id))
        else:
            belongs = self._holders.get((1, instance.membership_id))  # type: ignore[attr-defined]
        return {found for found in (self.holder(instance), belongs) if found is not None}


def _row_keys(snapshot: Snapshot) -> Iterator[tuple[int, int]]:
    """(model index, row id) of the user, membership and profile rows in a snapshot."""
    for row in snapshot:
        for model_index in (0, 1, 3):
            part = row[model_index]
            if part is not None:
                yield (model_index, part["id"])


def _patched(entry: Snapshot, model_index: int, row_id: int, values: Values) -> Snapshot:
    """The entry with that row's values replaced, wherever the row appears."""
    return tuple(
        tuple(
            values if index == model_index and part is not None and part["id"] == row_id else part
            for index, part in enumerate(row)
        )
        for row in entry
    )


def _columns(model: type) -> list[tuple[str, Any]]:
    mapper: Mapper[Any] = inspect(model)
    return [(attribute.key, attribute.columns[0]) for attribute in mapper.column_attrs]


# The actor's rows as plain columns: SQLAlchemy turns them into objects faster through
# attach_loaded than through its own loading, and the cache keeps them as they come.
COLUMNS = [_columns(model) for model in WATCHED]
ACTOR_QUERY = (
    select(*(column for columns in COLUMNS for _, column in columns))
    .select_from(User)
    .outerjoin(Membership, Membership.user_id == User.id)
    .outerjoin(Organisation, Organisation.id == Membership.organisation_id)
    .outerjoin(Profile, Profile.membership_id == Membership.id)
    .where(User.telegram_id == bindparam("telegram_id"))
    .order_by(Membership.id)
)


async def actor_rows(session: AsyncSession, telegram_id: int) -> list[tuple[Any, ...]]:
    """(user, membership, organisation, profile) per membership, as ORM objects in `session`.

    From the cache when it has them; else from one query, whose result the cache then keeps.
    """
    cache = cache_of(session.sync_session)
    snapshot = cache.get(telegram_id) if cache is not None else None
    if snapshot is None:
        generation = cache.generation if cache is not None else 0
        snapshot = await session.run_sync(_query, telegram_id)
        if cache is not None:
            cache.keep(telegram_id, snapshot, generation)
    return revive(session.sync_session, snapshot)


def _query(session: Session, telegram_id: int) -> Snapshot:
    """On the session's connection, as a prepared statement: plain rows, no ORM loading."""
    connection = session.connection()
    rows = _prepared_query(connection.dialect).rows(connection, {"telegram_id": telegram_id})
    return tuple(_split(row) for row in rows)


@lru_cache(maxsize=16)  # one per engine's dialect
def _prepared_query(dialect: Dialect) -> Prepared:
    return prepare(ACTOR_QUERY, dialect)


def _slices() -> list[tuple[int, int, tuple[str, ...], int]]:
    """Where each model's columns lie in a result row: start, end, attribute names, and the
    position of its id (None there: the outer join found no such row)."""
    slices = []
    start = 0
    for columns in COLUMNS:
        keys = tuple(key for key, _ in columns)
        slices.append((start, start + len(keys), keys, start + keys.index("id")))
        start += len(keys)
    return slices


SLICES = _slices()


def _split(row: Sequence[Any]) -> tuple[Values | None, ...]:
    """One flat result row as each model's values (None for a model the outer join missed)."""
    return tuple(
        dict(zip(keys, row[start:end], strict=True)) if row[id_at] is not None else None
        for start, end, keys, id_at in SLICES
    )


def revive(session: Session, snapshot: Snapshot) -> list[tuple[Any, ...]]:
    """The snapshot's rows as ORM objects attached to `session`, as a query would return them."""
    return [
        tuple(
            None if values is None else attach_loaded(session, model, _copied(values))
            for model, values in zip(WATCHED, row, strict=True)
        )
        for row in snapshot
    ]


def _copied(values: Values) -> Values:
    """The values, with JSON lists and dicts copied (the only ones a handler can change)."""
    copied = values.copy()
    for name, value in values.items():
        if isinstance(value, (list, dict)):
            copied[name] = _own(value)
    return copied


def _own(value: Any) -> Any:
    """A copy of a JSON value (a handler may change it in place), other values as they are."""
    if type(value) is list and all(type(item) in FLAT for item in value):
        return value.copy()  # the usual case, a list of codes: far cheaper than deepcopy
    return copy.deepcopy(value) if isinstance(value, (list, dict)) else value


def cache_of(session: Session) -> ActorCache | None:
    cache: ActorCache | None = session.info.get(ACTOR_CACHE)
    return cache


@event.listens_for(Session, "after_flush")
def _note_changed_rows(session: Session, _: Any) -> None:
    cache = cache_of(session)
    if cache is None:
        return
    added_or_deleted = [i for i in (*session.new, *session.deleted) if isinstance(i, WATCHED)]
    changed = [instance for instance in session.dirty if isinstance(instance, WATCHED)]
    if not added_or_deleted and not changed:
        return
    # Even with no entry to touch, the commit must move the generation on: a load of these
    # rows that is under way read them as they were.
    evicted: set[int | str] = session.info.setdefault(EVICT, set())
    for instance in added_or_deleted:
        evicted.update(cache.concerned(instance))
    for instance in changed:
        if isinstance(instance, Organisation) or _moved(instance):
            evicted.update(cache.concerned(instance))
        elif cache.holder(instance) is not None:
            values = _new_values(instance)
            if values is None:
                evicted.update(cache.concerned(instance))
            else:
                patch = (WATCHED.index(type(instance)), values["id"])
                session.info.setdefault(PATCH, {})[patch] = values


# Columns that tie a row to an entry: a change there moves the row to another entry.
LINKS: dict[type, tuple[str, ...]] = {
    User: ("id", "telegram_id"),
    Membership: ("id", "user_id", "organisation_id"),
    Profile: ("id", "membership_id"),
}


def _moved(instance: object) -> bool:
    """Whether a column that ties the row to its entry was set (a set key moves the row)."""
    changed = inspect(instance).committed_state
    return any(key in changed for key in LINKS[type(instance)])


def _new_values(instance: object) -> Values | None:
    """A changed row's columns as the flush wrote them; None if a column was not loaded."""
    loaded = inspect(instance).dict
    columns = COLUMNS[WATCHED.index(type(instance))]
    if any(key not in loaded for key, _ in columns):
        return None
    return _copied({key: loaded[key] for key, _ in columns})


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_statements(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in WATCHED_TABLES and cache_of(state.session) is not None:
        state.session.info.setdefault(EVICT, set()).add(EVICT_ALL)


@event.listens_for(Session, "after_commit")
def _apply_committed(session: Session) -> None:
    evicted = session.info.pop(EVICT, None)
    patches = session.info.pop(PATCH, None)
    cache = cache_of(session)
    if (evicted is not None or patches is not None) and cache is not None:
        # Moves the generation on even if no entry is affected.
        cache.committed(evicted or set(), patches or {})


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(EVICT, None)
    session.info.pop(PATCH, None)
