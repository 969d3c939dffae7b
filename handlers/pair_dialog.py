"""What the plan and meeting dialogs share: the pair they are about (chosen when the person has
several), and the command that opens a dialog on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Column
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.pairs_read import participants, running_pairs
from bot.services.people import Actor
from bot.services.plan_access import member_ids, pair_of_member
from handlers.dialog_kit import Fl, choice, ctx, owned, safe_id, start_id
from handlers.programme_view import pair_label
from models import Pair


def pair_id(manager: DialogManager) -> object:
    """The dialog's pair: chosen in it, or from the start data (checked by `owned`)."""
    return manager.dialog_data.get("pair_id") or start_id(manager)


async def the_pair(manager: DialogManager) -> Pair:
    """The dialog's pair, still the person's own."""
    return await owned(manager, pair_of_member, pair_id(manager))


def pair_command(
    first: State, chooser: State, no_pairs: str, mentees_too: bool = True
) -> Callable[..., Any]:
    """A command's start: no pair (a word why), one pair (straight in), or a choice; the
    mentor's pairs only, unless `mentees_too`."""

    async def command(
        message: Message, dialog_manager: DialogManager, session: AsyncSession, actor: Actor
    ) -> None:
        pairs = await running_pairs(session, actor, mentees_too=mentees_too)
        if not pairs:
            await message.answer(dialog_manager.middleware_data["i18n"].get(no_pairs))
            return
        only = {"id": pairs[0].id} if len(pairs) == 1 else None
        await dialog_manager.start(first if only else chooser, only, mode=StartMode.RESET_STACK)

    return command


def pair_choice(state: State, first: State, widget_id: str, mentees_too: bool = True) -> Window:
    async def getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
        c = ctx(dialog_manager)
        pairs = await running_pairs(c.session, c.actor, mentees_too=mentees_too)
        people = [(pair.id, await participants(c.session, pair)) for pair in pairs]
        ids = member_ids(c.actor)
        return {"pairs": [(pair_id, pair_label(c.i18n, names, ids)) for pair_id, names in people]}

    async def chosen(_: CallbackQuery, __: Any, manager: DialogManager, pair_id: int) -> None:
        await owned(manager, pair_of_member, pair_id)
        manager.dialog_data["pair_id"] = pair_id
        await manager.switch_to(first)

    return Window(
        Fl("programme-choose-pair"),
        Column(choice(widget_id, "pairs", chosen, safe_id)),
        state=state,
        getter=getter,
    )
