"""Who may use a handler: flags read by bot.middlewares.AccessMiddleware (`flags=MENTOR`)."""

from __future__ import annotations

from models import Role
from models.enums import DESK_ROLES

DESK = {"roles": DESK_ROLES}
HEAD = {"roles": frozenset({Role.HEAD})}
MENTOR = {"roles": frozenset({Role.MENTOR})}
MENTEE = {"roles": frozenset({Role.MENTEE})}
PAIR_MEMBERS = {"roles": frozenset({Role.MENTOR, Role.MENTEE})}
PSYCHOLOGIST = {"roles": frozenset({Role.PSYCHOLOGIST})}
