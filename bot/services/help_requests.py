"""Situational mentoring (ситуационное наставничество): a mentee's request for help and its thread.

Who is in a request: the mentee; the helper (the mentor of the mentee's active pair, a curator
who took it, or the psychologist it was passed to); and, once it is escalated (the mentor did not
answer in time, or the mentee has no pair), the organisation's curators. Only they may read or
write in it; `access` is the server-side check every handler goes through.

Every message is stored before anyone tries to relay it, so nothing written is lost even when
the other side cannot be reached; the relay reports back through `mark_delivered`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import UserFacingError
from bot.services.pairs_read import pairs_of_mentee
from bot.services.people import Actor
from bot.services.rules import add_working_hours
from models import (
    HelpMessage,
    HelpRequest,
    HelpStatus,
    Membership,
    MembershipStatus,
    Organisation,
    PairStatus,
    Profile,
    Role,
    User,
)
from models.base import relock

# What a thread carries: Telegram's content types that mean something in a conversation.
CONTENT_TYPES = ("text", "photo", "voice", "video", "video_note", "document", "audio", "animation")
RATINGS = (1, 2, 3, 4, 5)
HISTORY_LIMIT = 10  # messages replayed to someone who joins a thread
LIST_LIMIT = 20  # open threads listed by /requests
ERROR_LENGTH = 255  # HelpMessage.delivery_error


class Side(StrEnum):
    MENTEE = "mentee"
    HELPER = "helper"
    DESK = "desk"  # a curator of the organisation, once the request is escalated


@dataclass(frozen=True)
class Content:
    kind: str  # one of CONTENT_TYPES
    text: str | None  # the text, or a media message's caption
    file_id: str | None


@dataclass(frozen=True)
class HelpPerson:
    membership_id: int
    telegram_id: int
    language: str | None
    full_name: str | None
    role: Role
    blocked: bool = False  # known to have blocked the bot: a relay to them cannot arrive


@dataclass(frozen=True)
class Access:
    """The actor's place in a request, checked on the server."""

    request: HelpRequest
    membership_id: int
    side: Side
    on_desk: bool  # a curator of the organisation (may pass the request to the psychologist)


@dataclass(frozen=True)
class Thread:
    request: HelpRequest
    mentee: HelpPerson | None


# --- people ------------------------------------------------------------------------------------


async def people(session: AsyncSession, membership_ids: list[int]) -> dict[int, HelpPerson]:
    """Membership id -> who it is and how to message them."""
    if not membership_ids:
        return {}
    rows = (
        await session.execute(
            select(
                Membership.id,
                User.telegram_id,
                User.language,
                Profile.full_name,
                Membership.role,
                User.blocked_bot,
            )
            .join(User, User.id == Membership.user_id)
            .outerjoin(Profile, Profile.membership_id == Membership.id)
            .where(Membership.id.in_(set(membership_ids)))
        )
    ).all()
    return {
        row[0]: HelpPerson(row[0], row[1], row[2], row[3], Role(row[4]), bool(row[5]))
        for row in rows
    }


async def person(session: AsyncSession, membership_id: int | None) -> HelpPerson | None:
    if membership_id is None:
        return None
    return (await people(session, [membership_id])).get(membership_id)


async def _active_of_roles(
    session: AsyncSession, organisation_id: int, roles: tuple[Role, ...]
) -> list[HelpPerson]:
    ids = list(
        await session.scalars(
            select(Membership.id)
            .where(
                Membership.organisation_id == organisation_id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.role.in_(roles),
            )
            .order_by(Membership.id)
        )
    )
    found = await people(session, ids)
    return [found[i] for i in ids if i in found]


async def desk(session: AsyncSession, organisation_id: int) -> list[HelpPerson]:
    """The organisation's curators; its heads when it has no curator."""
    curators = await _active_of_roles(session, organisation_id, (Role.CURATOR,))
    return curators or await _active_of_roles(session, organisation_id, (Role.HEAD,))


async def psychologists(session: AsyncSession, organisation_id: int) -> list[HelpPerson]:
    return await _active_of_roles(session, organisation_id, (Role.PSYCHOLOGIST,))


