"""Forming pairs and groups: the curator proposes, the participants consent, the head approves.

Every step re-reads and re-checks what it acts on (organisation, role, status, capacity, term),
because the ids come from callback data that a client can forge. Pair rows are locked while they
change, so two people answering at once cannot leave a pair half-decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import lifecycle, programmes, rules
from bot.services.errors import UserFacingError, unless_refused
from bot.services.pages import page_bounds
from bot.services.pair_members import (
    Contact,
    check_mentor,
    contacts,
    locked_pair,
    mentee_ids_of,
    own_membership_ids,
    role_holders,
)
from bot.services.people import Actor
from models import (
    Membership,
    MembershipStatus,
    Pair,
    PairConfirmation,
    PairEvent,
    PairMentee,
    PairStatus,
    Profile,
    Programme,
    Role,
)
from models.enums import LIVE_PAIR_STATUSES

PAGE_SIZE = 8
MAX_REASON = 500
MAX_ORDER = 100  # Pair.approval_order


# --- picking mentees ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MenteeRow:
    membership_id: int
    full_name: str | None
    started_on: date | None
    days_left: int | None  # to the 30-day deadline; negative when overdue
    has_pair: bool
    had_mentor: bool = False  # a pair of theirs was approved once: the 30-day rule was met


@dataclass(frozen=True)
class MenteePage:
    rows: list[MenteeRow]
    page: int
    pages: int
    total: int


async def mentee_page(
    session: AsyncSession, organisation_id: int, today: date, number: int
) -> MenteePage:
    """Mentees to pair: those without a mentor first, the closest 30-day deadline first."""
    has_pair = exists().where(
        PairMentee.mentee_membership_id == Membership.id,
        PairMentee.pair_id == Pair.id,
        Pair.status.in_(LIVE_PAIR_STATUSES),
    )
    had_mentor = exists().where(
        PairMentee.mentee_membership_id == Membership.id,
        PairMentee.pair_id == Pair.id,
        Pair.approved_at.is_not(None),
    )
    conditions = (
        Membership.organisation_id == organisation_id,
        Membership.role == Role.MENTEE,
        Membership.status == MembershipStatus.ACTIVE,
    )
    total = await session.scalar(select(func.count(Membership.id)).where(*conditions)) or 0
    pages, number = page_bounds(total, number, PAGE_SIZE)
    rows = await session.execute(
        select(
            Membership.id,
            Profile.full_name,
            Profile.started_on,
            has_pair.label("has_pair"),
            had_mentor.label("had_mentor"),
        )
        .outerjoin(Profile, Profile.membership_id == Membership.id)
        .where(*conditions)
        .order_by(
            case((has_pair, 1), else_=0),
            case((Profile.started_on.is_(None), 1), else_=0),
            Profile.started_on,
            Profile.full_name,
            Membership.id,
        )
        .offset(number * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    return MenteePage(
        rows=[
            MenteeRow(
                membership_id=row.id,
                full_name=row.full_name,
                started_on=row.started_on,
                days_left=rules.days_to_mentor_deadline(row.started_on, today),
                has_pair=bool(row.has_pair),
                had_mentor=bool(row.had_mentor),
            )
            for row in rows
        ],
        page=number,
        pages=pages,
        total=total,
    )


async def check_mentee(session: AsyncSession, organisation_id: int, mentee_id: int) -> Contact:
    """A mentee of this organisation, active, not yet in a live pair."""
    membership = await session.get(Membership, mentee_id)
    if (
        membership is None
        or membership.organisation_id != organisation_id
        or membership.role != Role.MENTEE
        or membership.status != MembershipStatus.ACTIVE
    ):
        raise UserFacingError("error-not-found")
    contact = (await contacts(session, [mentee_id]))[mentee_id]
    busy = await session.scalar(
        select(Pair.id)
        .join(PairMentee, PairMentee.pair_id == Pair.id)
        .where(PairMentee.mentee_membership_id == mentee_id, Pair.status.in_(LIVE_PAIR_STATUSES))
        .limit(1)
    )
    if busy:
        raise UserFacingError("pair-mentee-has-pair", name=contact.full_name or "—")
    return contact


def check_group_size(count: int) -> None:
    if count < 1:
        raise UserFacingError("pair-pick-mentee")
    if count > rules.MAX_MENTEES_PER_MENTOR:
        raise UserFacingError("pair-group-limit", limit=rules.MAX_MENTEES_PER_MENTOR)


async def check_mentees(
    session: AsyncSession, organisation_id: int, mentee_ids: list[int]
) -> list[Contact]:
    check_group_size(len(set(mentee_ids)))
    return [await check_mentee(session, organisation_id, i) for i in dict.fromkeys(mentee_ids)]


# --- forms and term ----------------------------------------------------------------------------


def check_forms(forms: list[str], mentee_count: int) -> list[str]:
    """Known forms, at least one, in FORMS order. A group is two mentees or more, and two
    mentees or more are a group whatever else is chosen."""
    if not set(forms) <= set(rules.FORMS):
        raise UserFacingError("error-stale-button")
    if not forms:
        raise UserFacingError("pair-pick-form")
    if "group" in forms and mentee_count < 2:
        raise UserFacingError("pair-group-needs-two")
    chosen = set(forms) | ({"group"} if mentee_count > 1 else set())
    return [form for form in rules.FORMS if form in chosen]


def check_start(starts_on: date, today: date) -> None:
    if starts_on < today:
        raise UserFacingError("pair-start-in-past")
    if starts_on > rules.add_months(today, rules.MAX_TERM_MONTHS):
        raise UserFacingError("pair-start-too-far")


def parse_date(text: str) -> date:
    """DD.MM.YYYY, as people write dates here."""
    try:
        return datetime.strptime(text.strip(), "%d.%m.%Y").date()
    except ValueError:
        raise UserFacingError("error-date") from None


# --- proposing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    mentor_id: int
    mentee_ids: list[int]
    forms: list[str]
    starts_on: date
    ends_on: date


async def propose(
    session: AsyncSession,
    organisation_id: int,
    proposal: Proposal,
    *,
    curator_membership_id: int | None,
    today: date,
    now: datetime,
) -> Pair:
    """Check everything once more and store the pair as PROPOSED, waiting for consents."""
    mentees = await check_mentees(session, organisation_id, proposal.mentee_ids)
    forms = check_forms(proposal.forms, len(mentees))
    check_start(proposal.starts_on, today)
    rules.check_term(proposal.starts_on, proposal.ends_on)
    chosen = [mentee.membership_id for mentee in mentees]
    await check_mentor(session, organisation_id, proposal.mentor_id, chosen, lock=True)
    pair = Pair(
        organisation_id=organisation_id,
        mentor_membership_id=proposal.mentor_id,
        status=PairStatus.PROPOSED,
        forms=forms,
        starts_on=proposal.starts_on,
        ends_on=proposal.ends_on,
        created_by_membership_id=curator_membership_id,
        created_at=now,
    )
    session.add(pair)
    await session.flush()
    session.add_all(
        PairMentee(pair_id=pair.id, mentee_membership_id=mentee.membership_id)
        for mentee in mentees
    )
    lifecycle.record(
        session,
        pair,
        "proposed",
        curator_membership_id,
        now,
        details={"mentees": [m.membership_id for m in mentees], "forms": forms},
    )
    await session.flush()
    return pair


# --- consents ----------------------------------------------------------------------------------


async def _answering(
    session: AsyncSession, pair_id: int, membership_ids: list[int]
) -> tuple[Pair, int]:
    """The proposed pair and which of the actor's memberships answers for it."""
    pair = await locked_pair(session, pair_id)
    if pair is None:
        raise UserFacingError("error-not-found")
    mentees = await mentee_ids_of(session, pair.id)
    mine = [i for i in [pair.mentor_membership_id, *mentees] if i in membership_ids]
    if not mine:
        raise UserFacingError("error-not-found")
    answered = await session.scalar(
        select(PairConfirmation).where(
            PairConfirmation.pair_id == pair.id, PairConfirmation.membership_id == mine[0]
        )
    )
    if answered is not None:
        key = "pair-already-confirmed" if answered.accepted else "pair-already-declined"
        raise UserFacingError(key)
    if pair.status != PairStatus.PROPOSED:
        raise UserFacingError("pair-no-longer-proposed")
    return pair, mine[0]


