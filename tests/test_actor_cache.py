"""The actor cache: repeat updates load no rows, and every committed change is seen at once."""

from __future__ import annotations

from aiogram.fsm.storage.memory import MemoryStorage
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import load_only

from bot.app import create_dispatcher
from bot.config import Settings
from bot.services.actor_cache import ACTOR_CACHE, ActorCache
from models import Membership, MembershipStatus, Profile, User
from tests.harness import Harness, Person, statements
from tests.test_privacy_and_profile import joined_mentee


async def cached_mentee(app: Harness) -> Person:
    """A mentee who has joined and whose rows the cache now holds (after a /profile)."""
    _, mentee = await joined_mentee(app)
    await mentee.sends("/profile")
    return mentee


def cache_of(sessionmaker: async_sessionmaker[AsyncSession]) -> ActorCache:
    cache: ActorCache = sessionmaker.kw["info"][ACTOR_CACHE]
    return cache


async def test_a_repeat_update_reads_nothing_from_the_database(
    app: Harness, engine: AsyncEngine
) -> None:
    mentee = await cached_mentee(app)
    with statements(engine) as seen:
        reply = await mentee.sends("/profile")
    assert reply is not None and "Петрова Анна Сергеевна" in reply.text
    assert seen == []


async def test_a_change_made_elsewhere_is_seen_by_the_next_update_without_a_query(
    app: Harness, engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mentee = await cached_mentee(app)
    async with sessionmaker.begin() as session:  # as the curator's desk or a job would
        profile = await session.scalar(select(Profile).order_by(Profile.id.desc()))
        assert profile is not None
        profile.full_name = "Сидорова Анна Сергеевна"
    with statements(engine) as seen:  # the commit wrote the new values into the entry
        reply = await mentee.sends("/profile")
    assert reply is not None and "Сидорова Анна Сергеевна" in reply.text
    assert seen == []


async def test_a_dialog_step_keeps_its_answer_in_the_entry(
    app: Harness, engine: AsyncEngine
) -> None:
    mentee = await cached_mentee(app)
    await mentee.taps("Изменить")
    await mentee.taps("ФИО")
    await mentee.sends("Сидорова Анна Сергеевна")  # the step's commit changes the profile
    with statements(engine) as seen:
        reply = await mentee.sends("/profile")
    assert reply is not None and "Сидорова Анна Сергеевна" in reply.text
    assert seen == []


async def test_a_withdrawal_is_in_the_entry_at_once(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mentee = await cached_mentee(app)
    async with sessionmaker.begin() as session:
        membership = await session.scalar(select(Membership).order_by(Membership.id.desc()))
        assert membership is not None
        membership.status = MembershipStatus.WITHDRAWN
    entry = cache_of(sessionmaker).get(mentee.telegram_id)
    assert entry is not None and entry[-1][1] is not None
    assert entry[-1][1]["status"] == MembershipStatus.WITHDRAWN
    reply = await mentee.sends("/profile")
    assert reply is not None and "Петрова Анна Сергеевна" not in reply.text


async def test_a_row_moved_or_partly_loaded_drops_the_entry(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mentee = await cached_mentee(app)
    async with sessionmaker.begin() as session:  # only some columns loaded: no whole row
        profile = await session.scalar(
            select(Profile).options(load_only(Profile.full_name)).order_by(Profile.id.desc())
        )
        assert profile is not None
        profile.full_name = "Сидорова Анна Сергеевна"
    assert cache_of(sessionmaker).get(mentee.telegram_id) is None
    reply = await mentee.sends("/profile")
    assert reply is not None and "Сидорова Анна Сергеевна" in reply.text
    async with sessionmaker.begin() as session:  # the user row takes another Telegram id
        user = await session.scalar(select(User).where(User.telegram_id == mentee.telegram_id))
        assert user is not None
        user.telegram_id = mentee.telegram_id + 1
    assert cache_of(sessionmaker).get(mentee.telegram_id) is None


async def test_a_bulk_statement_drops_every_entry(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mentee = await cached_mentee(app)
    assert cache_of(sessionmaker).get(mentee.telegram_id) is not None
    async with sessionmaker.begin() as session:
        await session.execute(
            update(Membership)
            .where(Membership.role == "mentee")
            .values(status=MembershipStatus.WITHDRAWN)
        )
    assert cache_of(sessionmaker).get(mentee.telegram_id) is None
    reply = await mentee.sends("/profile")
    assert reply is not None and "Петрова Анна Сергеевна" not in reply.text


async def test_a_rolled_back_change_keeps_the_entry(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mentee = await cached_mentee(app)
    async with sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == mentee.telegram_id))
        assert user is not None
        user.language = "en"
        await session.flush()
        await session.rollback()
    assert cache_of(sessionmaker).get(mentee.telegram_id) is not None
    reply = await mentee.sends("/profile")
    assert reply is not None and "ФИО" in reply.text


async def test_a_load_that_raced_with_a_commit_is_not_kept() -> None:
    cache = ActorCache()
    generation = cache.generation
    cache.committed({42}, {})  # a commit lands while the query for 7 is on its way
    cache.keep(7, (), generation)
    assert cache.get(7) is None
    cache.keep(7, (), cache.generation)
    assert cache.get(7) == ()


async def test_the_cache_is_off_when_dialog_state_is_elsewhere(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # Dialog state outside the database (Redis) means several processes may share it.
    create_dispatcher(settings, sessionmaker, storage=MemoryStorage())
    assert cache_of(sessionmaker).enabled is False
    create_dispatcher(settings, sessionmaker)
    assert cache_of(sessionmaker).enabled is True
