"""Entry point: `nastavnik` or `python -m bot`."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError
from aiohttp import web

from bot.app import MAX_CONCURRENT_UPDATES, attach_scheduler, create_bot, create_dispatcher
from bot.config import Settings, SettingsError, load_settings
from bot.db import create_engine, create_sessionmaker, upgrade_schema
from bot.performance import tune_garbage_collector

log = logging.getLogger("nastavnik")
WEBHOOK_PATH = "/telegram/webhook"


async def run(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    try:
        await upgrade_schema(engine)
    except Exception as error:
        raise SettingsError(
            f"Setting DATABASE_URL: the database cannot be opened or migrated ({error})."
        ) from None
    sessionmaker = create_sessionmaker(engine)
    bot = create_bot(settings)
    await _check_bot_api(bot, settings)
    dispatcher = create_dispatcher(settings, sessionmaker)
    attach_scheduler(dispatcher)
    dispatcher.shutdown.register(engine.dispose)
    try:
        if settings.webhook_url:
            tune_garbage_collector()
            await _serve_webhook(settings, dispatcher, bot)
        else:
            tune_garbage_collector()
            await dispatcher.start_polling(
                bot, handle_signals=True, tasks_concurrency_limit=MAX_CONCURRENT_UPDATES
            )
    finally:
        await bot.session.close()


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


async def _serve_webhook(settings: Settings, dispatcher: Dispatcher, bot: Bot) -> None:
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application

    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    app = web.Application()
    SimpleRequestHandler(dispatcher, bot, secret_token=secret).register(app, path=WEBHOOK_PATH)
    setup_application(app, dispatcher, bot=bot)

    async def set_webhook(_: web.Application) -> None:
        await bot.set_webhook(
            f"{settings.webhook_url}{WEBHOOK_PATH}",
            secret_token=secret,
            allowed_updates=dispatcher.resolve_used_update_types(),
        )

    app.on_startup.append(set_webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
    await site.start()
    log.info("listening for webhooks on %s", settings.webhook_listen)
    # Stop cleanly on SIGINT or SIGTERM, as polling does, even where the parent left SIGINT
    # ignored (a background job in a shell): Python's KeyboardInterrupt would never come.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        await runner.cleanup()


def main() -> None:
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        sys.exit(2)
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        asyncio.run(run(settings))
    except SettingsError as error:
        print(error, file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
