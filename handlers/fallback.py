"""Last in line: a reply typed without «Ответить» finds its help thread; whatever else no
dialog took gets a hint rather than silence."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, StartMode
from aiogram_i18n import I18nContext

from bot.help_relay import content_of
from bot.services.help_requests import Thread, answerable, thread_access
from bot.services.typed_text import typed_text
from handlers.dialog_kit import Typed, middleware, owned
from handlers.help import HelpThreads, answer_with


async def stray_threads(manager: DialogManager) -> list[Thread]:
    """Outside any dialog, the open help threads the person answers in."""
    return [] if manager.has_context() else await answerable(*middleware(manager))


async def stray_reply(message: Message, dialog_manager: DialogManager, i18n: I18nContext) -> None:
    """Outside any dialog, text from someone who answers open help threads is an answer: to
    the one thread there is (said so, and it may be taken back), or to the one chosen."""
    text = typed_text(message.text).strip()
    threads = await stray_threads(dialog_manager) if text else []  # nothing seen: no answer
    if len(threads) > 1:
        start = {"text": text}
        await dialog_manager.start(HelpThreads.choosing, start, mode=StartMode.RESET_STACK)
    elif threads:
        access = await owned(dialog_manager, thread_access, threads[0].request.id)
        await answer_with(message, dialog_manager, access, text)
    else:
        await not_understood(message, i18n)


async def stray_media(message: Message, dialog_manager: DialogManager, i18n: I18nContext) -> None:
    """A photo, a voice, a file outside any dialog from someone who answers open help threads:
    not guessed into one (a thread takes it after «Ответить»), but said how, so it is not lost
    in a «not understood»."""
    if content_of(message) is not None and await stray_threads(dialog_manager):
        await message.answer(i18n.get("help-media-needs-thread"))
    else:
        await not_understood(message, i18n)


async def not_understood(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("fallback-not-understood"))


async def unknown_button(query: CallbackQuery, i18n: I18nContext) -> None:
    await query.answer(i18n.get("error-stale-button"), show_alert=True)


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(stray_reply, Typed(text=True))
    router.message.register(stray_media, Typed(text=False))
    router.message.register(not_understood)
    router.callback_query.register(unknown_button)
    return router
