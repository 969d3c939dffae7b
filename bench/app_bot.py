"""The app in the benchmark: its database seeded with mentees, its dispatcher and its bot.

It goes through the app's entry points only (`bot.app.create_dispatcher` and `create_bot`,
`bot.db.create_engine`, `create_sessionmaker` and `upgrade_schema`, `bot.config.Settings`), and
its models to seed the rows; the writers' dialogs are opened as a person opens them ("/start",
handed to the dispatcher before the timed runs). It runs in the benchmark's process (so that
`--profile` can see it).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.types import Update
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

import bot.app
from bench.databases import SQLITE, dialect_of, reset_schema, use_schema
from bench.fake_bot_api import (
    FakeBotApi,
    poll_until_sent,
    start_once,
    stop_dispatcher,
    text_update,
)
from bot.app import create_bot, create_dispatcher
from bot.config import Settings
from bot.db import create_engine, create_sessionmaker, upgrade_schema
from bot.services.onboarding import PERSONAL_DATA_CONSENT_VERSION
from models import (
    Consent,
    ConsentKind,
    Membership,
    MembershipStatus,
    Organisation,
    Profile,
    Role,
    User,
)

TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz"
ADMIN_ID = 100
SCHEMA = "bench_app"  # on PostgreSQL
ORGANISATION_ID = 1
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
SEED_UPDATE_IDS = 1_000_000_000  # the seeding updates' ids, apart from the runs' ones
SEED_AT_ONCE = 24
COMPLETED_MENTEE: dict[str, Any] = {
    "full_name": "Петрова Анна Сергеевна",
    "position": "educator",
    "phone": "+79123456789",
    "birth_year": 1999,
    "education": "higher_pedagogical",
    "experience_years": 1,
    "started_on": date(2025, 9, 1),
    "mentee_category": "young_specialist",
    "main_request": "Как провести родительское собрание",
    "difficulties": ["parents", "documentation"],
    "difficulties_other": None,
    "completed_at": NOW,
}


def concurrency_limit() -> int | None:
    """How many updates the app handles at once (what its entry point gives polling)."""
    limit = getattr(bot.app, "MAX_CONCURRENT_UPDATES", None)
    return limit if isinstance(limit, int) else None


def make_settings(base_url: str, database_url: str) -> Settings:
    return Settings(
        _env_file=None,
        bot_token=TOKEN,
        database_url=database_url,
        bot_api_url=base_url,
        admin_ids=[ADMIN_ID],
        redis_url=None,
        log_level="WARNING",
    )


def stock_session(app_bot: Bot) -> str | None:
    """Puts aiogram's own AiohttpSession under the app's Bot if it has another (the benchmark
    compares the bots on one kind of HTTP session); returns the replaced session's class name."""
    session = app_bot.session
    if type(session) is AiohttpSession:
        return None
    app_bot.session = AiohttpSession(api=session.api, timeout=session.timeout)
    return type(session).__name__


# --- seeding ----------------------------------------------------------------------------------