async def active_mentor(
    session: AsyncSession, mentee_membership_id: int
) -> tuple[int, HelpPerson] | None:
    """The mentee's active pair (its id) and its mentor, if there is one."""
    pairs = await pairs_of_mentee(session, mentee_membership_id, (PairStatus.ACTIVE,))
    if not pairs:
        return None
    mentor = await person(session, pairs[0].mentor_membership_id)
    return None if mentor is None else (pairs[0].id, mentor)


# --- opening and writing -----------------------------------------------------------------------


async def open_request_of(session: AsyncSession, mentee_membership_id: int) -> HelpRequest | None:
    """A mentee has one open request at a time; new messages go into it."""
    return await session.scalar(
        select(HelpRequest)
        .where(
            HelpRequest.mentee_membership_id == mentee_membership_id,
            HelpRequest.status == HelpStatus.OPEN,
        )
        .order_by(HelpRequest.id.desc())
        .limit(1)
    )


def answer_due(organisation: Organisation, asked_at: datetime) -> datetime:
    """When the mentor should have answered: the organisation's hours, working time only."""
    return add_working_hours(
        asked_at,
        organisation.help_response_hours,
        organisation.timezone,
        organisation.workday_start_hour,
        organisation.workday_end_hour,
    )


async def start(
    session: AsyncSession,
    mentee: Membership,
    organisation: Organisation,
    content: Content,
    now: datetime,
) -> tuple[HelpRequest, HelpMessage, bool]:
    """Store the mentee's message in their open request, or in a new one (then created=True).

    A new request goes to the mentor of the mentee's active pair with an answer deadline in
    working hours; without a pair it goes to the curators straight away (escalated at once).
    """
    existing = await open_request_of(session, mentee.id)
    if existing is not None:
        access = Access(existing, mentee.id, Side.MENTEE, on_desk=False)
        return existing, await add_message(session, access, content, now), False
    paired = await active_mentor(session, mentee.id)
    request = HelpRequest(
        organisation_id=organisation.id,
        mentee_membership_id=mentee.id,
        status=HelpStatus.OPEN,
        created_at=now,
    )
    if paired is not None:
        request.pair_id, mentor = paired
        request.helper_membership_id = mentor.membership_id
        request.answer_due_at = answer_due(organisation, now)
    else:
        request.escalated_at = now
    session.add(request)
    await session.flush()
    access = Access(request, mentee.id, Side.MENTEE, on_desk=False)
    return request, await add_message(session, access, content, now), True


async def access(session: AsyncSession, request_id: int, user_id: int | None) -> Access | None:
    """The user's place in the request, or None when they are not one of its participants.

    Judged by the user's memberships in the request's own organisation, whichever organisation
    they have chosen in the bot right now.
    """
    request = await session.get(HelpRequest, request_id)
    if request is None or user_id is None:
        return None
    own = list(
        await session.scalars(
            select(Membership.id)
            .where(
                Membership.user_id == user_id,
                Membership.organisation_id == request.organisation_id,
                Membership.status == MembershipStatus.ACTIVE,
            )
            .order_by(Membership.id)
        )
    )
    if not own:
        return None
    desk_ids: set[int] = set()
    if request.escalated_at is not None:  # curators take part only once it is escalated
        desk_ids = {p.membership_id for p in await desk(session, request.organisation_id)}
    on_desk_ids = [i for i in own if i in desk_ids]
    on_desk = bool(on_desk_ids)
    if request.mentee_membership_id in own:
        return Access(request, request.mentee_membership_id, Side.MENTEE, on_desk)
    if request.helper_membership_id in own:
        return Access(request, request.helper_membership_id, Side.HELPER, on_desk)
    if on_desk_ids:
        return Access(request, on_desk_ids[0], Side.DESK, on_desk)
    return None


def _check_open(request: HelpRequest) -> None:
    if request.status != HelpStatus.OPEN:
        raise UserFacingError("help-closed", number=str(request.id))


