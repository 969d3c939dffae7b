"""Rendering shared by the pair dialogs: names, forms, terms, and messages to other people."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from bot.mail import Mail
from bot.services.pair_members import Contact
from bot.ui import esc, format_date
from models import Pair

PURPOSE = "pair"  # the delivery queue's purpose of the pair dialogs' messages

# Texts in one person's language: each person is told in their own.
Translate = Callable[..., str]


def short_name(full_name: str | None, fallback: str) -> str:
    """ "Петрова Анна Сергеевна" -> "Петрова А. С." for buttons, escaped for HTML."""
    if not full_name:
        return fallback
    surname, *rest = full_name.split()
    initials = " ".join(f"{part[0]}." for part in rest if part)
    return esc(f"{surname} {initials}".strip())


def full_name(full_name: str | None, fallback: str) -> str:
    return esc(full_name) if full_name else fallback


def forms_text(get: Translate, forms: list[str]) -> str:
    return ", ".join(get(f"pair-form-{form}") for form in forms) or "—"


def term_text(get: Translate, pair: Pair) -> str:
    return get("pair-term", start=format_date(pair.starts_on), end=format_date(pair.ends_on))


def contact_line(get: Translate, contact: Contact) -> str:
    """A person's name as a link that opens a chat with them, and their phone if given."""
    name = full_name(contact.full_name, get("pair-no-name"))
    link = f'<a href="tg://user?id={contact.telegram_id}">{name}</a>'
    if contact.phone:
        return get("pair-contact-phone", name=link, phone=esc(contact.phone))
    return get("pair-contact", name=link)


def translator(i18n: I18nContext, locale: str) -> Translate:
    core = i18n.core

    def get(key: str, **args: object) -> str:
        return core.get(key, locale, **args)

    return get


async def send(
    mail: Mail,
    contact: Contact,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Queued with the update's changes: a person who blocked the bot does not undo them."""
    await mail.send(contact.telegram_id, text, markup, purpose=PURPOSE)
