"""The psychologist's side of roadmap stage 5: mentees handed over for support (from /pair), the
list of them in /support, and marking the support given."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.mail import Mail
from bot.services import referrals
from bot.services.clock import Clock
from bot.services.errors import UserFacingError
from bot.services.pair_members import contacts
from bot.services.people import Actor
from bot.ui import button, error_text, esc, format_date, keyboard, options_label
from handlers.pair_ui import full_name, send, short_name, translator
from handlers.roles import PSYCHOLOGIST
from models import Role


class ReferralCb(CallbackData, prefix="psy"):
    action: str  # close
    referral_id: int


async def tell_psychologist(
    session: AsyncSession,
    mail: Mail,
    i18n: I18nContext,
    default_locale: str,
    referred: referrals.Referred,
) -> None:
    """The psychologist learns whom to support and how to reach them."""
    psychologist = referred.psychologist
    get = translator(i18n, psychologist.language or default_locale)
    people = await contacts(session, [r.mentee_membership_id for r in referred.referrals])
    no_name = get("pair-no-name")
    names = ", ".join(
        full_name(people[r.mentee_membership_id].full_name, no_name) for r in referred.referrals
    )
    note = referred.referrals[0].note
    text = get("referral-told", count=len(referred.referrals), mentees=names)
    if note:
        text += "\n" + get("referral-told-note", note=esc(note))
    await send(mail, psychologist, text)


async def render_support(
    session: AsyncSession, actor: Actor, i18n: I18nContext
) -> tuple[str, InlineKeyboardMarkup | None]:
    membership = actor.membership(Role.PSYCHOLOGIST)
    rows = await referrals.open_for(session, membership.id) if membership else []
    if not rows:
        return i18n.get("referral-none"), None
    zone = actor.organisation.timezone if actor.organisation else "UTC"
    no_name = i18n.get("pair-no-name")
    blocks = [i18n.get("referral-header", count=len(rows))]
    buttons = []
    for row in rows:
        blocks.append(
            i18n.get(
                "referral-line",
                name=full_name(row.full_name, no_name),
                phone=esc(row.phone) if row.phone else "—",
                request=esc(row.main_request) if row.main_request else "—",
                difficulties=options_label(
                    i18n, "difficulties", row.difficulties, row.difficulties_other
                ),
                since=format_date(row.referral.created_at.astimezone(ZoneInfo(zone)).date()),
                note=esc(row.referral.note) if row.referral.note else "—",
                paired=str(row.has_pair).lower(),
            )
        )
        buttons.append(
            [
                button(
                    i18n.get("referral-close", name=short_name(row.full_name, no_name)),
                    ReferralCb(action="close", referral_id=row.referral.id),
                )
            ]
        )
    return "\n\n".join(blocks), keyboard(*buttons)


async def support_command(
    message: Message, session: AsyncSession, actor: Actor, i18n: I18nContext
) -> None:
    text, markup = await render_support(session, actor, i18n)
    await message.answer(text, reply_markup=markup)


async def support_given(
    query: CallbackQuery,
    callback_data: ReferralCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    membership = actor.membership(Role.PSYCHOLOGIST)
    try:
        if membership is None or callback_data.action != "close":
            raise UserFacingError("error-not-found")
        await referrals.close(session, callback_data.referral_id, membership.id, now=clock.now())
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    await query.answer(i18n.get("referral-closed"))
    text, markup = await render_support(session, actor, i18n)
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=markup)


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(support_command, Command("support"), flags=PSYCHOLOGIST)
    router.callback_query.register(support_given, ReferralCb.filter(), flags=PSYCHOLOGIST)
    return router
