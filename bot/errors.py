"""One error handler for the whole bot."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.types import ErrorEvent
from aiogram_i18n import I18nMiddleware

from bot.i18n import language_from_telegram

log = logging.getLogger("nastavnik.errors")


async def on_error(event: ErrorEvent, bot: Bot, i18n_middleware: I18nMiddleware) -> bool:
    """Log with the update id, apologise to the person, let polling go on.

    The update's transaction has already been rolled back, so what the person had saved in
    earlier steps stays as it was; the apology says so.
    """
    update = event.update
    log.error(
        "update %s failed: %r",
        update.update_id,
        event.exception,
        exc_info=event.exception,
    )
    source = update.message or update.callback_query or update.edited_message
    person = source.from_user if source is not None else None
    if person is None:
        return True
    core = i18n_middleware.core
    locale = language_from_telegram(person.language_code, core.default_locale or "ru")
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await bot.send_message(person.id, core.get("error-unexpected", locale))
    except Exception as error:  # the apology itself failed: nothing more to do but log
        log.warning("could not apologise for update %s: %s", update.update_id, error)
    return True
