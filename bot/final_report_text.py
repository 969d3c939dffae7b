"""A final report's parts in the reader's words (escaped for HTML): the plan's items with
their marks, the mentee's scores of the mentor, the typed answers. handlers/report_view.py
puts them into the reports people read, handlers/final_report.py into its summary."""

from __future__ import annotations

from collections import Counter
from typing import Any

from aiogram_i18n import I18nContext

from bot.services import final_reports
from bot.services.final_reports import EVALUATION_CRITERIA, NOT_DONE, PlanItem
from bot.ui import esc
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
