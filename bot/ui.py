"""Small rendering helpers shared by the dialogs."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Hashable
from datetime import date, datetime
from typing import Annotated
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext
from pydantic import Field

from bot.services.errors import UserFacingError
from bot.services.pages import MESSAGE_LIMIT as MESSAGE_LIMIT  # Telegram's, kept with paginate
from bot.services.profile_form import option_text_key
from models import LARGEST_ID

# A record's id on a button (CallbackData): one past the columns' range (only a forged button
# carries one) fails the button's filter, so it gets the stale-button answer and never
# reaches the database, where PostgreSQL would refuse it as an error.
RecordId = Annotated[int, Field(gt=0, le=LARGEST_ID)]
MaybeId = Annotated[int, Field(ge=0, le=LARGEST_ID)]  # 0: none


def esc(value: object) -> str:
    """Escape what a person typed before it goes into an HTML message."""
    return html.escape(str(value), quote=False)


# Telegram's limits, counted on what a message shows once its HTML is parsed.
CAPTION_LIMIT = 1024
HTML_TAG = re.compile(r"<[^<>]*>")


def shown(html_text: str) -> str:
    """What an HTML text shows: tags gone, entities the characters they stand for."""
    return html.unescape(HTML_TAG.sub("", html_text))


def shown_length(text: str) -> int:
    """The length Telegram counts for an HTML text: what it shows, in UTF-16 code units (an
    emoji is two)."""
    return len(shown(text).encode("utf-16-le")) // 2


def quoted(html_text: str, limit: int) -> str:
    """A part of an HTML text (a broadcast keeps the curator's formatting) quoted inside
    another message: what it shows, its first `limit` characters, escaped again (escaping
    the HTML itself showed `&amp;` for `&`, and tags as typed)."""
    return esc(shown(html_text)[:limit])


def button(text: str, callback: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=callback.pack())


def keyboard(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[row for row in rows if row])


# Keyboards that are the same for everyone, per set of texts (a core) and language. They die
# with their core (tests make many); aiogram's types are frozen, so one object serves all.
_SHARED: WeakKeyDictionary[object, dict[Hashable, InlineKeyboardMarkup]] = WeakKeyDictionary()


def shared_keyboard(
    i18n: I18nContext, key: Hashable, build: Callable[[Callable[[str], str]], InlineKeyboardMarkup]
) -> InlineKeyboardMarkup:
    """The keyboard `build` makes from texts in i18n's language, built once per `key`."""
    built = _SHARED.setdefault(i18n.core, {})
    full_key = (i18n.locale, key)
    markup = built.get(full_key)
    if markup is None:
        core, locale = i18n.core, i18n.locale
        markup = built[full_key] = build(lambda text_key: core.get(text_key, locale))
    return markup


def error_text(i18n: I18nContext, error: UserFacingError) -> str:
    return i18n.get(error.key, **error.args_)


def format_date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "—"


def format_day(moment: datetime | None, timezone: str) -> str:
    """The day of a stored (UTC) moment as the organisation lives it: in its time zone."""
    return format_date(moment.astimezone(ZoneInfo(timezone)).date()) if moment else "—"


def format_moment(value: datetime | None, timezone: str) -> str:
    if value is None:
        return "—"
    return value.astimezone(ZoneInfo(timezone)).strftime("%d.%m.%Y %H:%M")


def option_label(i18n: I18nContext, field: str, value: str | None) -> str:
    """A stored choice in words: a known code through locales, typed text as typed."""
    if value is None or value == "":
        return "—"
    key = option_text_key(field, value)
    return i18n.get(key) if key else esc(value)


def options_label(
    i18n: I18nContext, field: str, values: list[str] | None, other: str | None
) -> str:
    parts = [option_label(i18n, field, value) for value in values or []]
    if other:
        parts.append(esc(other))
    return ", ".join(parts) if parts else "—"
