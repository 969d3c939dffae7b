"""The bank's fields of one person as lines of text, for /profile and the curator's card."""

from __future__ import annotations

from aiogram_i18n import I18nContext

from bot.services import profile_form as form
from bot.ui import esc, format_date, format_day, option_label, options_label
from models import Profile, Role


def field_value(i18n: I18nContext, profile: Profile, field: str, timezone: str) -> str:
    question = form.BY_FIELD[field]
    value = getattr(profile, field)
    if field in (profile.skipped or []) or value in (None, "", []):
        return "—"
    if question.kind is form.Kind.CHOICE:
        return option_label(i18n, field, value)
    if question.kind is form.Kind.MULTI:
        other = getattr(profile, question.other_field) if question.other_field else None
        return options_label(i18n, field, value, other)
    if question.kind is form.Kind.DATE:
        return format_date(value)
    if question.kind is form.Kind.CONSENT:
        return i18n.get("profile-mentor-consent-given", date=format_day(value, timezone))
    return esc(value)


def profile_lines(i18n: I18nContext, role: Role, profile: Profile, timezone: str) -> list[str]:
    """The fields in the person's language; a moment as its day in the organisation's zone."""
    return [
        f"<b>{i18n.get(f'field-{q.field}')}:</b> {field_value(i18n, profile, q.field, timezone)}"
        for q in form.questions_for(role)
    ]
