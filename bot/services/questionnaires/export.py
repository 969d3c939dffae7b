"""A campaign's raw answers as an XLSX workbook, written row by row as they stream in."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from sqlalchemy import ColumnElement, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.questionnaires.answering import format_number
from bot.services.questionnaires.results import Results, SwotTable, impact_people_pages
from bot.services.questionnaires.schema import (
    NO,
    OTHER,
    YES,
    DateQuestion,
    MultiQuestion,
    Question,
    ScaleQuestion,
    SingleQuestion,
    Swot,
    YesNoQuestion,
)
from bot.services.spreadsheets import (
    Column,
    SheetWriter,
    book_bytes,
    new_book,
    write_pages,
)
from models import (
    Membership,
    MembershipStatus,
    Phase,
    Profile,
    ResponseStatus,
    Role,
    SurveyAnswer,
    SurveyResponse,
)

# Rows of an anonymous questionnaire are not in the order people sent them.
SHUFFLE_MULTIPLIER, SHUFFLE_MODULUS = 7919, 1_000_003
PAGE = 1000  # responses (or people) read and written at a time


@dataclass(frozen=True)
class ExportLabels:
    """Every word of the workbook, in the reader's language (the handler fills it in)."""

    answers: str
    summary: str
    swot: str
    impact: str
    number: str
    person: str
    role: str
    phase: str
    submitted: str
    question: str
    value: str
    count: str
    mean: str
    median: str
    before: str
    after: str
    change: str
    people: str
    positive: str
    negative: str
    internal: str
    external: str
    yes: str
    no: str
    other: str
    roles: dict[str, str]
    phases: dict[str, str]
    quadrants: dict[Swot, str]


XLSX_WORDS = (
    *("answers", "summary", "swot", "impact", "number", "person", "role", "phase", "submitted"),
    *("question", "value", "count", "mean", "median", "change", "people", "positive"),
    *("negative", "internal", "external"),
)


def labels_from(label: Callable[..., str]) -> ExportLabels:
    """The workbook's words from a Fluent lookup in the reader's language (key, arguments)."""
    words: dict[str, Any] = {word: label(f"survey-xlsx-{word}") for word in XLSX_WORDS}
    return ExportLabels(
        **words,
        before=label("survey-chart-before"),
        after=label("survey-chart-after"),
        yes=label("survey-yes"),
        no=label("survey-no"),
        other=label("survey-result-other"),
        roles={role.value: label(f"role-{role.value}") for role in Role},
        phases={phase.value: label(f"survey-xlsx-phase-{phase.value}") for phase in Phase},
        quadrants={q: label("survey-swot-name", quadrant=q.value) for q in Swot},
    )


def _bold(sheet: Any, values: list[Any]) -> list[WriteOnlyCell]:  # a write-only sheet
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def cell_value(
    question: Question,
    values: list[tuple[str | None, float | None, str | None, date | None]],
    locale: str,
    labels: ExportLabels,
) -> Any:
    filled = [v for v in values if any(part is not None for part in v)]
    if not filled:
        return None
    option, number, text, day = filled[0]
    if isinstance(question, ScaleQuestion) or number is not None:
        return int(number) if number is not None and number.is_integer() else number
    if isinstance(question, DateQuestion) or day is not None:
        return day
    if isinstance(question, YesNoQuestion):
        return {YES: labels.yes, NO: labels.no}.get(option or "", option)
    if isinstance(question, SingleQuestion | MultiQuestion):
        names = {o.id: o.text.get(locale) for o in question.options}
        parts = [
            f"{labels.other}: {text}" if code == OTHER else names.get(code or "", code or "")
            for code, _, text, _ in filled
        ]
        return "; ".join(parts)
    return text


def _shuffled() -> ColumnElement[int]:
    return (SurveyResponse.id * SHUFFLE_MULTIPLIER) % SHUFFLE_MODULUS


