"""/surveys: the curator's desk for questionnaires and monitoring (aiogram-dialog).

The list of campaigns (paged in SQL), a campaign's card (its own dialog, the campaign loaded
through `owned`): completion, reminders, results (figures, before/after, SWOT), a chart, the
XLSX export; the SWOT of the year. Launching is in survey_launch.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.widgets.kbd import Button, Column, Row, Start, StubScroll
from aiogram_dialog.widgets.text import Multi
from aiogram_i18n import I18nContext
from sqlalchemy import select

from bot.services.errors import UserFacingError
from bot.services.people import Actor
from bot.services.questionnaires import campaigns, export, results
from bot.services.questionnaires.campaigns import AudienceKind, CampaignSummary
from bot.survey_invite import send_survey_invitations
from bot.ui import error_text, esc, format_date
from handlers.desk_dialogs import desk_command, pager, record_id
from handlers.dialog_kit import Fl, Gone, choice, command_router, owned, polite, start_id
from handlers.roles import DESK
from handlers.survey_results import (
    chart_labels,
    export_labels,
    render_results,
    render_swot,
    split_message,
)
from models import CampaignPurpose, Organisation, SurveyCampaign

SWOT_YEAR = timedelta(days=365)


class SurveyDesk(StatesGroup):
    campaigns = State()


class SurveyLaunch(StatesGroup):  # the dialog is in survey_launch
    questionnaire = State()
    audience = State()
    people = State()
    deadline = State()
    confirm = State()


class SurveyCard(StatesGroup):
    card = State()  # start data: id (the campaign), and after a launch how many were invited


def zone_of(actor: Actor) -> str:
    return actor.organisation.timezone if actor.organisation else "Europe/Moscow"


def local_date(moment: datetime | None, timezone: str) -> str:
    return format_date(moment.astimezone(ZoneInfo(timezone)).date()) if moment else "—"


def desk_of(manager: DialogManager) -> tuple[Organisation, I18nContext]:
    """The organisation the person works at as its curator or head (checked per update);
    else `Gone`."""
    actor: Actor = manager.middleware_data["actor"]
    if actor.organisation is None or not actor.is_desk:
        raise Gone
    return actor.organisation, manager.middleware_data["i18n"]


async def tell(
    event: CallbackQuery | Message, manager: DialogManager, error: UserFacingError
) -> None:
    """A refusal: an alert for a tap; for a message, the answer and the step again below it."""
    text = error_text(manager.middleware_data["i18n"], error)
    if isinstance(event, CallbackQuery):
        await event.answer(text, show_alert=True)
    else:
        manager.show_mode = ShowMode.SEND
        await event.answer(text)


async def show_lines(query: CallbackQuery, manager: DialogManager, lines: list[str]) -> None:
    """Lines as messages below the screen, which stays as it is."""
    manager.show_mode = ShowMode.NO_UPDATE
    if isinstance(query.message, Message):
        for chunk in split_message(lines):
            await query.message.answer(chunk)


# --- the list of campaigns -------------------------------------------------------------------


async def list_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    organisation, i18n = desk_of(dialog_manager)
    scroll = dialog_manager.find("desk_page")
    assert scroll is not None
    page = await scroll.get_page()
    items, pages = await campaigns.campaigns_page(
        dialog_manager.middleware_data["session"],
        organisation.id,
        page,
        dialog_manager.middleware_data["clock"].now(),
    )
    labels = [
        i18n.get(
            "survey-desk-campaign-button",
            title=item.questionnaire.title.get(i18n.locale),
            done=item.submitted,
            total=item.total,
            due=local_date(item.campaign.deadline, organisation.timezone),
            standing=str(item.campaign.purpose == CampaignPurpose.IMPACT).lower(),
        )
        for item in items
    ]
    return {
        "page": min(page, pages - 1) + 1,
        "pages": pages,
        "empty": not items,
        "campaigns": [
            (item.campaign.id, label) for item, label in zip(items, labels, strict=True)
        ],
    }


@polite
async def open_card(_: CallbackQuery, __: Any, manager: DialogManager, item: str) -> None:
    await manager.start(SurveyCard.card, {"id": record_id(item)})


async def year_swot(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    organisation, i18n = desk_of(manager)
    session = manager.middleware_data["session"]
    recent = await session.scalars(
        select(SurveyCampaign)
        .where(
            SurveyCampaign.organisation_id == organisation.id,
            SurveyCampaign.created_at >= manager.middleware_data["clock"].now() - SWOT_YEAR,
        )
        .order_by(SurveyCampaign.id)
    )
    table = await results.swot(session, list(recent))
    await show_lines(
        query, manager, [i18n.get("survey-swot-year-head"), "", *render_swot(i18n, table)]
    )


# --- one campaign ----------------------------------------------------------------------------


async def campaign_of(manager: DialogManager) -> SurveyCampaign:
    return await owned(manager, campaigns.desk_campaign, start_id(manager))


def audience_text(i18n: I18nContext, campaign: SurveyCampaign) -> str:
    audience = campaign.audience or {}
    if campaign.purpose == CampaignPurpose.IMPACT:
        return i18n.get("survey-audience-is-impact")
    if audience.get("kind") == AudienceKind.ROLE and audience.get("role"):
        return i18n.get("survey-audience-is-role", role=str(audience["role"]))
    if audience.get("kind") == AudienceKind.PAIRS:
        return i18n.get("survey-audience-is-pairs")
    return i18n.get("survey-audience-is-people")


async def card_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    organisation, i18n = desk_of(dialog_manager)
    campaign = await campaign_of(dialog_manager)
    data = dialog_manager.middleware_data
    item: CampaignSummary = await campaigns.summary(data["session"], campaign, data["clock"].now())
    zone = organisation.timezone
    start = dialog_manager.start_data if isinstance(dialog_manager.start_data, dict) else {}
    return {
        "just_launched": "count" in start,
        "count": start.get("count", 0),
        "delivered": start.get("delivered", 0),
        "title": esc(item.questionnaire.title.get(i18n.locale)),
        "version": item.questionnaire.version,
        "audience": audience_text(i18n, campaign),
        "launched": local_date(campaign.created_at, zone),
        "due": local_date(campaign.deadline, zone),
        "total": item.total,
        "done": item.submitted,
        "started": item.started,
        "waiting": item.waiting,
        "late": item.expired,
        "anonymous": str(item.questionnaire.anonymous).lower(),
    }


async def completion(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    i18n = desk_of(manager)[1]
    campaign = await campaign_of(manager)
    data = manager.middleware_data
    rows = await campaigns.completion(data["session"], campaign, data["clock"].now())
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
    await show_lines(query, manager, lines)


async def remind(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    i18n = desk_of(manager)[1]
    campaign = await campaign_of(manager)
    data = manager.middleware_data
    try:
        responses = await campaigns.take_reminders(data["session"], campaign, data["clock"].now())
    except UserFacingError as error:
        manager.show_mode = ShowMode.NO_UPDATE
        return await tell(query, manager, error)
    delivered = await send_survey_invitations(
        data["mail"], i18n.core, responses, data["settings"].default_language, reminder=True
    )
    reminded = i18n.get("survey-reminded", count=len(responses), delivered=delivered)
    await show_lines(query, manager, [reminded])


async def show_results(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    i18n = desk_of(manager)[1]
    campaign = await campaign_of(manager)
    session = manager.middleware_data["session"]
    result = await results.results(session, campaign)
    people: list[results.PersonChange] = []
    people_total = 0
    if result.impact and result.names_people:
        people, people_total = await results.impact_people(session, campaign.id, limit=10)
    lines = render_results(i18n, result, people, people_total)
    if result.may_identify and any(
        getattr(q, "swot", None) is not None for q in result.questionnaire.questions
    ):
        lines += ["", *render_swot(i18n, await results.swot(session, [campaign]))]
    await show_lines(query, manager, lines)


async def send_file(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    """The chart (drawn off the event loop) or the XLSX export, with a caption."""
    organisation, i18n = desk_of(manager)
    campaign = await campaign_of(manager)
    session = manager.middleware_data["session"]
    result = await results.results(session, campaign)
    manager.show_mode = ShowMode.NO_UPDATE
    chart = button.widget_id == "campaign_chart"
    drawing = chart_labels(i18n, result) if chart else None
    refusal = None
    if chart and drawing is None:
        refusal = "survey-chart-nothing"
    elif not chart and result.respondents == 0:
        refusal = "survey-results-nobody"
    elif not chart and not result.may_identify:
        refusal = "survey-export-small-group"
    if refusal is not None or not isinstance(query.message, Message):
        await query.answer(i18n.get(refusal or "error-stale-button"), show_alert=True)
        return
    title = esc(result.questionnaire.title.get(i18n.locale))
    if drawing is not None:
        picture = await asyncio.to_thread(drawing)
        await query.message.answer_photo(
            BufferedInputFile(picture, filename=f"survey-{campaign.id}.png"),
            caption=i18n.get("survey-chart-caption", title=title, count=result.respondents),
        )
        return
    zone = organisation.timezone
    table = await results.swot(session, [campaign])
    document = await export.workbook(
        session, result, table, i18n.locale, export_labels(i18n), zone
    )
    stamp = export.now_stamp(manager.middleware_data["clock"].now())
    await query.message.answer_document(
        BufferedInputFile(document, filename=f"survey-{campaign.id}-{stamp}.xlsx"),
        caption=i18n.get("survey-export-caption", title=title, count=result.respondents),
    )


def desk_dialogs() -> list[Dialog]:
    to_list = Start(
        Fl("survey-card-back"),
        "campaign_to_list",
        SurveyDesk.campaigns,
        mode=StartMode.RESET_STACK,
    )
    return [
        Dialog(
            Window(
                Fl("survey-desk-head"),
                Fl("survey-desk-empty", when="empty"),
                Column(choice("desk_campaign", "campaigns", open_card)),
                StubScroll("desk_page", pages="pages"),
                pager("desk_page"),
                Start(Fl("survey-desk-launch"), "desk_launch", SurveyLaunch.questionnaire),
                Button(Fl("survey-desk-swot-year"), "desk_year_swot", on_click=year_swot),
                state=SurveyDesk.campaigns,
                getter=list_getter,
            )
        ),
        Dialog(
            Window(
                Multi(Fl("survey-launched", when="just_launched"), Fl("survey-card"), sep="\n\n"),
                Row(
                    Button(Fl("survey-card-who"), "campaign_completion", on_click=completion),
                    Button(Fl("survey-card-remind"), "campaign_remind", on_click=remind),
                ),
                Row(
                    Button(Fl("survey-card-results"), "campaign_results", on_click=show_results),
                    Button(Fl("survey-card-chart"), "campaign_chart", on_click=send_file),
                ),
                Button(Fl("survey-card-export"), "campaign_export", on_click=send_file),
                to_list,
                state=SurveyCard.card,
                getter=card_getter,
            )
        ),
    ]


def router() -> Router:
    return command_router(__name__, "surveys", desk_command(SurveyDesk.campaigns), DESK)


def dialogs() -> list[Dialog]:
    return desk_dialogs()
