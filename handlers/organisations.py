"""/neworg for administrators, /org to switch between one's organisations."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import set_person_menu
from bot.config import Settings
from bot.services import invitations, organisations
from bot.services.clock import Clock
from bot.services.errors import UserFacingError
from bot.services.people import Actor, organisations_of
from bot.ui import button, error_text, esc, keyboard
from handlers.invitations import send_link
from handlers.states import OrganisationForm
from models import Role


class ZoneCb(CallbackData, prefix="tz"):
    zone: str


class CuratorCb(CallbackData, prefix="orgcur"):
    myself: bool


class SwitchCb(CallbackData, prefix="orgsw"):
    organisation_id: int


async def new_organisation(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    await state.set_state(OrganisationForm.name)
    await message.answer(i18n.get("org-ask-name"))


async def got_name(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    try:
        name = organisations.parse_name(message.text)
    except UserFacingError as error:
        await message.answer(error_text(i18n, error) + "\n" + i18n.get("org-ask-name"))
        return
    await state.update_data(name=name)
    await state.set_state(OrganisationForm.short_name)
    await message.answer(i18n.get("org-ask-short-name"))


async def got_short_name(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    try:
        short_name = organisations.parse_short_name(message.text)
    except UserFacingError as error:
        await message.answer(error_text(i18n, error) + "\n" + i18n.get("org-ask-short-name"))
        return
    await state.update_data(short_name=short_name)
    await state.set_state(OrganisationForm.timezone)
    await ask_zone(message, i18n)


async def ask_zone(message: Message, i18n: I18nContext) -> None:
    rows = [
        [button(i18n.get(f"tz-{zone.replace('/', '-')}"), ZoneCb(zone=zone))]
        for zone in organisations.RUSSIAN_ZONES
    ]
    await message.answer(i18n.get("org-ask-timezone"), reply_markup=keyboard(*rows))


async def _zone_chosen(message: Message, state: FSMContext, zone: str, i18n: I18nContext) -> None:
    await state.update_data(timezone=zone)
    await state.set_state(OrganisationForm.curator)
    await message.answer(
        i18n.get("org-ask-curator"),
        reply_markup=keyboard(
            [button(i18n.get("org-curator-myself"), CuratorCb(myself=True))],
            [button(i18n.get("org-curator-invite"), CuratorCb(myself=False))],
        ),
    )


async def typed_zone(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    try:
        zone = organisations.parse_timezone(message.text)
    except UserFacingError as error:
        await message.answer(error_text(i18n, error))
        await ask_zone(message, i18n)
        return
    await _zone_chosen(message, state, zone, i18n)


async def tapped_zone(
    query: CallbackQuery, callback_data: ZoneCb, state: FSMContext, i18n: I18nContext
) -> None:
    if callback_data.zone not in organisations.RUSSIAN_ZONES or not isinstance(
        query.message, Message
    ):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    await _zone_chosen(query.message, state, callback_data.zone, i18n)


async def curator_chosen(
    query: CallbackQuery,
    callback_data: CuratorCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    bot: Bot,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    if not isinstance(query.message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    data = await state.get_data()
    await state.clear()
    organisation = await organisations.create(
        session,
        name=data["name"],
        short_name=data["short_name"],
        timezone=data["timezone"],
        creator_telegram_id=actor.telegram_id,
        creator_language=i18n.locale,
        creator_is_curator=callback_data.myself,
        now=clock.now(),
    )
    await query.message.answer(
        i18n.get("org-created", name=esc(organisation.name), timezone=organisation.timezone)
    )
    if callback_data.myself:
        await set_person_menu(
            bot, i18n.core, session, actor.telegram_id, actor.is_admin, i18n.locale
        )
        await query.message.answer(i18n.get("org-you-are-curator"))
        return
    invitation = await invitations.create(
        session,
        organisation_id=organisation.id,
        role=Role.CURATOR,
        created_by_user_id=actor.user.id if actor.user else None,
        now=clock.now(),
        max_uses=1,
        days=settings.invitation_days,
    )
    await send_link(query.message, bot, invitation, organisation.timezone, i18n)


async def org_expected_text(message: Message, i18n: I18nContext) -> None:
    key = "form-unknown-command" if (message.text or "").startswith("/") else "error-expected-text"
    await message.answer(i18n.get(key))


async def switch_organisation(
    message: Message, session: AsyncSession, actor: Actor, i18n: I18nContext
) -> None:
    if actor.user is None:
        await message.answer(i18n.get("profile-none"))
        return
    organisations_list = await organisations_of(session, actor.user.id)
    if not organisations_list:
        await message.answer(i18n.get("profile-none"))
        return
    current = actor.organisation.id if actor.organisation else None
    rows = [
        [
            button(
                ("• " if org.id == current else "") + org.short_name,
                SwitchCb(organisation_id=org.id),
            )
        ]
        for org in organisations_list
    ]
    await message.answer(i18n.get("org-choose"), reply_markup=keyboard(*rows))


async def switched(
    query: CallbackQuery,
    callback_data: SwitchCb,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    mine = await organisations_of(session, actor.user.id) if actor.user else []
    chosen = next((org for org in mine if org.id == callback_data.organisation_id), None)
    if chosen is None or actor.user is None or not isinstance(query.message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    actor.user.active_organisation_id = chosen.id
    await query.answer()
    await query.message.edit_text(i18n.get("org-switched", name=esc(chosen.name)))


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(new_organisation, Command("neworg"), flags={"admin": True})
    router.callback_query.register(tapped_zone, OrganisationForm.timezone, ZoneCb.filter())
    router.callback_query.register(
        curator_chosen, OrganisationForm.curator, CuratorCb.filter(), flags={"admin": True}
    )
    # The new organisation's typed steps, on a router of their own: other states skip it.
    form = Router(name=f"{__name__}.form")
    form.message.filter(StateFilter(OrganisationForm))
    form.message.register(got_name, OrganisationForm.name, F.text, ~F.text.startswith("/"))
    form.message.register(
        got_short_name, OrganisationForm.short_name, F.text, ~F.text.startswith("/")
    )
    form.message.register(typed_zone, OrganisationForm.timezone, F.text, ~F.text.startswith("/"))
    form.message.register(org_expected_text, OrganisationForm.name)
    form.message.register(org_expected_text, OrganisationForm.short_name)
    form.message.register(org_expected_text, OrganisationForm.timezone)
    # /org after the form, where it always was: the form's catch-all answers it mid-form.
    switching = Router(name=f"{__name__}.switching")
    switching.message.register(switch_organisation, Command("org"))
    switching.callback_query.register(switched, SwitchCb.filter())
    router.include_routers(form, switching)
    return router
