"""Suggesting mentors for mentees: who fits the request, who has room, and why.

The database does the filtering (organisation, role, consent, capacity), so only mentors who
could take the mentees come back; the scoring of those few is plain Python and explains itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Subquery, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.pair_members import mentee_ids_of
from bot.services.rules import MAX_MENTEES_PER_MENTOR
from models import Membership, MembershipStatus, Pair, PairMentee, Profile, Role
from models.enums import LIVE_PAIR_STATUSES

# Word beginnings that name an area (the codes of DIFFICULTIES and COMPETENCIES), in both
# languages: a request typed in words still finds the mentor who ticked that competency.
AREA_WORDS: dict[str, tuple[str, ...]] = {
    "planning": ("планир", "планов", "календарн", "plann", "schedul"),
    "methods": ("методик", "методы", "технолог", "занят", "method", "technolog", "lesson"),
    "parents": ("родител", "собрани", "семь", "parent", "famil"),
    "group_management": ("дисципл", "поведени", "режим", "discipl", "behavio", "classroom"),
    "documentation": ("документ", "отчёт", "отчет", "журнал", "document", "report", "paperwork"),
    "inclusion": ("овз", "инклюз", "особыми", "inclus", "disabilit", "special"),
    "digital": ("цифров", "компьют", "интерактив", "онлайн", "digital", "computer", "online"),
    "health": ("здоров", "физкульт", "health", "physical"),
    "team": ("коллектив", "коллег", "team", "colleag"),
    "contests": ("конкурс", "олимпиад", "contest", "competit"),
    "research": ("проект", "исследов", "project", "research"),
}
# Words too common in teachers' texts to say anything about a match.
STOP_STEMS = frozenset(
    {"работ", "педаг", "детей", "детск", "дети", "групп", "воспи", "может", "очень", "нужно"}
    | {"work", "teach", "child", "group", "about", "would", "their", "there", "which"}
)
STEM_LENGTH = 5
MIN_WORD = 4

AREA_WEIGHT = 3.0  # an area the mentee ticked that the mentor ticked
INFERRED_AREA_WEIGHT = 2.0  # an area found in the mentee's words
WORD_WEIGHT = 1.0  # a word shared with the mentor's own description
MAX_WORDS_COUNTED = 3
PLACE_WEIGHT = 0.5  # per free place
HOURS_CAP = 20  # hours a month beyond this add nothing
HOURS_WEIGHT = 0.1  # per hour a month


@dataclass(frozen=True)
class Need:
    """What the mentees ask for: the areas they ticked, those their words name, their words."""

    ticked: frozenset[str]
    areas: frozenset[str]  # ticked and named in words
    words: frozenset[str]  # stems


@dataclass(frozen=True)
class MentorMatch:
    membership_id: int
    full_name: str | None
    score: float
    areas: tuple[str, ...]  # area codes that match, the ticked ones first
    words: tuple[str, ...]  # the mentor's own words that match the request
    free_places: int
    hours_per_month: int | None


def words_of(text: str | None) -> list[str]:
    if not text:
        return []
    return [word for word in re.findall(r"[^\W\d_]+", text.lower()) if len(word) >= MIN_WORD]


def stem(word: str) -> str:
    return word[:STEM_LENGTH]


def areas_in(words: Iterable[str]) -> set[str]:
    found = set()
    for word in words:
        for area, beginnings in AREA_WORDS.items():
            if word.startswith(beginnings):
                found.add(area)
    return found


def need_of(profiles: Iterable[Profile]) -> Need:
    """The joint need of one mentee or of a group."""
    ticked: set[str] = set()
    words: list[str] = []
    for profile in profiles:
        ticked.update(profile.difficulties or [])
        words += words_of(profile.main_request) + words_of(profile.difficulties_other)
    return Need(
        ticked=frozenset(ticked),
        areas=frozenset(ticked | areas_in(words)),
        words=frozenset({stem(word) for word in words} - STOP_STEMS),
    )


def score(
    need: Need,
    competencies: list[str] | None,
    competencies_other: str | None,
    free_places: int,
    hours_per_month: int | None,
) -> tuple[float, tuple[str, ...], tuple[str, ...]]:
    """The mentor's score, the matching areas and the mentor's own matching words."""
    other_words = words_of(competencies_other)
    own = set(competencies or []) | areas_in(other_words)
    explicit = sorted(need.ticked & own)
    inferred = sorted((need.areas - need.ticked) & own)
    shared: list[str] = []
    for word in other_words:
        if stem(word) in need.words and word not in shared:
            shared.append(word)
    hours = min(hours_per_month or 0, HOURS_CAP)
    total = (
        AREA_WEIGHT * len(explicit)
        + INFERRED_AREA_WEIGHT * len(inferred)
        + WORD_WEIGHT * min(len(shared), MAX_WORDS_COUNTED)
        + PLACE_WEIGHT * free_places
        + HOURS_WEIGHT * hours
    )
    return total, (*explicit, *inferred), tuple(shared[:MAX_WORDS_COUNTED])


def live_mentee_counts(organisation_id: int) -> Subquery:
    """Per mentor of the organisation: mentees held by live pairs (proposed ones count too)."""
    return (
        select(
            Pair.mentor_membership_id.label("mentor_id"),
            func.count(PairMentee.mentee_membership_id).label("mentees"),
        )
        .join(PairMentee, PairMentee.pair_id == Pair.id)
        .where(Pair.organisation_id == organisation_id, Pair.status.in_(LIVE_PAIR_STATUSES))
        .group_by(Pair.mentor_membership_id)
        .subquery()
    )


async def rank_mentors(
    session: AsyncSession,
    organisation_id: int,
    mentee_ids: list[int],
    *,
    exclude_mentor_id: int | None = None,
    limit: int | None = 8,
) -> list[MentorMatch]:
    """Mentors of the organisation who may take all `mentee_ids` now, best match first.

    Only mentors with their written consent and enough free places are read from the database.
    """
    mentees = (
        await session.execute(
            select(Membership.user_id, Profile)
            .outerjoin(Profile, Profile.membership_id == Membership.id)
            .where(Membership.id.in_(mentee_ids), Membership.organisation_id == organisation_id)
        )
    ).all()
    need = need_of(profile for _, profile in mentees if profile is not None)
    mentee_users = [user_id for user_id, _ in mentees]
    counts = live_mentee_counts(organisation_id)
    held = func.coalesce(counts.c.mentees, 0)
    query = (
        select(
            Membership.id,
            Profile.full_name,
            Profile.competencies,
            Profile.competencies_other,
            Profile.hours_per_month,
            held.label("held"),
        )
        .join(Profile, Profile.membership_id == Membership.id)
        .outerjoin(counts, counts.c.mentor_id == Membership.id)
        .where(
            Membership.organisation_id == organisation_id,
            Membership.role == Role.MENTOR,
            Membership.status == MembershipStatus.ACTIVE,
            Profile.mentor_consent_at.is_not(None),
            held + len(mentee_ids) <= MAX_MENTEES_PER_MENTOR,
        )
    )
    if mentee_users:  # nobody mentors themselves
        query = query.where(Membership.user_id.not_in(mentee_users))
    if exclude_mentor_id is not None:
        query = query.where(Membership.id != exclude_mentor_id)
    matches = []
    for row in await session.execute(query):
        free = MAX_MENTEES_PER_MENTOR - row.held
        total, areas, words = score(
            need, row.competencies, row.competencies_other, free, row.hours_per_month
        )
        matches.append(
            MentorMatch(row.id, row.full_name, total, areas, words, free, row.hours_per_month)
        )
    matches.sort(key=lambda match: (-match.score, match.full_name or "", match.membership_id))
    return matches[:limit] if limit is not None else matches


async def replacement_mentors(session: AsyncSession, pair: Pair) -> list[MentorMatch]:
    """Mentors who may take the pair's mentees in place of its mentor, best match first."""
    mentees = await mentee_ids_of(session, pair.id)
    return await rank_mentors(
        session, pair.organisation_id, mentees, exclude_mentor_id=pair.mentor_membership_id
    )
