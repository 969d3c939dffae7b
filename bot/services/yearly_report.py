"""The yearly analytical report (итоговый аналитический отчёт) as a DOCX to print and sign.

Made with python-docx from what the bot knows: the figures of domain.md's "Monitoring" (those the
bot does not record get a line to fill in by hand), the stage-2 questionnaire before and after,
the SWOT table of the stage-1 answers, the programmes completed and ended early with reasons,
the young specialists who came and stayed, the mentor ratings, a chart, and places to sign.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.questionnaires import results
from bot.services.questionnaires.charts import Series, before_after
from bot.services.questionnaires.results import ImpactItem, SwotTable
from bot.services.questionnaires.schema import Swot
from bot.services.questionnaires.versions import definition_by_id
from bot.services.ratings import MentorRating, mentor_ratings
from bot.services.statistics import Figures, Period, figures, help_minutes
from models import CampaignPurpose, Organisation, Role, SurveyCampaign

Label = Callable[..., str]
BLANK = "____________"
IMPACT_SCALE = 10


@dataclass
class ReportData:
    organisation: str
    figures: Figures
    impact: list[tuple[str, ImpactItem]] = field(default_factory=list)  # item label, figures
    swot: SwotTable | None = None
    ratings: list[MentorRating] = field(default_factory=list)


async def collect(
    session: AsyncSession,
    organisation: Organisation,
    period: Period,
    today: date,
    locale: str,
    evaluations: Mapping[int, Sequence[float]] | None = None,
) -> ReportData:
    """Everything the report shows, read from the database."""
    start, end = period.bounds(organisation.timezone)
    campaigns = list(
        await session.scalars(
            select(SurveyCampaign)
            .where(
                SurveyCampaign.organisation_id == organisation.id,
                SurveyCampaign.created_at < end,
            )
            .order_by(SurveyCampaign.id)
        )
    )
    impact: list[tuple[str, ImpactItem]] = []
    for campaign in campaigns:
        if campaign.purpose != CampaignPurpose.IMPACT:
            continue
        questionnaire = await definition_by_id(session, campaign.questionnaire_version_id)
        labels = {question.id: question.label(locale) for question in questionnaire.questions}
        impact += [
            (labels.get(item.question_id, item.question_id), item)
            for item in await results.impact_items(session, campaign.id)
        ]
    in_period = [campaign for campaign in campaigns if campaign.created_at >= start]
    return ReportData(
        organisation=organisation.name,
        figures=await figures(session, organisation, period, today),
        impact=impact,
        swot=await results.swot(session, in_period) if in_period else None,
        ratings=await mentor_ratings(session, organisation, today, evaluations),
    )


def _date(value: object) -> str:
    return value.strftime("%d.%m.%Y") if hasattr(value, "strftime") else str(value)


def _percent(label: Label, part: int, whole: int) -> str:
    return label("report-percent", percent=round(100 * part / whole)) if whole else "—"


def _table(
    document: object, header: list[str], rows: list[list[str]], widths: list[float]
) -> None:
    table = document.add_table(rows=1, cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _monitoring_rows(label: Label, figures: Figures) -> list[list[str]]:
    done = figures.activities_done_on_time + figures.activities_done_late
    due = done + figures.activities_overdue
    rows = [
        [label("report-staff"), str(figures.staff)],
        [label("report-mentors"), str(figures.people_by_role.get(Role.MENTOR, 0))],
        [label("report-mentees"), str(figures.people_by_role.get(Role.MENTEE, 0))],
        [label("report-in-programmes"), _percent(label, figures.in_programmes, figures.staff)],
        [label("report-waiting"), str(len(figures.waiting))],
        [label("report-completed"), str(figures.completed)],
        [label("report-ended-early"), str(sum(figures.ended_early.values()))],
        [label("report-items-on-time"), _percent(label, figures.activities_done_on_time, due)],
        [label("report-items-overdue"), str(figures.activities_overdue)],
        [label("report-meetings"), str(figures.meetings)],
        [label("report-help"), str(figures.help_requests)],
        [label("report-help-answer"), help_minutes(label, figures)],
        [
            label("report-surveys"),
            _percent(label, figures.survey_submitted, figures.survey_assigned),
        ],
        [label("report-young-came"), str(figures.young_specialists_came)],
        [label("report-young-stayed"), str(figures.young_specialists_stayed)],
    ]
    # What the bot does not record: a line for the curator to fill in by hand.
    by_hand = ("trained", "achievements", "leaders", "publications", "events")
    rows += [[label(f"report-by-hand-{name}"), BLANK] for name in by_hand]
    return rows


def build(data: ReportData, label: Label) -> bytes:
    """The report as DOCX bytes (CPU work: call through `render` from the event loop)."""
    figures = data.figures
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    title = document.add_heading(label("report-title"), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle = document.add_paragraph(
        label(
            "report-subtitle",
            organisation=data.organisation,
            first=_date(figures.period.first),
            last=_date(figures.period.last),
        )
    )
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_heading(label("report-section-monitoring"), level=1)
    _table(
        document,
        [label("report-indicator"), label("report-value")],
        _monitoring_rows(label, figures),
        [12.0, 4.0],
    )

    document.add_heading(label("report-section-impact"), level=1)
    if data.impact:
        _table(
            document,
            [
                label("report-item"),
                label("report-before"),
                label("report-after"),
                label("report-people"),
            ],
            [
                [
                    name,
                    label("report-decimal", value=item.before),
                    label("report-decimal", value=item.after),
                    str(item.people),
                ]
                for name, item in data.impact
            ],
            [9.0, 2.3, 2.3, 2.4],
        )
        chart = before_after(
            label("report-chart-title"),
            [name for name, _ in data.impact],
            Series(label("report-before"), [item.before for _, item in data.impact]),
            Series(label("report-after"), [item.after for _, item in data.impact]),
            IMPACT_SCALE,
        )
        document.add_picture(io.BytesIO(chart), width=Cm(16))
    else:
        document.add_paragraph(label("report-no-impact"))

    document.add_heading(label("report-section-swot"), level=1)
    swot = data.swot
    if swot is not None and not swot.empty:
        quadrants = [Swot.STRENGTHS, Swot.WEAKNESSES, Swot.OPPORTUNITIES, Swot.THREATS]
        cells = {
            quadrant: "\n".join(
                f"{text} ({count})" if count > 1 else text
                for text, count in swot.items.get(quadrant, [])
            )
            or "—"
            for quadrant in quadrants
        }
        _table(
            document,
            [label(f"report-swot-{quadrants[0]}"), label(f"report-swot-{quadrants[1]}")],
            [
                [cells[quadrants[0]], cells[quadrants[1]]],
                [label(f"report-swot-{quadrants[2]}"), label(f"report-swot-{quadrants[3]}")],
                [cells[quadrants[2]], cells[quadrants[3]]],
            ],
            [8.0, 8.0],
        )
    else:
        document.add_paragraph(label("report-no-swot"))

    document.add_heading(label("report-section-programmes"), level=1)
    document.add_paragraph(label("report-programmes-completed", count=figures.completed))
    if figures.ended_early:
        document.add_paragraph(label("report-programmes-ended-early"))
        for reason, count in sorted(figures.ended_early.items(), key=lambda pair: -pair[1]):
            document.add_paragraph(
                f"{label(f'pair-reason-{reason}')}: {count}", style="List Bullet"
            )

    document.add_heading(label("report-section-ratings"), level=1)
    if data.ratings:
        _table(
            document,
            [
                label("report-rating-place"),
                label("report-rating-mentor"),
                label("report-rating-evaluation"),
                label("report-rating-on-time"),
                label("report-rating-completed"),
                label("report-rating-score"),
            ],
            [
                [
                    str(place),
                    rating.full_name,
                    label("report-decimal", value=rating.evaluation)
                    if rating.evaluation is not None
                    else "—",
                    _percent(label, rating.on_time, rating.items),
                    f"{rating.completed} / {rating.ended}",
                    f"{rating.score:.0f}",
                ]
                for place, rating in enumerate(data.ratings, start=1)
            ],
            [1.2, 5.5, 2.3, 2.3, 2.3, 2.4],
        )
    else:
        document.add_paragraph(label("report-no-ratings"))

    document.add_heading(label("report-section-conclusions"), level=1)
    for _ in range(4):
        document.add_paragraph("_" * 80)

    document.add_paragraph()
    for role in ("curator", "head"):
        document.add_paragraph(label(f"report-sign-{role}", blank=BLANK))
    document.add_paragraph(label("report-sign-date", blank=BLANK))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


async def render(data: ReportData, label: Label) -> bytes:
    """Off the event loop: the chart and the document take a while to draw."""
    return await asyncio.to_thread(build, data, label)
