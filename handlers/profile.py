"""/profile: what the bank holds about me, and editing it field by field."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import onboarding
from bot.services import profile_form as form
from bot.services.people import Actor
from bot.ui import button, esc, keyboard
from handlers.cards import ProfileCb, show_profile
from handlers.join import ask, resume_form
from models import Membership, Profile, Role


async def profile_command(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    membership = actor.bank_membership or actor.primary_membership
    if membership is None:
        await message.answer(i18n.get("profile-none"))
        return
    profile = await onboarding.profile_of(session, membership.id)
    if profile is None:
        await message.answer(
            i18n.get(
                "profile-staff-only",
                role=i18n.get(f"role-{membership.role}"),
                organisation=esc(actor.organisation.name if actor.organisation else "—"),
            )
        )
        return
    await show_profile(message, session, membership, profile, i18n)


async def _own_profile(session: AsyncSession, actor: Actor) -> tuple[Membership, Profile] | None:
    membership = actor.bank_membership or actor.primary_membership
    if membership is None:
        return None
    profile = await onboarding.profile_of(session, membership.id)
    return None if profile is None else (membership, profile)


async def choose_field(
    query: CallbackQuery, session: AsyncSession, actor: Actor, i18n: I18nContext
) -> None:
    own = await _own_profile(session, actor)
    if own is None or not isinstance(query.message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    membership, _ = own
    rows = [
        [button(i18n.get(f"field-{q.field}"), ProfileCb(action="edit", field=q.field))]
        for q in form.questions_for(Role(membership.role))
    ]
    await query.answer()
    await query.message.answer(i18n.get("profile-choose-field"), reply_markup=keyboard(*rows))


async def edit_field(
    query: CallbackQuery,
    callback_data: ProfileCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    own = await _own_profile(session, actor)
    question = form.BY_FIELD.get(callback_data.field)
    if (
        own is None
        or question is None
        or Role(own[0].role) not in question.roles
        or not isinstance(query.message, Message)
    ):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await query.answer()
    await ask(query.message, state, own[0], own[1], question, i18n, edit=True)


async def continue_form(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    await query.answer()
    if not isinstance(query.message, Message):
        return
    if not await resume_form(query.message, state, session, actor, i18n):
        await query.message.answer(i18n.get("form-complete"))


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(profile_command, Command("profile"))
    router.callback_query.register(choose_field, ProfileCb.filter(F.action == "fields"))
    router.callback_query.register(edit_field, ProfileCb.filter(F.action == "edit"))
    router.callback_query.register(continue_form, ProfileCb.filter(F.action == "continue"))
    return router
