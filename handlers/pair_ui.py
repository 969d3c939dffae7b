"""Rendering shared by the pair dialogs: names, forms, terms, and messages to other people."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from bot.mail import Mail
from bot.services import pairing
from bot.services.matching import MentorMatch
from bot.services.pair_members import Contact
from bot.services.profile_form import COMPETENCIES
from bot.ui import esc, format_date
from handlers.dialog_kit import Translate, parsed_by, translator
from models import Pair

DAY = parsed_by(pairing.parse_date)  # a typed day: DD.MM.YYYY, as people write dates here
Rendered = Callable[[Translate], str]  # a text in the language of the person told


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


def area_label(i18n: I18nContext, area: str) -> str:
    """An area by its name: competencies and difficulties share codes, not all of them."""
    return i18n.get(f"opt-{'competencies' if area in COMPETENCIES else 'difficulties'}-{area}")


def mentor_reasons(i18n: I18nContext, match: MentorMatch) -> str:
    """Why a mentor is offered: shared areas and words, free places and hours."""
    areas = ", ".join(area_label(i18n, area) for area in match.areas)
    lines = [i18n.get("pair-why-areas", areas=areas)] if match.areas else []
    if match.words:
        lines.append(i18n.get("pair-why-words", words=", ".join(match.words)))
    hours = match.hours_per_month if match.hours_per_month is not None else "—"
    room = i18n.get("pair-why-room", free=match.free_places, hours=hours)
    return "\n".join([*(lines or [i18n.get("pair-why-nothing")]), room])


def ranked_mentors(i18n: I18nContext, matches: list[MentorMatch]) -> dict[str, Any]:
    """The mentors offered, best first: `ranked` (with the reasons) and a button for each."""
    no_name = i18n.get("pair-no-name")
    numbered = list(enumerate(matches, start=1))
    return {
        "ranked": "\n\n".join(
            f"{n}. <b>{full_name(m.full_name, no_name)}</b>\n{mentor_reasons(i18n, m)}"
            for n, m in numbered
        ),
        "mentors": [
            (m.membership_id, f"{n}. {short_name(m.full_name, no_name)}") for n, m in numbered
        ],
    }


# --- telling people, each in their language ------------------------------------------------


@dataclass(frozen=True)
class News:
    """Messages to other people through the delivery queue, each in their own language."""

    mail: Mail
    i18n: I18nContext

    async def tell(
        self,
        people: list[Contact],
        key: str,
        markup: Callable[[Translate], InlineKeyboardMarkup] | None = None,
        extra: Callable[[Translate, Contact], str] | None = None,
        **args: object,
    ) -> None:
        """Each of `people` (once) gets `key`; an argument that is a function of the
        translator (a name, a reason) is rendered in their language, `extra` adds a line."""
        seen: set[int] = set()
        default = self.i18n.core.default_locale or "ru"
        for person in people:
            if person.telegram_id in seen:
                continue
            seen.add(person.telegram_id)
            get = translator(self.i18n, person.language or default)
            text = get(key, **{k: v(get) if callable(v) else v for k, v in args.items()})
            text += extra(get, person) if extra else ""
            keyboard = markup(get) if markup else None
            # queued with the update's changes: a person who blocked the bot does not undo them
            await self.mail.send(person.telegram_id, text, keyboard, purpose="pair")


def name_of(person: Contact) -> Rendered:
    return lambda get: full_name(person.full_name, get("pair-no-name"))


def names_of(people: list[Contact]) -> Rendered:
    return lambda get: ", ".join(name_of(person)(get) for person in people)


def contacts_of(people: list[Contact]) -> Rendered:
    return lambda get: "\n".join(contact_line(get, person) for person in people)


def reason_named(code: str) -> Rendered:
    return lambda get: get(f"pair-reason-{code}")


def group_line(mentees: list[Contact]) -> Callable[[Translate, Contact], str]:
    """For a mentee of a group: who the others are."""

    def line(get: Translate, person: Contact) -> str:
        others = [mentee for mentee in mentees if mentee is not person]
        return "\n" + get("pair-group-with", names=names_of(others)(get)) if others else ""

    return line
