"""The application as a whole: the error handler, command menus, dialog state in Redis."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable

import pytest
from aiogram.filters import Command
from aiogram.fsm.storage.base import DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.methods import SetMyCommands
from aiogram.types import BotCommandScopeChat, BotCommandScopeDefault, Message
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import attach_menus, create_dispatcher
from bot.commands import CHAT_MENU_KEY, DEFAULT_MENUS_KEY, sync_menus
from bot.config import Settings
from bot.services.clock import FrozenClock
from models import AppState, Organisation, User
from tests.conftest import ADMIN_ID
from tests.flows import MENTEE_ANSWERS, answer, found_organisation, invite
from tests.harness import REDIS_URL, Harness, RecordingSession, redis_or_skip


async def test_unexpected_error_is_logged_apologised_for_and_rolled_back(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    dispatcher = create_dispatcher(settings, sessionmaker, clock=clock)

    @dispatcher.message(Command("boom"))
    async def boom(message: Message, session: AsyncSession) -> None:
        session.add(
            Organisation(name="half", short_name="half", timezone="UTC", created_at=clock.now())
        )
        await session.flush()
        raise RuntimeError("something broke")

    app = Harness(dispatcher)
    await app.start()
    person = app.person(501)
    with caplog.at_level(logging.ERROR, logger="nastavnik.errors"):
        reply = await person.sends("/boom")
    assert reply is not None and "Ничего из сохранённого не потеряно" in reply.text
    assert any(
        "failed" in record.getMessage() and "update" in record.getMessage()
        for record in caplog.records
    )
    async with sessionmaker() as session:  # the half-done change was rolled back
        assert await session.scalar(select(func.count()).select_from(Organisation)) == 0
    reply = await person.sends("/start")  # and the bot goes on
    assert reply is not None and "ссылка-приглашение" in reply.text


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 10.0) -> None:
    """Wait for something the bot does in the background."""
    for _ in range(int(seconds / 0.01)):
        if await check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("it did not happen")


async def stop(app: Harness) -> None:
    """Shut down as the entry point does: the background menu task is cancelled if running."""
    dispatcher = app.dispatcher
    await dispatcher.emit_shutdown(bot=app.bot, dispatcher=dispatcher, **dispatcher.workflow_data)


async def test_menus_are_set_in_the_background_once_the_bot_runs(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    dispatcher = create_dispatcher(settings, sessionmaker, clock=clock)
    attach_menus(dispatcher)
    app = Harness(dispatcher)
    await app.start()

    async def admin_menu_remembered() -> bool:
        async with sessionmaker() as session:
            return await session.get(AppState, f"{CHAT_MENU_KEY}{ADMIN_ID}") is not None

    await eventually(admin_menu_remembered)
    calls = app.session.calls_of(SetMyCommands)
    default = [call for call in calls if isinstance(call.scope, BotCommandScopeDefault)]
    assert {call.language_code for call in default} == {None, "en"}
    admin_menu = [
        call
        for call in calls
        if isinstance(call.scope, BotCommandScopeChat) and call.scope.chat_id == ADMIN_ID
    ]
    assert admin_menu and "neworg" in [command.command for command in admin_menu[0].commands]
    # A restart with nothing changed sets nothing.
    core = dispatcher["i18n_middleware"].core
    assert await sync_menus(app.bot, core, sessionmaker, settings.admin_ids, "ru") == 0
    await stop(app)


async def test_joining_sets_the_members_menu(app: Harness) -> None:
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    person = app.person(501)
    await person.sends(f"/start {code}")
    await person.taps("Согласен")
    menus = [
        call
        for call in app.session.calls_of(SetMyCommands)
        if isinstance(call.scope, BotCommandScopeChat) and call.scope.chat_id == 501
    ]
    assert menus and "bank" not in [command.command for command in menus[-1].commands]


async def test_start_up_survives_a_failing_menu_call(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    session = RecordingSession()
    session.failing_methods.add(SetMyCommands)
    dispatcher = create_dispatcher(settings, sessionmaker, clock=clock)
    attach_menus(dispatcher)
    app = Harness(dispatcher, session)
    await app.start()

    async def menus_tried() -> bool:
        return len(session.calls_of(SetMyCommands)) >= 3  # the two defaults, the admin's

    await eventually(menus_tried)
    curator = await found_organisation(app)  # and joining, which sets a menu, works too
    assert "Вы куратор" in curator.last_reply().text  # type: ignore[union-attr]
    async with sessionmaker() as db:  # nothing failed is remembered: the next start tries again
        assert await db.get(AppState, DEFAULT_MENUS_KEY) is None
    await stop(app)


async def test_notification_to_someone_who_blocked_the_bot_does_not_fail_the_step(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    app.session.blocked.add(curator.telegram_id)
    person = app.person(501)
    await person.sends(f"/start {code}")
    await person.taps("Согласен")
    await answer(person, MENTEE_ANSWERS)
    assert "Профиль заполнен" in person.last_reply().text  # type: ignore[union-attr]
    assert not any("вступил новый участник" in text for text in curator.texts())
    async with sessionmaker() as session:  # the sender marked the curator unreachable
        blocked = await session.scalar(
            select(User.blocked_bot).where(User.telegram_id == curator.telegram_id)
        )
    assert blocked is True


async def test_dialog_state_in_redis_survives_a_restart(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    await redis_or_skip()
    prefix = f"nastavnik-test-{uuid.uuid4().hex[:8]}"

    def redis_storage() -> RedisStorage:
        return RedisStorage.from_url(
            REDIS_URL, key_builder=DefaultKeyBuilder(prefix=prefix, with_destiny=True)
        )

    first_storage = redis_storage()
    app = Harness(create_dispatcher(settings, sessionmaker, storage=first_storage, clock=clock))
    await app.start()
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    person = app.person(501)
    await person.sends(f"/start {code}")
    await person.taps("Согласен")
    await answer(person, MENTEE_ANSWERS[:2])
    await first_storage.close()

    second_storage = redis_storage()
    restarted = Harness(
        create_dispatcher(settings, sessionmaker, storage=second_storage, clock=clock)
    )
    await restarted.start()
    again = restarted.person(501)
    await again.sends("+7 912 000-00-00")
    assert again.last_reply().text.startswith("<b>4/10</b>")  # type: ignore[union-attr]
    keys = await second_storage.redis.keys(f"{prefix}:*")
    if keys:
        await second_storage.redis.delete(*keys)
    await second_storage.close()
