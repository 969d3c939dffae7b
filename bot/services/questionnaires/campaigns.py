"""Campaigns: a questionnaire sent to an audience with a deadline, completion, reminders.

Monitoring stage 2 runs without the curator: `on_pair_activated` and `on_programme_ended`
(called by the pair lifecycle) put the impact questionnaire before both sides of a pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import UserFacingError
from bot.services.pages import page_bounds, read_page
from bot.services.people import Actor
from bot.services.questionnaires.loader import builtin
from bot.services.questionnaires.schema import Purpose, Questionnaire
from bot.services.questionnaires.versions import current_row, definition_of
from models import (
    CampaignPurpose,
    Membership,
    MembershipStatus,
    Organisation,
    Pair,
    PairMentee,
    PairStatus,
    Phase,
    Profile,
    QuestionnaireVersion,
    ResponseStatus,
    Role,
    SurveyAnswer,
    SurveyCampaign,
    SurveyResponse,
    User,
)
from models.questionnaires import OPEN_STATUSES

IMPACT_CODE = "impact"
IMPACT_ANSWER_DAYS = 30  # time to fill the before or after questionnaire
REMIND_EVERY = timedelta(hours=20)  # one reminder a day at most, at any hour the curator likes
LONGEST_DEADLINE_DAYS = 366
PAGE_SIZE = 6


class AudienceKind(StrEnum):
    ROLE = "role"
    PAIRS = "pairs"  # the mentors and mentees of active pairs
    PEOPLE = "people"  # named people


@dataclass(frozen=True)
class Audience:
    kind: AudienceKind
    role: Role | None = None
    membership_ids: tuple[int, ...] = ()

    def describe(self, count: int) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "role": self.role.value if self.role else None,
            "count": count,
        }


# --- who is in an audience -------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    membership_id: int
    user_id: int
    role: Role
    name: str | None


def _active(organisation_id: int) -> Select[int, int, str, str | None]:
    return (
        select(Membership.id, Membership.user_id, Membership.role, Profile.full_name)
        .outerjoin(Profile, Profile.membership_id == Membership.id)
        .where(
            Membership.organisation_id == organisation_id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )


async def members(session: AsyncSession, organisation_id: int) -> list[Member]:
    """Active members of an organisation by name, one row per role they hold."""
    rows = await session.execute(
        _active(organisation_id).order_by(Profile.full_name, Membership.id)
    )
    return [Member(mid, uid, Role(role), name) for mid, uid, role, name in rows]


async def members_page(
    session: AsyncSession, organisation_id: int, number: int, size: int
) -> tuple[list[Member], int]:
    """One page of `members` (a region has thousands to tick from) and how many there are."""
    query = _active(organisation_id).order_by(Profile.full_name, Membership.id)
    rows, pages = await read_page(session, query, number, size)
    return [Member(mid, uid, Role(role), name) for mid, uid, role, name in rows], pages


async def active_member_ids(
    session: AsyncSession, organisation_id: int, membership_ids: list[int]
) -> set[int]:
    """Which of these memberships are active members of the organisation (ticked ones)."""
    if not membership_ids:
        return set()
    found = await session.scalars(
        select(Membership.id).where(
            Membership.id.in_(sorted(set(membership_ids))),
            Membership.organisation_id == organisation_id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    return set(found)


async def _active_pair_memberships(session: AsyncSession, organisation_id: int) -> set[int]:
    active = (Pair.organisation_id == organisation_id) & (Pair.status == PairStatus.ACTIVE)
    mentors = await session.scalars(select(Pair.mentor_membership_id).where(active))
    mentees = await session.scalars(
        select(PairMentee.mentee_membership_id)
        .join(Pair, Pair.id == PairMentee.pair_id)
        .where(active)
    )
    return set(mentors) | set(mentees)


async def audience_members(
    session: AsyncSession, organisation_id: int, audience: Audience
) -> list[Member]:
    """The memberships an audience reaches: active ones of this organisation, one per person."""
    everyone = await members(session, organisation_id)
    if audience.kind is AudienceKind.ROLE:
        chosen = [m for m in everyone if m.role == audience.role]
    elif audience.kind is AudienceKind.PAIRS:
        in_pairs = await _active_pair_memberships(session, organisation_id)
        chosen = [m for m in everyone if m.membership_id in in_pairs]
    else:
        wanted = set(audience.membership_ids)
        chosen = [m for m in everyone if m.membership_id in wanted]
    seen: set[int] = set()
    unique = []
    for member in chosen:
        if member.user_id not in seen:
            seen.add(member.user_id)
            unique.append(member)
    return unique


async def audience_sizes(
    session: AsyncSession, organisation_id: int, roles: tuple[Role, ...]
) -> tuple[dict[Role, int], int]:
    """How many people each role's audience reaches, and how many the active pairs'."""
    by_role = {
        role: len(
            await audience_members(
                session, organisation_id, Audience(AudienceKind.ROLE, role=role)
            )
        )
        for role in roles
    }
    pairs = await audience_members(session, organisation_id, Audience(AudienceKind.PAIRS))
    return by_role, len(pairs)


# --- launching -------------------------------------------------------------------------------


def deadline_at(day: date, timezone: str) -> datetime:
    """The end of `day` in the organisation's time zone, as an aware datetime."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), ZoneInfo(timezone)) - timedelta(
        seconds=1
    )