async def response_pages(
    session: AsyncSession, campaign_id: int, named: bool, page: int = PAGE
) -> AsyncIterator[list[tuple[Any, list[tuple[Any, ...]]]]]:
    """The campaign's sent responses, a page at a time, each with its stored answers (question
    id, option, number, text, day): the responses by keyset (by id, or by a shuffled key where
    nobody is named), then only that page's answers. Each response row holds the person's
    name and role (named questionnaires only), phase and sending time. A named questionnaire
    leaves out those who withdrew consent: their row, even without a name, would tie their
    answers to them (the campaign's figures still count them)."""
    shuffle = _shuffled()
    key = SurveyResponse.id if named else tuple_(shuffle, SurveyResponse.id)
    after: Any = 0 if named else tuple_(-1, 0)
    while True:
        query = (
            select(
                SurveyResponse.id,
                shuffle,
                SurveyResponse.phase,
                SurveyResponse.submitted_at,
                *(
                    (Profile.full_name, Membership.role)
                    if named
                    else (literal(None), literal(None))
                ),
            )
            .where(
                SurveyResponse.campaign_id == campaign_id,
                SurveyResponse.status == ResponseStatus.SUBMITTED,
                key > after,
            )
            .order_by(*((SurveyResponse.id,) if named else (shuffle, SurveyResponse.id)))
            .limit(page)
        )
        if named:
            query = query.join(Membership, Membership.id == SurveyResponse.membership_id)
            query = query.where(Membership.status == MembershipStatus.ACTIVE)
            query = query.outerjoin(Profile, Profile.membership_id == Membership.id)
        responses = (await session.execute(query)).all()
        if not responses:
            return
        last = responses[-1]
        after = last[0] if named else tuple_(last[1], last[0])
        answers: dict[int, list[tuple[Any, ...]]] = {row[0]: [] for row in responses}
        for response_id, *value in await session.execute(
            select(
                SurveyAnswer.response_id,
                SurveyAnswer.question_id,
                SurveyAnswer.option,
                SurveyAnswer.number,
                SurveyAnswer.text,
                SurveyAnswer.day,
            )
            .where(SurveyAnswer.response_id.in_(list(answers)))
            .order_by(SurveyAnswer.response_id, SurveyAnswer.id)
        ):
            answers[response_id].append(tuple(value))
        yield [(row, answers[row[0]]) for row in responses]


def grouped(answers: list[tuple[Any, ...]]) -> dict[str, list[tuple[Any, ...]]]:
    """A response's stored values by question (a multiple choice stores one per option)."""
    values: dict[str, list[tuple[Any, ...]]] = {}
    for question_id, *value in answers:
        values.setdefault(question_id, []).append(tuple(value))
    return values


async def _answers_sheet(
    session: AsyncSession,
    book: Workbook,
    result: Results,
    locale: str,
    labels: ExportLabels,
    timezone: str,
) -> None:
    """One row per response, a column per question; written off the event loop."""
    questionnaire = result.questionnaire
    named = result.names_people
    phased = bool(result.impact) or any(p is not Phase.ONCE for p in result.by_phase)
    head = [Column(labels.number, 6)]
    if named:
        head += [Column(labels.person, 30), Column(labels.role, 14)]
    if phased:
        head.append(Column(labels.phase, 12))
    if named:
        head.append(Column(labels.submitted, 16))
    head += [Column(q.label(locale), 24) for q in questionnaire.questions]
    writer = SheetWriter(book, labels.answers, head, timezone)

    async def rows() -> AsyncIterator[list[list[Any]]]:
        count = 0
        async for responses in response_pages(session, result.campaign.id, named):
            page = []
            for (_, _, phase, sent, name, role), answers in responses:
                count += 1
                row: list[Any] = [count]
                if named:
                    row += [name or "—", labels.roles.get(role, role)]
                if phased:
                    row.append(labels.phases.get(phase, phase))
                if named:
                    row.append(sent)
                values = grouped(answers)
                row += [
                    cell_value(q, values.get(q.id, []), locale, labels)
                    for q in questionnaire.questions
                ]
                page.append(row)
            yield page

    await write_pages(writer, rows())


