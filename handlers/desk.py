"""The curator's desk: /export (the banks and journals as XLSX), /stats (one screen and a chart),
/report (the yearly analytical report as DOCX) and /site (the «Наставничество» page). Curators
and heads only, their organisation only; the files are made off the event loop. /settings is
handlers/org_settings.py."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from functools import partial
from typing import Any

from aiogram import Router
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Cancel, Column
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import journals, site_page, statistics, yearly_report
from bot.services.clock import Clock
from bot.services.people import Actor
from bot.services.questionnaires import charts
from bot.services.ratings import mentor_ratings
from bot.services.statistics import Period
from bot.ui import esc
from handlers.dialog_kit import (
    Fl,
    Gone,
    OutOfRange,
    choice,
    commands_router,
    ctx,
    middleware,
    start_id,
    today,
)
from handlers.roles import DESK
from models import Organisation, Role
from models.enums import DESK_ROLES


class DeskFiles(StatesGroup):
    choose = State()  # the files of /export or of /report (the dialog's start data says which)


EXPORTS: dict[str, tuple[str, ...]] = {
    "export_banks": journals.BANKS,
    "export_journals": ("programmes", "meetings", "help", "reports"),
    "export_surveys": ("surveys",),
    "export_everything": tuple(journals.SHEETS),
}
FILES = {"export": tuple(EXPORTS), "report": ("report_this_year", "report_previous_year")}


def _label(i18n: I18nContext) -> Any:
    core, locale = i18n.core, i18n.locale
    return lambda key, **args: core.get(key, locale, **args)


def _organisation(manager: DialogManager) -> tuple[AsyncSession, Organisation]:
    """The desk member's organisation, checked again at each tap (a role may have gone)."""
    session, actor = middleware(manager)
    if actor.organisation is None or not actor.roles & DESK_ROLES:
        raise Gone
    return session, actor.organisation


def _period(today: date, which: str) -> Period:
    year = Period.school_year(today)
    if which == "report_previous_year":
        return Period(
            year.first.replace(year=year.first.year - 1),
            year.last.replace(year=year.last.year - 1),
        )
    return year


async def file_chosen(query: CallbackQuery, _: Any, manager: DialogManager, item: str) -> None:
    """The file made (off the event loop) and sent below the dialog."""
    session, organisation = _organisation(manager)
    if item not in FILES.get(str(start_id(manager, "files")), ()):
        raise OutOfRange
    i18n, day = ctx(manager).i18n, today(manager)
    await query.answer(i18n.get("desk-file-making"))
    if item in EXPORTS:
        data = await journals.workbook(
            session, organisation, _label(i18n), EXPORTS[item], i18n.locale
        )
        name = f"{item.removeprefix('export_')}-{day:%Y-%m-%d}.xlsx"
    else:
        period = _period(day, item)
        collected = await yearly_report.collect(session, organisation, period, day, i18n.locale)
        data = await yearly_report.render(collected, _label(i18n))
        name = f"report-{period.first:%Y}-{period.last:%Y}.docx"
    if isinstance(query.message, Message):
        await query.message.answer_document(BufferedInputFile(data, filename=name))


async def files_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n, which = ctx(dialog_manager).i18n, str(start_id(dialog_manager, "files"))
    return {
        "prompt": i18n.get(f"desk-{which}-choose"),
        "files": [(item, i18n.get(f"desk-{item.replace('_', '-')}")) for item in FILES[which]],
    }


def files_command(which: str) -> Callable[[Message, DialogManager], Awaitable[None]]:
    async def command(message: Message, dialog_manager: DialogManager) -> None:
        await dialog_manager.start(DeskFiles.choose, {"files": which}, StartMode.RESET_STACK)

    return command


async def stats_command(
    message: Message, session: AsyncSession, actor: Actor, clock: Clock, i18n: I18nContext
) -> None:
    organisation = actor.organisation
    assert organisation is not None
    today = clock.today(organisation.timezone)
    figures = await statistics.figures(session, organisation, Period.school_year(today), today)
    await message.answer(render_stats(i18n, figures, today))
    drawing = stats_chart(i18n, figures)
    if drawing is not None:
        picture = await asyncio.to_thread(drawing)  # matplotlib takes a while: off the loop
        await message.answer_photo(
            BufferedInputFile(picture, filename="stats.png"), caption=i18n.get("stats-chart")
        )


