"""The organisation's yearly roadmap: the 7 stages of the seeds' template (domain.md, seed 001),
each with its actions, a deadline, a responsible person (anyone of the organisation) and a done
mark. handlers/roadmap.py is its dialog (/roadmap); bot/jobs/deadlines.py reminds.

A roadmap belongs to a school year, named by its first calendar year (2026 is 2026/27): from
1 September to 31 August."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import UserFacingError
from bot.services.pages import read_page
from models import (
    LARGEST_ID,
    Membership,
    MembershipStatus,
    Profile,
    RoadmapApproval,
    RoadmapStage,
    Role,
    User,
)

# The template's stages in order, as seeds 001 and 004 number them (6: completing the programmes,
# in May; 7: information support, all year): names are Fluent texts deadline-stage-<code>, the
# template's actions roadmap-template-<code> (handlers/roadmap.py fills them in at set-up).
STAGES = (
    "preparation",
    "mentee_bank",
    "mentor_bank",
    "mentor_training",
    "pairs",
    "completion",
    "information",
)
# Codes of earlier templates that years already set up may still hold (their names are kept).
RETIRED_STAGES = ("work_in_pairs",)


ACTIONS_LIMIT = 1500  # a stage's actions: a few paragraphs, well within one message


def school_year(today: date) -> int:
    """The school year `today` falls in, by its first calendar year."""
    return today.year if today.month >= 9 else today.year - 1


def years_offered(today: date) -> range:
    """The school years the desk may open: two back, and the next one, to plan it."""
    current = school_year(today)
    return range(current - 2, current + 2)


def year_bounds(year: int) -> tuple[date, date]:
    """The first and last day of the school year: a stage's deadline falls between them."""
    return date(year, 9, 1), date(year + 1, 8, 31)


async def set_up(
    session: AsyncSession,
    organisation_id: int,
    year: int,
    now: datetime,
    actions: Mapping[str, str] | None = None,
) -> list[RoadmapStage]:
    """The year's seven stages, made once (those already there are kept); a new stage's
    actions come from `actions` by its code (the template, in the curator's language)."""
    have = {
        stage.position: stage
        for stage in await session.scalars(
            select(RoadmapStage).where(
                RoadmapStage.organisation_id == organisation_id, RoadmapStage.year == year
            )
        )
    }
    for position, code in enumerate(STAGES, start=1):
        if position not in have:
            have[position] = RoadmapStage(
                organisation_id=organisation_id,
                year=year,
                position=position,
                code=code,
                actions=(actions or {}).get(code),
                updated_at=now,
            )
            session.add(have[position])
    await session.flush()
    return [have[position] for position in sorted(have)]