async def check_can_answer(session: AsyncSession, pair_id: int, membership_ids: list[int]) -> Pair:
    return (await _answering(session, pair_id, membership_ids))[0]


async def has_head(session: AsyncSession, organisation_id: int) -> bool:
    return bool(await role_holders(session, organisation_id, Role.HEAD))


async def confirm(
    session: AsyncSession,
    pair_id: int,
    membership_ids: list[int],
    *,
    now: datetime,
) -> Pair:
    """A participant's written consent. The last one moves the pair on: to the head, or active."""
    pair, member = await _answering(session, pair_id, membership_ids)
    session.add(
        PairConfirmation(pair_id=pair.id, membership_id=member, accepted=True, decided_at=now)
    )
    lifecycle.record(session, pair, "confirmed", member, now)
    await session.flush()
    await move_on_when_all_consented(session, pair, now)
    return pair


async def move_on_when_all_consented(session: AsyncSession, pair: Pair, now: datetime) -> bool:
    """A proposed pair whose every participant has consented goes on: to the head, or active
    where there is none. Called after each consent, and after a mentee left a proposed group
    (the others may all have consented already). True when it moved on."""
    if pair.status != PairStatus.PROPOSED:
        return False
    everyone = {pair.mentor_membership_id, *await mentee_ids_of(session, pair.id)}
    accepted = set(
        await session.scalars(
            select(PairConfirmation.membership_id).where(
                PairConfirmation.pair_id == pair.id, PairConfirmation.accepted.is_(True)
            )
        )
    )
    if not everyone <= accepted:
        return False
    if await has_head(session, pair.organisation_id):
        pair.status = PairStatus.AWAITING_APPROVAL
        lifecycle.record(session, pair, "awaiting_approval", None, now)
    else:
        await lifecycle.activate(session, pair, actor_membership_id=None, now=now)
    return True


