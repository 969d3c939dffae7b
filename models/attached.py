"""Rows known from memory, put into a session as if just loaded, without a query."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import inspect
from sqlalchemy.orm import Mapper, Session
from sqlalchemy.orm.attributes import instance_state

Model = TypeVar("Model")


def attach_loaded(session: Session, model: type[Model], values: dict[str, Any]) -> Model:
    """`model`'s row with these column values, clean and persistent in `session`.

    The caller vouches that the values are what the database holds (a committed copy kept in
    memory). If the session already has the row, that object is returned instead. Changing the
    object then flushes an UPDATE, as for any loaded row.
    """
    mapper, key_names = _mapper(model)
    key = mapper.identity_key_from_primary_key(tuple(values[name] for name in key_names))
    existing: Model | None = session.identity_map.get(key)
    if existing is not None:
        return existing
    instance: Model = mapper.class_manager.new_instance()
    state = instance_state(instance)
    state.dict.update(values)
    # What Session.add does for a detached object, less the cascade over relationships
    # (none is loaded) and the bookkeeping of a transient one: about twice as fast, and this
    # runs for every row of every update's actor.
    state.key = key
    session._update_impl(state)
    return instance


_MAPPERS: dict[type, tuple[Mapper[Any], tuple[str, ...]]] = {}


def _mapper(model: type) -> tuple[Mapper[Any], tuple[str, ...]]:
    """The model's mapper and the attribute names of its primary key, looked up once."""
    found = _MAPPERS.get(model)
    if found is None:
        mapper: Mapper[Any] = inspect(model)
        names = tuple(mapper.get_property_by_column(c).key for c in mapper.primary_key)
        found = _MAPPERS[model] = (mapper, names)
    return found
