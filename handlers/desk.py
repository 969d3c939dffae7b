"""The curator's desk: /export (the banks and journals as XLSX), /stats (one screen and a chart),
/report (the yearly analytical report as DOCX) and /site (the «Наставничество» page). Curators
and heads only, their organisation only; the files are made off the event loop. /settings is
handlers/org_settings.py."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Router
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Cancel, StubScroll
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import journals, site_page, statistics, yearly_report
from bot.services.clock import Clock
from bot.services.file_names import file_name
from bot.services.pages import short
from bot.services.people import Actor
from bot.services.ratings import mentor_ratings, shown_to
from bot.services.statistics import Period
from bot.ui import esc
from handlers.desk_dialogs import pager, widget
from handlers.dialog_kit import (
    Fl,
    Gone,
    OutOfRange,
    commands_router,
    ctx,
    middleware,
    start_id,
    today,
    translator,
)
from handlers.join import choose
from handlers.roles import DESK, only
from models.enums import DESK_ROLES


class DeskFiles(StatesGroup):
    choose = State()  # the files of /export or of /report (the dialog's start data says which)


class Ratings(StatesGroup):
    page = State()  # the mentor ratings, a page at a time


RATINGS_PAGE = 20  # mentors a page: a region's hundreds would not fit one message
NAME_SHOWN = 80  # characters of a name (up to 200 are stored): a page stays one message


EXPORTS: dict[str, tuple[str, ...]] = {
    "export_banks": journals.BANKS,
    "export_journals": ("programmes", "meetings", "help", "reports"),
    "export_surveys": ("surveys",),
    "export_everything": tuple(journals.SHEETS),
}
FILES = {"export": tuple(EXPORTS), "report": ("report_this_year", "report_previous_year")}


async def file_chosen(query: CallbackQuery, _: Any, manager: DialogManager, item: str) -> None:
    """The file made (off the event loop) and sent below the dialog; the role is checked
    again at each tap (it may have gone)."""
    session, actor = middleware(manager)
    organisation = actor.organisation
    if organisation is None or not actor.roles & DESK_ROLES:
        raise Gone
    if item not in FILES.get(str(start_id(manager, "files")), ()):
        raise OutOfRange
    i18n, day = ctx(manager).i18n, today(manager)
    await query.answer(i18n.get("desk-file-making"))
    if item in EXPORTS:
        data = await journals.workbook(
            session, organisation, translator(i18n, i18n.locale), EXPORTS[item], i18n.locale
        )
        title, extension = i18n.get(f"file-{item.removeprefix('export_')}"), "xlsx"
    else:
        period = Period.school_year(day)
        period = period.year_before() if item == "report_previous_year" else period
        collected = await yearly_report.collect(session, organisation, period, day, i18n.locale)
        data = await yearly_report.render(collected, translator(i18n, i18n.locale))
        years = {"first": f"{period.first:%Y}", "last": f"{period.last:%Y}"}
        title, extension = i18n.get("file-report", **years), "docx"
    if isinstance(query.message, Message):
        name = file_name(title, organisation.short_name, day, extension)
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
    await message.answer(statistics.screen(i18n, figures, today))
    drawing = statistics.chart(i18n, figures)
    if drawing is not None:
        picture = await asyncio.to_thread(drawing)  # matplotlib takes a while: off the loop
        await message.answer_photo(
            BufferedInputFile(picture, filename="stats.png"), caption=i18n.get("stats-chart")
        )


async def site_command(
    message: Message, session: AsyncSession, actor: Actor, clock: Clock, i18n: I18nContext
) -> None:
    organisation = actor.organisation
    assert organisation is not None
    page = await site_page.site_page(
        session, organisation, clock.now(), translator(i18n, i18n.locale)
    )
    await message.answer(i18n.get("desk-site-ready"))
    day = clock.today(organisation.timezone)
    for text, extension in ((page.html, "html"), (page.markdown, "md")):
        name = file_name(i18n.get("file-site"), organisation.short_name, day, extension)
        await message.answer_document(BufferedInputFile(text.encode(), filename=name))


async def ratings_command(
    message: Message, dialog_manager: DialogManager, actor: Actor, i18n: I18nContext
) -> None:
    if actor.organisation is None or not shown_to(actor):
        await message.answer(i18n.get("ratings-not-shown"))
        return
    await dialog_manager.start(Ratings.page, mode=StartMode.RESET_STACK)


async def ratings_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """One page of the ratings; the ranking itself is the organisation's whole (each mentor's
    place depends on everyone's), read in a fixed number of statements."""
    c = ctx(dialog_manager)
    organisation = c.actor.organisation
    if organisation is None or not shown_to(c.actor):
        raise Gone
    ratings = await mentor_ratings(c.session, organisation, today(dialog_manager))
    if not ratings:
        return {"text": c.i18n.get("ratings-none"), "pages": 1}
    pages = -(-len(ratings) // RATINGS_PAGE)
    page = min(max(await widget(dialog_manager, "ratings_pages").get_page(), 0), pages - 1)
    lines = [c.i18n.get("ratings-title")]
    first = page * RATINGS_PAGE
    for place, rating in enumerate(ratings[first : first + RATINGS_PAGE], start=first + 1):
        evaluation = rating.evaluation
        shown = "—" if evaluation is None else c.i18n.get("report-decimal", value=evaluation)
        name = esc(short(rating.full_name, NAME_SHOWN))
        about = {"place": place, "name": name, "score": round(rating.score)}
        lines.append(c.i18n.get("ratings-line", **{**vars(rating), **about, "evaluation": shown}))
    return {"text": "\n".join(lines), "pages": pages}


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
    files = Window(
        Format("{prompt}"),
        choose("desk_file", "files", file_chosen),
        Cancel(Fl("desk-close"), id="desk_files_close"),
        state=DeskFiles.choose,
        getter=files_getter,
    )
    ratings = Window(
        Format("{text}"),
        StubScroll("ratings_pages", pages="pages"),
        pager("ratings_pages"),
        Cancel(Fl("desk-close"), id="ratings_close"),
        state=Ratings.page,
        getter=ratings_getter,
    )
    return [only(DESK, Dialog(files)), Dialog(ratings)]
