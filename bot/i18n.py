"""Languages: the user's choice, else their Telegram language, else the default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiogram.types import User as TgUser
from aiogram_i18n import I18nMiddleware
from aiogram_i18n.cores import FluentRuntimeCore
from aiogram_i18n.managers import BaseManager
from fluent.runtime import FluentBundle
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.clock import Clock
from bot.services.people import Actor, get_or_create_user

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = ("ru", "en")
CACHEABLE = (int, str)  # argument types whose equal values always format alike
FORMATTED_LIMIT = 20_000
# Telegram languages whose speakers are better served by the Russian texts.
RUSSIAN_READERS = {"ru", "uk", "be", "kk", "ky", "uz", "tg", "hy", "az"}
# The .ftl files as parsed, by their folder: once per process, however many dispatchers it
# builds (the tests build one per test, and parsing takes longer than most tests).
PARSED: dict[Path, dict[str, FluentBundle]] = {}


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
    """Fluent texts, each formatted once per language and arguments, then reused.

    Labels, buttons and counters ("question 3 of 11") make up most of what a screen renders,
    and formatting through Fluent and Babel costs far more than a dictionary look-up. Texts
    with arguments are kept only when every argument is a plain int or str (other types, such
    as dates or floats, could compare equal and still format differently), up to a bound.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(path=path)
        self._formatted: dict[tuple[Any, ...], str] = {}

    def get(self, message_id: str, locale: str | None = None, /, **kwargs: Any) -> str:
        locale = self.get_locale(locale)
        if not all(type(value) in CACHEABLE for value in kwargs.values()):
            return super().get(message_id, locale, **kwargs)
        key = (locale, message_id, *kwargs.items()) if kwargs else (locale, message_id)
        text = self._formatted.get(key)
        if text is None:
            if len(self._formatted) >= FORMATTED_LIMIT:
                self._formatted.clear()  # rare: start over rather than track use
            text = self._formatted[key] = super().get(message_id, locale, **kwargs)
        return text

    def find_locales(self) -> dict[str, FluentBundle]:
        bundles = PARSED.get(self.path)
        if bundles is None:
            bundles = PARSED[self.path] = super().find_locales()
        return dict(bundles)


def create_i18n(default_language: str) -> I18nMiddleware:
    return I18nMiddleware(
        core=FluentCore(LOCALES_DIR / "{locale}"),
        manager=UserLocaleManager(default_locale=default_language),
        default_locale=default_language,
    )
