"""The final reports as people read them: a line per report on the pair's card and the person's
card, and a report in blocks (paged by the reading dialog, handlers/final_report.py).

Kept apart from the dialogs so that the cards (handlers/pairs.py, bank.py, profile.py) can show
reports without importing the dialogs that import them back.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.fsm.state import State, StatesGroup
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import final_reports
from bot.services.final_reports import EVALUATION_CRITERIA, MENTOR, PlanItem
from bot.services.pair_members import contacts
from bot.ui import esc, format_date
from handlers.pair_ui import full_name, short_name
from models import FinalReport, Pair

MARK_ICONS = {"done": "✅", "late": "⏰", "not_done": "❌"}
SHORT = 300  # characters of a text on the confirmation screen (the whole is read later)


class ReportRead(StatesGroup):
    """Reading sent reports (the dialog is in handlers/final_report.py). Start data: {"report":
    id} the author's own; {"pair": id, "page": n} the pair's, from its card; {"author":
    membership id} a person's, from their bank card (curator and head)."""

    page = State()


def sent_on(report: FinalReport, timezone: str) -> str:
    """The day the report was sent, in the organisation's time zone."""
    moment: datetime | None = report.submitted_at
    return format_date(moment.astimezone(ZoneInfo(timezone)).date()) if moment else "—"


def clip(text: str | None, limit: int = SHORT) -> str:
    """A text for a summary: escaped, shortened at `limit` characters."""
    if not text:
        return "—"
    return esc(text if len(text) <= limit else text[: limit - 1] + "…")


async def names_of(session: AsyncSession, reports: list[FinalReport]) -> dict[int, str | None]:
    found = await contacts(session, [report.author_membership_id for report in reports])
    return {membership_id: contact.full_name for membership_id, contact in found.items()}


def state_line(i18n: I18nContext, report: FinalReport, name: str | None, timezone: str) -> str:
    """One report on a card: whose, sent when or due when."""
    who = short_name(name, i18n.get("pair-no-name"))
    role = i18n.get(f"final-report-role-{report.role}")
    if report.submitted_at is not None:
        sent = sent_on(report, timezone)
        return i18n.get("final-report-line-sent", name=who, role=role, date=sent)
    return i18n.get("final-report-line-open", name=who, role=role, due=format_date(report.due_on))


async def pair_lines(
    session: AsyncSession, i18n: I18nContext, pair_id: int, timezone: str
) -> list[str]:
    """The pair card's lines about its reports (none before the pair ends)."""
    reports = await final_reports.reports_of_pair(session, pair_id)
    if not reports:
        return []
    names = await names_of(session, reports)
    lines = [i18n.get("final-report-card-title")]
    lines += [state_line(i18n, r, names.get(r.author_membership_id), timezone) for r in reports]
    return lines


def person_lines(i18n: I18nContext, reports: list[FinalReport], timezone: str) -> list[str]:
    """A person's card: their reports, by pair."""
    if not reports:
        return []
    lines = [i18n.get("final-report-card-title")]
    for report in reports:
        if report.submitted_at is not None:
            sent = sent_on(report, timezone)
            lines.append(i18n.get("final-report-mine-sent", number=report.pair_id, date=sent))
        else:
            due = format_date(report.due_on)
            lines.append(i18n.get("final-report-mine-open", number=report.pair_id, due=due))
    return lines


# --- a report in blocks ------------------------------------------------------------------------


def fulfilment_lines(
    i18n: I18nContext, items: list[PlanItem], marks: dict[str, dict[str, str]]
) -> list[str]:
    """Each plan item with its mark (and why not done), after the counts."""
    counts = {mark: 0 for mark in MARK_ICONS}
    lines = []
    for item in items:
        entry = marks.get(str(item.activity_id), {})
        mark = entry.get("mark", item.mark)
        counts[mark] = counts.get(mark, 0) + 1
        line = i18n.get(
            "final-report-item",
            position=item.position,
            icon=MARK_ICONS.get(mark, "•"),
            content=clip(item.content, 120),
            mark=i18n.get(f"final-report-mark-{mark}"),
        )
        if mark == final_reports.NOT_DONE:
            line += " " + i18n.get("final-report-item-reason", reason=clip(entry.get("reason")))
        lines.append(line)
    head = i18n.get(
        "final-report-counts",
        done=counts["done"],
        late=counts["late"],
        not_done=counts["not_done"],
    )
    return [head, *lines] if items else [i18n.get("final-report-no-items")]


def evaluation_lines(i18n: I18nContext, evaluation: dict[str, int]) -> list[str]:
    lines = [
        i18n.get(
            "final-report-score-line",
            criterion=i18n.get(f"final-report-criterion-{criterion}"),
            score=evaluation.get(criterion, "—"),
        )
        for criterion in EVALUATION_CRITERIA
    ]
    mean = final_reports.average(evaluation)
    if mean is not None:
        lines.append(i18n.get("final-report-score-mean", mean=round(mean, 1)))
    return lines


def labelled(i18n: I18nContext, key: str, text: str | None, limit: int | None = None) -> str:
    value = clip(text, limit) if limit else (esc(text) if text else "—")
    return i18n.get(key, text=value)


async def report_blocks(
    session: AsyncSession, i18n: I18nContext, report: FinalReport, name: str | None, timezone: str
) -> list[str]:
    """A sent report whole, in blocks a page may split between."""
    who = full_name(name, i18n.get("pair-no-name"))
    sent = sent_on(report, timezone)
    title_key = f"final-report-title-{report.role}"
    blocks = [i18n.get(title_key, number=report.pair_id, name=who, date=sent)]
    if report.submitted_at is None:
        due = format_date(report.due_on)
        return [blocks[0] + "\n" + i18n.get("final-report-not-yet", due=due)]
    if report.role == MENTOR:
        pair = await session.get(Pair, report.pair_id)
        items = await final_reports.plan_items(session, pair) if pair else []
        blocks.append("\n".join(fulfilment_lines(i18n, items, report.fulfilment or {})))
        blocks.append(labelled(i18n, "final-report-results", report.results))
        blocks.append(labelled(i18n, "final-report-recommendations", report.recommendations))
        return blocks
    blocks.append(labelled(i18n, "final-report-how-it-went", report.how_it_went))
    blocks.append(labelled(i18n, "final-report-helped", report.helped))
    blocks.append(labelled(i18n, "final-report-missing", report.missing))
    blocks.append(evaluation_blocks(i18n, report))
    return blocks


def evaluation_blocks(
    i18n: I18nContext, report: FinalReport, title: str = "final-report-evaluation"
) -> str:
    lines = [i18n.get(title), *evaluation_lines(i18n, report.evaluation or {})]
    if report.comment:
        lines.append(labelled(i18n, "final-report-comment", report.comment))
    return "\n".join(lines)
