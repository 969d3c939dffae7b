"""/surveys: the curator's desk for questionnaires and monitoring (aiogram-dialog).

The list of campaigns (paged in SQL), a campaign's card (its own dialog, the campaign loaded
through `owned`): completion, reminders, results (figures, before/after, SWOT), a chart, the
XLSX export; the SWOT of the year. Launching is in survey_launch.
"""

from __future__ import annotations

import asyncio
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.widgets.kbd import Button, Column, Row, Start, StubScroll
from aiogram_dialog.widgets.text import Multi
from aiogram_i18n import I18nContext

from bot.services.file_names import file_name
from bot.services.questionnaires import campaigns, export, results
from bot.survey_invite import send_survey_invitations
from bot.survey_report import (
    audience_text,
    campaign_label,
    chart_labels,
    export_labels,
    file_refusal,
    render_completion,
    render_results,
    render_swot,
    split_message,
)
from bot.ui import esc, format_day
from handlers.desk_dialogs import desk_command, pager, record_id, widget
from handlers.dialog_kit import Fl, Gone, choice, command_router, owned, polite, start_id
from handlers.roles import DESK, only
from models import CampaignPurpose, Organisation, SurveyCampaign


class SurveyDesk(StatesGroup):
    campaigns = State()


class SurveyLaunch(StatesGroup):  # the dialog is in survey_launch
    questionnaire, audience, people = State(), State(), State()
    deadline, confirm = State(), State()


class SurveyCard(StatesGroup):
    card = State()  # start data: id (the campaign), and after a launch how many were invited


def desk_of(manager: DialogManager, runs: bool = False) -> tuple[Organisation, I18nContext]:
    """The organisation the person works at as its curator or head (checked per update), or
    when it `runs` monitoring (launches, reminds) as its curator only: the head sees the
    results (domain.md); else `Gone`."""
    organisation = manager.middleware_data["actor"].desk_organisation(keeps=runs)
    if organisation is None:
        raise Gone
    return organisation, manager.middleware_data["i18n"]


async def show_lines(query: CallbackQuery, manager: DialogManager, lines: list[str]) -> None:
    """Lines as messages below the screen, which stays as it is."""
    manager.show_mode = ShowMode.NO_UPDATE
    if isinstance(query.message, Message):
        for chunk in split_message(lines):
            await query.message.answer(chunk)


# --- the list of campaigns -------------------------------------------------------------------


async def list_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    organisation, i18n = desk_of(dialog_manager)
    data = dialog_manager.middleware_data
    page = await widget(dialog_manager, "desk_page").get_page()
    items, pages = await campaigns.campaigns_page(
        data["session"], organisation.id, page, data["clock"].now()
    )
    return {
        "runs": data["actor"].keeps_desk,
        "launches": "yes" if data["actor"].keeps_desk else "no",
        "page": min(page, pages - 1) + 1,
        "pages": pages,
        "empty": not items,
        "campaigns": [
            (item.campaign.id, campaign_label(i18n, item, organisation.timezone)) for item in items
        ],
    }


@polite
async def open_card(_: CallbackQuery, __: Any, manager: DialogManager, item: str) -> None:
    await manager.start(SurveyCard.card, {"id": record_id(item)})