async def add_message(
    session: AsyncSession, access: Access, content: Content, now: datetime
) -> HelpMessage:
    """Store a message of the thread (not yet delivered); the first answer stops the timer."""
    request = access.request
    _check_open(request)
    if content.kind not in CONTENT_TYPES:
        raise UserFacingError("help-unsupported")
    if access.side is not Side.MENTEE and request.answered_at is None:
        request.answered_at = now
    if access.side is Side.DESK and request.helper_membership_id is None:
        request.helper_membership_id = access.membership_id  # a curator took it
    message = HelpMessage(
        request_id=request.id,
        author_membership_id=access.membership_id,
        content_type=content.kind,
        text=content.text,
        file_id=content.file_id,
        delivered=False,
        created_at=now,
    )
    session.add(message)
    await session.flush()
    return message


def mark_delivered(message: HelpMessage, failures: dict[int, str]) -> None:
    """Record the relay's outcome: failures maps a membership id (0: nobody) to the error."""
    message.delivered = not failures
    if failures:
        text = "; ".join(f"{key}: {error}" for key, error in failures.items())
        message.delivery_error = text[:ERROR_LENGTH]
    else:
        message.delivery_error = None


async def audience(session: AsyncSession, request: HelpRequest) -> list[tuple[HelpPerson, Side]]:
    """Everyone who receives the thread's messages, each person once."""
    found = await people(
        session,
        [request.mentee_membership_id]
        + ([request.helper_membership_id] if request.helper_membership_id else []),
    )
    chosen: list[tuple[HelpPerson, Side]] = []
    if (mentee := found.get(request.mentee_membership_id)) is not None:
        chosen.append((mentee, Side.MENTEE))
    if (
        request.helper_membership_id is not None
        and (helper := found.get(request.helper_membership_id)) is not None
    ):
        chosen.append((helper, Side.HELPER))
    if request.escalated_at is not None:
        chosen.extend(
            (curator, Side.DESK) for curator in await desk(session, request.organisation_id)
        )
    seen: set[int] = set()
    unique = []
    for who, side in chosen:
        if who.telegram_id not in seen:
            seen.add(who.telegram_id)
            unique.append((who, side))
    return unique


# --- escalation, closing, rating, passing ------------------------------------------------------


class Escalation(StrEnum):
    """Why the curators are brought into a request (the texts they and the mentee get)."""

    OVERDUE = "overdue"  # nobody answered by the deadline
    UNREACHABLE = "unreachable"  # the helper blocked the bot
    HELPER_LEFT = "left"  # the helper withdrew consent: answered or not, nobody reads on


async def due_for_escalation(
    session: AsyncSession, now: datetime
) -> list[tuple[HelpRequest, Escalation]]:
    """Open requests not yet shown to the curator that nobody answered by their deadline,
    whose helper turned out to have blocked the bot (the relay to them could not be
    delivered), or whose helper is no longer a member, with the reason.

    Rows are locked (PostgreSQL) so two schedulers cannot escalate the same request twice.
    """
    helper_blocked = (
        select(User.id)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.id == HelpRequest.helper_membership_id,
            User.blocked_bot.is_(True),
        )
        .exists()
    )
    helper_left = (
        select(Membership.id)
        .where(
            Membership.id == HelpRequest.helper_membership_id,
            Membership.status != MembershipStatus.ACTIVE,
        )
        .exists()
    )
    overdue = and_(HelpRequest.answer_due_at.is_not(None), HelpRequest.answer_due_at <= now)
    unanswered = and_(HelpRequest.answered_at.is_(None), or_(overdue, helper_blocked))
    rows = await session.execute(
        select(HelpRequest, helper_left, overdue)
        .where(
            HelpRequest.status == HelpStatus.OPEN,
            HelpRequest.escalated_at.is_(None),
            or_(unanswered, helper_left),
        )
        .order_by(HelpRequest.id)
        .with_for_update(skip_locked=True, of=HelpRequest)
    )
    return [
        (
            request,
            Escalation.HELPER_LEFT
            if left
            else Escalation.OVERDUE
            if late
            else Escalation.UNREACHABLE,
        )
        for request, left, late in rows
    ]


def escalate(request: HelpRequest, now: datetime) -> bool:
    """Bring the curators in; False when they already are (so they are told only once)."""
    if request.escalated_at is not None:
        return False
    request.escalated_at = now
    return True


