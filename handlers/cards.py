"""The bank's fields of one person as lines of text, for /profile and the curator's card.

Also the card as its owner sees it, with buttons to edit: /profile and the profile form both
show it (the form after an edit).
"""

from __future__ import annotations

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import profile_form as form
from bot.ui import (
    button,
    esc,
    format_date,
    keyboard,
    option_label,
    options_label,
    shared_keyboard,
)
from models import Membership, Profile, Role


def field_value(i18n: I18nContext, profile: Profile, field: str) -> str:
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
        return i18n.get("profile-mentor-consent-given", date=format_date(value.date()))
    return esc(value)


def profile_lines(i18n: I18nContext, role: Role, profile: Profile) -> list[str]:
    return [
        f"<b>{i18n.get(f'field-{q.field}')}:</b> {field_value(i18n, profile, q.field)}"
        for q in form.questions_for(role)
    ]


class ProfileCb(CallbackData, prefix="prof"):
    action: str  # fields, edit, continue
    field: str = ""


async def show_profile(
    message: Message,
    session: AsyncSession,
    membership: Membership,
    profile: Profile,
    i18n: I18nContext,
) -> None:
    lines = profile_lines(i18n, Role(membership.role), profile)
    role = Role(membership.role)
    incomplete = form.next_question(profile, role) is not None
    header = i18n.get("profile-header", role=i18n.get(f"role-{role}"))
    if incomplete:
        header += "\n" + i18n.get("profile-incomplete")
    await message.answer(
        header + "\n\n" + "\n".join(lines),
        reply_markup=profile_keyboard(i18n, incomplete),
    )


def profile_keyboard(i18n: I18nContext, incomplete: bool) -> InlineKeyboardMarkup:
    """The same buttons for everyone: built once per language."""

    def build(text: Callable[[str], str]) -> InlineKeyboardMarkup:
        edit = [button(text("profile-edit"), ProfileCb(action="fields"))]
        go_on = [button(text("profile-continue"), ProfileCb(action="continue"))]
        return keyboard(go_on, edit) if incomplete else keyboard(edit)

    return shared_keyboard(i18n, ("profile", incomplete), build)