async def seed_organisation(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with sessionmaker.begin() as session:
        session.add(
            Organisation(
                id=ORGANISATION_ID,
                name="МБДОУ «Детский сад № 5»",
                short_name="Д/с № 5",
                timezone="Europe/Moscow",
                created_at=NOW,
            )
        )


async def seed_mentees(
    sessionmaker: async_sessionmaker[AsyncSession],
    ids: range,
    telegram_ids: list[int],
    *,
    complete: bool,
) -> None:
    """Active mentees with consent and a profile, by row id: complete, or empty."""
    users = [
        {
            "id": i,
            "telegram_id": telegram_id,
            "language": "ru",
            "active_organisation_id": ORGANISATION_ID,
            "blocked_bot": False,
            "created_at": NOW,
        }
        for i, telegram_id in zip(ids, telegram_ids, strict=True)
    ]
    memberships = [
        {
            "id": i,
            "user_id": i,
            "organisation_id": ORGANISATION_ID,
            "role": Role.MENTEE.value,
            "status": MembershipStatus.ACTIVE.value,
            "joined_at": NOW,
        }
        for i in ids
    ]
    consents = [
        {
            "membership_id": i,
            "kind": ConsentKind.PERSONAL_DATA.value,
            "text_version": PERSONAL_DATA_CONSENT_VERSION,
            "locale": "ru",
            "given_at": NOW,
        }
        for i in ids
    ]
    answers = COMPLETED_MENTEE if complete else {}
    profiles = [
        {"id": i, "membership_id": i, "skipped": [], "updated_at": NOW, **answers} for i in ids
    ]
    async with sessionmaker.begin() as session:
        await session.execute(insert(User), users)
        await session.execute(insert(Membership), memberships)
        await session.execute(insert(Consent), consents)
        await session.execute(insert(Profile), profiles)


# --- the app ----------------------------------------------------------------------------------


@dataclass
class AppBot:
    api: FakeBotApi
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    dispatcher: Dispatcher
    bot: Bot
    replaced_session: str | None  # the class of the app's own HTTP session, if not aiogram's

    async def poll(self, count: int, wait_seconds: float, concurrency: int | None) -> float:
        """Updates per second of a run of `count` updates (the server's clock)."""
        return await poll_until_sent(
            self.dispatcher,
            self.bot,
            self.api,
            count,
            wait_seconds,
            concurrency=concurrency or 24,
        )

    async def check_writes(self, ids: list[int], name: str) -> tuple[int, int]:
        """Of these mentees: how many have this full name stored, and the position left to
        answer (the question each reply asks, by its buttons, the bench checks itself)."""
        async with self.sessionmaker() as session:
            stored = await session.scalar(
                select(func.count())
                .select_from(Profile)
                .join(Membership, Membership.id == Profile.membership_id)
                .join(User, User.id == Membership.user_id)
                .where(
                    User.telegram_id.in_(ids),
                    Profile.full_name == name,
                    Profile.position.is_(None),
                )
            )
        return stored or 0, stored or 0

    async def close(self) -> None:
        await stop_dispatcher(self.dispatcher, self.bot)
        await self.bot.session.close()
        await self.engine.dispose()


async def open_forms(dispatcher: Dispatcher, app_bot: Bot, writers: list[int]) -> None:
    """Each writer sends "/start": the questionnaire opens at its first question, the full
    name (what the fake server records of it goes with its next reset)."""
    for first in range(0, len(writers), SEED_AT_ONCE):
        batch = writers[first : first + SEED_AT_ONCE]
        updates = [
            Update.model_validate(text_update(SEED_UPDATE_IDS + first + i, telegram_id, "/start"))
            for i, telegram_id in enumerate(batch)
        ]
        await asyncio.gather(*(dispatcher.feed_update(app_bot, update) for update in updates))


async def start_app(
    api: FakeBotApi, database_url: str, readers: list[int], writers: list[int]
) -> AppBot:
    """The app on a fresh database (a file, or the schema `bench_app`), seeded with mentees
    whose Telegram ids are `readers` (profile complete) and `writers` (asked their full name)."""
    on_sqlite = dialect_of(database_url) == SQLITE
    if not on_sqlite:
        await reset_schema(database_url, SCHEMA)
    engine = create_engine(database_url)
    try:
        if not on_sqlite:
            use_schema(engine, SCHEMA)
        await upgrade_schema(engine)
        sessionmaker = create_sessionmaker(engine)
        await seed_organisation(sessionmaker)
        reader_rows = range(1, len(readers) + 1)
        writer_rows = range(len(readers) + 1, len(readers) + len(writers) + 1)
        await seed_mentees(sessionmaker, reader_rows, readers, complete=True)
        await seed_mentees(sessionmaker, writer_rows, writers, complete=False)
        settings = make_settings(api.base_url, database_url)
        dispatcher = create_dispatcher(settings, sessionmaker)
        app_bot = create_bot(settings)
        replaced = stock_session(app_bot)
        await start_once(dispatcher, app_bot)
        await open_forms(dispatcher, app_bot, writers)
    except BaseException:
        await engine.dispose()
        raise
    return AppBot(api, engine, sessionmaker, dispatcher, app_bot, replaced)
