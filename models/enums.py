"""Closed sets of values stored as short strings."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    HEAD = "head"
    CURATOR = "curator"
    MENTOR = "mentor"
    MENTEE = "mentee"
    PSYCHOLOGIST = "psychologist"


# Roles whose members are kept in the bank and fill the long profile.
BANK_ROLES = (Role.MENTOR, Role.MENTEE)
# Roles that run the organisation's desk (bank, invitations).
DESK_ROLES = frozenset({Role.CURATOR, Role.HEAD})


class MembershipStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"  # consent withdrawn, personal data erased


class ConsentKind(StrEnum):
    PERSONAL_DATA = "personal_data"
    MENTOR_APPOINTMENT = "mentor_appointment"


class PairStatus(StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    ENDED = "ended"
