"""The organisation's journals for the curator's export: programmes with their plan items, the
meetings log, and help threads (counts and times, never their texts). Rows come by keyset in
pages, each page with the pairs' names in one more query; withdrawn people appear impersonal.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import banks
from bot.services.final_reports import average
from bot.services.questionnaires import export, results
from bot.services.questionnaires.versions import definition_by_id
from bot.services.spreadsheets import (
    Column,
    SheetWriter,
    book_bytes,
    new_book,
    person_name,
    write_pages,
)
from models import (
    Activity,
    FinalReport,
    HelpRequest,
    Meeting,
    Membership,
    MembershipStatus,
    Organisation,
    Pair,
    PairMentee,
    Profile,
    Programme,
    Role,
    SurveyCampaign,
)

PAGE = 1000
Label = Callable[..., str]
Page = Sequence[Sequence[Any]]

PROGRAMME_COLUMNS = (
    ("number", 5),
    ("pair", 40),
    ("programme-status", 16),
    ("goal", 40),
    ("activity", 44),
    ("due-on", 12),
    ("expected-result", 36),
    ("activity-status", 14),
    ("done-at", 16),
    ("result", 36),
)
MEETING_COLUMNS = (
    ("number", 5),
    ("held-on", 12),
    ("pair", 40),
    ("meeting-format", 14),
    ("duration", 12),
    ("notes", 44),
    ("next-steps", 36),
    ("confirmed-at", 16),
)
REPORT_COLUMNS = (
    ("number", 5),
    ("pair", 40),
    ("report-author", 14),
    ("report-due", 12),
    ("report-submitted", 16),
    ("report-fulfilment", 30),
    ("report-results", 40),
    ("report-recommendations", 36),
    ("report-how-it-went", 36),
    ("report-helped", 30),
    ("report-missing", 30),
    ("report-evaluation", 24),
    ("report-comment", 30),
)
SURVEY_COLUMNS = (
    ("number", 6),
    ("questionnaire", 30),
    ("launched", 16),
    ("respondent", 30),
    ("role", 14),
    ("phase", 16),
    ("submitted", 16),
    ("question", 44),
    ("answer", 40),
)
HELP_COLUMNS = (
    ("number", 5),
    ("asked-at", 16),
    ("pair", 40),
    ("help-status", 14),
    ("answer-minutes", 14),
    ("escalated-at", 16),
    ("rating", 10),
)


def columns(label: Label, names: Sequence[tuple[str, int]]) -> list[Column]:
    return [Column(label(f"export-col-{name}"), width) for name, width in names]


async def pair_names(session: AsyncSession, pair_ids: set[int], impersonal: str) -> dict[int, str]:
    """ "Mentor — mentee, mentee" for each pair, in one query."""
    if not pair_ids:
        return {}
    mentors = await session.execute(
        select(Pair.id, Membership.status, Profile.full_name)
        .join(Membership, Membership.id == Pair.mentor_membership_id)
        .outerjoin(Profile, Profile.membership_id == Membership.id)
        .where(Pair.id.in_(pair_ids))
    )
    mentees = await session.execute(
        select(PairMentee.pair_id, Membership.status, Profile.full_name)
        .join(Membership, Membership.id == PairMentee.mentee_membership_id)
        .outerjoin(Profile, Profile.membership_id == Membership.id)
        .where(PairMentee.pair_id.in_(pair_ids))
        .order_by(PairMentee.pair_id, PairMentee.mentee_membership_id)
    )

    def name(status: str, full_name: str | None) -> str:
        return person_name(full_name, status == MembershipStatus.WITHDRAWN, impersonal)

    mentor_of = {pair_id: name(status, full) for pair_id, status, full in mentors}
    mentees_of: dict[int, list[str]] = defaultdict(list)
    for pair_id, status, full in mentees:
        mentees_of[pair_id].append(name(status, full))
    return {
        pair_id: f"{mentor_of.get(pair_id, '—')} — {', '.join(mentees_of.get(pair_id, [])) or '—'}"
        for pair_id in pair_ids
    }


async def programme_rows(
    session: AsyncSession, organisation: Organisation, label: Label
) -> AsyncIterator[Page]:
    after, number = 0, 0
    impersonal = label("export-impersonal")
    statuses = {status: label(f"export-activity-{status}") for status in ("open", "done")}
    while rows := (
        await session.execute(
            select(
                Activity.id,
                Programme.pair_id,
                Programme.status,
                Programme.goal,
                Activity.content,
                Activity.due_on,
                Activity.expected_result,
                Activity.status,
                Activity.done_at,
                Activity.result,
            )
            .join(Programme, Programme.id == Activity.programme_id)
            .join(Pair, Pair.id == Programme.pair_id)
            .where(Pair.organisation_id == organisation.id, Activity.id > after)
            .order_by(Activity.id)
            .limit(PAGE)
        )
    ).all():
        after = rows[-1][0]
        names = await pair_names(session, {row[1] for row in rows}, impersonal)
        page = []
        for (
            _id,
            pair_id,
            programme_status,
            goal,
            content,
            due_on,
            expected,
            status,
            done_at,
            result,
        ) in rows:
            number += 1
            page.append(
                [
                    number,
                    names.get(pair_id, "—"),
                    label(f"export-programme-{programme_status}"),
                    goal or "",
                    content,
                    due_on,
                    expected or "",
                    statuses.get(status, status),
                    done_at,
                    result or "",
                ]
            )
        yield page


async def meeting_rows(
    session: AsyncSession, organisation: Organisation, label: Label
) -> AsyncIterator[Page]:
    after, number = 0, 0
    impersonal = label("export-impersonal")
    while rows := (
        await session.execute(
            select(
                Meeting.id,
                Meeting.held_on,
                Meeting.pair_id,
                Meeting.format,
                Meeting.duration_minutes,
                Meeting.notes,
                Meeting.next_steps,
                Meeting.confirmed_at,
            )
            .join(Pair, Pair.id == Meeting.pair_id)
            .where(Pair.organisation_id == organisation.id, Meeting.id > after)
            .order_by(Meeting.id)
            .limit(PAGE)
        )
    ).all():
        after = rows[-1][0]
        names = await pair_names(session, {row[2] for row in rows}, impersonal)
        page = []
        for _id, held_on, pair_id, form, minutes, notes, next_steps, confirmed_at in rows:
            number += 1
            page.append(
                [
                    number,
                    held_on,
                    names.get(pair_id, "—"),
                    label(f"export-meeting-{form}"),
                    minutes,
                    notes or "",
                    next_steps or "",
                    confirmed_at,
                ]
            )
        yield page


async def help_rows(
    session: AsyncSession, organisation: Organisation, label: Label
) -> AsyncIterator[Page]:
    """Each thread's times and outcome; what was written stays in the bot."""
    after, number = 0, 0
    impersonal, no_pair = label("export-impersonal"), label("export-no-pair")
    while rows := (
        await session.execute(
            select(
                HelpRequest.id,
                HelpRequest.created_at,
                HelpRequest.pair_id,
                HelpRequest.status,
                HelpRequest.answered_at,
                HelpRequest.escalated_at,
                HelpRequest.rating,
            )
            .where(HelpRequest.organisation_id == organisation.id, HelpRequest.id > after)
            .order_by(HelpRequest.id)
            .limit(PAGE)
        )
    ).all():
        after = rows[-1][0]
        names = await pair_names(session, {row[2] for row in rows if row[2]}, impersonal)
        page = []
        for _id, asked_at, pair_id, status, answered_at, escalated_at, rating in rows:
            number += 1
            waited = round((answered_at - asked_at).total_seconds() / 60) if answered_at else None
            page.append(
                [
                    number,
                    asked_at,
                    names.get(pair_id, no_pair) if pair_id else no_pair,
                    label(f"export-help-{status}"),
                    waited,
                    escalated_at,
                    rating,
                ]
            )
        yield page


