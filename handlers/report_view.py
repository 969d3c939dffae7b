"""The final reports as people read them: a line per report on the pair's card and the person's
card, and a report in blocks (paged by the reading dialog, handlers/final_report.py).

Kept apart from the dialogs so that the cards (handlers/pairs.py, bank.py, profile.py) can show
reports without importing the dialogs that import them back.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from aiogram.fsm.state import State, StatesGroup
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import final_reports
from bot.services.final_reports import EVALUATION_CRITERIA, MENTOR, NOT_DONE, PlanItem
from bot.services.pair_members import contacts
from bot.ui import esc, format_date, format_day
from handlers.pair_ui import full_name, short_name
from models import FinalReport

MARK_ICONS = {"done": "✅", "late": "⏰", "not_done": "❌"}
SHORT = 300  # characters of a text on the confirmation screen (the whole is read later)


class ReportRead(StatesGroup):
    """Reading sent reports (the dialog is in handlers/final_report.py). Start data: {"report":
    id} the author's own; {"pair": id, "page": n} the pair's, from its card; {"author":
    membership id} a person's, from their bank card (curator and head)."""

    page = State()


def clip(text: str | None, limit: int | None = SHORT) -> str:
    """A text for a summary: escaped, shortened at `limit` characters (whole without one)."""
    if not text:
        return "—"
    return esc(text if limit is None or len(text) <= limit else text[: limit - 1] + "…")


async def names_of(session: AsyncSession, reports: list[FinalReport]) -> dict[int, str | None]:
    found = await contacts(session, [report.author_membership_id for report in reports])
    return {membership_id: contact.full_name for membership_id, contact in found.items()}


async def pair_lines(
    session: AsyncSession, i18n: I18nContext, pair_id: int, timezone: str
) -> list[str]:
    """The pair card's line per report, whose and sent or due when (none before it ends)."""
    reports = await final_reports.reports_of_pair(session, pair_id)
    if not reports:
        return []
    names = await names_of(session, reports)
    lines = [
        i18n.get(
            "final-report-line-sent" if report.submitted_at else "final-report-line-open",
            name=short_name(names.get(report.author_membership_id), i18n.get("pair-no-name")),
            role=i18n.get(f"final-report-role-{report.role}"),
            date=format_day(report.submitted_at, timezone),
            due=format_date(report.due_on),
        )
        for report in reports
    ]
    return [i18n.get("final-report-card-title"), *lines]


def person_lines(i18n: I18nContext, reports: list[FinalReport], timezone: str) -> list[str]:
    """A person's card: their reports, by pair."""
    lines = [
        i18n.get(
            "final-report-mine-sent" if report.submitted_at else "final-report-mine-open",
            number=report.pair_id,
            date=format_day(report.submitted_at, timezone),
            due=format_date(report.due_on),
        )
        for report in reports
    ]
    return [i18n.get("final-report-card-title"), *lines] if lines else []


# --- a report in blocks ------------------------------------------------------------------------


def fulfilment_lines(
    i18n: I18nContext, items: list[PlanItem], marks: dict[str, dict[str, str]]
) -> list[str]:
    """Each plan item with its mark (and why not done), after the counts."""
    if not items:
        return [i18n.get("final-report-no-items")]
    counts: Counter[str] = Counter()
    lines = []
    for item in items:
        entry = marks.get(str(item.activity_id), {})
        mark = entry.get("mark", item.mark)
        counts[mark] += 1
        line = i18n.get(
            "final-report-item",
            position=item.position,
            icon=MARK_ICONS.get(mark, "•"),
            content=clip(item.content, 120),
            mark=i18n.get(f"final-report-mark-{mark}"),
        )
        if mark == NOT_DONE:
            line += " " + i18n.get("final-report-item-reason", reason=clip(entry.get("reason")))
        lines.append(line)
    done, late, not_done = (counts[mark] for mark in MARK_ICONS)
    return [i18n.get("final-report-counts", done=done, late=late, not_done=not_done), *lines]


def evaluation_block(
    i18n: I18nContext,
    evaluation: dict[str, int],
    comment: str | None = None,
    title: str = "final-report-evaluation",
) -> str:
    """The mentee's scores of the mentor, their mean, and the comment if any."""
    lines = [i18n.get(title)]
    for criterion in EVALUATION_CRITERIA:
        name = i18n.get(f"final-report-criterion-{criterion}")
        score = evaluation.get(criterion, "—")
        lines.append(i18n.get("final-report-score-line", criterion=name, score=score))
    mean = final_reports.average(evaluation)
    if mean is not None:
        lines.append(i18n.get("final-report-score-mean", mean=round(mean, 1)))
    if comment:
        lines += answers(i18n, {"comment": comment}, ("comment",))
    return "\n".join(lines)


def answers(
    i18n: I18nContext,
    source: FinalReport | dict[str, Any],
    fields: tuple[str, ...],
    limit: int | None = None,
) -> list[str]:
    """Each field's text by its label (`final-report-{field}`), of a sent report or of a
    dialog's data; `limit` shortens it for a summary."""
    values = source if isinstance(source, dict) else {f: getattr(source, f) for f in fields}
    keys = {field: field.replace("_", "-") for field in fields}
    return [i18n.get(f"final-report-{keys[f]}", text=clip(values.get(f), limit)) for f in fields]


async def reading(
    session: AsyncSession, i18n: I18nContext, reports: list[FinalReport], timezone: str
) -> list[str]:
    """Sent reports whole, in blocks a page may split between."""
    names = await names_of(session, reports)
    blocks = []
    for report in reports:
        who = full_name(names.get(report.author_membership_id), i18n.get("pair-no-name"))
        sent, number = format_day(report.submitted_at, timezone), report.pair_id
        title = i18n.get(f"final-report-title-{report.role}", number=number, name=who, date=sent)
        if report.submitted_at is None:
            due = format_date(report.due_on)
            blocks.append(title + "\n" + i18n.get("final-report-not-yet", due=due))
        elif report.role == MENTOR:
            items = await final_reports.report_items(session, report)
            blocks += [title, "\n".join(fulfilment_lines(i18n, items, report.fulfilment or {}))]
            blocks += answers(i18n, report, ("results", "recommendations"))
        else:
            blocks += [title, *answers(i18n, report, ("how_it_went", "helped", "missing"))]
            blocks.append(evaluation_block(i18n, report.evaluation or {}, report.comment))
    return blocks
