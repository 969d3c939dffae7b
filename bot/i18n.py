"""Languages: the user's choice, else their Telegram language, else the default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiogram.types import User as TgUser
from aiogram_i18n import I18nMiddleware
from aiogram_i18n.cores import FluentRuntimeCore
from aiogram_i18n.managers import BaseManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.clock import Clock
from bot.services.people import Actor, get_or_create_user

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = ("ru", "en")
# Telegram languages whose speakers are better served by the Russian texts.
RUSSIAN_READERS = {"ru", "uk", "be", "kk", "ky", "uz", "tg", "hy", "az"}


def language_from_telegram(code: str | None, default: str) -> str:
    if not code:
        return default
    base = code.split("-")[0].lower()
    if base in LANGUAGES:
        return base
    return "ru" if base in RUSSIAN_READERS else "en"


class UserLocaleManager(BaseManager):
    async def get_locale(
        self, event_from_user: TgUser | None = None, actor: Actor | None = None
    ) -> str:
        if actor is not None and actor.user is not None and actor.user.language in LANGUAGES:
            return actor.user.language
        code = event_from_user.language_code if event_from_user else None
        return language_from_telegram(code, self.default_locale or LANGUAGES[0])

    async def set_locale(
        self, locale: str, actor: Actor, session: AsyncSession, clock: Clock, **_: Any
    ) -> None:
        user = actor.user or await get_or_create_user(
            session, actor.telegram_id, locale, clock.now()
        )
        user.language = locale
        actor.user = user


class FluentCore(FluentRuntimeCore):
    """Fluent texts; a message without arguments is formatted once per language and reused.

    Labels and buttons make up most of what a screen renders, and they never change.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(path=path)
        self._plain: dict[tuple[str, str], str] = {}

    def get(self, message_id: str, locale: str | None = None, /, **kwargs: Any) -> str:
        if kwargs:
            return super().get(message_id, locale, **kwargs)
        locale = self.get_locale(locale)
        key = (locale, message_id)
        text = self._plain.get(key)
        if text is None:
            text = self._plain[key] = super().get(message_id, locale)
        return text


def create_i18n(default_language: str) -> I18nMiddleware:
    return I18nMiddleware(
        core=FluentCore(LOCALES_DIR / "{locale}"),
        manager=UserLocaleManager(default_locale=default_language),
        default_locale=default_language,
    )
