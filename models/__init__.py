"""ORM models and queries."""

from models.base import Base
from models.entities import (
    Consent,
    FsmRecord,
    Invitation,
    Membership,
    Organisation,
    Pair,
    PairMentee,
    Profile,
    User,
)
from models.enums import ConsentKind, MembershipStatus, PairStatus, Role

__all__ = [
    "Base",
    "Consent",
    "ConsentKind",
    "FsmRecord",
    "Invitation",
    "Membership",
    "MembershipStatus",
    "Organisation",
    "Pair",
    "PairMentee",
    "PairStatus",
    "Profile",
    "Role",
    "User",
]
