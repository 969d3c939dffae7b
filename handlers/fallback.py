"""Last in line: whatever no dialog took gets a hint rather than silence."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext


async def not_understood(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("fallback-not-understood"))


async def unknown_button(query: CallbackQuery, i18n: I18nContext) -> None:
    await query.answer(i18n.get("error-stale-button"), show_alert=True)


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(not_understood)
    router.callback_query.register(unknown_button)
    return router