def clean_reason(text: str) -> str:
    reason = " ".join(text.split())
    if not reason:
        raise UserFacingError("error-text-empty")
    if len(reason) > MAX_REASON:
        raise UserFacingError("error-text-too-long", length=len(reason), limit=MAX_REASON)
    return reason


async def decline(
    session: AsyncSession,
    pair_id: int,
    membership_ids: list[int],
    reason: str,
    *,
    now: datetime,
) -> Pair:
    """A participant refuses with a reason: the pair is refused and frees its places."""
    pair, member = await _answering(session, pair_id, membership_ids)
    reason = clean_reason(reason)
    session.add(
        PairConfirmation(
            pair_id=pair.id, membership_id=member, accepted=False, reason=reason, decided_at=now
        )
    )
    pair.status = PairStatus.REFUSED
    pair.ended_at = now
    pair.end_reason = "declined"
    lifecycle.record(session, pair, "declined", member, now, note=reason)
    await session.flush()
    return pair


# --- the head's approval -----------------------------------------------------------------------


async def awaiting_pair(session: AsyncSession, pair_id: int, organisation_id: int) -> Pair:
    pair = await locked_pair(session, pair_id)
    if pair is None or pair.organisation_id != organisation_id:
        raise UserFacingError("error-not-found")
    if pair.status != PairStatus.AWAITING_APPROVAL:
        raise UserFacingError("pair-already-decided")
    return pair


def clean_order(text: str) -> str:
    order = " ".join(text.split())
    if not order:
        raise UserFacingError("error-text-empty")
    if len(order) > MAX_ORDER:
        raise UserFacingError("error-text-too-long", length=len(order), limit=MAX_ORDER)
    return order


async def approve(
    session: AsyncSession,
    pair_id: int,
    organisation_id: int,
    head_membership_id: int,
    order: str | None,
    *,
    now: datetime,
) -> Pair:
    """The head approves (optionally naming the order); the pair becomes active."""
    pair = await awaiting_pair(session, pair_id, organisation_id)
    pair.approval_order = clean_order(order) if order is not None else None
    pair.approved_at = now
    lifecycle.record(session, pair, "approved", head_membership_id, now, note=pair.approval_order)
    await lifecycle.activate(session, pair, actor_membership_id=head_membership_id, now=now)
    return pair


async def reject(
    session: AsyncSession,
    pair_id: int,
    organisation_id: int,
    head_membership_id: int,
    reason: str,
    *,
    now: datetime,
) -> Pair:
    pair = await awaiting_pair(session, pair_id, organisation_id)
    reason = clean_reason(reason)
    pair.status = PairStatus.REFUSED
    pair.ended_at = now
    pair.end_reason = "rejected"
    lifecycle.record(session, pair, "rejected", head_membership_id, now, note=reason)
    await session.flush()
    return pair


# --- the curator's view ------------------------------------------------------------------------

STATUS_ORDER = (
    PairStatus.AWAITING_APPROVAL,
    PairStatus.PROPOSED,
    PairStatus.ACTIVE,
    PairStatus.COMPLETED,
    PairStatus.ENDED_EARLY,
    PairStatus.REFUSED,
)


@dataclass(frozen=True)
class PairRow:
    pair: Pair
    mentor_name: str | None
    mentee_names: list[str | None]
    programme_status: str | None  # models.ProgrammeStatus, or None without a programme


