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

from bot.services.profile_form import option_text_key
from bot.services.site_page import case_anchor
from bot.services.spreadsheets import Column, person_name
from models import (
    Activity,
    ActivityStatus,
    FinalReport,
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

# The headers are the forms' own (export-col-<name>): the two forms name a column after whose
# it is («ФИО наставляемого», «Основные компетенции наставника»), so each bank has its keys.
MENTEE_COLUMNS = (
    ("number", 5),
    ("mentee-name", 32),
    ("contacts", 18),
    ("mentee-birth-year", 11),
    ("mentee-request", 40),
    ("entered-on", 12),
    ("mentor-name", 32),
    ("form", 26),
    ("mentor-workplace", 28),
    ("ended-on", 12),
    ("results", 40),
    ("mentee-case-link", 26),
    ("completed-mark", 12),
)
MENTOR_COLUMNS = (
    ("number", 5),
    ("mentor-name", 32),
    ("contacts", 18),
    ("mentor-workplace", 28),
    ("mentor-competencies", 40),
    ("mentor-achievements", 36),
    ("mentor-interests", 30),
    ("preferred-mentee", 24),
    ("hours", 14),
    ("entered-on", 12),
    ("mentees", 36),
    ("form", 26),
    ("mentee-workplace", 28),
    ("ended-on", 12),
    ("results", 40),
    ("mentor-case-link", 26),
)

Label = Callable[..., str]  # a Fluent key (and arguments) -> text in the export's language


def columns(label: Label, bank: Role) -> list[Column]:
    names = MENTEE_COLUMNS if bank == Role.MENTEE else MENTOR_COLUMNS
    return [Column(label(f"export-col-{name}"), width) for name, width in names]


# Only the columns a bank shows are read, as plain rows: a page of ORM profiles cost more than
# its query (and the JSON columns are read only where the bank shows them).
PERSON_COLUMNS = {
    Role.MENTEE: (Profile.full_name, Profile.phone, Profile.birth_year, Profile.main_request),
    Role.MENTOR: (
        Profile.full_name,
        Profile.phone,
        Profile.position,
        Profile.competencies,
        Profile.competencies_other,
        Profile.achievements,
        Profile.interests,
        Profile.preferred_mentee,
        Profile.hours_per_month,
    ),
}


@dataclass(frozen=True)
class Person:
    membership_id: int
    withdrawn: bool
    profile: Any  # a row of PERSON_COLUMNS (all None without a profile); None if withdrawn


@dataclass(frozen=True)
class PairFacts:
    pair: Any  # a row: id, status, forms, starts_on, ended_at, end_reason, done, total
    other_names: list[str]  # the mentor (mentees' bank) or the mentees (mentors' bank)
    reported: str | None = None  # the mentee's results as the mentor's final report has them


async def _people(
    session: AsyncSession, organisation_id: int, role: Role, after: int
) -> list[Person]:
    rows = await session.execute(
        select(Membership.id, Membership.status, *PERSON_COLUMNS[role])
        .outerjoin(Profile, Profile.membership_id == Membership.id)
        .where(
            Membership.organisation_id == organisation_id,
            Membership.role == role,
            Membership.id > after,
        )
        .order_by(Membership.id)
        .limit(PAGE)
    )
    people = []
    for row in rows:
        withdrawn = row.status == MembershipStatus.WITHDRAWN
        people.append(Person(row.id, withdrawn, None if withdrawn else row))
    return people


async def _pairs(session: AsyncSession, role: Role, ids: list[int]) -> dict[int, list[Any]]:
    """Each person's pairs of the bank, oldest first, with the plan's fulfilment. The people's
    links are read first (by their own index), then the pairs by id: one pass over a page,
    whatever the pairs' status indexes tempt the planner to scan."""
    if role == Role.MENTEE:
        link = select(PairMentee.mentee_membership_id, PairMentee.pair_id).where(
            PairMentee.mentee_membership_id.in_(ids)
        )
    else:
        link = select(Pair.mentor_membership_id, Pair.id).where(Pair.mentor_membership_id.in_(ids))
    links = list(await session.execute(link))
    if not links:
        return {}
    pair_ids = {pair_id for _, pair_id in links}
    plan = (
        select(
            Programme.pair_id,
            func.sum(case((Activity.status == ActivityStatus.DONE, 1), else_=0)).label("done"),
            func.count(Activity.id).label("total"),
        )
        .join(Activity, Activity.programme_id == Programme.id)
        .where(Programme.pair_id.in_(pair_ids))
        .group_by(Programme.pair_id)
        .subquery()
    )
    pairs = {
        row.id: row
        for row in await session.execute(
            select(
                Pair.id,
                Pair.status,
                Pair.forms,
                Pair.starts_on,
                Pair.ended_at,
                Pair.end_reason,
                plan.c.done,
                plan.c.total,
            )
            .outerjoin(plan, plan.c.pair_id == Pair.id)
            .where(Pair.id.in_(pair_ids), Pair.status.in_(BANK_PAIR_STATUSES))
        )
    }
    by_person: dict[int, list[Any]] = defaultdict(list)
    for person_id, pair_id in sorted(links, key=lambda link: link[1]):
        if pair_id in pairs:
            by_person[person_id].append(pairs[pair_id])
    return by_person


async def _reported_results(session: AsyncSession, pair_ids: list[int]) -> dict[int, str]:
    """The mentee's results as the mentor wrote them in the final report sent, by pair."""
    if not pair_ids:
        return {}
    rows = await session.execute(
        select(FinalReport.pair_id, FinalReport.results)
        .where(
            FinalReport.pair_id.in_(pair_ids),
            FinalReport.role == Role.MENTOR,
            FinalReport.submitted_at.is_not(None),
            FinalReport.results.is_not(None),
        )
        .order_by(FinalReport.id)
    )
    return {pair_id: results for pair_id, results in rows if results}


async def _other_names(
    session: AsyncSession, role: Role, pair_ids: list[int], impersonal: str
) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    if not pair_ids:
        return names
    if role == Role.MENTEE:  # the mentor of each pair
        query = (
            select(Pair.id, Membership.status, Profile.full_name)
            .join(Membership, Membership.id == Pair.mentor_membership_id)
            .outerjoin(Profile, Profile.membership_id == Membership.id)
            .where(Pair.id.in_(pair_ids))
        )
    else:  # the mentees of each pair
        query = (
            select(PairMentee.pair_id, Membership.status, Profile.full_name)
            .join(Membership, Membership.id == PairMentee.mentee_membership_id)
            .outerjoin(Profile, Profile.membership_id == Membership.id)
            .where(PairMentee.pair_id.in_(pair_ids))
            .order_by(PairMentee.mentee_membership_id)
        )
    for pair_id, status, full_name in await session.execute(query):
        withdrawn = status == MembershipStatus.WITHDRAWN
        names[pair_id].append(person_name(full_name, withdrawn, impersonal))
    return names


def _options(label: Label, field: str, values: list[str] | None, other: str | None) -> str:
    parts = [
        label(key) if (key := option_text_key(field, value)) else value for value in values or []
    ]
    if other:
        parts.append(other)
    return "; ".join(parts)


class Words:
    """The export's words: those without arguments (forms, reasons, yes and no) looked up once
    per export, not once per row."""

    def __init__(self, label: Label) -> None:
        self.label = label
        self.known: dict[str, str] = {}

    def __call__(self, key: str) -> str:
        if key not in self.known:
            self.known[key] = self.label(key)
        return self.known[key]


def _forms(words: Words, pair: Any) -> str:
    return ", ".join(words(f"pair-form-{form}") for form in pair.forms) if pair else ""


def _ended_on(zone: ZoneInfo, pair: Any) -> date | None:
    if pair is None or pair.status not in ENDED or pair.ended_at is None:
        return None
    return pair.ended_at.astimezone(zone).date()


def _results(words: Words, facts: PairFacts | None) -> str:
    if facts is None:
        return ""
    pair = facts.pair
    parts = []
    if pair.total:
        parts.append(words.label("export-plan-done", done=int(pair.done or 0), total=pair.total))
    if pair.status == PairStatus.ENDED_EARLY:
        reason = words(f"pair-reason-{pair.end_reason}") if pair.end_reason else "—"
        parts.append(words.label("export-ended-early", reason=reason))
    elif pair.status == PairStatus.COMPLETED:
        parts.append(words("export-completed"))
    if facts.reported:
        parts.append(facts.reported)
    return "; ".join(parts)


def _case_link(words: Words, pair: Any) -> str | None:
    """Every programme completed in full is a case on the site's page, under its anchor."""
    if pair is None or pair.status != PairStatus.COMPLETED:
        return None
    return words.label("export-case-on-site", anchor=case_anchor(pair.id))


async def bank_rows(
    session: AsyncSession, organisation: Organisation, bank: Role, label: Label
) -> AsyncIterator[Sequence[Sequence[Any]]]:
    """The bank's rows, a page at a time, numbered from 1."""
    after, number = 0, 0
    words = Words(label)
    zone = ZoneInfo(organisation.timezone)
    make_row = _mentee_row if bank == Role.MENTEE else _mentor_row
    while people := await _people(session, organisation.id, bank, after):
        after = people[-1].membership_id
        pairs = await _pairs(session, bank, [person.membership_id for person in people])
        pair_ids = list({pair.id for person_pairs in pairs.values() for pair in person_pairs})
        names = await _other_names(session, bank, pair_ids, words("export-impersonal"))
        reported = await _reported_results(session, pair_ids)
        page: list[list[Any]] = []
        for person in people:
            facts_list: list[PairFacts | None] = [
                PairFacts(pair, names.get(pair.id, []), reported.get(pair.id))
                for pair in pairs.get(person.membership_id, [])
            ] or [None]
            for facts in facts_list:
                number += 1
                row = make_row(words, organisation, zone, person, facts)
                page.append([number, *row])
        yield page


def _name_and_contacts(person: Person, words: Words) -> tuple[str, str | None]:
    if person.withdrawn:
        return words("export-impersonal"), None
    return person.profile.full_name or "—", person.profile.phone


def _mentee_row(
    words: Words,
    organisation: Organisation,
    zone: ZoneInfo,
    person: Person,
    facts: PairFacts | None,
) -> list[Any]:
    name, contacts = _name_and_contacts(person, words)
    profile, pair = person.profile, facts.pair if facts else None
    return [
        name,
        contacts,
        profile.birth_year if profile else None,
        profile.main_request if profile else None,
        pair.starts_on if pair else None,
        ", ".join(facts.other_names) if facts else None,
        _forms(words, pair),
        organisation.name if pair else None,
        _ended_on(zone, pair),
        _results(words, facts),
        _case_link(words, pair),
        words("export-yes" if pair and pair.status == PairStatus.COMPLETED else "export-no"),
    ]


def _mentor_row(
    words: Words,
    organisation: Organisation,
    zone: ZoneInfo,
    person: Person,
    facts: PairFacts | None,
) -> list[Any]:
    name, contacts = _name_and_contacts(person, words)
    profile, pair = person.profile, facts.pair if facts else None
    workplace = organisation.name
    if profile and profile.position:  # a position from the list in words, typed text as typed
        position = _options(words, "position", [profile.position], None)
        workplace = f"{organisation.name}, {position}"
    return [
        name,
        contacts,
        workplace,
        _options(words, "competencies", profile.competencies, profile.competencies_other)
        if profile
        else None,
        profile.achievements if profile else None,
        profile.interests if profile else None,
        profile.preferred_mentee if profile else None,
        words.label("export-hours", hours=profile.hours_per_month)
        if profile and profile.hours_per_month
        else None,
        pair.starts_on if pair else None,
        ", ".join(facts.other_names) if facts else None,
        _forms(words, pair),
        organisation.name if pair else None,
        _ended_on(zone, pair),
        _results(words, facts),
        _case_link(words, pair),
    ]
