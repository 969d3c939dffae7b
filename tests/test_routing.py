"""The routers' layout: what the commands' group lets in is all its handlers can take."""

from __future__ import annotations

from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackQueryFilter

from handlers import get_routers


def test_the_commands_group_holds_only_commands_and_plain_buttons() -> None:
    """The group lets in only commands and plain buttons (bot speed: a dialog's answer skips
    it with one check), so a handler of anything else there would never run."""
    group = get_routers()[0]
    assert group.name == "commands" and group.sub_routers
    for router in group.sub_routers:
        for handler in router.message.handlers:
            kinds = [type(f.callback) for f in handler.filters or ()]
            assert any(issubclass(kind, Command) for kind in kinds), (router.name, kinds)
        for handler in router.callback_query.handlers:
            kinds = [type(f.callback) for f in handler.filters or ()]
            assert CallbackQueryFilter in kinds, (router.name, kinds)
