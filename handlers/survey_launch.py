"""Launching a questionnaire from /surveys: which one, to whom, by when, then send it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.mail import Mail
from bot.services.clock import Clock
from bot.services.errors import UserFacingError
from bot.services.people import Actor
from bot.services.questionnaires import campaigns
from bot.services.questionnaires.answering import parse_day
from bot.services.questionnaires.campaigns import Audience, AudienceKind
from bot.survey_invite import send_survey_invitations
from bot.ui import button, error_text, esc, keyboard
from handlers.survey_desk import (
    DESK,
    DeskCb,
    SurveyLaunch,
    alert,
    local_date,
    organisation_id_of,
    timezone_of,
)
from models import Role

PEOPLE_PAGE = 8
DEADLINE_DAYS = ("3", "7", "14")
AUDIENCE_ROLES = (Role.MENTEE, Role.MENTOR, Role.CURATOR, Role.HEAD, Role.PSYCHOLOGIST)


async def launch_new(
    query: CallbackQuery, state: FSMContext, actor: Actor, i18n: I18nContext
) -> None:
    if actor.organisation is None or not isinstance(query.message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await state.set_state(SurveyLaunch.setup)
    await state.set_data({})
    rows = [
        [button(q.title.get(i18n.locale), DeskCb(a="q", v=q.id))] for q in campaigns.launchable()
    ]
    rows.append([button(i18n.get("survey-desk-cancel"), DeskCb(a="stop"))])
    await query.answer()
    await query.message.answer(i18n.get("survey-launch-choose"), reply_markup=keyboard(*rows))


async def _audience_buttons(
    session: AsyncSession, organisation_id: int, i18n: I18nContext
) -> list[list[InlineKeyboardButton]]:
    rows = []
    for role in AUDIENCE_ROLES:
        reached = await campaigns.audience_members(
            session, organisation_id, Audience(AudienceKind.ROLE, role=role)
        )
        rows.append(
            [
                button(
                    i18n.get("survey-audience-role", role=role.value, count=len(reached)),
                    DeskCb(a="aud", v=role.value),
                )
            ]
        )
    in_pairs = await campaigns.audience_members(
        session, organisation_id, Audience(AudienceKind.PAIRS)
    )
    rows.insert(
        2,
        [
            button(
                i18n.get("survey-audience-pairs", count=len(in_pairs)),
                DeskCb(a="aud", v="pairs"),
            )
        ],
    )
    rows.append([button(i18n.get("survey-audience-people"), DeskCb(a="aud", v="people"))])
    rows.append([button(i18n.get("survey-desk-cancel"), DeskCb(a="stop"))])
    return rows


async def launch_questionnaire(
    query: CallbackQuery,
    callback_data: DeskCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    chosen = {q.id: q for q in campaigns.launchable()}.get(callback_data.v)
    if chosen is None or actor.organisation is None or not isinstance(query.message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await state.set_data({"code": chosen.id})
    await query.answer()
    await query.message.edit_text(
        i18n.get("survey-launch-audience", title=esc(chosen.title.get(i18n.locale))),
        reply_markup=keyboard(*await _audience_buttons(session, actor.organisation.id, i18n)),
    )


def _parse_audience(value: str) -> tuple[AudienceKind, Role | None] | None:
    """A button's audience: a role's value, "pairs" or "people"."""
    if value in (AudienceKind.PAIRS, AudienceKind.PEOPLE):
        return AudienceKind(value), None
    if value in {role.value for role in AUDIENCE_ROLES}:
        return AudienceKind.ROLE, Role(value)
    return None


async def _people_page(
    session: AsyncSession, organisation_id: int, i18n: I18nContext, chosen: set[int], page: int
) -> tuple[str, list[list[InlineKeyboardButton]]]:
    everyone = await campaigns.members(session, organisation_id)
    pages = max(1, -(-len(everyone) // PEOPLE_PAGE))
    page = min(max(page, 0), pages - 1)
    rows = [
        [
            button(
                ("✅ " if m.membership_id in chosen else "")
                + i18n.get(
                    "survey-person-button",
                    name=m.name or i18n.get("survey-no-name"),
                    role=i18n.get(f"role-{m.role}"),
                ),
                DeskCb(a="tog", c=page, v=str(m.membership_id)),
            )
        ]
        for m in everyone[page * PEOPLE_PAGE : (page + 1) * PEOPLE_PAGE]
    ]
    navigation = []
    if page > 0:
        navigation.append(button("◀", DeskCb(a="ppl", c=page - 1)))
    if page + 1 < pages:
        navigation.append(button("▶", DeskCb(a="ppl", c=page + 1)))
    rows.append(navigation)
    rows.append([button(i18n.get("survey-done"), DeskCb(a="pdone"))])
    rows.append([button(i18n.get("survey-desk-cancel"), DeskCb(a="stop"))])
    text = i18n.get("survey-launch-people", count=len(chosen), page=page + 1, pages=pages)
    return text, rows


async def _ask_deadline(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(SurveyLaunch.deadline)
    rows = [
        [
            button(i18n.get("survey-deadline-days", days=int(days)), DeskCb(a="dl", v=days))
            for days in DEADLINE_DAYS
        ],
        [button(i18n.get("survey-desk-cancel"), DeskCb(a="stop"))],
    ]
    await message.answer(i18n.get("survey-launch-deadline"), reply_markup=keyboard(*rows))


async def launch_audience(
    query: CallbackQuery,
    callback_data: DeskCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    parsed = _parse_audience(callback_data.v)
    data = await state.get_data()
    if (
        parsed is None
        or "code" not in data
        or actor.organisation is None
        or not isinstance(query.message, Message)
    ):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    kind, role = parsed
    await state.update_data(audience=kind.value, role=role.value if role else None, people=[])
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    if kind is AudienceKind.PEOPLE:
        text, rows = await _people_page(session, actor.organisation.id, i18n, set(), 0)
        await query.message.answer(text, reply_markup=keyboard(*rows))
        return
    await _ask_deadline(query.message, state, i18n)


async def launch_people(
    query: CallbackQuery,
    callback_data: DeskCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    data = await state.get_data()
    if (
        data.get("audience") != AudienceKind.PEOPLE
        or actor.organisation is None
        or not isinstance(query.message, Message)
    ):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    chosen = {int(i) for i in data.get("people", [])}
    if callback_data.a == "tog":
        members = {
            m.membership_id for m in await campaigns.members(session, actor.organisation.id)
        }
        person = int(callback_data.v) if callback_data.v.isdigit() else 0
        if person not in members:  # forged, or no longer a member
            await query.answer(i18n.get("error-not-found"), show_alert=True)
            return
        chosen ^= {person}
        await state.update_data(people=sorted(chosen))
    text, rows = await _people_page(session, actor.organisation.id, i18n, chosen, callback_data.c)
    await query.answer()
    await query.message.edit_text(text, reply_markup=keyboard(*rows))


async def launch_people_done(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    data = await state.get_data()
    if data.get("audience") != AudienceKind.PEOPLE or not isinstance(query.message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    if not data.get("people"):
        await query.answer(i18n.get("survey-error-audience-empty"), show_alert=True)
        return
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    await _ask_deadline(query.message, state, i18n)


def _audience_of(data: dict[str, Any]) -> Audience:
    kind = AudienceKind(str(data["audience"]))
    role = Role(str(data["role"])) if data.get("role") else None
    people = tuple(int(i) for i in data.get("people") or [])
    return Audience(kind, role=role, membership_ids=people)


async def _confirm(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
    deadline: datetime,
) -> None:
    data = await state.get_data()
    organisation_id = organisation_id_of(actor)
    audience = _audience_of(data)
    reached = await campaigns.audience_members(session, organisation_id, audience)
    questionnaire = {q.id: q for q in campaigns.launchable()}[str(data["code"])]
    await state.set_state(SurveyLaunch.setup)
    await state.update_data(deadline=deadline.isoformat())
    await message.answer(
        i18n.get(
            "survey-launch-confirm",
            title=esc(questionnaire.title.get(i18n.locale)),
            audience=_audience_words(i18n, audience),
            count=len(reached),
            due=local_date(deadline, timezone_of(actor)),
        ),
        reply_markup=keyboard(
            [button(i18n.get("survey-launch-go"), DeskCb(a="go"))],
            [button(i18n.get("survey-desk-cancel"), DeskCb(a="stop"))],
        ),
    )


def _audience_words(i18n: I18nContext, audience: Audience) -> str:
    if audience.kind is AudienceKind.ROLE and audience.role is not None:
        return i18n.get("survey-audience-is-role", role=audience.role.value)
    if audience.kind is AudienceKind.PAIRS:
        return i18n.get("survey-audience-is-pairs")
    return i18n.get("survey-audience-is-people")


async def launch_deadline_button(
    query: CallbackQuery,
    callback_data: DeskCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    if callback_data.v not in DEADLINE_DAYS or not isinstance(query.message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    timezone = timezone_of(actor)
    day = clock.today(timezone) + timedelta(days=int(callback_data.v))
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    try:
        await _confirm(
            query.message, state, session, actor, i18n, campaigns.deadline_at(day, timezone)
        )
    except UserFacingError as error:
        await query.message.answer(error_text(i18n, error))


async def launch_deadline_typed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    timezone = timezone_of(actor)
    try:
        day = parse_day(message.text, clock.today(timezone))
        deadline = campaigns.check_deadline(campaigns.deadline_at(day, timezone), clock.now())
        await _confirm(message, state, session, actor, i18n, deadline)
    except UserFacingError as error:
        await message.answer(error_text(i18n, error))
        await message.answer(i18n.get("survey-launch-deadline"))


async def launch_deadline_not_text(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("survey-launch-deadline"))


async def launch_go(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    data = await state.get_data()
    if not {"code", "audience", "deadline"} <= set(data) or not isinstance(query.message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    curator = actor.membership(Role.CURATOR) or actor.membership(Role.HEAD)
    try:
        campaign, responses = await campaigns.launch(
            session,
            organisation_id=organisation_id_of(actor),
            code=str(data["code"]),
            audience=_audience_of(data),
            deadline=datetime.fromisoformat(str(data["deadline"])),
            created_by_membership_id=curator.id if curator else None,
            now=clock.now(),
        )
    except UserFacingError as error:
        await alert(query, i18n, error)
        return
    await state.clear()
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    delivered = await send_survey_invitations(
        mail, i18n.core, responses, settings.default_language
    )
    await query.message.answer(
        i18n.get("survey-launched", count=len(responses), delivered=delivered),
        reply_markup=keyboard(
            [button(i18n.get("survey-desk-open"), DeskCb(a="open", c=campaign.id))]
        ),
    )


async def launch_use_buttons(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("survey-launch-use-buttons"))


async def launch_stop(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    if await state.get_state() in (SurveyLaunch.setup.state, SurveyLaunch.deadline.state):
        await state.clear()
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(i18n.get("survey-launch-cancelled"))


async def launch_stale(query: CallbackQuery, i18n: I18nContext) -> None:
    await query.answer(i18n.get("error-stale-button"), show_alert=True)


def router() -> Router:
    router = Router(name=__name__)
    # Every message handler here is a step of the dialog: other states skip the router.
    router.message.filter(StateFilter(SurveyLaunch))
    router.callback_query.register(launch_new, DeskCb.filter(F.a == "new"), flags=DESK)
    router.callback_query.register(
        launch_questionnaire, DeskCb.filter(F.a == "q"), SurveyLaunch.setup, flags=DESK
    )
    router.callback_query.register(
        launch_audience, DeskCb.filter(F.a == "aud"), SurveyLaunch.setup, flags=DESK
    )
    router.callback_query.register(
        launch_people, DeskCb.filter(F.a.in_({"ppl", "tog"})), SurveyLaunch.setup, flags=DESK
    )
    router.callback_query.register(
        launch_people_done, DeskCb.filter(F.a == "pdone"), SurveyLaunch.setup, flags=DESK
    )
    router.callback_query.register(
        launch_deadline_button, DeskCb.filter(F.a == "dl"), SurveyLaunch.deadline, flags=DESK
    )
    router.message.register(
        launch_deadline_typed, SurveyLaunch.deadline, F.text, ~F.text.startswith("/"), flags=DESK
    )
    router.message.register(launch_deadline_not_text, SurveyLaunch.deadline, ~F.text, flags=DESK)
    router.callback_query.register(
        launch_go, DeskCb.filter(F.a == "go"), SurveyLaunch.setup, flags=DESK
    )
    router.message.register(
        launch_use_buttons, SurveyLaunch.setup, ~F.text.startswith("/"), flags=DESK
    )
    router.callback_query.register(launch_stop, DeskCb.filter(F.a == "stop"), flags=DESK)
    router.callback_query.register(
        launch_stale, DeskCb.filter(F.a.in_({"q", "aud", "ppl", "tog", "pdone", "dl", "go"}))
    )
    return router