async def report_rows(
    session: AsyncSession, organisation: Organisation, label: Label
) -> AsyncIterator[Page]:
    """The final reports: the mentor's and each mentee's, sent or still awaited."""
    after, number = 0, 0
    impersonal = label("export-impersonal")
    while reports := list(
        await session.scalars(
            select(FinalReport)
            .join(Pair, Pair.id == FinalReport.pair_id)
            .where(Pair.organisation_id == organisation.id, FinalReport.id > after)
            .order_by(FinalReport.id)
            .limit(PAGE)
        )
    ):
        after = reports[-1].id
        names = await pair_names(session, {report.pair_id for report in reports}, impersonal)
        page = []
        for report in reports:
            number += 1
            marks = Counter(str(item.get("mark")) for item in (report.fulfilment or {}).values())
            fulfilment = ", ".join(
                f"{label(f'export-mark-{mark}')}: {count}" for mark, count in sorted(marks.items())
            )
            evaluation = report.evaluation or {}
            page.append(
                [
                    number,
                    names.get(report.pair_id, "—"),
                    label(f"role-{report.role}"),
                    report.due_on,
                    report.submitted_at,
                    fulfilment,
                    report.results or "",
                    report.recommendations or "",
                    report.how_it_went or "",
                    report.helped or "",
                    report.missing or "",
                    _mean(evaluation),
                    report.comment or "",
                ]
            )
        yield page


