"""A campaign's results in the reader's words: lines for the chat (the desk's /surveys), the
chart's labels and the export's labels. Plain functions of the results, like survey_invite's
texts: no dialog here."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from aiogram_i18n import I18nContext

from bot.services.questionnaires import charts, schema
from bot.services.questionnaires.campaigns import AudienceKind, CampaignSummary, CompletionRow
from bot.services.questionnaires.export import ExportLabels, labels_from
from bot.services.questionnaires.results import (
    PersonChange,
    QuestionResult,
    Results,
    SwotTable,
    choice_labels,
)
from bot.ui import esc, format_date, format_day
from models import CampaignPurpose, Phase

MESSAGE_LIMIT = 4000
SPARKS = "·▁▂▃▄▅▆▇█"  # no answers, then a few .. the most frequent point
QUOTE_LIMIT = 300
SWOT_ORDER = tuple(schema.Swot)  # strengths, weaknesses, opportunities, threats


def split_message(lines: list[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Lines joined into as few messages as Telegram's length limit allows."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        line = line if len(line) <= limit else line[: limit - 1] + "…"
        if current and size + len(line) + 1 > limit:
            chunks.append("\n".join(current).strip("\n"))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current and "\n".join(current).strip():
        chunks.append("\n".join(current).strip("\n"))
    return chunks


def decimal(i18n: I18nContext, value: float, *, short: bool = False) -> str:
    """One decimal (4,0); `short`: no trailing zero (4 or 4,5). A comma in Russian."""
    text = f"{value:.1f}".rstrip("0").rstrip(".") if short else f"{value:.1f}"
    return text.replace(".", ",") if i18n.locale == "ru" else text


def signed(i18n: I18nContext, value: float, *, short: bool = False) -> str:
    if abs(value) < 0.05:
        return "0"
    return ("+" if value > 0 else "−") + decimal(i18n, abs(value), short=short)


def _quote(text: str) -> str:
    return esc(text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…")


def _counted(i18n: I18nContext, text: str, count: int) -> str:
    """A quoted answer, with how many gave it when more than one did."""
    return i18n.get("survey-swot-item", text=text, count=count) if count > 1 else f"• {text}"


def _choice_lines(i18n: I18nContext, item: QuestionResult) -> list[str]:
    question = item.question
    if isinstance(question, schema.YesNoQuestion):
        labels = [(schema.YES, i18n.get("survey-yes")), (schema.NO, i18n.get("survey-no"))]
    else:
        other = i18n.get("survey-result-other")
        labels = [
            (code, other if code == schema.OTHER else esc(label))
            for code, label in choice_labels(question, i18n.locale)
        ]
    base = max(item.answered, 1)
    return [
        i18n.get(
            "survey-result-option",
            label=label,
            count=item.options.get(code, 0),
            percent=round(100 * item.options.get(code, 0) / base),
        )
        for code, label in labels
    ]


def _spark(question: schema.ScaleQuestion, points: dict[int, int]) -> str:
    """A scale's distribution in one line: a bar per point, then the counts given."""
    top = max(points.values())
    levels = len(SPARKS) - 1
    bars = "".join(
        SPARKS[max(1, round(levels * count / top)) if (count := points.get(point, 0)) else 0]
        for point in range(question.min, question.max + 1)
    )
    counts = ", ".join(f"{point}×{count}" for point, count in sorted(points.items()))
    return f"<code>{question.min} {bars} {question.max}</code>  {counts}"


