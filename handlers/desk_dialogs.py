"""What the desk's dialogs share (the bank, forming pairs): a record's id from a button, tick
boxes, a pager over pages of a query, a command opening its dialog afresh, and an outcome in
place of the dialog. A rule the services refuse is answered by the kit's `polite`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from operator import itemgetter
from typing import Any

from aiogram import F
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode, StartMode
from aiogram_dialog.widgets.kbd import Multiselect, NextPage, PrevPage, Row
from aiogram_dialog.widgets.text import Const, Format
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import UserFacingError
from bot.services.people import Actor
from handlers.dialog_kit import Gone, OutOfRange, middleware


def record_id(text: object) -> int:
    """A record's id from a button; a forged one is refused (politely, by `polite`)."""
    if not str(text).isdigit() or not 0 < int(str(text)) < 2**63:
        raise UserFacingError("error-stale-button")
    return int(str(text))


Handler = Callable[..., Awaitable[None]]


def widget(manager: DialogManager, widget_id: str) -> Any:
    """A widget of the current window, managed (its stored state) for this person."""
    found = manager.find(widget_id)
    if found is None:
        raise Gone
    return found


def organisation(manager: DialogManager) -> tuple[AsyncSession, Actor, int]:
    session, actor = middleware(manager)
    if actor.organisation is None:
        raise Gone
    return session, actor, actor.organisation.id


def pager(scroll: str) -> Row:
    """Pager buttons for any paged list, shown only where there is a page to go to."""
    return Row(
        PrevPage(scroll, f"{scroll}_back", Const("◀"), when=F["current_page"] > 0),
        NextPage(scroll, f"{scroll}_next", Const("▶"), when=F["current_page1"] < F["pages"]),
    )


def ticks(
    widget_id: str,
    items: str,
    on_state_changed: Any = None,
    unchecked: str = "{item[1]}",
    offered: Callable[[str], bool] | None = None,
) -> Multiselect[str]:
    """A tick box for each `(id, label)` of the window's `items`. A tick of an id `offered`
    refuses (forged) is answered and not kept: no button could untick it."""

    async def checked(_: CallbackQuery, __: Any, ___: DialogManager, item: str) -> None:
        if offered is not None and not offered(item):
            raise OutOfRange

    return Multiselect(
        Format("✅ {item[1]}"),
        Format(unchecked),
        widget_id,
        itemgetter(0),
        items,
        on_click=checked,
        on_state_changed=on_state_changed,
    )


def desk_command(state: State) -> Handler:
    """A desk command opening its dialog afresh, for a person working in an organisation."""

    async def command(
        message: Message, dialog_manager: DialogManager, actor: Actor, i18n: I18nContext
    ) -> None:
        if actor.organisation is None:
            await message.answer(i18n.get("invite-no-organisation"))
            return
        await dialog_manager.start(state, mode=StartMode.RESET_STACK)

    return command


async def finish(event: CallbackQuery | Message, manager: DialogManager, text: str) -> None:
    """The outcome in place of the dialog's message; an opener (a bank card) shows below."""
    message = event.message if isinstance(event, CallbackQuery) else None
    if isinstance(message, Message):
        await message.edit_text(text)
    else:
        await event.answer(text)
    await manager.done(show_mode=ShowMode.SEND)