def _summary_sheet(book: Workbook, result: Results, locale: str, labels: ExportLabels) -> None:
    sheet = book.create_sheet(labels.summary)
    sheet.append(
        _bold(sheet, [labels.question, labels.value, labels.count, labels.mean, labels.median])
    )
    for item in result.questions:
        question = item.question
        sheet.append([question.label(locale), None, item.answered])
        if item.stats is not None:
            sheet.append(
                [None, None, item.stats.count, round(item.stats.mean, 2), item.stats.median]
            )
        names: dict[str, str] = {YES: labels.yes, NO: labels.no, OTHER: labels.other}
        if isinstance(question, SingleQuestion | MultiQuestion):
            names.update({o.id: o.text.get(locale) for o in question.options})
        for code, count in item.options.items():
            sheet.append([None, names.get(code, code), count])
        for point, count in sorted(item.points.items()):
            sheet.append([None, point, count])


def _swot_sheet(book: Workbook, table: SwotTable, labels: ExportLabels) -> None:
    sheet = book.create_sheet(labels.swot)

    def cell(quadrant: Swot) -> WriteOnlyCell:
        lines = [labels.quadrants[quadrant].upper()] + [
            f"• {text}" + (f" (×{count})" if count > 1 else "")
            for text, count in table.items.get(quadrant, [])
        ]
        value = WriteOnlyCell(sheet, value="\n".join(lines))
        value.alignment = Alignment(wrap_text=True, vertical="top")
        return value

    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 60
    sheet.append(_bold(sheet, [None, labels.positive, labels.negative]))
    sheet.append([*_bold(sheet, [labels.internal]), cell(Swot.STRENGTHS), cell(Swot.WEAKNESSES)])
    sheet.append([*_bold(sheet, [labels.external]), cell(Swot.OPPORTUNITIES), cell(Swot.THREATS)])


def _append(sheet: Any, rows: list[list[Any]]) -> None:
    for row in rows:
        sheet.append(row)


async def _impact_sheet(
    session: AsyncSession, book: Workbook, result: Results, locale: str, labels: ExportLabels
) -> None:
    """The items' means before and after; then each person's change, streamed by keyset."""
    sheet = book.create_sheet(labels.impact)
    titles = {q.id: q.label(locale) for q in result.questionnaire.questions}
    rows: list[list[Any]] = [
        _bold(sheet, [labels.question, labels.people, labels.before, labels.after, labels.change])
    ]
    for item in result.impact:
        rows.append(
            [
                titles.get(item.question_id, item.question_id),
                item.people,
                round(item.before, 2),
                round(item.after, 2),
                round(item.change, 2),
            ]
        )
    ids = [q.id for q in result.questionnaire.questions if isinstance(q, ScaleQuestion)]
    if result.names_people:
        heads = [f"{titles[i]}: {labels.before}/{labels.after}" for i in ids]
        rows += [[], _bold(sheet, [labels.person, labels.role, *heads])]
    await asyncio.to_thread(_append, sheet, rows)
    if not result.names_people:
        return
    async for people in impact_people_pages(session, result.campaign.id, PAGE):
        page = [
            [
                person.name or "—",
                labels.roles.get(person.role, person.role),
                *[
                    "{} → {}".format(*map(format_number, person.items[i]))
                    if i in person.items
                    else None
                    for i in ids
                ],
            ]
            for person in people
        ]
        await asyncio.to_thread(_append, sheet, page)


async def workbook(
    session: AsyncSession,
    result: Results,
    swot_table: SwotTable | None,
    locale: str,
    labels: ExportLabels,
    timezone: str,
) -> bytes:
    """The whole export; call only when result.may_identify (small anonymous groups: never).
    Rows stream from the database by keyset; every sheet is written off the event loop."""
    book = new_book()
    await _answers_sheet(session, book, result, locale, labels, timezone)
    await asyncio.to_thread(_summary_sheet, book, result, locale, labels)
    if swot_table is not None and not swot_table.empty:
        await asyncio.to_thread(_swot_sheet, book, swot_table, labels)
    if result.impact:
        await _impact_sheet(session, book, result, locale, labels)
    return await book_bytes(book)
