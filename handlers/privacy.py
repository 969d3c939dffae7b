"""/privacy: the consent given, my data as a file, and withdrawal with erasure."""

from __future__ import annotations

import json

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import set_person_menu
from bot.mail import Mail
from bot.notify import tell_each
from bot.services import privacy
from bot.services.clock import Clock
from bot.services.people import Actor, desk_recipients
from bot.ui import button, esc, format_moment, keyboard


class PrivacyCb(CallbackData, prefix="priv"):
    action: str  # text, export, withdraw, confirm, keep


async def privacy_command(
    message: Message, session: AsyncSession, actor: Actor, i18n: I18nContext
) -> None:
    membership = actor.primary_membership
    if actor.user is None or membership is None or actor.organisation is None:
        await message.answer(i18n.get("privacy-nothing-stored"))
        return
    consent = await privacy.active_consent(session, membership.id)
    given = (
        i18n.get(
            "privacy-consent-given",
            date=format_moment(consent.given_at, actor.organisation.timezone),
            version=consent.text_version,
        )
        if consent is not None
        else i18n.get("privacy-consent-none")
    )
    await message.answer(
        i18n.get("privacy-summary", organisation=esc(actor.organisation.name)) + "\n" + given,
        reply_markup=keyboard(
            [button(i18n.get("privacy-show-text"), PrivacyCb(action="text"))],
            [button(i18n.get("privacy-export"), PrivacyCb(action="export"))],
            [button(i18n.get("privacy-withdraw"), PrivacyCb(action="withdraw"))],
        ),
    )


async def show_text(query: CallbackQuery, actor: Actor, i18n: I18nContext) -> None:
    await query.answer()
    if actor.organisation is not None and isinstance(query.message, Message):
        await query.message.answer(
            i18n.get("consent-personal-data", organisation=esc(actor.organisation.name))
        )


async def export(
    query: CallbackQuery, session: AsyncSession, actor: Actor, i18n: I18nContext
) -> None:
    if actor.user is None or not isinstance(query.message, Message):
        await query.answer(i18n.get("privacy-nothing-stored"), show_alert=True)
        return
    await query.answer()
    document = await privacy.export(session, actor.user)
    await query.message.answer_document(
        BufferedInputFile(document, filename="nastavnik-my-data.json"),
        caption=i18n.get("privacy-export-caption"),
    )
    text = privacy.readable(json.loads(document), lambda kind: i18n.get(f"export-section-{kind}"))
    await query.message.answer_document(
        BufferedInputFile(text, filename="nastavnik-my-data.txt"),
        caption=i18n.get("privacy-export-text-caption"),
    )


async def ask_withdraw(query: CallbackQuery, actor: Actor, i18n: I18nContext) -> None:
    if actor.organisation is None or not isinstance(query.message, Message):
        await query.answer(i18n.get("privacy-nothing-stored"), show_alert=True)
        return
    await query.answer()
    await query.message.answer(
        i18n.get("privacy-withdraw-confirm", organisation=esc(actor.organisation.name)),
        reply_markup=keyboard(
            [button(i18n.get("privacy-withdraw-yes"), PrivacyCb(action="confirm"))],
            [button(i18n.get("privacy-withdraw-no"), PrivacyCb(action="keep"))],
        ),
    )


async def keep(query: CallbackQuery, i18n: I18nContext) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(i18n.get("privacy-kept"))


async def withdraw(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    bot: Bot,
    mail: Mail,
    i18n: I18nContext,
) -> None:
    if actor.user is None or actor.organisation is None or not actor.roles:
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await query.answer()
    organisation = actor.organisation
    result = await privacy.withdraw(session, actor.user, organisation.id, clock.now())
    await state.clear()
    if isinstance(query.message, Message):
        await query.message.edit_text(
            i18n.get("privacy-withdrawn", organisation=esc(organisation.name))
        )
    await set_person_menu(bot, i18n.core, session, actor.telegram_id, actor.is_admin, i18n.locale)
    await privacy.forget_account(session, actor.user)
    recipients = [
        person
        for person in await desk_recipients(session, organisation.id)
        if person.telegram_id != actor.telegram_id
    ]
    core = i18n.core

    def render(locale: str) -> str:
        roles = ", ".join(core.get(f"role-{role}", locale) for role in result.roles)
        return core.get("desk-consent-withdrawn", locale, roles=roles)

    await tell_each(mail, recipients, render, i18n.locale)
    for pair_id in result.ended_pairs:

        def ended(locale: str, number: int = pair_id) -> str:
            return core.get("pair-ended-consent-withdrawn", locale, number=number)

        await tell_each(mail, result.told, ended, i18n.locale, purpose="pair")
    for pair_id in result.left_groups:

        def left(locale: str, number: int = pair_id) -> str:
            return core.get("pair-left-consent-withdrawn", locale, number=number)

        await tell_each(mail, result.told_left, left, i18n.locale, purpose="pair")


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(privacy_command, Command("privacy"))
    router.callback_query.register(show_text, PrivacyCb.filter(F.action == "text"))
    router.callback_query.register(export, PrivacyCb.filter(F.action == "export"))
    router.callback_query.register(ask_withdraw, PrivacyCb.filter(F.action == "withdraw"))
    router.callback_query.register(keep, PrivacyCb.filter(F.action == "keep"))
    router.callback_query.register(withdraw, PrivacyCb.filter(F.action == "confirm"))
    return router
