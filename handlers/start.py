"""/start: a deep link with an invitation code, then the consent to personal data processing."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import CommandObject, CommandStart, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import set_person_menu
from bot.services import invitations, onboarding
from bot.services.clock import Clock
from bot.services.errors import UserFacingError
from bot.services.invitations import CodeStatus
from bot.services.people import Actor
from bot.ui import button, error_text, esc, keyboard
from handlers.join import ask_next, resume_form
from handlers.states import Onboarding


class ConsentCb(CallbackData, prefix="consent"):
    agree: bool


CODE_PROBLEMS = {
    CodeStatus.UNKNOWN: "start-code-unknown",
    CodeStatus.EXPIRED: "start-code-expired",
    CodeStatus.REVOKED: "start-code-revoked",
    CodeStatus.USED_UP: "start-code-used-up",
}


def consent_keyboard(i18n: I18nContext) -> InlineKeyboardMarkup:
    return keyboard(
        [button(i18n.get("consent-agree"), ConsentCb(agree=True))],
        [button(i18n.get("consent-decline"), ConsentCb(agree=False))],
    )


async def start_with_code(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    checked = await invitations.check(session, command.args or "", clock.now())
    if checked.status is not CodeStatus.VALID or checked.invitation is None:
        await message.answer(i18n.get(CODE_PROBLEMS[checked.status]))
        return
    invitation, organisation = checked.invitation, checked.organisation
    assert organisation is not None
    existing = (
        await onboarding.active_membership(
            session, actor.user.id, invitation.organisation_id, invitation.role
        )
        if actor.user is not None
        else None
    )
    if actor.user is not None and existing is not None:
        actor.user.active_organisation_id = invitation.organisation_id
        await message.answer(i18n.get("start-already-member", organisation=esc(organisation.name)))
        await resume_form(message, state, session, actor, i18n, existing)
        return
    await state.set_state(Onboarding.consent)
    await state.set_data({"invitation_id": invitation.id})
    await message.answer(
        i18n.get(
            "start-greeting",
            organisation=esc(organisation.name),
            role=i18n.get(f"role-{invitation.role}"),
        )
    )
    await message.answer(
        i18n.get("consent-personal-data", organisation=esc(organisation.name)),
        reply_markup=consent_keyboard(i18n),
    )


async def start_plain(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    if await state.get_state() == Onboarding.consent.state:
        await message.answer(i18n.get("consent-waiting"), reply_markup=consent_keyboard(i18n))
        return
    if actor.organisation is None:
        key = "start-admin" if actor.is_admin else "start-no-code"
        await message.answer(i18n.get(key))
        return
    await message.answer(i18n.get("start-welcome-back", organisation=esc(actor.organisation.name)))
    await resume_form(message, state, session, actor, i18n)


async def consent_answered(
    query: CallbackQuery,
    callback_data: ConsentCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    bot: Bot,
    i18n: I18nContext,
) -> None:
    message = query.message
    if not isinstance(message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await query.answer()
    await message.edit_reply_markup(reply_markup=None)
    if not callback_data.agree:
        await state.clear()
        await message.answer(i18n.get("consent-declined"))
        return
    invitation_id = int((await state.get_data())["invitation_id"])
    try:
        membership = await onboarding.join(
            session,
            telegram_id=query.from_user.id,
            language=i18n.locale,
            invitation_id=invitation_id,
            now=clock.now(),
        )
    except UserFacingError as error:
        await state.clear()
        await message.answer(error_text(i18n, error))
        return
    await message.answer(i18n.get("consent-thanks"))
    await set_person_menu(bot, i18n.core, session, query.from_user.id, actor.is_admin, i18n.locale)
    profile = await onboarding.ensure_profile(session, membership, clock.now())
    await ask_next(
        message,
        state,
        membership,
        profile,
        i18n,
        session=session,
        was_complete=True,
    )


async def consent_stale(query: CallbackQuery, i18n: I18nContext) -> None:
    await query.answer(i18n.get("error-stale-button"), show_alert=True)


async def consent_waiting(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("consent-waiting"), reply_markup=consent_keyboard(i18n))


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(start_with_code, CommandStart(deep_link=True))
    router.message.register(start_plain, CommandStart())
    router.callback_query.register(consent_answered, ConsentCb.filter(), Onboarding.consent)
    router.callback_query.register(consent_stale, ConsentCb.filter())
    # The consent step's messages, on a router of their own: other states skip it.
    form = Router(name=f"{__name__}.form")
    form.message.filter(StateFilter(Onboarding))
    form.message.register(consent_waiting, Onboarding.consent, ~F.text.startswith("/"))
    router.include_router(form)
    return router
