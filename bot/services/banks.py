"""The bank of mentees and the bank of mentors as the sample forms have them (seed 003, appendix 3;
the columns in domain.md, in that order), for the curator's XLSX export.

One row per person and pair (a person in no pair yet: one row with the pair's columns empty).
People are read by keyset in pages, with their pairs, the other side's names and the plan's
fulfilment in one query each per page, whatever the size of the bank. Those who withdrew their
consent appear impersonal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.profile_form import BY_FIELD, OTHER
from bot.services.spreadsheets import Column
from models import (
    Activity,
    ActivityStatus,
    Membership,
    MembershipStatus,
    Organisation,
    Pair,
    PairMentee,
    PairStatus,
    Profile,
    Programme,
    Role,
)

PAGE = 1000
# Pairs that belong in the banks: agreed ones (running, or over), not proposals or refusals.
BANK_PAIR_STATUSES = (
    PairStatus.AWAITING_APPROVAL,
    PairStatus.ACTIVE,
    PairStatus.COMPLETED,
    PairStatus.ENDED_EARLY,
)
ENDED = (PairStatus.COMPLETED, PairStatus.ENDED_EARLY)

MENTEE_COLUMNS = (
    ("number", 5),
    ("full-name", 32),
    ("contacts", 18),
    ("birth-year", 9),
    ("main-request", 40),
    ("entered-on", 12),
    ("mentor-name", 32),
    ("form", 26),
    ("mentor-workplace", 28),
    ("ended-on", 12),
    ("results", 40),
    ("case-link", 24),
    ("completed-mark", 12),
)
MENTOR_COLUMNS = (
    ("number", 5),
    ("full-name", 32),
    ("contacts", 18),
    ("workplace", 28),
    ("competencies", 40),
    ("achievements", 36),
    ("interests", 30),
    ("preferred-mentee", 24),
    ("hours", 12),
    ("entered-on", 12),
    ("mentees", 36),
    ("form", 26),
    ("mentee-workplace", 28),
    ("ended-on", 12),
    ("results", 40),
    ("case-link", 24),
)

Label = Callable[..., str]  # a Fluent key (and arguments) -> text in the export's language


def columns(label: Label, bank: Role) -> list[Column]:
    names = MENTEE_COLUMNS if bank == Role.MENTEE else MENTOR_COLUMNS
    return [Column(label(f"export-col-{name}"), width) for name, width in names]


@dataclass(frozen=True)
class Person:
    membership_id: int
    withdrawn: bool
    profile: Profile | None


@dataclass(frozen=True)
class PairFacts:
    pair: Pair
    other_names: list[str]  # the mentor (mentees' bank) or the mentees (mentors' bank)
    done: int
    total: int


async def _people(
    session: AsyncSession, organisation_id: int, role: Role, after: int
) -> list[Person]:
    rows = await session.execute(
        select(Membership.id, Membership.status, Profile)
        .outerjoin(Profile, Profile.membership_id == Membership.id)
        .where(
            Membership.organisation_id == organisation_id,
            Membership.role == role,
            Membership.id > after,
        )
        .order_by(Membership.id)
        .limit(PAGE)
    )
    return [
        Person(membership_id, status == MembershipStatus.WITHDRAWN, profile)
        for membership_id, status, profile in rows
    ]


async def _pairs(session: AsyncSession, role: Role, ids: list[int]) -> dict[int, list[Pair]]:
    """Each person's pairs of the bank, oldest first. The people's links are read first (by
    their own index), then the pairs by id: one pass over a page, whatever the pairs' status
    indexes tempt the planner to scan."""
    by_person: dict[int, list[Pair]] = defaultdict(list)
    if role == Role.MENTEE:
        links = list(
            await session.execute(
                select(PairMentee.mentee_membership_id, PairMentee.pair_id).where(
                    PairMentee.mentee_membership_id.in_(ids)
                )
            )
        )
    else:
        links = list(
            await session.execute(
                select(Pair.mentor_membership_id, Pair.id).where(
                    Pair.mentor_membership_id.in_(ids)
                )
            )
        )
    pairs = {
        pair.id: pair
        for pair in await session.scalars(
            select(Pair).where(
                Pair.id.in_({pair_id for _, pair_id in links}),
                Pair.status.in_(BANK_PAIR_STATUSES),
            )
        )
    }
    for person_id, pair_id in sorted(links, key=lambda link: link[1]):
        if pair_id in pairs:
            by_person[person_id].append(pairs[pair_id])
    return by_person


async def _other_names(
    session: AsyncSession, role: Role, pairs: list[Pair], impersonal: str
) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    if not pairs:
        return names
    if role == Role.MENTEE:  # the mentor of each pair
        query = (
            select(Pair.id, Membership.status, Profile.full_name)
            .join(Membership, Membership.id == Pair.mentor_membership_id)
            .outerjoin(Profile, Profile.membership_id == Membership.id)
            .where(Pair.id.in_([pair.id for pair in pairs]))
        )
    else:  # the mentees of each pair
        query = (
            select(PairMentee.pair_id, Membership.status, Profile.full_name)
            .join(Membership, Membership.id == PairMentee.mentee_membership_id)
            .outerjoin(Profile, Profile.membership_id == Membership.id)
            .where(PairMentee.pair_id.in_([pair.id for pair in pairs]))
            .order_by(PairMentee.mentee_membership_id)
        )
    for pair_id, status, full_name in await session.execute(query):
        withdrawn = status == MembershipStatus.WITHDRAWN
        names[pair_id].append(impersonal if withdrawn else full_name or "—")
    return names


async def _fulfilment(session: AsyncSession, pair_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not pair_ids:
        return {}
    done = func.sum(case((Activity.status == ActivityStatus.DONE, 1), else_=0))
    rows = await session.execute(
        select(Programme.pair_id, done, func.count(Activity.id))
        .join(Activity, Activity.programme_id == Programme.id)
        .where(Programme.pair_id.in_(pair_ids))
        .group_by(Programme.pair_id)
    )
    return {pair_id: (int(done_count or 0), int(total)) for pair_id, done_count, total in rows}


def _options(label: Label, field: str, values: list[str] | None, other: str | None) -> str:
    question = BY_FIELD.get(field)
    parts = [
        label(f"opt-{field}-{value}")
        if question is not None and value in question.options and value != OTHER
        else value
        for value in values or []
    ]
    if other:
        parts.append(other)
    return "; ".join(parts)


def _forms(label: Label, pair: Pair | None) -> str:
    return ", ".join(label(f"pair-form-{form}") for form in pair.forms) if pair else ""


def _ended_on(organisation: Organisation, pair: Pair | None) -> date | None:
    if pair is None or pair.status not in ENDED or pair.ended_at is None:
        return None
    return pair.ended_at.astimezone(ZoneInfo(organisation.timezone)).date()


def _results(label: Label, facts: PairFacts | None) -> str:
    if facts is None:
        return ""
    parts = []
    if facts.total:
        parts.append(label("export-plan-done", done=facts.done, total=facts.total))
    pair = facts.pair
    if pair.status == PairStatus.ENDED_EARLY:
        reason = label(f"pair-reason-{pair.end_reason}") if pair.end_reason else "—"
        parts.append(label("export-ended-early", reason=reason))
    elif pair.status == PairStatus.COMPLETED:
        parts.append(label("export-completed"))
    return "; ".join(parts)


async def bank_rows(
    session: AsyncSession, organisation: Organisation, bank: Role, label: Label
) -> AsyncIterator[Sequence[Sequence[Any]]]:
    """The bank's rows, a page at a time, numbered from 1."""
    after, number = 0, 0
    impersonal = label("export-impersonal")
    while people := await _people(session, organisation.id, bank, after):
        after = people[-1].membership_id
        pairs = await _pairs(session, bank, [person.membership_id for person in people])
        all_pairs = [pair for person_pairs in pairs.values() for pair in person_pairs]
        names = await _other_names(session, bank, all_pairs, impersonal)
        fulfilment = await _fulfilment(session, [pair.id for pair in all_pairs])
        page: list[list[Any]] = []
        for person in people:
            facts_list: list[PairFacts | None] = [
                PairFacts(pair, names.get(pair.id, []), *fulfilment.get(pair.id, (0, 0)))
                for pair in pairs.get(person.membership_id, [])
            ] or [None]
            for facts in facts_list:
                number += 1
                row = (_mentee_row if bank == Role.MENTEE else _mentor_row)(
                    label, organisation, person, facts, impersonal
                )
                page.append([number, *row])
        yield page


