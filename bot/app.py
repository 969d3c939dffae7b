"""Assembly of the application: the one factory the entry point and the tests both use."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisStorage
from aiogram_i18n import I18nMiddleware
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.commands import register_menus
from bot.config import Settings
from bot.errors import on_error
from bot.fsm_storage import SqlStorage
from bot.i18n import create_i18n
from bot.middlewares import AccessMiddleware, ContextMiddleware, IsolationMiddleware
from bot.performance import run_sync_filters_inline
from bot.routing import index_handlers
from bot.scheduler import JobContext, create_scheduler
from bot.services import actor_cache
from bot.services.clock import Clock
from bot.telegram_session import JsonSession
from handlers import get_routers

# Long polling hands every update of a batch to its own task; past this many at once the rest
# wait, rather than queue for a database connection until they time out.
MAX_CONCURRENT_UPDATES = 24


def create_bot(settings: Settings) -> Bot:
    # Telegram's own server, or a self-hosted Bot API server given in the settings.
    session = (
        JsonSession(api=TelegramAPIServer.from_base(settings.bot_api_url))
        if settings.bot_api_url
        else JsonSession()
    )
    return Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def create_storage(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> BaseStorage:
    if settings.redis_url:
        return RedisStorage.from_url(
            settings.redis_url, key_builder=DefaultKeyBuilder(prefix="nastavnik")
        )
    return SqlStorage(sessionmaker)


def create_dispatcher(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    storage: BaseStorage | None = None,
    clock: Clock | None = None,
) -> Dispatcher:
    storage = storage or create_storage(settings, sessionmaker)
    _share_actor_cache(sessionmaker, single_process=isinstance(storage, SqlStorage))
    dispatcher = Dispatcher(
        storage=storage,
        # The FSM middleware is registered below, inside the update's transaction.
        disable_fsm=True,
        settings=settings,
        sessionmaker=sessionmaker,
        clock=clock or Clock(),
    )
    # Outer middlewares, outermost first: one update at a time per person (a double tap cannot
    # run a step twice at once), then the update's one transaction, then the dialog state, read
    # and written through that transaction.
    dispatcher.update.outer_middleware(IsolationMiddleware(SimpleEventIsolation(), dispatcher.fsm))
    dispatcher.update.outer_middleware(ContextMiddleware(sessionmaker, settings.admin_ids))
    dispatcher.update.outer_middleware(dispatcher.fsm)
    i18n = create_i18n(settings.default_language)
    i18n.setup(dispatcher)
    dispatcher.message.middleware(AccessMiddleware())
    dispatcher.callback_query.middleware(AccessMiddleware())
    dispatcher.include_routers(*get_routers())
    index_handlers(dispatcher)  # reads the filters as written, so before they are wrapped
    run_sync_filters_inline(dispatcher)
    dispatcher.errors.register(on_error)
    dispatcher.startup.register(_register_menus)
    return dispatcher


def _share_actor_cache(
    sessionmaker: async_sessionmaker[AsyncSession], *, single_process: bool
) -> None:
    """The actor cache is right only if this process makes every change to the database.

    Dialog state in the database means one bot process (see bot/fsm_storage.py); with Redis,
    several processes may serve one database, and each update then loads its actor afresh.
    """
    cache = sessionmaker.kw.get("info", {}).get(actor_cache.ACTOR_CACHE)
    if cache is not None:
        cache.enabled = single_process


def attach_scheduler(dispatcher: Dispatcher) -> None:
    """Run the periodic jobs while the bot runs (the entry point does this; tests call jobs)."""

    async def start(bot: Bot, settings: Settings, i18n_middleware: I18nMiddleware) -> None:
        context = JobContext(
            bot=bot,
            sessionmaker=dispatcher["sessionmaker"],
            clock=dispatcher["clock"],
            core=i18n_middleware.core,
            settings=settings,
        )
        scheduler = create_scheduler(context)
        scheduler.start()
        dispatcher["scheduler"] = scheduler

    async def stop() -> None:
        scheduler = dispatcher.workflow_data.pop("scheduler", None)
        if scheduler is not None:
            scheduler.shutdown(wait=False)

    dispatcher.startup.register(start)
    dispatcher.shutdown.register(stop)


async def _register_menus(
    bot: Bot,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    i18n_middleware: I18nMiddleware,
) -> None:
    await register_menus(
        bot,
        i18n_middleware.core,
        sessionmaker,
        settings.admin_ids,
        settings.default_language,
    )
