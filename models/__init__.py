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
from models.enums import (
    ActivityStatus,
    ConsentKind,
    HelpStatus,
    MembershipStatus,
    PairStatus,
    ProgrammeStatus,
    Role,
)
from models.mentoring import (
    Activity,
    HelpMessage,
    HelpRequest,
    Meeting,
    MeetingAttendee,
    PairConfirmation,
    PairEvent,
    Programme,
    SupportReferral,
)

__all__ = [
    "Activity",
    "ActivityStatus",
    "Base",
    "Consent",
    "ConsentKind",
    "FsmRecord",
    "HelpMessage",
    "HelpRequest",
    "HelpStatus",
    "Invitation",
    "Meeting",
    "MeetingAttendee",
    "Membership",
    "MembershipStatus",
    "Organisation",
    "Pair",
    "PairConfirmation",
    "PairEvent",
    "PairMentee",
    "PairStatus",
    "Profile",
    "Programme",
    "ProgrammeStatus",
    "Role",
    "SupportReferral",
    "User",
]