def _question_lines(
    i18n: I18nContext, number: int, item: QuestionResult, with_swot: bool
) -> list[str]:
    question, stats = item.question, item.stats
    label = esc(question.label(i18n.locale))
    lines = [
        i18n.get("survey-result-question", number=number, question=label, answered=item.answered),
        *_choice_lines(i18n, item),
    ]
    if stats is not None and isinstance(question, schema.ScaleQuestion | schema.NumberQuestion):
        lines.append(
            i18n.get(
                "survey-result-stats",
                mean=decimal(i18n, stats.mean),
                median=decimal(i18n, stats.median, short=True),
                low=decimal(i18n, stats.minimum, short=True),
                high=decimal(i18n, stats.maximum, short=True),
            )
        )
    if isinstance(question, schema.ScaleQuestion) and item.points:
        lines.append(_spark(question, item.points))
    if isinstance(question, schema.DateQuestion) and item.first_day is not None:
        first, last = format_date(item.first_day), format_date(item.last_day)
        lines.append(i18n.get("survey-result-dates", first=first, last=last))
    text = isinstance(question, schema.TextQuestion)
    swot = isinstance(question, schema.TextQuestion) and question.swot is not None
    if swot and with_swot and item.answered:
        lines.append(i18n.get("survey-result-in-swot"))
    lines += [_counted(i18n, f"«{_quote(sample)}»", count) for sample, count in item.samples]
    shown = sum(count for _, count in item.samples)
    if text and item.answered > shown > 0:
        lines.append(i18n.get("survey-result-more-texts", count=item.answered - shown))
    return lines


def _impact_lines(
    i18n: I18nContext, result: Results, people: list[PersonChange], people_total: int
) -> list[str]:
    labels = {q.id: esc(q.label(i18n.locale)) for q in result.questionnaire.questions}
    order = list(labels)
    items = sorted(
        result.impact,
        key=lambda item: (
            order.index(item.question_id) if item.question_id in order else len(order)
        ),
    )
    linked = max((item.people for item in items), default=0)
    lines = ["", i18n.get("survey-impact-head", count=linked)]
    for item in items:
        lines.append(
            i18n.get(
                "survey-impact-line",
                item=labels.get(item.question_id, item.question_id),
                before=decimal(i18n, item.before),
                after=decimal(i18n, item.after),
                change=signed(i18n, item.change),
                improved=item.improved,
                people=item.people,
            )
        )
    if not people:
        return lines
    lines += ["", i18n.get("survey-impact-people-head")]
    for person in people:
        name = esc(person.name or i18n.get("survey-no-name"))
        role = i18n.get(f"role-{person.role}")
        lines.append(i18n.get("survey-impact-person", name=name, role=role))
        for question_id in (q for q in order if q in person.items):
            was, now = person.items[question_id]
            lines.append(
                i18n.get(
                    "survey-impact-person-line",
                    item=labels[question_id],
                    before=decimal(i18n, was, short=True),
                    after=decimal(i18n, now, short=True),
                    change=signed(i18n, now - was, short=True),
                )
            )
    if people_total > len(people):
        lines.append(i18n.get("survey-impact-more-people", count=people_total - len(people)))
    return lines


def render_results(
    i18n: I18nContext, result: Results, people: list[PersonChange], people_total: int
) -> list[str]:
    questionnaire, by_phase = result.questionnaire, result.by_phase
    title = esc(questionnaire.title.get(i18n.locale))
    done, total = result.respondents, result.assigned
    lines = [i18n.get("survey-results-head", title=title, done=done, total=total)]
    if by_phase and any(phase is not Phase.ONCE for phase in by_phase):
        before, after = by_phase.get(Phase.BEFORE, 0), by_phase.get(Phase.AFTER, 0)
        lines.append(i18n.get("survey-results-phases", before=before, after=after))
    anonymous = questionnaire.anonymous
    lines.append(i18n.get("survey-results-anonymous" if anonymous else "survey-results-named"))
    if result.respondents == 0:
        return [*lines, "", i18n.get("survey-results-nobody")]
    if not result.may_identify:
        lines.append(i18n.get("survey-results-small-group", minimum=3))
    for number, item in enumerate(result.questions, start=1):
        lines += ["", *_question_lines(i18n, number, item, result.may_identify)]
    if result.impact:
        lines += _impact_lines(i18n, result, people, people_total)
    return lines


