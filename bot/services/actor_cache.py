"""The committed rows behind recent actors, so most updates know who is acting without a query.

Every update starts by loading the acting user, their memberships, organisations and profiles
(`actor_rows`: one query of plain columns). This cache keeps those column values per Telegram
id, and rebuilds them as ORM objects in the update's session (attached, no SQL), so handlers use
them exactly as if queried.

An entry is dropped when a commit changed one of its rows: flushes are watched, and bulk
statements on these tables drop everything. A load that raced with such a commit is not kept.
One process owns the cache, as it owns the in-memory dialog state (see bot/fsm_storage.py); the
app turns it off when several processes share the database (Redis configured).
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, event, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapper, ORMExecuteState, Session

from models import Membership, Organisation, Profile, User
from models.attached import attach_loaded

ACTOR_CACHE = "actor_cache"  # session.info: the cache this session's sessionmaker shares
EVICT = "actor_cache_evict"  # session.info: Telegram ids whose rows this transaction changed
EVICT_ALL = "all"
WATCHED = (User, Membership, Organisation, Profile)
WATCHED_TABLES = frozenset(model.__tablename__ for model in WATCHED)
CACHE_SIZE = 50_000
FLAT = frozenset({str, int, float, bool, type(None)})  # immutable JSON items

Values = dict[str, Any]
Snapshot = tuple[tuple[Values | None, ...], ...]  # per row: user, membership, org, profile


class ActorCache:
    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self.enabled = True
        self.generation = 0  # moves on at every commit that changed watched rows
        self._entries: OrderedDict[int, Snapshot] = OrderedDict()
        self._by_user: dict[int, int] = {}
        self._by_membership: dict[int, int] = {}

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
        for user, membership, _, _ in snapshot:
            if user is not None:
                self._by_user[user["id"]] = telegram_id
            if membership is not None:
                self._by_membership[membership["id"]] = telegram_id
        if len(self._entries) > self.size:
            self._drop(next(iter(self._entries)))

    def evict(self, telegram_ids: Iterable[int | str]) -> None:
        """Drop entries whose rows a commit changed; loads begun before it are not kept."""
        self.generation += 1
        if EVICT_ALL in telegram_ids:
            self._entries.clear()
            self._by_user.clear()
            self._by_membership.clear()
            return
        for telegram_id in telegram_ids:
            self._drop(int(telegram_id))

    def _drop(self, telegram_id: int) -> None:
        for user, membership, _, _ in self._entries.pop(telegram_id, ()):
            if user is not None:
                self._by_user.pop(user["id"], None)
            if membership is not None:
                self._by_membership.pop(membership["id"], None)

    def owner(self, instance: object) -> int | str | None:
        """The Telegram id whose entry a changed row belongs to (EVICT_ALL: maybe many)."""
        if isinstance(instance, User):
            return instance.telegram_id
        if isinstance(instance, Membership):
            return self._by_user.get(instance.user_id)
        if isinstance(instance, Profile):
            return self._by_membership.get(instance.membership_id)
        return EVICT_ALL  # an organisation: shared by many entries


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
    """On the session's connection: a plain Core result, without the ORM's loading steps."""
    result = session.connection().execute(ACTOR_QUERY, {"telegram_id": telegram_id})
    return tuple(_split(row) for row in result)


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
    return {name: _own(value) for name, value in values.items()}


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
    changed = [
        instance
        for instance in (*session.new, *session.dirty, *session.deleted)
        if isinstance(instance, WATCHED)
    ]
    if changed:
        owners = session.info.setdefault(EVICT, set())
        owners.update(owner for each in changed if (owner := cache.owner(each)) is not None)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_statements(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in WATCHED_TABLES and cache_of(state.session) is not None:
        state.session.info.setdefault(EVICT, set()).add(EVICT_ALL)


@event.listens_for(Session, "after_commit")
def _evict_committed(session: Session) -> None:
    owners = session.info.pop(EVICT, None)
    cache = cache_of(session)
    if owners is not None and cache is not None:
        cache.evict(owners)  # moves the generation on even if no entry is affected


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(EVICT, None)