@dataclass(frozen=True)
class PairsPage:
    rows: list[PairRow]
    page: int
    pages: int
    total: int


async def describe(session: AsyncSession, pairs: list[Pair]) -> list[PairRow]:
    """Names and the programme's state for each pair, in three queries whatever the count."""
    ids = [pair.id for pair in pairs]
    links = (
        await session.execute(
            select(PairMentee.pair_id, PairMentee.mentee_membership_id)
            .where(PairMentee.pair_id.in_(ids))
            .order_by(PairMentee.mentee_membership_id)
        )
    ).all()
    people = {pair.mentor_membership_id for pair in pairs} | {link[1] for link in links}
    names = dict(
        (
            await session.execute(
                select(Profile.membership_id, Profile.full_name).where(
                    Profile.membership_id.in_(people)
                )
            )
        ).all()
    )
    programmes = dict(
        (
            await session.execute(
                select(Programme.pair_id, Programme.status).where(Programme.pair_id.in_(ids))
            )
        ).all()
    )
    return [
        PairRow(
            pair=pair,
            mentor_name=names.get(pair.mentor_membership_id),
            mentee_names=[names.get(mentee) for pid, mentee in links if pid == pair.id],
            programme_status=programmes.get(pair.id),
        )
        for pair in pairs
    ]


async def pairs_page(session: AsyncSession, organisation_id: int, number: int) -> PairsPage:
    """The organisation's pairs: those waiting for a decision first, then active, then past."""
    total = (
        await session.scalar(
            select(func.count(Pair.id)).where(Pair.organisation_id == organisation_id)
        )
        or 0
    )
    pages, number = page_bounds(total, number, PAGE_SIZE)
    order = case(
        {status.value: index for index, status in enumerate(STATUS_ORDER)},
        value=Pair.status,
        else_=len(STATUS_ORDER),
    )
    pairs = list(
        await session.scalars(
            select(Pair)
            .where(Pair.organisation_id == organisation_id)
            .order_by(order, Pair.id.desc())
            .offset(number * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
    )
    return PairsPage(await describe(session, pairs), number, pages, total)


async def desk_pair(session: AsyncSession, actor: Actor, pair_id: int) -> PairRow | None:
    """A pair of the desk's own organisation (the head reads it too), for `dialog_kit.owned`."""
    organisation = actor.desk_organisation()
    if organisation is None:
        return None
    pair = await session.get(Pair, pair_id)
    if pair is None or pair.organisation_id != organisation.id:
        return None
    return (await describe(session, [pair]))[0]


async def history(session: AsyncSession, pair_id: int) -> list[PairEvent]:
    return list(
        await session.scalars(
            select(PairEvent).where(PairEvent.pair_id == pair_id).order_by(PairEvent.id)
        )
    )


# The history names the participant who answered, and (a group has several) the mentee who
# read the programme or asked to change it.
WHO_MATTERS = ("confirmed", "declined", programmes.EVENT_ACKNOWLEDGED, programmes.EVENT_CHANGES)


def named_in(events: list[PairEvent]) -> list[int]:
    """The memberships a pair's history names: who answered, which mentor replaced which."""
    swaps = [e.details for e in events if e.kind == "mentor_replaced"]
    replaced = (details.get(side) for details in swaps for side in ("from", "to"))
    answered = (e.actor_membership_id for e in events if e.kind in WHO_MATTERS)
    return [person for person in (*replaced, *answered) if isinstance(person, int)]


# --- the pair a button names, when it is the person's to answer (`dialog_kit.owned`) -----------


async def own_ids(session: AsyncSession, actor: Actor) -> list[int]:
    return await own_membership_ids(session, actor.user.id) if actor.user else []


async def pair_to_answer(session: AsyncSession, actor: Actor, pair_id: int) -> Pair | None:
    """A proposed pair the person belongs to and has not answered yet."""
    return await unless_refused(check_can_answer(session, pair_id, await own_ids(session, actor)))


async def pair_to_approve(session: AsyncSession, actor: Actor, pair_id: int) -> Pair | None:
    """A pair of the head's organisation waiting for the head's decision."""
    if actor.organisation is None or actor.membership(Role.HEAD) is None:
        return None
    return await unless_refused(awaiting_pair(session, pair_id, actor.organisation.id))


def head_of(actor: Actor) -> tuple[int, int]:
    """The head's organisation and membership, as `approve` and `reject` take them."""
    head = actor.membership(Role.HEAD)
    return (actor.organisation.id if actor.organisation else 0), (head.id if head else 0)
