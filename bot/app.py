"""Assembly of the application: the one factory the entry point and the tests both use."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.filters import ExceptionTypeFilter
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
from aiogram_dialog import setup_dialogs
from aiogram_i18n import I18nMiddleware
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import bot.api_responses  # noqa: F401  (makes the Bot API's answer models once: see there)
from bot.commands import sync_menus
from bot.config import Settings
from bot.delivery import Limits, Sender
from bot.dialog_manager import UniqueIntentManagerFactory
from bot.errors import on_error
from bot.fsm_storage import SqlStorage, UpdateBufferedStorage
from bot.i18n import create_i18n
from bot.live_reports import keep_reports_live
from bot.middlewares import (
    AccessMiddleware,
    ContextMiddleware,
    IsolationMiddleware,
    PrivateChatsOnly,
)
from bot.reply_retry import RetryReplies
from bot.scheduler import JobContext, create_scheduler
from bot.services.clock import Clock
from handlers import get_routers
from handlers.dialog_kit import (
    DIALOG_ERRORS,
    forged_dialog_value,
    not_modified,
    on_dialog_error,
    on_not_modified,
)

# Long polling hands every update of a batch to its own task; past this many at once the rest
# wait, rather than queue for a database connection until they time out.
MAX_CONCURRENT_UPDATES = 24


log = logging.getLogger(__name__)
# On a stop, how long a pass of the periodic jobs under way may take to finish, in seconds.
JOB_STOP_GRACE = 20
# The longest a Bot API call may take, in seconds; a step waits for its reply inside its
# transaction, so this bounds how long it can keep another SQLite writer waiting (bot.db).
BOT_API_TIMEOUT = 20


def create_bot(settings: Settings) -> Bot:
    # Telegram's own server, or a self-hosted Bot API server given in the settings.
    api = TelegramAPIServer.from_base(settings.bot_api_url) if settings.bot_api_url else PRODUCTION
    bot = Bot(
        token=settings.bot_token.get_secret_value(),
        session=AiohttpSession(api=api, timeout=BOT_API_TIMEOUT),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )
    bot.session.middleware(RetryReplies())
    return bot


def create_storage(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    *,
    redis_prefix: str = "nastavnik",
) -> BaseStorage:
    """The dialog store. A record untouched for the invitation's validity is of no use to a
    guest who never consented, and holds their Telegram id: in the database the periodic
    sweep removes such records of people who are members nowhere (bot/services/dialog_expiry.py);
    in Redis, which cannot tell members from guests, every key expires that long after its last
    write, members' too (a dialog left for that long starts again: see the README)."""
    if settings.redis_url:
        idle = timedelta(days=settings.invitation_days)
        return RedisStorage.from_url(
            settings.redis_url,
            key_builder=DefaultKeyBuilder(prefix=redis_prefix, with_destiny=True),
            state_ttl=idle,
            data_ttl=idle,
        )
    return SqlStorage(sessionmaker, clock=clock)


def create_isolation(storage: BaseStorage) -> BaseEventIsolation:
    """One update at a time per person: across processes with Redis, within this one without
    (then run one bot process per database, see the README)."""
    if isinstance(storage, RedisStorage):
        return RedisEventIsolation(storage.redis, key_builder=storage.key_builder)
    return SimpleEventIsolation()


def create_dispatcher(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    storage: BaseStorage | None = None,
    clock: Clock | None = None,
) -> Dispatcher:
    clock = clock or Clock()
    storage = storage or create_storage(settings, sessionmaker, clock)
    isolation = create_isolation(storage)
    if not isinstance(storage, SqlStorage):  # Redis: written once the update has committed
        storage = UpdateBufferedStorage(storage)
    delivery_wake = asyncio.Event()  # set when an update queued a message (bot/delivery.py)
    dispatcher = Dispatcher(
        storage=storage,
        # The FSM middleware is registered below, inside the update's transaction.
        disable_fsm=True,
        settings=settings,
        sessionmaker=sessionmaker,
        clock=clock,
        delivery_wake=delivery_wake,
    )
    # Outer middlewares, outermost first: one update at a time per person (a double tap cannot
    # run a step twice at once), then the update's one transaction, then the dialog state, read
    # and written through that transaction.
    dispatcher.update.outer_middleware(IsolationMiddleware(isolation, dispatcher.fsm))
    dispatcher.update.outer_middleware(
        ContextMiddleware(sessionmaker, settings.admin_ids, clock, dispatcher.fsm, delivery_wake)
    )
    dispatcher.update.outer_middleware(dispatcher.fsm)
    i18n = create_i18n(settings.default_language)
    i18n.setup(dispatcher)
    # After the texts (a group is answered in the person's language), before any router.
    dispatcher.update.outer_middleware(PrivateChatsOnly())
    dispatcher.message.middleware(AccessMiddleware())
    dispatcher.callback_query.middleware(AccessMiddleware())
    dispatcher.include_routers(*get_routers())
    # The dialogs' middlewares (their stack and context, read through the FSM storage) and the
    # background manager factory, for a job that opens a dialog. Their manager gives a dialog
    # an id of its own (bot/dialog_manager.py).
    dispatcher["dialogs_bg"] = setup_dialogs(
        dispatcher, dialog_manager_factory=UniqueIntentManagerFactory()
    )
    dispatcher.errors.register(on_dialog_error, ExceptionTypeFilter(*DIALOG_ERRORS))
    dispatcher.errors.register(on_dialog_error, forged_dialog_value)
    dispatcher.errors.register(on_not_modified, not_modified)
    dispatcher.errors.register(on_error)
    dispatcher.shutdown.register(dispatcher.fsm.close)  # the store and the isolation
    return dispatcher