def check_deadline(deadline: datetime, now: datetime) -> datetime:
    if deadline <= now:
        raise UserFacingError("survey-error-deadline-past")
    if deadline > now + timedelta(days=LONGEST_DEADLINE_DAYS):
        raise UserFacingError("survey-error-deadline-far", days=LONGEST_DEADLINE_DAYS)
    return deadline


def launchable() -> list[Questionnaire]:
    """Questionnaires the curator sends by hand (stage 2 goes out by itself)."""
    return [q for q in builtin().values() if q.purpose is not Purpose.IMPACT]


async def launch(
    session: AsyncSession,
    *,
    organisation_id: int,
    code: str,
    audience: Audience,
    deadline: datetime,
    created_by_membership_id: int | None,
    now: datetime,
) -> tuple[SurveyCampaign, list[SurveyResponse]]:
    if code not in {q.id for q in launchable()}:
        raise UserFacingError("survey-error-unknown-questionnaire")
    check_deadline(deadline, now)
    reached = await audience_members(session, organisation_id, audience)
    if not reached:
        raise UserFacingError("survey-error-audience-empty")
    version = await current_row(session, code, now)
    campaign = SurveyCampaign(
        organisation_id=organisation_id,
        questionnaire_version_id=version.id,
        purpose=CampaignPurpose.MANUAL,
        audience=audience.describe(len(reached)),
        deadline=deadline,
        created_by_membership_id=created_by_membership_id,
        created_at=now,
    )
    session.add(campaign)
    await session.flush()
    responses = [
        SurveyResponse(
            campaign_id=campaign.id,
            membership_id=member.membership_id,
            questionnaire_version_id=version.id,
            version=version.version,
            phase=Phase.ONCE,
            status=ResponseStatus.ASSIGNED,
            due_at=deadline,
            created_at=now,
            reminders=0,
        )
        for member in reached
    ]
    session.add_all(responses)
    await session.flush()
    return campaign, responses


# --- monitoring stage 2 ----------------------------------------------------------------------


async def impact_campaign(
    session: AsyncSession, organisation_id: int, now: datetime
) -> SurveyCampaign:
    """The organisation's one standing stage-2 campaign, made on first use."""
    version = await current_row(session, IMPACT_CODE, now)
    campaign = await session.scalar(
        select(SurveyCampaign)
        .where(
            SurveyCampaign.organisation_id == organisation_id,
            SurveyCampaign.purpose == CampaignPurpose.IMPACT,
        )
        .order_by(SurveyCampaign.id)
        .limit(1)
    )
    if campaign is None:
        campaign = SurveyCampaign(
            organisation_id=organisation_id,
            questionnaire_version_id=version.id,
            purpose=CampaignPurpose.IMPACT,
            audience={"kind": AudienceKind.PAIRS.value, "role": None, "count": 0},
            deadline=None,
            created_at=now,
        )
        session.add(campaign)
        await session.flush()
    else:
        campaign.questionnaire_version_id = version.id  # results read the newest wording
    return campaign