def _person_columns(person: Person, impersonal: str) -> tuple[str, str, Profile | None]:
    profile = None if person.withdrawn else person.profile
    name = impersonal if person.withdrawn else (profile.full_name if profile else None) or "—"
    contacts = (profile.phone or "") if profile else ""
    return name, contacts, profile


def _mentee_row(
    label: Label,
    organisation: Organisation,
    person: Person,
    facts: PairFacts | None,
    impersonal: str,
) -> list[Any]:
    name, contacts, profile = _person_columns(person, impersonal)
    pair = facts.pair if facts else None
    return [
        name,
        contacts,
        profile.birth_year if profile else None,
        (profile.main_request or "") if profile else "",
        pair.starts_on if pair else None,
        ", ".join(facts.other_names) if facts else "",
        _forms(label, pair),
        organisation.name if pair else "",
        _ended_on(organisation, pair),
        _results(label, facts),
        "",  # the case or review on the site: written by the curator on the site page
        label("export-yes")
        if pair and pair.status == PairStatus.COMPLETED
        else label("export-no"),
    ]


def _mentor_row(
    label: Label,
    organisation: Organisation,
    person: Person,
    facts: PairFacts | None,
    impersonal: str,
) -> list[Any]:
    name, contacts, profile = _person_columns(person, impersonal)
    pair = facts.pair if facts else None
    workplace = organisation.name
    if profile and profile.position:
        workplace = f"{organisation.name}, {profile.position}"
    return [
        name,
        contacts,
        workplace,
        _options(label, "competencies", profile.competencies, profile.competencies_other)
        if profile
        else "",
        (profile.achievements or "") if profile else "",
        (profile.interests or "") if profile else "",
        (profile.preferred_mentee or "") if profile else "",
        label("export-hours", hours=profile.hours_per_month)
        if profile and profile.hours_per_month
        else "",
        pair.starts_on if pair else None,
        ", ".join(facts.other_names) if facts else "",
        _forms(label, pair),
        organisation.name if pair else "",
        _ended_on(organisation, pair),
        _results(label, facts),
        "",
    ]