def render_swot(i18n: I18nContext, table: SwotTable) -> list[str]:
    lines = [i18n.get("survey-swot-head")]
    for quadrant in SWOT_ORDER:
        total, items = table.totals.get(quadrant, 0), table.items.get(quadrant, [])
        head = i18n.get("survey-swot-quadrant", quadrant=quadrant.value, count=total)
        lines += ["", head] + ([] if items else [i18n.get("survey-swot-empty")])
        lines += [_counted(i18n, _quote(text), count) for text, count in items]
        more = total - sum(count for _, count in items)
        if more > 0:
            lines.append(i18n.get("survey-swot-more", count=more))
    if table.hidden:
        lines += ["", i18n.get("survey-swot-hidden", count=table.hidden, minimum=3)]
    return lines


def chart_labels(i18n: I18nContext, result: Results) -> Callable[[], bytes] | None:
    """A function drawing the campaign's chart (before/after, else scales), or None."""
    locale = i18n.locale
    title = result.questionnaire.title.get(locale)
    scales = [q for q in result.questionnaire.questions if isinstance(q, schema.ScaleQuestion)]
    if result.impact:
        by_id = {item.question_id: item for item in result.impact}
        shown = [q for q in scales if q.id in by_id]
        return partial(
            charts.before_after,
            i18n.get("survey-chart-impact-title", title=title),
            [q.label(locale) for q in shown],
            charts.Series(i18n.get("survey-chart-before"), [by_id[q.id].before for q in shown]),
            charts.Series(i18n.get("survey-chart-after"), [by_id[q.id].after for q in shown]),
            max(q.max for q in shown),
        )
    items = {item.question.id: item for item in result.questions}
    drawn = [
        charts.Distribution(
            q.label(locale),
            list(range(q.min, q.max + 1)),
            [items[q.id].points.get(point, 0) for point in range(q.min, q.max + 1)],
            i18n.get(
                "survey-chart-note",
                mean=decimal(i18n, stats.mean),
                median=decimal(i18n, stats.median, short=True),
                count=stats.count,
            ),
        )
        for q in scales
        if (stats := items[q.id].stats) is not None
    ]
    return partial(charts.distributions, title, drawn) if drawn else None


def export_labels(i18n: I18nContext) -> ExportLabels:
    return labels_from(i18n.get)


def audience_text(i18n: I18nContext, kind: object, role: object, impact: bool = False) -> str:
    """Who a campaign is for, in words: a role, the active pairs, chosen people, or impact."""
    if impact:
        return i18n.get("survey-audience-is-impact")
    if kind == AudienceKind.ROLE and role:
        return i18n.get("survey-audience-is-role", role=str(role))
    pairs = kind == AudienceKind.PAIRS
    return i18n.get("survey-audience-is-pairs" if pairs else "survey-audience-is-people")


def campaign_label(i18n: I18nContext, item: CampaignSummary, timezone: str) -> str:
    """A campaign's button on the desk's list: its questionnaire, how far, by when."""
    return i18n.get(
        "survey-desk-campaign-button",
        title=item.questionnaire.title.get(i18n.locale),
        done=item.submitted,
        total=item.total,
        due=format_day(item.campaign.deadline, timezone),
        standing=str(item.campaign.purpose == CampaignPurpose.IMPACT).lower(),
    )


def render_completion(i18n: I18nContext, rows: list[CompletionRow]) -> list[str]:
    """Who has answered a campaign and who not yet (or too late)."""
    done = sum(row.status == "submitted" for row in rows)
    lines = [i18n.get("survey-who-head", done=done, total=len(rows)), ""]
    lines += [
        i18n.get(
            "survey-who-line",
            state="late" if row.late else str(row.status),
            name=esc(row.name or i18n.get("survey-no-name")),
            role=i18n.get(f"role-{row.role}"),
            phase=str(row.phase),
        )
        for row in rows
    ]
    return lines


def file_refusal(result: Results, chart: bool, drawable: bool) -> str | None:
    """Why a campaign's chart (`drawable`: chart_labels drew one) or its export cannot be
    sent, as a text key; None when it can."""
    if chart:
        return None if drawable else "survey-chart-nothing"
    if result.respondents == 0:
        return "survey-results-nobody"
    return None if result.may_identify else "survey-export-small-group"
