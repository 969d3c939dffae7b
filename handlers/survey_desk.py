"""/surveys: the curator's desk for questionnaires and monitoring.

Follow each campaign's completion, remind those who have not finished, read the results
(figures, before/after, SWOT), a chart, the XLSX export. Launching is in survey_launch.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardButton, Message
from aiogram_i18n import I18nContext
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.mail import Mail
from bot.services.clock import Clock
from bot.services.errors import UserFacingError
from bot.services.people import Actor
from bot.services.questionnaires import campaigns, export, results
from bot.services.questionnaires.campaigns import AudienceKind, CampaignSummary
from bot.survey_invite import send_survey_invitations
from bot.ui import button, error_text, esc, format_date, keyboard
from handlers.roles import DESK
from handlers.survey_results import (
    chart_labels,
    export_labels,
    render_results,
    render_swot,
    split_message,
)
from models import CampaignPurpose, SurveyCampaign

SWOT_YEAR = timedelta(days=365)


class SurveyLaunch(StatesGroup):
    setup = State()  # data: code, audience, role, people, deadline (ISO)
    deadline = State()  # waiting for a typed date


class DeskCb(CallbackData, prefix="svd"):
    a: str  # list, new, q, aud, ppl, tog, pdone, dl, go, stop, open, who, remind, res, chart,
    # xlsx, swot
    c: int = 0  # a campaign id or a page
    v: str = ""


def organisation_id_of(actor: Actor) -> int:
    if actor.organisation is None:
        raise UserFacingError("survey-desk-no-organisation")
    return actor.organisation.id


def timezone_of(actor: Actor) -> str:
    return actor.organisation.timezone if actor.organisation else "Europe/Moscow"


def local_date(moment: datetime | None, timezone: str) -> str:
    return format_date(moment.astimezone(ZoneInfo(timezone)).date()) if moment else "—"


async def alert(query: CallbackQuery, i18n: I18nContext, error: UserFacingError) -> None:
    await query.answer(error_text(i18n, error), show_alert=True)


async def _answer_lines(query: CallbackQuery, message: Message, lines: list[str]) -> None:
    """Answer the tap with `lines`, in as many messages as they need."""
    await query.answer()
    for chunk in split_message(lines):
        await message.answer(chunk)


def _file_caption(i18n: I18nContext, key: str, result: results.Results) -> str:
    return i18n.get(
        key,
        title=esc(result.questionnaire.title.get(i18n.locale)),
        count=result.respondents,
    )


# --- the list of campaigns -------------------------------------------------------------------


def _campaign_label(i18n: I18nContext, item: CampaignSummary, timezone: str) -> str:
    return i18n.get(
        "survey-desk-campaign-button",
        title=item.questionnaire.title.get(i18n.locale),
        done=item.submitted,
        total=item.total,
        due=local_date(item.campaign.deadline, timezone),
        standing=str(item.campaign.purpose == CampaignPurpose.IMPACT).lower(),
    )


async def _desk_page(
    session: AsyncSession, actor: Actor, clock: Clock, i18n: I18nContext, page: int
) -> tuple[str, list[list[InlineKeyboardButton]]]:
    organisation_id = organisation_id_of(actor)
    items, pages = await campaigns.campaigns_page(session, organisation_id, page, clock.now())
    page = min(max(page, 0), pages - 1)
    text = i18n.get("survey-desk-head", page=page + 1, pages=pages)
    if not items:
        text += "\n\n" + i18n.get("survey-desk-empty")
    rows = [
        [
            button(
                _campaign_label(i18n, item, timezone_of(actor)),
                DeskCb(a="open", c=item.campaign.id),
            )
        ]
        for item in items
    ]
    navigation = []
    if page > 0:
        navigation.append(button("◀", DeskCb(a="list", c=page - 1)))
    if page + 1 < pages:
        navigation.append(button("▶", DeskCb(a="list", c=page + 1)))
    rows.append(navigation)
    rows.append([button(i18n.get("survey-desk-launch"), DeskCb(a="new"))])
    rows.append([button(i18n.get("survey-desk-swot-year"), DeskCb(a="swot"))])
    return text, rows


async def surveys_command(
    message: Message, session: AsyncSession, actor: Actor, clock: Clock, i18n: I18nContext
) -> None:
    try:
        text, rows = await _desk_page(session, actor, clock, i18n, 0)
    except UserFacingError as error:
        await message.answer(error_text(i18n, error))
        return
    await message.answer(text, reply_markup=keyboard(*rows))


async def desk_list(
    query: CallbackQuery,
    callback_data: DeskCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    if not isinstance(query.message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    try:
        text, rows = await _desk_page(session, actor, clock, i18n, callback_data.c)
    except UserFacingError as error:
        await alert(query, i18n, error)
        return
    if await state.get_state() in (SurveyLaunch.setup.state, SurveyLaunch.deadline.state):
        await state.clear()
    await query.answer()
    await query.message.edit_text(text, reply_markup=keyboard(*rows))


# --- one campaign ----------------------------------------------------------------------------


async def _campaign(
    query: CallbackQuery, session: AsyncSession, actor: Actor, i18n: I18nContext, campaign_id: int
) -> SurveyCampaign | None:
    try:
        return await campaigns.campaign_of(session, campaign_id, organisation_id_of(actor))
    except UserFacingError as error:
        await alert(query, i18n, error)
        return None


def _card(i18n: I18nContext, item: CampaignSummary, timezone: str) -> str:
    campaign = item.campaign
    audience = campaign.audience or {}
    if campaign.purpose == CampaignPurpose.IMPACT:
        audience_text = i18n.get("survey-audience-is-impact")
    elif audience.get("kind") == AudienceKind.ROLE and audience.get("role"):
        audience_text = i18n.get("survey-audience-is-role", role=str(audience["role"]))
    elif audience.get("kind") == AudienceKind.PAIRS:
        audience_text = i18n.get("survey-audience-is-pairs")
    else:
        audience_text = i18n.get("survey-audience-is-people")
    return i18n.get(
        "survey-card",
        title=esc(item.questionnaire.title.get(i18n.locale)),
        version=item.questionnaire.version,
        audience=audience_text,
        launched=local_date(campaign.created_at, timezone),
        due=local_date(campaign.deadline, timezone),
        total=item.total,
        done=item.submitted,
        started=item.started,
        waiting=item.waiting,
        late=item.expired,
        anonymous=str(item.questionnaire.anonymous).lower(),
    )


def _card_rows(i18n: I18nContext, campaign_id: int) -> list[list[InlineKeyboardButton]]:
    return [
        [
            button(i18n.get("survey-card-who"), DeskCb(a="who", c=campaign_id)),
            button(i18n.get("survey-card-remind"), DeskCb(a="remind", c=campaign_id)),
        ],
        [
            button(i18n.get("survey-card-results"), DeskCb(a="res", c=campaign_id)),
            button(i18n.get("survey-card-chart"), DeskCb(a="chart", c=campaign_id)),
        ],
        [button(i18n.get("survey-card-export"), DeskCb(a="xlsx", c=campaign_id))],
        [button(i18n.get("survey-card-back"), DeskCb(a="list"))],
    ]


async def campaign_card(
    query: CallbackQuery,
    callback_data: DeskCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    campaign = await _campaign(query, session, actor, i18n, callback_data.c)
    if campaign is None or not isinstance(query.message, Message):
        return
    item = await campaigns.summary(session, campaign, clock.now())
    await query.answer()
    await query.message.answer(
        _card(i18n, item, timezone_of(actor)),
        reply_markup=keyboard(*_card_rows(i18n, campaign.id)),
    )


async def campaign_completion(
    query: CallbackQuery,
    callback_data: DeskCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    campaign = await _campaign(query, session, actor, i18n, callback_data.c)
    if campaign is None or not isinstance(query.message, Message):
        return
    rows = await campaigns.completion(session, campaign, clock.now())
    done = sum(row.status == "submitted" for row in rows)
    lines = [i18n.get("survey-who-head", done=done, total=len(rows)), ""]
    for row in rows:
        state = "late" if row.late else str(row.status)
        lines.append(
            i18n.get(
                "survey-who-line",
                state=state,
                name=esc(row.name or i18n.get("survey-no-name")),
                role=i18n.get(f"role-{row.role}"),
                phase=str(row.phase),
            )
        )
    await _answer_lines(query, query.message, lines)


async def campaign_remind(
    query: CallbackQuery,
    callback_data: DeskCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    campaign = await _campaign(query, session, actor, i18n, callback_data.c)
    if campaign is None or not isinstance(query.message, Message):
        return
    try:
        responses = await campaigns.take_reminders(session, campaign, clock.now())
    except UserFacingError as error:
        await alert(query, i18n, error)
        return
    delivered = await send_survey_invitations(
        mail, i18n.core, responses, settings.default_language, reminder=True
    )
    await query.answer()
    await query.message.answer(
        i18n.get("survey-reminded", count=len(responses), delivered=delivered)
    )


async def campaign_results(
    query: CallbackQuery,
    callback_data: DeskCb,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    campaign = await _campaign(query, session, actor, i18n, callback_data.c)
    if campaign is None or not isinstance(query.message, Message):
        return
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
    await _answer_lines(query, query.message, lines)


async def campaign_chart(
    query: CallbackQuery,
    callback_data: DeskCb,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    campaign = await _campaign(query, session, actor, i18n, callback_data.c)
    if campaign is None or not isinstance(query.message, Message):
        return
    result = await results.results(session, campaign)
    drawing = chart_labels(i18n, result)
    if drawing is None:
        await query.answer(i18n.get("survey-chart-nothing"), show_alert=True)
        return
    await query.answer()
    picture = await asyncio.to_thread(drawing)
    await query.message.answer_photo(
        BufferedInputFile(picture, filename=f"survey-{campaign.id}.png"),
        caption=_file_caption(i18n, "survey-chart-caption", result),
    )


async def campaign_export(
    query: CallbackQuery,
    callback_data: DeskCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    campaign = await _campaign(query, session, actor, i18n, callback_data.c)
    if campaign is None or not isinstance(query.message, Message):
        return
    result = await results.results(session, campaign)
    if result.respondents == 0:
        await query.answer(i18n.get("survey-results-nobody"), show_alert=True)
        return
    if not result.may_identify:
        await query.answer(i18n.get("survey-export-small-group"), show_alert=True)
        return
    table = await results.swot(session, [campaign])
    document = await export.workbook(
        session, result, table, i18n.locale, export_labels(i18n), timezone_of(actor)
    )
    await query.answer()
    await query.message.answer_document(
        BufferedInputFile(
            document, filename=f"survey-{campaign.id}-{export.now_stamp(clock.now())}.xlsx"
        ),
        caption=_file_caption(i18n, "survey-export-caption", result),
    )


async def year_swot(
    query: CallbackQuery,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    if actor.organisation is None or not isinstance(query.message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    recent = list(
        await session.scalars(
            select(SurveyCampaign)
            .where(
                SurveyCampaign.organisation_id == actor.organisation.id,
                SurveyCampaign.created_at >= clock.now() - SWOT_YEAR,
            )
            .order_by(SurveyCampaign.id)
        )
    )
    table = await results.swot(session, recent)
    lines = [i18n.get("survey-swot-year-head"), "", *render_swot(i18n, table)]
    await _answer_lines(query, query.message, lines)


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(surveys_command, Command("surveys"), flags=DESK)
    router.callback_query.register(desk_list, DeskCb.filter(F.a == "list"), flags=DESK)
    router.callback_query.register(campaign_card, DeskCb.filter(F.a == "open"), flags=DESK)
    router.callback_query.register(campaign_completion, DeskCb.filter(F.a == "who"), flags=DESK)
    router.callback_query.register(campaign_remind, DeskCb.filter(F.a == "remind"), flags=DESK)
    router.callback_query.register(campaign_results, DeskCb.filter(F.a == "res"), flags=DESK)
    router.callback_query.register(campaign_chart, DeskCb.filter(F.a == "chart"), flags=DESK)
    router.callback_query.register(campaign_export, DeskCb.filter(F.a == "xlsx"), flags=DESK)
    router.callback_query.register(year_swot, DeskCb.filter(F.a == "swot"), flags=DESK)
    return router
