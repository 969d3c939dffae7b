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
    PUBLICATION = "publication"  # may be named on the organisation's site (cases)


class PairStatus(StrEnum):
    PROPOSED = "proposed"  # waiting for the written consent of the mentor and each mentee
    AWAITING_APPROVAL = "approval"  # consents given; the head approves by order
    ACTIVE = "active"
    REFUSED = "refused"  # someone declined, or the head did not approve
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"


# A pair that still holds its mentor's and mentees' places (capacity, "without a pair").
LIVE_PAIR_STATUSES = (PairStatus.PROPOSED, PairStatus.AWAITING_APPROVAL, PairStatus.ACTIVE)


class ProgrammeStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes"
    ACKNOWLEDGED = "acknowledged"


class ActivityStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class HelpStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
