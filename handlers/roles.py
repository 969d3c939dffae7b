"""Who may use a handler: flags read by bot.middlewares.AccessMiddleware (`flags=MENTOR`)."""

from __future__ import annotations

from typing import Any, TypeVar

from aiogram import Router

from bot.middlewares import AccessMiddleware
from models import Role
from models.enums import DESK_ROLES

DESK = {"roles": DESK_ROLES}
CURATOR = {"roles": frozenset({Role.CURATOR})}  # the head reads and approves; this changes
HEAD = {"roles": frozenset({Role.HEAD})}
MENTOR = {"roles": frozenset({Role.MENTOR})}
MENTEE = {"roles": frozenset({Role.MENTEE})}
PAIR_MEMBERS = {"roles": frozenset({Role.MENTOR, Role.MENTEE})}
PSYCHOLOGIST = {"roles": frozenset({Role.PSYCHOLOGIST})}

R = TypeVar("R", bound=Router)


def only(flags: dict[str, Any], dialog: R) -> R:
    """A dialog only the roles of `flags` use: each of its taps and typed answers is checked
    like a flagged command, so one whose role went while it was open is refused, politely."""
    guard = AccessMiddleware(flags["roles"])
    dialog.callback_query.middleware(guard)
    dialog.message.middleware(guard)
    return dialog
