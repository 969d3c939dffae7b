"""The final reports in words: the invitation to write one (through the queue), and a report's
parts (escaped for HTML): the plan's items with their marks, the mentee's scores of the mentor,
the typed answers. handlers/report_view.py puts them into the reports people read,
handlers/final_report.py into its summary."""

from __future__ import annotations

from collections import Counter
from typing import Any

from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.mail import Mail
from bot.reminder_buttons import ReportOpen
from bot.services import final_reports
from bot.services.final_reports import EVALUATION_CRITERIA, NOT_DONE, PlanItem
from bot.services.pair_members import contacts
from bot.ui import button, esc, format_date, keyboard
from models import FinalReport

MARK_ICONS = {"done": "✅", "late": "⏰", "not_done": "❌"}
SHORT = 300  # characters of a text on the confirmation screen (the whole is read later)


def clip(text: str | None, limit: int | None = SHORT) -> str:
    """A text for a summary: escaped, shortened at `limit` characters (whole without one)."""
    if not text:
        return "—"
    return esc(text if limit is None or len(text) <= limit else text[: limit - 1] + "…")


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


def marks_summary(
    i18n: I18nContext, items: list[PlanItem], marks: dict[str, dict[str, str]], shown: int
) -> str:
    """The counts of the marks, then the first `shown` items not done (the whole list is read
    later)."""
    missed = [item for item in items if marks[str(item.activity_id)]["mark"] == NOT_DONE]
    lines = fulfilment_lines(i18n, items, marks)[:1]
    lines += fulfilment_lines(i18n, missed[:shown], marks)[1:]
    lines += ["…"] if len(missed) > shown else []
    return "\n".join(lines)


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


async def invite_to_reports(
    session: AsyncSession, mail: Mail, i18n: I18nContext, pair_id: int
) -> None:
    """Each author of an open report of the pair is asked to write it, in their language, with
    the button that opens it; queued with the decision that ended the pair, once per report."""
    reports = await final_reports.reports_of_pair(session, pair_id)
    people = await contacts(session, [report.author_membership_id for report in reports])
    default = i18n.core.default_locale or "ru"
    count = final_reports.mentees_reported_on(reports)  # the mentor's report: of each mentee
    for report in reports:
        person = people.get(report.author_membership_id)
        if person is None or report.submitted_at:
            continue
        locale = person.language or default
        due = format_date(report.due_on)
        invitation = f"final-report-invite-{report.role}"
        text = i18n.core.get(invitation, locale, number=pair_id, due=due, count=count)
        opens = button(i18n.core.get("final-report-open", locale), ReportOpen(pair_id=pair_id))
        key = f"final-report:{report.id}:invite"
        await mail.send(person.telegram_id, text, keyboard([opens]), purpose="pair", key=key)
