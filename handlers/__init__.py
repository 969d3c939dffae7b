"""The handlers, one module per feature: `router()` builds its commands and plain buttons,
`dialogs()` (where there are any) its dialogs. A Router (and so a Dialog) joins one parent
only, so `get_routers()` builds them afresh for each Dispatcher (tests build many).

aiogram tries routers in turn, and each one passed costs a little. The commands (first, so one
works in the middle of a dialog) and plain buttons sit under one router that lets in only a
command or a plain message's button: an answer in a dialog skips them all with one check. The
dialogs, each let in by its own state group, begin with the questionnaire, which every newcomer
answers most; the fallback comes last.
"""

from __future__ import annotations

from types import ModuleType

from aiogram import Router
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message
from aiogram_dialog.utils import remove_intent_id

from handlers import (
    bank,
    broadcast,
    common,
    delivery,
    desk,
    fallback,
    final_report,
    help,
    invitations,
    join,
    meetings,
    org_settings,
    organisations,
    pair_consent,
    pair_form,
    pair_lifecycle,
    pairs,
    plan,
    privacy,
    profile,
    programme,
    referrals,
    reminder_actions,
    roadmap,
    start,
    survey,
    survey_desk,
    survey_launch,
)
from handlers.dialog_kit import guarded

FEATURES: tuple[ModuleType, ...] = (
    common,
    start,
    profile,
    privacy,
    bank,
    delivery,
    desk,
    broadcast,
    invitations,
    organisations,
    survey,
    survey_desk,
    survey_launch,
    pairs,
    referrals,
    programme,
    plan,
    meetings,
    roadmap,
    help,
    pair_lifecycle,
    final_report,
    pair_consent,
    pair_form,
    reminder_actions,
    org_settings,
    join,
)


class IsCommand(Filter):
    """A message whose text (or caption) is a command, as aiogram's `Command` reads one; async,
    so it runs in the event loop rather than in a worker thread."""

    async def __call__(self, message: Message) -> bool:
        return (message.text or message.caption or "").startswith("/")


class PlainButton(Filter):
    """A button of a plain message, not of a dialog (whose data begins with its intent)."""

    async def __call__(self, query: CallbackQuery) -> bool:
        intent_id, __ = remove_intent_id(query.data or "")
        return intent_id is None


def get_routers() -> list[Router]:
    commands = Router(name="commands")
    commands.message.filter(IsCommand())
    commands.callback_query.filter(PlainButton())
    # After the group: help's (its reply-keyboard button is plain text), then join's (a command
    # no one knows, in the middle of the questionnaire).
    last = (help, join)
    commands.include_routers(*(feature.router() for feature in FEATURES if feature not in last))
    busiest_first = (join, *(feature for feature in FEATURES if feature is not join))
    dialogs = [
        guarded(dialog)
        for feature in busiest_first
        if hasattr(feature, "dialogs")
        for dialog in feature.dialogs()
    ]
    return [commands, *(feature.router() for feature in last), *dialogs, fallback.router()]
