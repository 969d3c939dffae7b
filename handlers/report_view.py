"""The final reports as people read them: a line per report on the pair's and the person's
cards, and a report in blocks (paged by handlers/final_report.py). Apart from the dialogs, so
that the cards (pairs.py, bank.py, profile.py) need not import the dialogs that import them."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.final_report_text import answers, evaluation_block, fulfilment_lines
from bot.services import final_reports
from bot.services.final_reports import MENTOR
from bot.services.pair_members import contacts
from bot.ui import format_date, format_day
from handlers.pair_ui import full_name, short_name
from models import FinalReport


class ReportRead(StatesGroup):
    """Reading sent reports (the dialog is in handlers/final_report.py). Start data: {"report":
    id} the author's own; {"pair": id, "page": n} the pair's, from its card; {"author":
    membership id} a person's, from their bank card (curator and head)."""

    page = State()


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
            blocks += answers(i18n, report, final_reports.MENTOR_QUESTIONS)
        else:
            blocks += [title, *answers(i18n, report, final_reports.MENTEE_SAID)]
            blocks.append(evaluation_block(i18n, report.evaluation or {}, report.comment))
    return blocks
