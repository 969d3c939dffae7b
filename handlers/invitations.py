"""/invite makes a deep link for a role; /invites lists the live ones and revokes them."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, Message
from aiogram.utils.deep_linking import create_start_link
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.services import invitations
from bot.services.clock import Clock
from bot.services.errors import UserFacingError
from bot.services.people import Actor
from bot.ui import button, error_text, format_moment, keyboard
from handlers.roles import DESK
from models import Invitation, Role

NO_LIMIT = 0


class InviteCb(CallbackData, prefix="inv"):
    action: str  # role, limit, revoke
    role: str = ""
    limit: int = NO_LIMIT
    invitation_id: int = 0


async def send_link(
    message: Message, bot: Bot, invitation: Invitation, timezone: str, i18n: I18nContext
) -> None:
    link = await create_start_link(bot, invitation.code)
    uses = (
        i18n.get("invite-uses-unlimited")
        if invitation.max_uses is None
        else i18n.get("invite-uses", count=invitation.max_uses)
    )
    await message.answer(
        i18n.get(
            "invite-created",
            role=i18n.get(f"role-{invitation.role}"),
            link=link,
            expires=format_moment(invitation.expires_at, timezone),
            uses=uses,
        )
    )


async def invite(message: Message, actor: Actor, i18n: I18nContext) -> None:
    roles = invitations.roles_may_invite(actor.roles, actor.is_admin)
    if actor.organisation is None or not roles:
        await message.answer(i18n.get("invite-no-organisation"))
        return
    rows = [
        [button(i18n.get(f"role-{role}"), InviteCb(action="role", role=role))] for role in roles
    ]
    await message.answer(
        i18n.get("invite-choose-role", organisation=actor.organisation.short_name),
        reply_markup=keyboard(*rows),
    )


def _allowed_role(actor: Actor, role: str) -> bool:
    return role in invitations.roles_may_invite(actor.roles, actor.is_admin)


async def invite_role(
    query: CallbackQuery, callback_data: InviteCb, actor: Actor, i18n: I18nContext
) -> None:
    if not _allowed_role(actor, callback_data.role) or not isinstance(query.message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await query.answer()
    rows = [
        [
            button(
                i18n.get("invite-uses", count=limit)
                if limit
                else i18n.get("invite-uses-unlimited"),
                InviteCb(action="limit", role=callback_data.role, limit=limit or NO_LIMIT),
            )
        ]
        for limit in invitations.USE_LIMITS
    ]
    await query.message.edit_text(
        i18n.get("invite-choose-limit", role=i18n.get(f"role-{callback_data.role}")),
        reply_markup=keyboard(*rows),
    )


async def invite_limit(
    query: CallbackQuery,
    callback_data: InviteCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    bot: Bot,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    limits = {limit or NO_LIMIT for limit in invitations.USE_LIMITS}
    if (
        actor.organisation is None
        or not _allowed_role(actor, callback_data.role)
        or callback_data.limit not in limits
        or not isinstance(query.message, Message)
    ):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    invitation = await invitations.create(
        session,
        organisation_id=actor.organisation.id,
        role=Role(callback_data.role),
        created_by_user_id=actor.user.id if actor.user else None,
        now=clock.now(),
        max_uses=callback_data.limit or None,
        days=settings.invitation_days,
    )
    await send_link(query.message, bot, invitation, actor.organisation.timezone, i18n)


async def list_invites(
    message: Message,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    bot: Bot,
    i18n: I18nContext,
) -> None:
    if actor.organisation is None:
        await message.answer(i18n.get("invite-no-organisation"))
        return
    live = await invitations.list_active(session, actor.organisation.id, clock.now())
    if not live:
        await message.answer(i18n.get("invites-none"))
        return
    lines, rows = [], []
    for number, invitation in enumerate(live, start=1):
        link = await create_start_link(bot, invitation.code)
        lines.append(
            i18n.get(
                "invites-line",
                number=number,
                role=i18n.get(f"role-{invitation.role}"),
                used=invitation.used_count,
                limit=invitation.max_uses or "∞",
                expires=format_moment(invitation.expires_at, actor.organisation.timezone),
                link=link,
            )
        )
        rows.append(
            [
                button(
                    i18n.get("invites-revoke", number=number),
                    InviteCb(action="revoke", invitation_id=invitation.id),
                )
            ]
        )
    await message.answer(
        i18n.get("invites-header") + "\n\n" + "\n\n".join(lines),
        reply_markup=keyboard(*rows),
    )


async def revoke(
    query: CallbackQuery,
    callback_data: InviteCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    if actor.organisation is None:
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    try:
        invitation = await invitations.revoke(
            session, actor.organisation.id, callback_data.invitation_id, clock.now()
        )
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    await query.answer(
        i18n.get("invite-revoked", role=i18n.get(f"role-{invitation.role}")),
        show_alert=True,
    )


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(invite, Command("invite"), flags=DESK)
    router.callback_query.register(invite_role, InviteCb.filter(F.action == "role"), flags=DESK)
    router.callback_query.register(invite_limit, InviteCb.filter(F.action == "limit"), flags=DESK)
    router.message.register(list_invites, Command("invites"), flags=DESK)
    router.callback_query.register(revoke, InviteCb.filter(F.action == "revoke"), flags=DESK)
    return router