async def _pair_participants(session: AsyncSession, pair: Pair) -> list[int]:
    mentees = await session.scalars(
        select(PairMentee.mentee_membership_id).where(PairMentee.pair_id == pair.id)
    )
    wanted = [pair.mentor_membership_id, *mentees]
    active = set(
        await session.scalars(
            select(Membership.id).where(
                Membership.id.in_(wanted), Membership.status == MembershipStatus.ACTIVE
            )
        )
    )
    return [membership_id for membership_id in dict.fromkeys(wanted) if membership_id in active]


async def _assign_phase(
    session: AsyncSession, pair_id: int, phase: Phase, now: datetime
) -> list[SurveyResponse]:
    pair = await session.get(Pair, pair_id)
    if pair is None:
        return []
    campaign = await impact_campaign(session, pair.organisation_id, now)
    already = set(
        await session.scalars(
            select(SurveyResponse.membership_id).where(
                SurveyResponse.campaign_id == campaign.id,
                SurveyResponse.pair_id == pair.id,
                SurveyResponse.phase == phase,
            )
        )
    )
    version = await session.get(QuestionnaireVersion, campaign.questionnaire_version_id)
    assert version is not None
    created = [
        SurveyResponse(
            campaign_id=campaign.id,
            membership_id=membership_id,
            questionnaire_version_id=version.id,
            version=version.version,
            phase=phase,
            pair_id=pair.id,
            status=ResponseStatus.ASSIGNED,
            due_at=now + timedelta(days=IMPACT_ANSWER_DAYS),
            created_at=now,
            reminders=0,
        )
        for membership_id in await _pair_participants(session, pair)
        if membership_id not in already
    ]
    session.add_all(created)
    await session.flush()
    return created


async def on_pair_activated(
    session: AsyncSession, pair_id: int, now: datetime
) -> list[SurveyResponse]:
    """Stage 2 "before": the impact questionnaire for the mentor and each mentee of the pair.

    Idempotent: people who already have it for this pair get nothing new. Returns the new
    assignments; hand them to bot.survey_invite.send_survey_invitations to tell people.
    """
    return await _assign_phase(session, pair_id, Phase.BEFORE, now)


async def on_programme_ended(
    session: AsyncSession, pair_id: int, now: datetime
) -> list[SurveyResponse]:
    """Stage 2 "after", for the same people; a "before" never answered is closed.

    Idempotent like on_pair_activated, and returns the new assignments the same way.
    """
    await _close_unanswered_before(session, pair_id)
    return await _assign_phase(session, pair_id, Phase.AFTER, now)


async def _close_unanswered_before(session: AsyncSession, pair_id: int) -> None:
    open_before = await session.scalars(
        select(SurveyResponse).where(
            SurveyResponse.pair_id == pair_id,
            SurveyResponse.phase == Phase.BEFORE,
            SurveyResponse.status.in_(OPEN_STATUSES),
        )
    )
    for response in open_before:
        response.status = ResponseStatus.CLOSED
        response.current_question = None


# --- what waits for a person -----------------------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    response_id: int
    questionnaire: Questionnaire
    phase: Phase
    status: ResponseStatus
    due_at: datetime | None
    answered: int


async def waiting_for(session: AsyncSession, actor: Actor, now: datetime) -> list[Waiting]:
    """Open questionnaires of the person in their organisation, the nearest deadline first."""
    if actor.user is None or actor.organisation is None:
        return []
    answered = (
        select(func.count(func.distinct(SurveyAnswer.question_id)))
        .where(SurveyAnswer.response_id == SurveyResponse.id)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(SurveyResponse, QuestionnaireVersion, answered)
        .join(Membership, Membership.id == SurveyResponse.membership_id)
        .join(
            QuestionnaireVersion,
            QuestionnaireVersion.id == SurveyResponse.questionnaire_version_id,
        )
        .where(
            Membership.user_id == actor.user.id,
            Membership.organisation_id == actor.organisation.id,
            Membership.status == MembershipStatus.ACTIVE,
            SurveyResponse.status.in_(OPEN_STATUSES),
            (SurveyResponse.due_at.is_(None)) | (SurveyResponse.due_at >= now),
        )
        .order_by(SurveyResponse.due_at, SurveyResponse.id)
    )
    return [
        Waiting(
            response.id,
            definition_of(version),
            Phase(response.phase),
            ResponseStatus(response.status),
            response.due_at,
            int(count or 0),
        )
        for response, version, count in rows
    ]


