"""A campaign's raw answers as an XLSX workbook, written row by row as they stream in."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.questionnaires.answering import format_number
from bot.services.questionnaires.results import Results, SwotTable, impact_people
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
from models import Membership, Phase, Profile, ResponseStatus, SurveyAnswer, SurveyResponse

# Rows of an anonymous questionnaire are not in the order people sent them.
SHUFFLE_MULTIPLIER, SHUFFLE_MODULUS = 7919, 1_000_003


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


def _bold(sheet: Any, values: list[Any]) -> list[WriteOnlyCell]:  # a write-only sheet
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _cell_value(
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


async def _answers_sheet(
    session: AsyncSession,
    book: Workbook,
    result: Results,
    locale: str,
    labels: ExportLabels,
    timezone: str,
) -> None:
    questionnaire = result.questionnaire
    sheet = book.create_sheet(labels.answers)
    named = result.names_people
    phased = bool(result.impact) or any(p is not Phase.ONCE for p in result.by_phase)
    head = [labels.number]
    if named:
        head += [labels.person, labels.role]
    if phased:
        head.append(labels.phase)
    if named:
        head.append(labels.submitted)
    head += [q.label(locale) for q in questionnaire.questions]
    sheet.append(_bold(sheet, head))
    order = (
        [SurveyResponse.submitted_at, SurveyResponse.id]
        if named
        else [(SurveyResponse.id * SHUFFLE_MULTIPLIER) % SHUFFLE_MODULUS]
    )
    query = (
        select(
            SurveyResponse.id,
            Profile.full_name,
            Membership.role,
            SurveyResponse.phase,
            SurveyResponse.submitted_at,
            SurveyAnswer.question_id,
            SurveyAnswer.option,
            SurveyAnswer.number,
            SurveyAnswer.text,
            SurveyAnswer.day,
        )
        .join(Membership, Membership.id == SurveyResponse.membership_id)
        .outerjoin(Profile, Profile.membership_id == Membership.id)
        .outerjoin(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .where(
            SurveyResponse.campaign_id == result.campaign.id,
            SurveyResponse.status == ResponseStatus.SUBMITTED,
        )
        .order_by(*order, SurveyAnswer.id)
    )
    zone = ZoneInfo(timezone)
    current: int | None = None
    row_head: list[Any] = []
    values: dict[str, list[tuple[Any, ...]]] = {}
    count = 0

    def flush() -> None:
        cells = [
            _cell_value(q, values.get(q.id, []), locale, labels) for q in questionnaire.questions
        ]
        sheet.append(row_head + cells)

    stream = await session.stream(query)
    async for response_id, name, role, phase, sent, question_id, *value in stream:
        if response_id != current:
            if current is not None:
                flush()
            count += 1
            current, values = response_id, {}
            row_head = [count]
            if named:
                row_head += [name or "—", labels.roles.get(role, role)]
            if phased:
                row_head.append(labels.phases.get(phase, phase))
            if named:
                row_head.append(sent.astimezone(zone).replace(tzinfo=None) if sent else None)
        if question_id is not None:
            values.setdefault(question_id, []).append(tuple(value))
    if current is not None:
        flush()


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


async def _impact_sheet(
    session: AsyncSession, book: Workbook, result: Results, locale: str, labels: ExportLabels
) -> None:
    sheet = book.create_sheet(labels.impact)
    titles = {q.id: q.label(locale) for q in result.questionnaire.questions}
    sheet.append(
        _bold(sheet, [labels.question, labels.people, labels.before, labels.after, labels.change])
    )
    for item in result.impact:
        sheet.append(
            [
                titles.get(item.question_id, item.question_id),
                item.people,
                round(item.before, 2),
                round(item.after, 2),
                round(item.change, 2),
            ]
        )
    if not result.names_people:
        return
    sheet.append([])
    ids = [q.id for q in result.questionnaire.questions if isinstance(q, ScaleQuestion)]
    sheet.append(
        _bold(
            sheet,
            [labels.person, labels.role]
            + [f"{titles[i]}: {labels.before}/{labels.after}" for i in ids],
        )
    )
    offset, page = 0, 500
    while True:
        people, total = await impact_people(session, result.campaign.id, page, offset)
        for person in people:
            sheet.append(
                [person.name or "—", labels.roles.get(person.role, person.role)]
                + [
                    "{} → {}".format(*map(format_number, person.items[i]))
                    if i in person.items
                    else None
                    for i in ids
                ]
            )
        offset += page
        if offset >= total:
            break


async def workbook(
    session: AsyncSession,
    result: Results,
    swot_table: SwotTable | None,
    locale: str,
    labels: ExportLabels,
    timezone: str,
) -> bytes:
    """The whole export; call only when result.may_identify (small anonymous groups: never)."""
    book = Workbook(write_only=True)
    await _answers_sheet(session, book, result, locale, labels, timezone)
    _summary_sheet(book, result, locale, labels)
    if swot_table is not None and not swot_table.empty:
        _swot_sheet(book, swot_table, labels)
    if result.impact:
        await _impact_sheet(session, book, result, locale, labels)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def now_stamp(now: datetime) -> str:
    return now.strftime("%Y%m%d-%H%M")