def _mean(evaluation: dict[str, Any]) -> float | None:
    """The mentee's evaluation of the mentor as one number (1-5): the criteria's own names are
    codes, and their words are the mentee's questions, too long for a cell."""
    mean = average(evaluation)
    return round(mean, 1) if mean is not None else None


async def survey_rows(
    session: AsyncSession, organisation: Organisation, label: Label, locale: str
) -> AsyncIterator[Page]:
    """Every sent questionnaire of the organisation's campaigns, a row per answered question.
    Anonymous questionnaires name nobody, keep no sending time, come in shuffled order, and a
    campaign of them answered by fewer than MIN_GROUP people is left out, as on its own card.
    Named ones leave out those who withdrew consent (export.response_pages)."""
    number = 0
    words = export.labels_from(label)
    anonymous = label("export-anonymous")
    campaigns = await session.execute(
        select(
            SurveyCampaign.id, SurveyCampaign.questionnaire_version_id, SurveyCampaign.created_at
        )
        .where(SurveyCampaign.organisation_id == organisation.id)
        .order_by(SurveyCampaign.id)
    )
    for campaign_id, version_id, launched in campaigns.all():
        questionnaire = await definition_by_id(session, version_id)
        named = not questionnaire.anonymous
        if not named and await results.submitted_count(session, campaign_id) < results.MIN_GROUP:
            continue
        title = questionnaire.title.get(locale)
        async for responses in export.response_pages(session, campaign_id, named):
            page = []
            for (_, _, phase, sent, name, role), answers in responses:
                person = (name or "—") if named else anonymous
                values = export.grouped(answers)
                for question in questionnaire.questions:
                    value = export.cell_value(question, values.get(question.id, []), locale, words)
                    if value is None:
                        continue
                    number += 1
                    page.append(
                        [
                            number,
                            title,
                            launched,
                            person,
                            words.roles.get(role, role) if named else None,
                            words.phases.get(phase, phase),
                            sent if named else None,
                            question.label(locale),
                            value,
                        ]
                    )
            yield page


@dataclass(frozen=True)
class Sheet:
    title: str  # a Fluent key
    columns: Callable[[Label], list[Column]]
    # (session, organisation, label, locale): the locale for the questionnaires' own texts
    rows: Callable[[AsyncSession, Organisation, Label, str], AsyncIterator[Page]]


Rows = Callable[[AsyncSession, Organisation, Label], AsyncIterator[Page]]


def _journal(title: str, names: Sequence[tuple[str, int]], rows: Rows) -> Sheet:
    return Sheet(
        title,
        lambda label: columns(label, names),
        lambda session, organisation, label, _locale: rows(session, organisation, label),
    )


def _bank(role: Role) -> Sheet:
    return Sheet(
        "export-sheet-mentees" if role == Role.MENTEE else "export-sheet-mentors",
        lambda label: banks.columns(label, role),
        lambda session, organisation, label, _locale: banks.bank_rows(
            session, organisation, role, label
        ),
    )


SHEETS: dict[str, Sheet] = {
    "mentees": _bank(Role.MENTEE),
    "mentors": _bank(Role.MENTOR),
    "programmes": _journal("export-sheet-programmes", PROGRAMME_COLUMNS, programme_rows),
    "meetings": _journal("export-sheet-meetings", MEETING_COLUMNS, meeting_rows),
    "help": _journal("export-sheet-help", HELP_COLUMNS, help_rows),
    "reports": _journal("export-sheet-reports", REPORT_COLUMNS, report_rows),
    "surveys": Sheet(
        "export-sheet-surveys", lambda label: columns(label, SURVEY_COLUMNS), survey_rows
    ),
}
BANKS = ("mentees", "mentors")


async def workbook(
    session: AsyncSession,
    organisation: Organisation,
    label: Label,
    sheets: Sequence[str],
    locale: str,
) -> bytes:
    """The chosen sheets of SHEETS in one XLSX, each streamed from the database; `label` and
    `locale` are the reader's language."""
    book = new_book()
    for name in sheets:
        sheet = SHEETS[name]
        writer = SheetWriter(book, label(sheet.title), sheet.columns(label), organisation.timezone)
        await write_pages(writer, sheet.rows(session, organisation, label, locale))
    return await book_bytes(book)
