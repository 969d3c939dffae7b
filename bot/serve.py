"""The bot running: the database migrated, Telegram and Redis checked, then polling or the
webhook until a signal stops it (bot/__main__.py starts it once the settings are read)."""

from __future__ import annotations

import asyncio
import logging
import signal

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.app import (
    MAX_CONCURRENT_UPDATES,
    attach_delivery,
    attach_live_reports,
    attach_menus,
    attach_scheduler,
    create_bot,
    create_dispatcher,
)
from bot.config import Settings, SettingsError
from bot.db import create_engine, create_sessionmaker, upgrade_schema
from bot.polling import Poller

log = logging.getLogger("nastavnik")
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


# On a stop, how long the updates in flight may take to finish before they are cut short.
STOP_GRACE_SECONDS = 25


async def run(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    try:
        await upgrade_schema(engine)
    except Exception as error:
        raise SettingsError(
            f"Setting DATABASE_URL: the database cannot be opened or migrated ({error})."
        ) from None
    sessionmaker = create_sessionmaker(engine)
    if settings.redis_url:
        await _check_redis(settings.redis_url)
    bot = create_bot(settings)
    await _check_bot_api(bot, settings)
    dispatcher = create_dispatcher(settings, sessionmaker)
    attach_scheduler(dispatcher)
    attach_delivery(dispatcher)
    attach_live_reports(dispatcher)
    stop_menus = attach_menus(dispatcher)
    dispatcher.shutdown.register(engine.dispose)
    stop = _stop_on_signals()
    workflow = {"dispatcher": dispatcher, "bots": [bot], **dispatcher.workflow_data}
    try:
        await dispatcher.emit_startup(bot=bot, **workflow)
        try:
            if settings.webhook_url:
                await _serve_webhook(settings, dispatcher, bot, stop)
            else:
                poller = Poller(
                    dispatcher,
                    bot,
                    concurrency=MAX_CONCURRENT_UPDATES,
                    allowed_updates=dispatcher.resolve_used_update_types(),
                )
                log.info("polling for updates")
                await poller.run(stop, grace=STOP_GRACE_SECONDS)
        finally:
            await stop_menus()  # before the texts close under it
            # Only now, with no update in flight: the scheduler, the engine, then the session.
            await dispatcher.emit_shutdown(bot=bot, **workflow)
    finally:
        await bot.session.close()


def _stop_on_signals() -> asyncio.Event:
    """Set on SIGINT or SIGTERM, also where the parent left SIGINT ignored (a background job
    in a shell), when Python's KeyboardInterrupt would never come."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    return stop


async def _check_bot_api(bot: Bot, settings: Settings) -> None:
    """Fail at start with one line if the token is refused or the Bot API cannot be reached."""
    try:
        await bot.get_me()
    except TelegramUnauthorizedError:
        await bot.session.close()
        raise SettingsError(
            "Setting BOT_TOKEN is not accepted by Telegram: copy it again from @BotFather."
        ) from None
    except TelegramNetworkError as error:
        await bot.session.close()
        where = settings.bot_api_url or "api.telegram.org"
        raise SettingsError(
            f"The Bot API at {where} cannot be reached ({error.message}): check the network "
            "or BOT_API_URL."
        ) from None


async def _check_redis(url: str) -> None:
    """Fail at start with one line if Redis cannot be reached: else every update would fail."""
    client = Redis.from_url(url)
    try:
        await client.ping()
    except (RedisError, OSError) as error:
        raise SettingsError(
            f"Setting REDIS_URL: Redis cannot be reached ({error}): start it, fix REDIS_URL, "
            "or leave it empty to keep the dialogs in the database."
        ) from None
    finally:
        await client.aclose()


def create_webhook_app(dispatcher: Dispatcher, bot: Bot, secret: str) -> web.Application:
    """The webhook endpoint: refuses (401) a POST without Telegram's secret header."""
    handler = SimpleRequestHandler(
        dispatcher, bot, handle_in_background=False, secret_token=secret
    )

    async def handle(request: web.Request) -> web.StreamResponse:
        # Checked here, before aiogram reads it: a body that is not an update (malformed JSON,
        # not an object, no update_id) is refused with 400 and one line in the log, where it
        # would be a 500 with a traceback.
        if not handler.verify_secret(request.headers.get(SECRET_HEADER, ""), bot):
            return web.Response(text="Unauthorized", status=401)
        try:
            Update.model_validate(await request.json(), context={"bot": bot})
        except ValueError as error:  # json's and pydantic's errors both are ValueErrors
            log.warning("webhook: refused a POST that is not an update (%s)", type(error).__name__)
            return web.Response(text="Bad Request: not an update", status=400)
        return await handler.handle(request)

    app = web.Application()
    # Answered once handled, not before: an update whose handling fails or is cut short by a
    # stop gets no 200, and Telegram sends it again (a repeat is skipped by its stored id).
    # The route alone: the handler's own register() would close the Bot session when aiohttp
    # begins to stop, before the requests in flight have finished.
    app.router.add_route("POST", WEBHOOK_PATH, handle)
    return app


async def _serve_webhook(
    settings: Settings, dispatcher: Dispatcher, bot: Bot, stop: asyncio.Event
) -> None:
    assert settings.webhook_secret is not None  # the settings refuse a webhook without one
    secret = settings.webhook_secret.get_secret_value()
    runner = web.AppRunner(
        create_webhook_app(dispatcher, bot, secret), shutdown_timeout=STOP_GRACE_SECONDS
    )
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
    try:
        await site.start()
    except OSError as error:  # the port is taken, or not ours to take
        await runner.cleanup()
        raise SettingsError(
            f"Setting WEBHOOK_LISTEN: cannot listen on {settings.webhook_listen} "
            f"({error.strerror}): choose a free port."
        ) from None
    await bot.set_webhook(
        f"{settings.webhook_url}{WEBHOOK_PATH}",
        secret_token=secret,
        allowed_updates=dispatcher.resolve_used_update_types(),
    )
    log.info("listening for webhooks on %s", settings.webhook_listen)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()  # stops listening, lets the requests in flight finish