def attach_scheduler(dispatcher: Dispatcher) -> None:
    """Run the periodic jobs while the bot runs (the entry point does this; tests call jobs).

    On a stop no new pass begins, and one under way may finish (within JOB_STOP_GRACE)."""
    running = asyncio.Lock()

    async def start(bot: Bot, settings: Settings, i18n_middleware: I18nMiddleware) -> None:
        context = JobContext(
            bot=bot,
            sessionmaker=dispatcher["sessionmaker"],
            clock=dispatcher["clock"],
            core=i18n_middleware.core,
            settings=settings,
        )
        scheduler = create_scheduler(context, running)
        scheduler.start()
        dispatcher["scheduler"] = scheduler

    async def stop() -> None:
        scheduler = dispatcher.workflow_data.pop("scheduler", None)
        if scheduler is None:
            return
        scheduler.pause()
        try:
            async with asyncio.timeout(JOB_STOP_GRACE):
                await running.acquire()
            running.release()
        except TimeoutError:
            log.warning("a pass of the periodic jobs was cut short by the stop")
        scheduler.shutdown(wait=False)

    dispatcher.startup.register(start)
    dispatcher.shutdown.register(stop)


def attach_menus(dispatcher: Dispatcher) -> Callable[[], Coroutine[Any, Any, None]]:
    """Bring the command menus up to date in the background once the bot runs: only the menus
    that changed since they were last set (bot.commands), so a restart costs no calls.

    Returns the stop, for the entry point to call before the shutdown: the shutdown closes the
    texts (aiogram-i18n's, registered before this) while a sync under way still reads them."""
    tasks: set[asyncio.Task[int]] = set()

    async def start(bot: Bot, settings: Settings, i18n_middleware: I18nMiddleware) -> None:
        task = asyncio.create_task(
            sync_menus(
                bot,
                i18n_middleware.core,
                dispatcher["sessionmaker"],
                settings.admin_ids,
                settings.default_language,
            )
        )
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    async def stop() -> None:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    dispatcher.startup.register(start)
    dispatcher.shutdown.register(stop)
    return stop


def create_sender(dispatcher: Dispatcher, bot: Bot) -> Sender:
    """The sender of this dispatcher's delivery queue, woken by its updates."""
    settings: Settings = dispatcher["settings"]
    return Sender(
        bot=bot,
        sessionmaker=dispatcher["sessionmaker"],
        clock=dispatcher["clock"],
        core=dispatcher["i18n_middleware"].core,
        default_locale=settings.default_language,
        limits=Limits(settings.delivery_rate, settings.delivery_chat_interval),
        wake=dispatcher["delivery_wake"],
    )


Loop = Callable[[Bot, asyncio.Event], Coroutine[Any, Any, None]]


def _run_while_up(dispatcher: Dispatcher, loop: Loop) -> None:
    """Run `loop(bot, stop)` from the start of the bot to its stop; on a stop, `stop` is set
    and the loop is given time to finish what is on its way."""
    stop = asyncio.Event()
    running: set[asyncio.Task[None]] = set()

    async def start(bot: Bot) -> None:
        stop.clear()
        task = asyncio.create_task(loop(bot, stop))
        running.add(task)
        task.add_done_callback(running.discard)

    async def finish() -> None:
        stop.set()
        if running:
            await asyncio.wait(running, timeout=BOT_API_TIMEOUT + 5)

    dispatcher.startup.register(start)
    dispatcher.shutdown.register(finish)


def attach_live_reports(dispatcher: Dispatcher) -> None:
    """Redraw the broadcasts' live reports as their messages go, while the bot runs."""

    async def loop(bot: Bot, stop: asyncio.Event) -> None:
        await keep_reports_live(
            bot, dispatcher["sessionmaker"], dispatcher["clock"], dispatcher["dialogs_bg"], stop
        )

    _run_while_up(dispatcher, loop)


def attach_delivery(dispatcher: Dispatcher) -> None:
    """Run the sender while the bot runs; on a stop, the messages on their way finish."""

    async def loop(bot: Bot, stop: asyncio.Event) -> None:
        await create_sender(dispatcher, bot).run(stop)

    _run_while_up(dispatcher, loop)