async def year_swot(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    organisation, i18n = desk_of(manager)
    data = manager.middleware_data
    table = await results.year_swot(data["session"], organisation.id, data["clock"].now())
    lines = [i18n.get("survey-swot-year-head"), "", *render_swot(i18n, table)]
    await show_lines(query, manager, lines)


# --- one campaign ----------------------------------------------------------------------------


async def campaign_of(
    manager: DialogManager, runs: bool = False
) -> tuple[SurveyCampaign, I18nContext]:
    """The card's campaign, when it is of the person's desk (and they run it: `desk_of`);
    and the person's language."""
    i18n = desk_of(manager, runs)[1]
    return await owned(manager, campaigns.desk_campaign, start_id(manager)), i18n


async def card_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    campaign, i18n = await campaign_of(dialog_manager)
    data = dialog_manager.middleware_data
    zone = data["actor"].timezone  # the desk's organisation's
    item = await campaigns.summary(data["session"], campaign, data["clock"].now())
    start = dialog_manager.start_data if isinstance(dialog_manager.start_data, dict) else {}
    audience = campaign.audience or {}
    impact = campaign.purpose == CampaignPurpose.IMPACT
    return {
        "runs": data["actor"].keeps_desk,
        "just_launched": "count" in start,
        "count": start.get("count", 0),
        "delivered": start.get("delivered", 0),
        "title": esc(item.questionnaire.title.get(i18n.locale)),
        "version": item.questionnaire.version,
        "audience": audience_text(i18n, audience.get("kind"), audience.get("role"), impact),
        "launched": format_day(campaign.created_at, zone),
        "due": format_day(campaign.deadline, zone),
        "total": item.total,
        "done": item.submitted,
        "started": item.started,
        "waiting": item.waiting,
        "late": item.expired,
        "anonymous": str(item.questionnaire.anonymous).lower(),
    }


async def completion(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    campaign, i18n = await campaign_of(manager)
    data = manager.middleware_data
    rows = await campaigns.completion(data["session"], campaign, data["clock"].now())
    await show_lines(query, manager, render_completion(i18n, rows))


@polite
async def remind(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    campaign, i18n = await campaign_of(manager, runs=True)
    data = manager.middleware_data
    manager.show_mode = ShowMode.NO_UPDATE
    responses = await campaigns.take_reminders(data["session"], campaign, data["clock"].now())
    delivered = await send_survey_invitations(
        data["mail"], i18n.core, responses, data["settings"].default_language, reminder=True
    )
    reminded = i18n.get("survey-reminded", count=len(responses), delivered=delivered)
    await show_lines(query, manager, [reminded])


async def show_results(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    campaign, i18n = await campaign_of(manager)
    report = await results.report(manager.middleware_data["session"], campaign)
    lines = render_results(i18n, report.results, report.people, report.people_total)
    if report.swot is not None:
        lines += ["", *render_swot(i18n, report.swot)]
    await show_lines(query, manager, lines)


async def send_file(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    """The chart (drawn off the event loop) or the XLSX export, with a caption."""
    campaign, i18n = await campaign_of(manager)
    session = manager.middleware_data["session"]
    result = await results.results(session, campaign)
    manager.show_mode = ShowMode.NO_UPDATE
    chart = button.widget_id == "campaign_chart"
    drawing = chart_labels(i18n, result) if chart else None
    refusal = file_refusal(result, chart, drawing is not None)
    if refusal is not None or not isinstance(query.message, Message):
        await query.answer(i18n.get(refusal or "error-stale-button"), show_alert=True)
        return
    plain_title = result.questionnaire.title.get(i18n.locale)
    title = esc(plain_title)
    if drawing is not None:
        picture = await asyncio.to_thread(drawing)
        await query.message.answer_photo(
            BufferedInputFile(picture, filename=f"survey-{campaign.id}.png"),
            caption=i18n.get("survey-chart-caption", title=title, count=result.respondents),
        )
        return
    table = await results.swot(session, [campaign])
    data = manager.middleware_data
    labels, zone = export_labels(i18n), data["actor"].timezone
    document = await export.workbook(session, result, table, i18n.locale, labels, zone)
    moment = data["clock"].now().astimezone(ZoneInfo(zone))  # its clock
    name = file_name(plain_title, data["actor"].organisation.short_name, moment, "xlsx")
    await query.message.answer_document(
        BufferedInputFile(document, filename=name),
        caption=i18n.get("survey-export-caption", title=title, count=result.respondents),
    )


def router() -> Router:
    return command_router(__name__, "surveys", desk_command(SurveyDesk.campaigns), DESK)


def dialogs() -> list[Dialog]:
    campaigns_list = Window(
        Fl("survey-desk-head"),
        Fl("survey-desk-empty", when="empty"),
        Column(choice("desk_campaign", "campaigns", open_card)),
        StubScroll("desk_page", pages="pages"),
        pager("desk_page"),
        Start(Fl("survey-desk-launch"), "desk_launch", SurveyLaunch.questionnaire, when="runs"),
        Button(Fl("survey-desk-swot-year"), "desk_year_swot", on_click=year_swot),
        state=SurveyDesk.campaigns,
        getter=list_getter,
    )
    card = Window(
        Multi(Fl("survey-launched", when="just_launched"), Fl("survey-card"), sep="\n\n"),
        Row(
            Button(Fl("survey-card-who"), "campaign_completion", on_click=completion),
            Button(Fl("survey-card-remind"), "campaign_remind", on_click=remind, when="runs"),
        ),
        Row(
            Button(Fl("survey-card-results"), "campaign_results", on_click=show_results),
            Button(Fl("survey-card-chart"), "campaign_chart", on_click=send_file),
        ),
        Button(Fl("survey-card-export"), "campaign_export", on_click=send_file),
        Start(
            Fl("survey-card-back"),
            "campaign_to_list",
            SurveyDesk.campaigns,
            mode=StartMode.RESET_STACK,
        ),
        state=SurveyCard.card,
        getter=card_getter,
    )
    return [only(DESK, Dialog(campaigns_list)), only(DESK, Dialog(card))]
