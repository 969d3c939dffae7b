"""The session's short flush: changed loaded rows as plain UPDATEs, all else as SQLAlchemy does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, UOWTransaction, attributes
from sqlalchemy.orm.exc import StaleDataError

from models import Membership, MembershipStatus, Organisation, Profile, Role, User
from tests.harness import statements

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def writes(seen: list[str]) -> list[str]:
    return [sql.split()[0] + " " + sql.split()[1] for sql in seen if not sql.startswith("SELECT")]


@pytest.fixture
async def profile_id(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker.begin() as session:
        organisation = Organisation(
            name="Детский сад № 5", short_name="Д/с № 5", timezone="Europe/Moscow", created_at=NOW
        )
        user = User(telegram_id=501, created_at=NOW)
        session.add_all([organisation, user])
        await session.flush()
        membership = Membership(
            user_id=user.id,
            organisation_id=organisation.id,
            role=Role.MENTEE,
            status=MembershipStatus.ACTIVE,
            joined_at=NOW,
        )
        session.add(membership)
        await session.flush()
        profile = Profile(membership_id=membership.id, skipped=[], updated_at=NOW)
        session.add(profile)
        await session.flush()
        return profile.id


@asynccontextmanager
async def loaded_profile(
    sessionmaker: async_sessionmaker[AsyncSession], profile_id: int
) -> AsyncIterator[tuple[AsyncSession, Profile]]:
    async with sessionmaker() as session:
        profile = await session.get(Profile, profile_id)
        assert profile is not None
        yield session, profile


async def load(sessionmaker: async_sessionmaker[AsyncSession], profile_id: int) -> Profile:
    async with loaded_profile(sessionmaker, profile_id) as (_, profile):
        return profile


async def test_changed_columns_of_loaded_rows_are_updated_and_nothing_else(
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    profile_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def planned(*_: object) -> None:
        raise AssertionError("the unit of work planned a flush of changed rows only")

    monkeypatch.setattr(UOWTransaction, "execute", planned)
    async with sessionmaker() as session:
        profile = await session.get(Profile, profile_id)
        organisation = await session.scalar(select(Organisation))
        assert profile is not None and organisation is not None
        profile.full_name = "Иванова Мария Петровна"
        profile.difficulties = ["parents"]
        profile.skipped = []  # the same value: not written
        organisation.short_name = "Д/с № 5 «Радуга»"
        with statements(engine) as seen:
            await session.commit()
        assert not session.dirty
    update_profile = next(sql for sql in seen if sql.startswith("UPDATE profiles"))
    assert "full_name" in update_profile and "difficulties" in update_profile
    assert "skipped" not in update_profile and "updated_at" not in update_profile
    # In the unit of work's order: a table before those that refer to it.
    assert writes(seen) == ["UPDATE organisations", "UPDATE profiles"]
    stored = await load(sessionmaker, profile_id)
    assert stored.full_name == "Иванова Мария Петровна" and stored.difficulties == ["parents"]


async def test_a_list_changed_in_place_and_flagged_is_written(
    sessionmaker: async_sessionmaker[AsyncSession], profile_id: int
) -> None:
    async with loaded_profile(sessionmaker, profile_id) as (session, profile):
        profile.skipped.append("phone")
        attributes.flag_modified(profile, "skipped")
        await session.commit()
    assert (await load(sessionmaker, profile_id)).skipped == ["phone"]


async def test_a_row_unchanged_after_all_runs_no_statement(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], profile_id: int
) -> None:
    async with loaded_profile(sessionmaker, profile_id) as (session, profile):
        profile.full_name = "Черновик"
        profile.full_name = None  # back as it was
        with statements(engine) as seen:
            await session.flush()
        assert writes(seen) == [] and not session.dirty


async def test_new_rows_and_relationships_go_through_the_unit_of_work(
    sessionmaker: async_sessionmaker[AsyncSession], profile_id: int
) -> None:
    async with loaded_profile(sessionmaker, profile_id) as (session, profile):
        profile.full_name = "Иванова Мария Петровна"
        session.add(User(telegram_id=502, created_at=NOW))  # an INSERT in the same flush
        await session.commit()
    async with sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == 502))
        membership = await session.scalar(select(Membership))
        assert user is not None and membership is not None
        membership.user = user  # a relationship: the unit of work sets the foreign key
        await session.commit()
        user_id = user.id
    assert (await load(sessionmaker, profile_id)).full_name == "Иванова Мария Петровна"
    async with sessionmaker() as session:
        membership = await session.scalar(select(Membership))
        assert membership is not None and membership.user_id == user_id


async def test_an_expression_as_a_value_is_computed_by_the_database(
    sessionmaker: async_sessionmaker[AsyncSession], profile_id: int
) -> None:
    async with loaded_profile(sessionmaker, profile_id) as (session, profile):
        profile.experience_years = 4
        await session.flush()
        profile.experience_years = Profile.experience_years + 1
        await session.commit()
        await session.refresh(profile)  # the unit of work left it to be read back
        assert profile.experience_years == 5


async def test_a_row_deleted_meanwhile_fails_the_flush_and_rolls_back(
    sessionmaker: async_sessionmaker[AsyncSession], profile_id: int
) -> None:
    async with loaded_profile(sessionmaker, profile_id) as (session, profile):
        async with sessionmaker.begin() as other:
            await other.delete(await other.get(Profile, profile_id))
        profile.full_name = "Иванова Мария Петровна"
        with pytest.raises(StaleDataError, match="expected to update 1 row"):
            await session.flush()
        await session.rollback()
    async with sessionmaker() as session:
        assert await session.get(Profile, profile_id) is None


async def test_a_rollback_after_the_flush_restores_what_the_database_holds(
    sessionmaker: async_sessionmaker[AsyncSession], profile_id: int
) -> None:
    async with loaded_profile(sessionmaker, profile_id) as (session, profile):
        profile.full_name = "Иванова Мария Петровна"
        await session.flush()
        await session.rollback()
        await session.refresh(profile)
        assert profile.full_name is None
    assert (await load(sessionmaker, profile_id)).full_name is None


async def test_flush_listeners_see_the_changed_rows(
    sessionmaker: async_sessionmaker[AsyncSession], profile_id: int
) -> None:
    seen: list[list[object]] = []

    def after_flush(session: Session, _context: object) -> None:
        seen.append(list(session.dirty))

    event.listen(Session, "after_flush", after_flush)
    try:
        async with loaded_profile(sessionmaker, profile_id) as (session, profile):
            profile.full_name = "Иванова Мария Петровна"
            await session.commit()
    finally:
        event.remove(Session, "after_flush", after_flush)
    assert seen == [[profile]]