async def plan_stage(
    session: AsyncSession,
    stage: RoadmapStage,
    *,
    due_on: date | None,
    responsible_membership_id: int | None,
    now: datetime,
) -> None:
    """A stage's deadline and responsible person (an active member of the organisation)."""
    if responsible_membership_id is not None:
        found = await session.scalar(
            select(Membership.id).where(
                Membership.id == responsible_membership_id,
                Membership.organisation_id == stage.organisation_id,
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
        if found is None:
            raise UserFacingError("deadline-roadmap-not-a-member")
    stage.due_on = due_on
    stage.responsible_membership_id = responsible_membership_id
    stage.updated_at = now


def mark_done(stage: RoadmapStage, done: bool, now: datetime) -> None:
    """Done stops its reminders. Progress, not a change of the plan: the approval holds."""
    stage.done_at = now if done else None


def set_actions(stage: RoadmapStage, actions: str, now: datetime) -> None:
    """A stage's actions, as the curator wrote them (bounded: one message must hold them)."""
    text = actions.strip()
    if not 0 < len(text) <= ACTIONS_LIMIT:
        raise UserFacingError("input-text-length", min=1, max=ACTIONS_LIMIT)
    stage.actions = text
    stage.updated_at = now


# --- the head's approval -------------------------------------------------------------------------


async def approve(
    session: AsyncSession, organisation_id: int, year: int, membership_id: int, now: datetime
) -> bool:
    """The head approves the year's roadmap as it stands now (again, after a change); False
    when there is nothing to approve, or it stands approved already (a double tap)."""
    stages = await stages_of(session, organisation_id, year)
    if not stages or await approved_at(session, organisation_id, year, stages):
        return False
    approval = await session.get(RoadmapApproval, (organisation_id, year))
    if approval is None:
        approval = RoadmapApproval(organisation_id=organisation_id, year=year, approved_at=now)
        session.add(approval)
    approval.approver_membership_id = membership_id
    approval.approved_at = now
    return True


async def approved_at(
    session: AsyncSession, organisation_id: int, year: int, stages: list[RoadmapStage]
) -> datetime | None:
    """When the head approved the roadmap, if no stage's plan has changed since."""
    approval = await session.get(RoadmapApproval, (organisation_id, year))
    if approval is None or not stages:
        return None
    changed = max(stage.updated_at for stage in stages)
    return approval.approved_at if approval.approved_at >= changed else None


# --- reading -------------------------------------------------------------------------------------

DONE, OVERDUE, DUE, OPEN = "done", "overdue", "due", "open"  # a stage's state on a day
STATES = (DONE, OVERDUE, DUE, OPEN)


def state_of(stage: RoadmapStage, today: date) -> str:
    if stage.done_at is not None:
        return DONE
    if stage.due_on is None:
        return OPEN
    return OVERDUE if stage.due_on < today else DUE


@dataclass(frozen=True)
class Member:
    """Someone of the organisation who may be responsible for a stage."""

    membership_id: int
    role: Role
    name: str | None


async def stages_of(session: AsyncSession, organisation_id: int, year: int) -> list[RoadmapStage]:
    """The year's stages in order."""
    stages = await session.scalars(
        select(RoadmapStage)
        .where(RoadmapStage.organisation_id == organisation_id, RoadmapStage.year == year)
        .order_by(RoadmapStage.position)
    )
    return list(stages)


def _people(organisation_id: int) -> Select[int, str, str | None]:
    """Who may be responsible: the organisation's active members (those who keep their
    consent), one row per person (their first role, a named one first), by name."""
    first = (
        func.row_number()
        .over(
            partition_by=Membership.user_id,
            order_by=(Profile.full_name.is_(None), Membership.id),
        )
        .label("first")
    )
    ranked = (
        select(
            Membership.id.label("membership_id"),
            Membership.role.label("role"),
            Profile.full_name.label("name"),
            first,
        )
        .outerjoin(Profile, Profile.membership_id == Membership.id)
        .where(
            Membership.organisation_id == organisation_id,
            Membership.status == MembershipStatus.ACTIVE,
        )
        .subquery()
    )
    return select(ranked.c.membership_id, ranked.c.role, ranked.c.name).where(ranked.c.first == 1)


def _by_name(query: Select[int, str, str | None]) -> Select[int, str, str | None]:
    people = query.selected_columns
    return query.order_by(people.name.is_(None), people.name, people.membership_id)


async def members(session: AsyncSession, organisation_id: int) -> list[Member]:
    """Every person who may be responsible (see `_people`), by name."""
    rows = await session.execute(_by_name(_people(organisation_id)))
    return [Member(membership_id, Role(role), name) for membership_id, role, name in rows]


async def members_page(
    session: AsyncSession, organisation_id: int, number: int, size: int
) -> tuple[list[Member], int]:
    """One page of `members` (a region has thousands) and how many pages there are."""
    rows, pages = await read_page(session, _by_name(_people(organisation_id)), number, size)
    return [Member(membership_id, Role(role), name) for membership_id, role, name in rows], pages


async def member(
    session: AsyncSession, organisation_id: int, membership_id: int | None
) -> Member | None:
    """One active member of the organisation (a stage's responsible person), with the name."""
    if membership_id is None:
        return None
    row = (
        await session.execute(
            select(Membership.role, Profile.full_name)
            .outerjoin(Profile, Profile.membership_id == Membership.id)
            .where(
                Membership.id == membership_id,
                Membership.organisation_id == organisation_id,
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
    ).first()
    return Member(membership_id, Role(row[0]), row[1]) if row is not None else None


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    next_due: RoadmapStage | None  # the nearest open deadline from today on
    overdue: list[RoadmapStage]


def progress(stages: list[RoadmapStage], today: date) -> Progress:
    """Where the year stands on `today`."""
    states = [(stage, state_of(stage, today)) for stage in stages]
    upcoming = [stage for stage, state in states if state == DUE]
    return Progress(
        done=sum(state == DONE for _, state in states),
        total=len(stages),
        next_due=min(upcoming, key=lambda s: (s.due_on, s.position), default=None),
        overdue=[stage for stage, state in states if state == OVERDUE],
    )


async def may_mark(session: AsyncSession, stage: RoadmapStage, user_id: int) -> bool:
    """The stage's responsible person or a curator of its organisation may mark it done,
    whichever organisation they are working in now."""
    found = await session.scalar(
        select(Membership.id)
        .where(
            Membership.user_id == user_id,
            Membership.organisation_id == stage.organisation_id,
            Membership.status == MembershipStatus.ACTIVE,
            (Membership.role == Role.CURATOR) | (Membership.id == stage.responsible_membership_id),
        )
        .limit(1)
    )
    return found is not None


async def mark_by(
    session: AsyncSession, stage_id: int, user_id: int | None, now: datetime
) -> RoadmapStage:
    """A stage marked done from its reminder, once, by someone `may_mark` allows."""
    stage = await session.get(RoadmapStage, stage_id) if 0 < stage_id <= LARGEST_ID else None
    if stage is None or user_id is None:
        raise UserFacingError("error-stale-button")
    if not await may_mark(session, stage, user_id):
        raise UserFacingError("roadmap-not-yours")
    if stage.done_at is not None:
        raise UserFacingError("roadmap-already-done")
    mark_done(stage, True, now)
    return stage


# --- changes from the dialog ---------------------------------------------------------------------


def set_deadline(stage: RoadmapStage, due_on: date | None, now: datetime) -> None:
    """A stage's deadline (None: none), within its school year."""
    first, last = year_bounds(stage.year)
    if due_on is not None and not first <= due_on <= last:
        raise UserFacingError(
            "input-date-range",
            earliest=first.strftime("%d.%m.%Y"),
            latest=last.strftime("%d.%m.%Y"),
        )
    stage.due_on = due_on
    stage.updated_at = now


async def set_responsible(
    session: AsyncSession, stage: RoadmapStage, membership_id: int | None, now: datetime
) -> None:
    """Who is responsible (None: nobody): an active member of the stage's organisation."""
    await plan_stage(
        session, stage, due_on=stage.due_on, responsible_membership_id=membership_id, now=now
    )


async def is_responsible_for_any(
    session: AsyncSession, organisation_id: int, membership_ids: set[int]
) -> bool:
    """Whether any of these memberships is responsible for a stage of the organisation."""
    if not membership_ids:
        return False
    found = await session.scalar(
        select(RoadmapStage.id)
        .where(
            RoadmapStage.organisation_id == organisation_id,
            RoadmapStage.responsible_membership_id.in_(sorted(membership_ids)),
        )
        .limit(1)
    )
    return found is not None


@dataclass(frozen=True)
class Contact:
    telegram_id: int
    language: str | None


async def curators(session: AsyncSession, organisation_id: int) -> list[Contact]:
    """The organisation's curators, to be told when someone marks a stage done."""
    rows = await session.execute(
        select(User.telegram_id, User.language)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organisation_id == organisation_id,
            Membership.role == Role.CURATOR,
            Membership.status == MembershipStatus.ACTIVE,
        )
        .order_by(User.telegram_id)
    )
    return [Contact(telegram_id, language) for telegram_id, language in rows]


async def name_in(session: AsyncSession, organisation_id: int, user_id: int) -> str | None:
    """A person's name in an organisation (from any of their profiles there), if they gave one."""
    name: str | None = await session.scalar(
        select(Profile.full_name)
        .join(Membership, Membership.id == Profile.membership_id)
        .where(
            Membership.organisation_id == organisation_id,
            Membership.user_id == user_id,
            Membership.status == MembershipStatus.ACTIVE,
            Profile.full_name.is_not(None),
        )
        .limit(1)
    )
    return name
