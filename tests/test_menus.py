"""Command menus: set once, remembered by signature, and set again only when they change."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiogram.methods import DeleteMyCommands, SetMyCommands, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import BotCommandScopeChat, BotCommandScopeDefault
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from bot.commands import (
    DEFAULT_MENUS_KEY,
    commands_for,
    menu_signature,
    set_person_menu,
    sync_menus,
)
from bot.i18n import LOCALES_DIR, FluentCore
from models import AppState, Membership, MembershipStatus, Organisation, Role, User
from tests.conftest import ADMIN_ID, TOKEN
from tests.harness import RecordingSession

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
CURATORS = 1000
FIRST_CURATOR = 10_000


class RenamedCore(FluentCore):
    """The texts of a newer version of the bot: one command described differently."""

    def get(self, message_id: str, locale: str | None = None, /, **kwargs: Any) -> str:
        text = super().get(message_id, locale, **kwargs)
        return text + " (new)" if message_id == "command-bank" else text


async def loaded(core: FluentCore) -> FluentCore:
    await core.startup()
    return core


@pytest.fixture
async def core() -> FluentCore:
    return await loaded(FluentCore(LOCALES_DIR / "{locale}"))


@pytest.fixture
def session() -> RecordingSession:
    return RecordingSession()


@pytest.fixture
def bot(session: RecordingSession) -> Bot:
    return Bot(token=TOKEN, session=session)


async def add_curators(
    sessionmaker: async_sessionmaker[AsyncSession], count: int, language: str = "ru"
) -> int:
    """`count` curators of one kindergarten, inserted in bulk; returns the organisation id."""
    async with sessionmaker.begin() as session:
        organisation = Organisation(
            name="Детский сад № 5", short_name="Д/с № 5", timezone="Europe/Moscow", created_at=NOW
        )
        session.add(organisation)
        await session.flush()
        ids = range(FIRST_CURATOR, FIRST_CURATOR + count)
        await session.execute(
            insert(User),
            [{"telegram_id": tid, "language": language, "created_at": NOW} for tid in ids],
        )
        user_ids = await session.scalars(select(User.id).where(User.telegram_id.in_(list(ids))))
        await session.execute(
            insert(Membership),
            [
                {
                    "user_id": user_id,
                    "organisation_id": organisation.id,
                    "role": Role.CURATOR,
                    "status": MembershipStatus.ACTIVE,
                    "joined_at": NOW,
                }
                for user_id in user_ids
            ],
        )
        return organisation.id


def chat_calls(
    session: RecordingSession, telegram_id: int
) -> list[SetMyCommands | DeleteMyCommands]:
    return [
        call
        for call in session.calls
        if isinstance(call, SetMyCommands | DeleteMyCommands)
        and isinstance(call.scope, BotCommandScopeChat)
        and call.scope.chat_id == telegram_id
    ]


def menu_of(session: RecordingSession, telegram_id: int) -> list[str]:
    """The commands last set for one chat."""
    last = chat_calls(session, telegram_id)[-1]
    assert isinstance(last, SetMyCommands)
    return [command.command for command in last.commands]


async def test_a_thousand_curators_are_set_once_and_a_restart_costs_nothing(
    sessionmaker: async_sessionmaker[AsyncSession],
    core: FluentCore,
    bot: Bot,
    session: RecordingSession,
) -> None:
    await add_curators(sessionmaker, CURATORS)
    calls = await sync_menus(bot, core, sessionmaker, [ADMIN_ID], "ru")
    menus = session.calls_of(SetMyCommands)
    assert calls == len(session.calls) == len(menus) == CURATORS + 1 + 2  # and admin, defaults
    default = [call for call in menus if isinstance(call.scope, BotCommandScopeDefault)]
    assert {call.language_code for call in default} == {None, "en"}
    assert menu_of(session, FIRST_CURATOR) == commands_for({Role.CURATOR}, False)
    assert "neworg" in menu_of(session, ADMIN_ID)  # an administrator without a users row

    session.calls.clear()
    assert await sync_menus(bot, core, sessionmaker, [ADMIN_ID], "ru") == 0
    assert session.calls == []

    async with sessionmaker() as db:
        stored = await db.scalar(select(User.menu_signature).where(User.id.is_not(None)))
        assert stored == menu_signature(core, {Role.CURATOR}, False, "ru")
        assert await db.get(AppState, DEFAULT_MENUS_KEY) is not None


async def test_a_revoked_curator_gets_the_default_menu_back(
    sessionmaker: async_sessionmaker[AsyncSession],
    core: FluentCore,
    bot: Bot,
    session: RecordingSession,
) -> None:
    await add_curators(sessionmaker, 3)
    await sync_menus(bot, core, sessionmaker, [], "ru")
    async with sessionmaker.begin() as db:  # revoked behind the bot's back
        revoked = await db.scalar(select(User.id).where(User.telegram_id == FIRST_CURATOR))
        await db.execute(
            update(Membership)
            .where(Membership.user_id == revoked)
            .values(status=MembershipStatus.WITHDRAWN)
        )
    session.calls.clear()
    assert await sync_menus(bot, core, sessionmaker, [], "ru") == 1
    [reset] = session.calls
    assert isinstance(reset, DeleteMyCommands)
    assert isinstance(reset.scope, BotCommandScopeChat) and reset.scope.chat_id == FIRST_CURATOR
    async with sessionmaker() as db:
        assert await db.scalar(select(User.menu_signature).where(User.id == revoked)) is None
    session.calls.clear()
    assert await sync_menus(bot, core, sessionmaker, [], "ru") == 0


async def test_a_former_administrator_without_a_row_gets_the_default_menu_back(
    sessionmaker: async_sessionmaker[AsyncSession],
    core: FluentCore,
    bot: Bot,
    session: RecordingSession,
) -> None:
    await sync_menus(bot, core, sessionmaker, [ADMIN_ID], "ru")
    session.calls.clear()
    assert await sync_menus(bot, core, sessionmaker, [], "ru") == 1
    assert [type(call) for call in chat_calls(session, ADMIN_ID)] == [DeleteMyCommands]
    session.calls.clear()
    assert await sync_menus(bot, core, sessionmaker, [], "ru") == 0


async def test_changed_texts_set_every_menu_again(
    sessionmaker: async_sessionmaker[AsyncSession],
    core: FluentCore,
    bot: Bot,
    session: RecordingSession,
) -> None:
    await add_curators(sessionmaker, 5)
    await sync_menus(bot, core, sessionmaker, [], "ru")
    session.calls.clear()
    newer = await loaded(RenamedCore(LOCALES_DIR / "{locale}"))
    assert await sync_menus(bot, newer, sessionmaker, [], "ru") == 5
    bank = [
        command.description
        for call in session.calls_of(SetMyCommands)
        for command in call.commands
        if command.command == "bank"
    ]
    assert len(bank) == 5 and all(text.endswith(" (new)") for text in bank)
    session.calls.clear()
    assert await sync_menus(bot, newer, sessionmaker, [], "ru") == 0


async def test_another_default_language_sets_the_default_menus_again(
    sessionmaker: async_sessionmaker[AsyncSession],
    core: FluentCore,
    bot: Bot,
    session: RecordingSession,
) -> None:
    await add_curators(sessionmaker, 2, language="en")
    await sync_menus(bot, core, sessionmaker, [], "ru")
    session.calls.clear()
    assert await sync_menus(bot, core, sessionmaker, [], "en") == 2  # the two default menus
    assert {call.language_code for call in session.calls_of(SetMyCommands)} == {None, "ru"}


async def test_a_language_change_sets_that_persons_menu_again(
    sessionmaker: async_sessionmaker[AsyncSession],
    core: FluentCore,
    bot: Bot,
    session: RecordingSession,
) -> None:
    await add_curators(sessionmaker, 2)
    await sync_menus(bot, core, sessionmaker, [], "ru")
    async with sessionmaker.begin() as db:
        await db.execute(
            update(User).where(User.telegram_id == FIRST_CURATOR).values(language="en")
        )
    session.calls.clear()
    assert await sync_menus(bot, core, sessionmaker, [], "ru") == 1
    [menu] = chat_calls(session, FIRST_CURATOR)
    assert isinstance(menu, SetMyCommands)
    assert menu.commands[0].description == core.get("command-start", "en")


class UnrulySession(RecordingSession):
    """Flood control answers the first menu call for one chat; another chat is refused."""

    def __init__(self, flooded: int, refused: int) -> None:
        super().__init__()
        self.flooded: int | None = flooded
        self.refused: int | None = refused

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - the signature aiogram calls
    ) -> TelegramType:
        scope = getattr(method, "scope", None)
        chat_id = scope.chat_id if isinstance(scope, BotCommandScopeChat) else None
        if chat_id is not None and chat_id == self.flooded:
            self.flooded = None  # once
            self.calls.append(method)
            raise TelegramRetryAfter(method, "Too Many Requests: retry after 0", retry_after=0)
        if chat_id is not None and chat_id == self.refused:
            self.calls.append(method)
            raise TelegramBadRequest(method, "Bad Request: chat not found")
        return await super().make_request(bot, method, timeout)


async def test_flood_control_is_waited_out_and_a_refusal_skipped(
    sessionmaker: async_sessionmaker[AsyncSession],
    core: FluentCore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await add_curators(sessionmaker, 3)
    session = UnrulySession(flooded=FIRST_CURATOR, refused=FIRST_CURATOR + 1)
    bot = Bot(token=TOKEN, session=session)
    with caplog.at_level(logging.WARNING, logger="bot.commands"):
        calls = await sync_menus(bot, core, sessionmaker, [], "ru")
    assert calls == 2 + 2 + 1 + 1  # defaults, the flooded one twice, the refused, the last
    assert len(chat_calls(session, FIRST_CURATOR + 2)) == 1  # the refusal stopped nothing
    assert "chat not found" in caplog.text
    session.calls.clear()
    session.refused = None
    assert await sync_menus(bot, core, sessionmaker, [], "ru") == 1  # only the refused one


async def test_a_failing_database_does_not_raise(
    core: FluentCore, bot: Bot, session: RecordingSession
) -> None:
    engine = create_async_engine("sqlite+aiosqlite:///:memory:")  # no tables at all
    try:
        calls = await sync_menus(bot, core, async_sessionmaker(engine), [ADMIN_ID], "ru")
    finally:
        await engine.dispose()
    assert calls == 0


async def test_set_person_menu_sets_and_remembers(
    sessionmaker: async_sessionmaker[AsyncSession],
    core: FluentCore,
    bot: Bot,
    session: RecordingSession,
) -> None:
    await add_curators(sessionmaker, 1)
    async with sessionmaker.begin() as db:
        assert await set_person_menu(bot, core, db, FIRST_CURATOR, False, "ru")
        assert not await set_person_menu(bot, core, db, FIRST_CURATOR, False, "ru")  # same menu
    assert len(session.calls) == 1
    session.calls.clear()
    await sync_menus(bot, core, sessionmaker, [], "ru")
    assert chat_calls(session, FIRST_CURATOR) == []  # the start-up sync knows it is set
    async with sessionmaker.begin() as db:
        await db.execute(
            update(Membership).values(status=MembershipStatus.WITHDRAWN)
        )  # withdrawn in the same update, then the menu follows
        assert await set_person_menu(bot, core, db, FIRST_CURATOR, False, "ru")
    assert isinstance(session.calls[-1], DeleteMyCommands)
