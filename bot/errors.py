"""One error handler for the whole bot."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.types import ErrorEvent
from aiogram.types import User as TgUser
from aiogram_i18n import I18nContext, I18nMiddleware
from sqlalchemy import inspect

from bot.i18n import LANGUAGES, language_from_telegram
from bot.services.people import Actor

log = logging.getLogger("nastavnik.errors")


async def on_error(
    event: ErrorEvent,
    bot: Bot,
    i18n_middleware: I18nMiddleware,
    i18n: I18nContext | None = None,
    actor: Actor | None = None,
) -> bool:
    """Log with the update id, apologise to the person, let polling go on.

    The update's transaction has already been rolled back, so what the person had saved in
    earlier steps stays as it was; the apology says so, in the language they chose.
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
    locale = (
        i18n.locale if i18n is not None else chosen_language(actor, person, core.default_locale)
    )
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await bot.send_message(person.id, core.get("error-unexpected", locale))
    except Exception as error:  # the apology itself failed: nothing more to do but log
        log.warning("could not apologise for update %s: %s", update.update_id, error)
    return True


def chosen_language(actor: Actor | None, person: TgUser, default: str | None) -> str:
    """The language chosen with /language, when it is still loaded (the rollback expired the
    user's row, and its session is closed: nothing is read again); else Telegram's."""
    user = actor.user if actor is not None else None
    chosen = inspect(user).dict.get("language") if user is not None else None
    if chosen in LANGUAGES:
        return str(chosen)
    return language_from_telegram(person.language_code, default or "ru")
