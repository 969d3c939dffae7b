"""Commands that work from anywhere, even in the middle of a dialog: /cancel, /help, /language."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import commands_of, set_person_menu
from bot.i18n import LANGUAGES
from bot.services.people import Actor
from bot.ui import button, esc, keyboard
from handlers.dialog_kit import commands_router
from handlers.help import help_keyboard
from models import Role


class LanguageCb(CallbackData, prefix="language"):
    code: str


async def cancel(
    message: Message, state: FSMContext, dialog_manager: DialogManager, i18n: I18nContext
) -> None:
    """Leaves any dialog: the dialogs' stack (its screen's buttons then answer "out of date")
    and a plain FSM state alike."""
    if dialog_manager.has_context():
        await dialog_manager.reset_stack()
    elif await state.get_state() is None:
        await message.answer(i18n.get("cancel-nothing"), reply_markup=ReplyKeyboardRemove())
        return
    await state.clear()
    await message.answer(i18n.get("cancel-done"), reply_markup=ReplyKeyboardRemove())


async def help_(
    message: Message, actor: Actor, i18n: I18nContext, session: AsyncSession, bot: Bot
) -> None:
    # The menu too is brought up to date: roles changed elsewhere (a console) leave it as set.
    await set_person_menu(bot, i18n.core, session, actor.telegram_id, actor.is_admin, i18n.locale)
    lines = [f"/{name} — {i18n.get(f'command-{name}')}" for name in commands_of(actor)]
    if actor.organisation is None:  # an administrator founds one; anyone else is invited
        intro = i18n.get("start-admin" if actor.is_admin else "help-guest")
    else:
        roles = ", ".join(i18n.get(f"role-{role}") for role in sorted(actor.roles))
        organisation = esc(actor.organisation.short_name) if actor.organisation else "—"
        intro = i18n.get("help-member", organisation=organisation, roles=roles or "—")
    # A mentee keeps the «Нужна помощь» button under the keyboard: help is one tap away.
    markup = help_keyboard(i18n) if Role.MENTEE in actor.roles else None
    await message.answer(intro + "\n\n" + "\n".join(lines), reply_markup=markup)


async def language(message: Message, i18n: I18nContext) -> None:
    """A plain choice of two buttons: one tap, nothing to go back to."""
    buttons = [button(i18n.get(f"language-{code}"), LanguageCb(code=code)) for code in LANGUAGES]
    await message.answer(i18n.get("language-choose"), reply_markup=keyboard(buttons))


async def language_chosen(
    query: CallbackQuery,
    callback_data: LanguageCb,
    i18n: I18nContext,
    actor: Actor,
    session: AsyncSession,
    bot: Bot,
) -> None:
    """The choice is stored; the command menu and a mentee's standing «Need help» button,
    which stay in the chat, are given again in the new language."""
    await i18n.set_locale(callback_data.code)
    await query.answer()
    await set_person_menu(bot, i18n.core, session, actor.telegram_id, actor.is_admin, i18n.locale)
    if not isinstance(query.message, Message):
        return
    if Role.MENTEE in actor.roles:  # a reply keyboard comes only with a new message
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(i18n.get("language-set"), reply_markup=help_keyboard(i18n))
    else:
        await query.message.edit_text(i18n.get("language-set"))


def router() -> Router:
    router = commands_router(
        __name__, ("cancel", cancel, None), ("help", help_, None), ("language", language, None)
    )
    router.callback_query.register(language_chosen, LanguageCb.filter(F.code.in_(LANGUAGES)))
    return router