# --- the curator's view ----------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignSummary:
    campaign: SurveyCampaign
    questionnaire: Questionnaire
    total: int
    submitted: int
    started: int
    expired: int

    @property
    def waiting(self) -> int:
        return self.total - self.submitted - self.started - self.expired


def _counts(now: datetime) -> list[Any]:
    status = SurveyResponse.status
    late = (SurveyResponse.due_at.is_not(None)) & (SurveyResponse.due_at < now)
    return [
        func.count(SurveyResponse.id),
        func.sum(case((status == ResponseStatus.SUBMITTED, 1), else_=0)),
        func.sum(case(((status == ResponseStatus.IN_PROGRESS) & ~late, 1), else_=0)),
        func.sum(case((status.in_(OPEN_STATUSES) & late, 1), else_=0)),
    ]


async def campaigns_page(
    session: AsyncSession, organisation_id: int, page: int, now: datetime
) -> tuple[list[CampaignSummary], int]:
    """The organisation's campaigns, newest first, with completion; and how many pages."""
    total = await session.scalar(
        select(func.count(SurveyCampaign.id)).where(
            SurveyCampaign.organisation_id == organisation_id
        )
    )
    pages, page = page_bounds(total or 0, page, PAGE_SIZE)
    campaigns = list(
        await session.scalars(
            select(SurveyCampaign)
            .where(SurveyCampaign.organisation_id == organisation_id)
            .order_by(SurveyCampaign.created_at.desc(), SurveyCampaign.id.desc())
            .offset(page * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
    )
    return [await summary(session, campaign, now) for campaign in campaigns], pages


async def summary(
    session: AsyncSession, campaign: SurveyCampaign, now: datetime
) -> CampaignSummary:
    row = (
        await session.execute(
            select(*_counts(now)).where(
                SurveyResponse.campaign_id == campaign.id,
                SurveyResponse.status != ResponseStatus.CLOSED,
            )
        )
    ).one()
    version = await session.get(QuestionnaireVersion, campaign.questionnaire_version_id)
    assert version is not None
    total, submitted, started, expired = (int(value or 0) for value in row)
    return CampaignSummary(campaign, definition_of(version), total, submitted, started, expired)


async def desk_campaign(
    session: AsyncSession, actor: Actor, campaign_id: int
) -> SurveyCampaign | None:
    """The loader for `owned`: a campaign of the organisation the person works at as its
    curator or head; else None."""
    organisation = actor.desk_organisation()
    if organisation is None:
        return None
    campaign = await session.get(SurveyCampaign, campaign_id)
    return campaign if campaign and campaign.organisation_id == organisation.id else None


@dataclass(frozen=True)
class CompletionRow:
    response_id: int
    name: str | None
    role: Role
    phase: Phase
    status: ResponseStatus
    late: bool


async def completion(
    session: AsyncSession, campaign: SurveyCampaign, now: datetime
) -> list[CompletionRow]:
    """Who has and has not finished (not what anyone answered)."""
    rows = await session.execute(
        select(
            SurveyResponse.id,
            Profile.full_name,
            Membership.role,
            SurveyResponse.phase,
            SurveyResponse.status,
            SurveyResponse.due_at,
        )
        .join(Membership, Membership.id == SurveyResponse.membership_id)
        .outerjoin(Profile, Profile.membership_id == Membership.id)
        .where(
            SurveyResponse.campaign_id == campaign.id,
            SurveyResponse.status != ResponseStatus.CLOSED,
        )
        .order_by(Profile.full_name, SurveyResponse.id)
    )
    return [
        CompletionRow(
            response_id,
            name,
            Role(role),
            Phase(phase),
            ResponseStatus(status),
            status != ResponseStatus.SUBMITTED and due_at is not None and due_at < now,
        )
        for response_id, name, role, phase, status, due_at in rows
    ]


async def take_reminders(
    session: AsyncSession, campaign: SurveyCampaign, now: datetime
) -> list[SurveyResponse]:
    """The open responses to remind now, marked as reminded; at most once in REMIND_EVERY."""
    if campaign.reminded_at is not None and now - campaign.reminded_at < REMIND_EVERY:
        wait = REMIND_EVERY - (now - campaign.reminded_at)
        raise UserFacingError(
            "survey-error-reminded-recently", hours=max(1, -(-int(wait.total_seconds()) // 3600))
        )
    responses = list(
        await session.scalars(
            select(SurveyResponse)
            .join(Membership, Membership.id == SurveyResponse.membership_id)
            .where(
                SurveyResponse.campaign_id == campaign.id,
                SurveyResponse.status.in_(OPEN_STATUSES),
                (SurveyResponse.due_at.is_(None)) | (SurveyResponse.due_at >= now),
                Membership.status == MembershipStatus.ACTIVE,
            )
            .order_by(SurveyResponse.id)
        )
    )
    if not responses:
        raise UserFacingError("survey-error-nobody-to-remind")
    campaign.reminded_at = now
    for response in responses:
        response.reminded_at = now
        response.reminders += 1
    return responses


# --- delivering invitations ------------------------------------------------------------------


@dataclass(frozen=True)
class Invitee:
    response_id: int
    user_id: int
    telegram_id: int
    language: str | None
    questionnaire: Questionnaire
    phase: Phase
    due_at: datetime | None
    timezone: str
    started: bool
    organisation_id: int
    blocked: bool  # known to have blocked the bot


async def invitees(session: AsyncSession, response_ids: list[int]) -> list[Invitee]:
    if not response_ids:
        return []
    rows = await session.execute(
        select(SurveyResponse, User, QuestionnaireVersion, Organisation.timezone, Organisation.id)
        .join(Membership, Membership.id == SurveyResponse.membership_id)
        .join(User, User.id == Membership.user_id)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .join(
            QuestionnaireVersion,
            QuestionnaireVersion.id == SurveyResponse.questionnaire_version_id,
        )
        .where(SurveyResponse.id.in_(response_ids))
        .order_by(SurveyResponse.id)
    )
    return [
        Invitee(
            response.id,
            user.id,
            user.telegram_id,
            user.language,
            definition_of(version),
            Phase(response.phase),
            response.due_at,
            timezone,
            response.status == ResponseStatus.IN_PROGRESS,
            organisation_id,
            user.blocked_bot,
        )
        for response, user, version, timezone, organisation_id in rows
    ]


async def undelivered_pair_assignments(
    session: AsyncSession, limit: int = 200
) -> list[SurveyResponse]:
    """Stage-2 questionnaires assigned by the pair lifecycle that nobody has been told of yet."""
    return list(
        await session.scalars(
            select(SurveyResponse)
            .join(Membership, Membership.id == SurveyResponse.membership_id)
            .join(User, User.id == Membership.user_id)
            .where(
                SurveyResponse.pair_id.is_not(None),
                SurveyResponse.invited_at.is_(None),
                SurveyResponse.status.in_(OPEN_STATUSES),
                User.blocked_bot.is_(False),
            )
            .order_by(SurveyResponse.id)
            .limit(limit)
        )
    )


async def mark_invited(
    session: AsyncSession, delivered: list[int], blocked_users: list[int], now: datetime
) -> None:
    for response_id in delivered:
        response = await session.get(SurveyResponse, response_id)
        if response is not None and response.invited_at is None:
            response.invited_at = now
    for user_id in blocked_users:
        user = await session.get(User, user_id)
        if user is not None:
            user.blocked_bot = True


async def forget_member(session: AsyncSession, membership_ids: list[int]) -> int:
    """On withdrawal of consent: close what waits for them and erase what they typed.

    Taps (options, scale points, numbers, dates) stay for the anonymous statistics; free text
    may name people, so it goes. Returns how many typed answers were erased.
    """
    if not membership_ids:
        return 0
    responses = select(SurveyResponse.id).where(SurveyResponse.membership_id.in_(membership_ids))
    await session.execute(
        update(SurveyResponse)
        .where(
            SurveyResponse.membership_id.in_(membership_ids),
            SurveyResponse.status.in_(OPEN_STATUSES),
        )
        .values(status=ResponseStatus.CLOSED, current_question=None)
        .execution_options(synchronize_session=False)
    )
    erased = await session.execute(
        update(SurveyAnswer)
        .where(SurveyAnswer.response_id.in_(responses), SurveyAnswer.text.is_not(None))
        .values(text=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(erased, "rowcount", 0) or 0)