def stats_chart(i18n: I18nContext, figures: statistics.Figures) -> Callable[[], bytes] | None:
    """What a chart says better than the lines: pairs by form, the plans' items and the
    programmes on time or not; a panel with nothing to show is left out, and so is the chart."""
    panels = [
        charts.Distribution(
            i18n.get("stats-chart-pairs"),
            [i18n.get(f"pair-form-{form}") for form in figures.active_by_form],
            list(figures.active_by_form.values()),
            "",
        ),
        charts.Distribution(
            i18n.get("stats-chart-plan"),
            [i18n.get(f"stats-chart-plan-{name}") for name in ("on-time", "late", "overdue")],
            [
                figures.activities_done_on_time,
                figures.activities_done_late,
                figures.activities_overdue,
            ],
            "",
        ),
        charts.Distribution(
            i18n.get("stats-chart-programmes"),
            [i18n.get(f"stats-chart-programmes-{name}") for name in ("on-time", "overdue")],
            [figures.programmes_on_time, figures.programmes_overdue],
            "",
        ),
    ]
    shown = [panel for panel in panels if any(panel.counts)]
    if not shown:
        return None
    return partial(charts.distributions, i18n.get("stats-chart-title"), shown)


def render_stats(i18n: I18nContext, figures: statistics.Figures, today: date) -> str:
    roles = ", ".join(
        f"{i18n.get(f'role-{role}')}: {count}"
        for role, count in sorted(figures.people_by_role.items())
    )
    forms = ", ".join(
        f"{i18n.get(f'pair-form-{form}')}: {count}"
        for form, count in figures.active_by_form.items()
    )
    waiting = [
        i18n.get(
            "stats-waiting-line",
            name=person.full_name,
            deadline=person.deadline.strftime("%d.%m.%Y"),
            days=(person.deadline - today).days,
        )
        for person in figures.waiting[:10]
    ]
    done = figures.activities_done_on_time + figures.activities_done_late
    lines = [
        i18n.get(
            "stats-title",
            first=figures.period.first.strftime("%d.%m.%Y"),
            last=figures.period.last.strftime("%d.%m.%Y"),
        ),
        i18n.get(
            "stats-people",
            roles=roles or "—",
            staff=figures.staff,
            share=round(100 * figures.in_programmes_share),
        ),
        i18n.get("stats-waiting", count=len(figures.waiting)),
        *waiting,
        i18n.get(
            "stats-pairs",
            forms=forms or "—",
            completed=figures.completed,
            early=sum(figures.ended_early.values()),
        ),
        i18n.get(
            "stats-plan",
            on_time=figures.activities_done_on_time,
            late=figures.activities_done_late,
            overdue=figures.activities_overdue,
            done=done,
            programmes_overdue=figures.programmes_overdue,
        ),
        i18n.get("stats-meetings", count=figures.meetings),
        i18n.get(
            "stats-help",
            count=figures.help_requests,
            answered=figures.help_answered,
            minutes=figures.help_median_minutes
            if figures.help_median_minutes is not None
            else "—",
        ),
        i18n.get(
            "stats-surveys", submitted=figures.survey_submitted, assigned=figures.survey_assigned
        ),
    ]
    return "\n".join(lines)


async def site_command(
    message: Message, session: AsyncSession, actor: Actor, clock: Clock, i18n: I18nContext
) -> None:
    organisation = actor.organisation
    assert organisation is not None
    page = await site_page.site_page(session, organisation, clock.now(), _label(i18n))
    await message.answer(i18n.get("desk-site-ready"))
    await message.answer_document(BufferedInputFile(page.html.encode(), filename="mentoring.html"))
    await message.answer_document(
        BufferedInputFile(page.markdown.encode(), filename="mentoring.md")
    )


async def ratings_command(
    message: Message, session: AsyncSession, actor: Actor, clock: Clock, i18n: I18nContext
) -> None:
    """The mentor ratings: for the desk; for mentors where the organisation shows them."""
    organisation = actor.organisation
    may_see = organisation is not None and (
        actor.is_desk or (Role.MENTOR in actor.roles and organisation.ratings_for_mentors)
    )
    if organisation is None or not may_see:
        await message.answer(i18n.get("ratings-not-shown"))
        return
    today = clock.today(organisation.timezone)
    ratings = await mentor_ratings(session, organisation, today)
    if not ratings:
        await message.answer(i18n.get("ratings-none"))
        return
    lines = [i18n.get("ratings-title")]
    for place, rating in enumerate(ratings, start=1):
        lines.append(
            i18n.get(
                "ratings-line",
                place=place,
                name=esc(rating.full_name),
                score=round(rating.score),
                evaluation=f"{rating.evaluation:.1f}" if rating.evaluation is not None else "—",
                on_time=rating.on_time,
                items=rating.items,
                completed=rating.completed,
            )
        )
    await message.answer("\n".join(lines))


def router() -> Router:
    return commands_router(
        __name__,
        ("ratings", ratings_command, None),
        ("export", files_command("export"), DESK),
        ("stats", stats_command, DESK),
        ("report", files_command("report"), DESK),
        ("site", site_command, DESK),
    )


def dialogs() -> list[Dialog]:
    return [
        Dialog(
            Window(
                Format("{prompt}"),
                Column(choice("desk_file", "files", file_chosen)),
                Cancel(Fl("desk-close"), id="desk_files_close"),
                state=DeskFiles.choose,
                getter=files_getter,
            )
        )
    ]