async def close(session: AsyncSession, access: Access, now: datetime) -> None:
    """Closes the request; of the mentor and the mentee closing it at the same moment, the
    second is told it is closed already (and nobody is told twice)."""
    request = access.request
    await relock(session, request)
    if request.status != HelpStatus.OPEN:
        raise UserFacingError("help-already-closed", number=str(request.id))
    request.status = HelpStatus.CLOSED
    request.closed_at = now


def rate(access: Access, value: int) -> None:
    """The mentee rates the help once, after the request is closed."""
    request = access.request
    if access.side is not Side.MENTEE:
        raise UserFacingError("help-not-yours")
    if value not in RATINGS:
        raise UserFacingError("error-stale-button")
    if request.status == HelpStatus.OPEN:
        raise UserFacingError("help-rate-open", number=str(request.id))
    if request.rating is not None:
        raise UserFacingError("help-already-rated", rating=request.rating)
    request.rating = value


async def pass_to_psychologist(
    session: AsyncSession, access: Access, psychologist_membership_id: int
) -> HelpPerson:
    """A curator hands the request to one of the organisation's psychologists."""
    request = access.request
    if not access.on_desk:
        raise UserFacingError("help-not-yours")
    _check_open(request)
    available = {p.membership_id: p for p in await psychologists(session, request.organisation_id)}
    if not available:
        raise UserFacingError("help-no-psychologist")
    chosen = available.get(psychologist_membership_id)
    if chosen is None:
        raise UserFacingError("error-stale-button")
    if request.helper_membership_id == chosen.membership_id:
        raise UserFacingError("help-already-passed", number=str(request.id))
    request.helper_membership_id = chosen.membership_id
    return chosen


# --- reading -----------------------------------------------------------------------------------


async def history(
    session: AsyncSession, request_id: int, limit: int = HISTORY_LIMIT
) -> tuple[list[HelpMessage], int]:
    """The last `limit` messages in order, and how many there are in all."""
    total = await session.scalar(
        select(func.count()).select_from(HelpMessage).where(HelpMessage.request_id == request_id)
    )
    latest = list(
        await session.scalars(
            select(HelpMessage)
            .where(HelpMessage.request_id == request_id)
            .order_by(HelpMessage.id.desc())
            .limit(limit)
        )
    )
    return list(reversed(latest)), int(total or 0)


async def open_threads(
    session: AsyncSession, organisation_id: int, memberships: list[Membership]
) -> list[Thread]:
    """Open requests of the organisation the actor takes part in, oldest first."""
    own = [
        m.id
        for m in memberships
        if m.status == MembershipStatus.ACTIVE and m.organisation_id == organisation_id
    ]
    if not own:
        return []
    desk_ids = {p.membership_id for p in await desk(session, organisation_id)}
    on_desk = bool(desk_ids & set(own))
    requests = list(
        await session.scalars(
            select(HelpRequest)
            .where(
                HelpRequest.organisation_id == organisation_id,
                HelpRequest.status == HelpStatus.OPEN,
                or_(
                    HelpRequest.mentee_membership_id.in_(own),
                    HelpRequest.helper_membership_id.in_(own),
                    HelpRequest.escalated_at.is_not(None) if on_desk else false(),
                ),
            )
            .order_by(HelpRequest.created_at, HelpRequest.id)
            .limit(LIST_LIMIT)
        )
    )
    mentees = await people(session, [r.mentee_membership_id for r in requests])
    return [Thread(r, mentees.get(r.mentee_membership_id)) for r in requests]


async def thread_access(session: AsyncSession, actor: Actor, request_id: int) -> Access | None:
    """The person's place in the request, or None: the check behind every step."""
    return await access(session, request_id, actor.user.id if actor.user else None)


async def answerable(session: AsyncSession, actor: Actor, replying: bool = True) -> list[Thread]:
    """Open threads of the person; `replying`: only those they answer in (not their own)."""
    if actor.organisation is None:
        return []
    own = {membership.id for membership in actor.memberships} if replying else set()
    threads = await open_threads(session, actor.organisation.id, actor.memberships)
    return [thread for thread in threads if thread.request.mentee_membership_id not in own]
