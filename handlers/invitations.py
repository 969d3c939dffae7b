"""/invite makes a deep link for a role (a dialog: role, then how many may use it); /invites
lists the live ones, a page at a time, and revokes them."""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.deep_linking import create_start_link
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Back
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import invitations
from bot.services.people import Actor
from bot.ui import esc, format_moment
from handlers.desk_dialogs import widget
from handlers.dialog_kit import (
    Fl,
    Gone,
    OutOfRange,
    choice,
    commands_router,
    ctx,
    middleware,
    owned,
    paged,
    safe_id,
)
from handlers.join import choose
from handlers.roles import DESK, only
from models import Organisation, Role

PAGE = 5


class InviteForm(StatesGroup):
    role, limit = State(), State()


class InviteList(StatesGroup):
    listing = State()


async def invite_by_link(
    message: Message,
    manager: DialogManager,
    organisation: Organisation,
    role: Role,
    uses: int | None,
) -> None:
    """A new invitation to the organisation for a role (`uses` none: any number), its link sent."""
    the = ctx(manager)
    invitation = await invitations.create(
        the.session,
        organisation_id=organisation.id,
        role=role,
        created_by_user_id=the.actor.user.id if the.actor.user else None,
        now=the.clock.now(),
        max_uses=uses,
        days=the.settings.invitation_days,
    )
    text = the.i18n.get(
        "invite-created",
        role=the.i18n.get(f"role-{invitation.role}"),
        link=await create_start_link(the.bot, invitation.code),
        expires=format_moment(invitation.expires_at, organisation.timezone),
        uses=the.i18n.get("invite-may-join", count=invitation.max_uses)
        if invitation.max_uses
        else the.i18n.get("invite-may-join-any"),  # a sentence's words, not a button's
    )
    await message.answer(text)


async def invite(message: Message, dialog_manager: DialogManager) -> None:
    if not await invitations.invitable_roles(*middleware(dialog_manager)):
        await message.answer(ctx(dialog_manager).i18n.get("invite-no-organisation"))
        return
    await dialog_manager.start(InviteForm.role, mode=StartMode.RESET_STACK)


async def form_getter(
    dialog_manager: DialogManager, session: AsyncSession, actor: Actor, i18n: I18nContext, **_: Any
) -> dict[str, Any]:
    roles = await invitations.invitable_roles(session, actor)
    if actor.organisation is None or not roles:
        raise Gone
    role = dialog_manager.dialog_data.get("role")
    return {
        "organisation": esc(actor.organisation.short_name),
        "roles": [(str(code), i18n.get(f"role-{code}")) for code in roles],
        "role": i18n.get(f"role-{role}") if role else "",
        "limits": [
            (str(i), i18n.get("invite-uses", count=n) if n else i18n.get("invite-uses-unlimited"))
            for i, n in enumerate(invitations.USE_LIMITS)
        ],
    }


async def allowed_role(manager: DialogManager, role: str | None) -> bool:
    """Checked at each step: a role the person may not invite (now) is a forged button."""
    return role in await invitations.invitable_roles(*middleware(manager))


async def role_chosen(callback: CallbackQuery, _: Any, manager: DialogManager, role: str) -> None:
    if not await allowed_role(manager, role):
        raise OutOfRange
    manager.dialog_data["role"] = role
    await manager.next()


async def limit_chosen(
    callback: CallbackQuery, _: Any, manager: DialogManager, index: str
) -> None:
    actor: Actor = manager.middleware_data["actor"]
    limits, role = invitations.USE_LIMITS, manager.dialog_data.get("role")
    if not index.isdigit() or int(index) >= len(limits) or not await allowed_role(manager, role):
        raise OutOfRange
    if actor.organisation is None or not isinstance(callback.message, Message):
        raise Gone
    await manager.done()
    await invite_by_link(
        callback.message, manager, actor.organisation, Role(str(role)), limits[int(index)]
    )


# --- the live invitations ---------------------------------------------------------------------


async def list_invites(message: Message, dialog_manager: DialogManager) -> None:
    c = ctx(dialog_manager)
    if not await invitations.live_for(c.session, c.actor, c.clock.now()):
        key = "invites-none" if c.actor.organisation else "invite-no-organisation"
        await message.answer(c.i18n.get(key))
        return
    await dialog_manager.start(InviteList.listing, mode=StartMode.RESET_STACK)


async def list_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    the = ctx(dialog_manager)
    organisation = the.actor.organisation
    if organisation is None:
        raise Gone
    live = await invitations.live_for(the.session, the.actor, the.clock.now())
    page = await widget(dialog_manager, "invite_pages").get_page()
    lines = [
        the.i18n.get(
            "invites-line",
            number=number,
            role=the.i18n.get(f"role-{invitation.role}"),
            used=invitation.used_count,
            limit=invitation.max_uses or "∞",
            expires=format_moment(invitation.expires_at, organisation.timezone),
            link=await create_start_link(the.bot, invitation.code),
        )
        for number, invitation in list(enumerate(live, start=1))[page * PAGE : (page + 1) * PAGE]
    ]
    text = the.i18n.get("invites-header") + "\n\n" + "\n\n".join(lines) if live else ""
    buttons = [
        (str(invitation.id), the.i18n.get("invites-revoke", number=number))
        for number, invitation in enumerate(live, start=1)
    ]
    return {"text": text or the.i18n.get("invites-none"), "invites": buttons}


async def revoke(callback: CallbackQuery, _: Any, manager: DialogManager, item: str) -> None:
    invitation = await owned(manager, invitations.own_live, safe_id(item))
    the = ctx(manager)
    await invitations.revoke(
        the.session, invitation.organisation_id, invitation.id, the.clock.now()
    )
    role = the.i18n.get(f"role-{invitation.role}")
    await callback.answer(the.i18n.get("invite-revoked", role=role), show_alert=True)


def router() -> Router:
    return commands_router(__name__, ("invite", invite, DESK), ("invites", list_invites, DESK))


def dialogs() -> list[Dialog]:
    role = Window(
        Fl("invite-choose-role"),
        choose("invite_role", "roles", role_chosen),
        state=InviteForm.role,
    )
    limit = Window(
        Fl("invite-choose-limit"),
        choose("invite_limit", "limits", limit_chosen),
        Back(Fl("form-back"), id="invite_back"),
        state=InviteForm.limit,
    )
    revoking = paged(choice("invite_revoke", "invites", revoke), "invite_pages", PAGE)
    live = Window(Format("{text}"), revoking, state=InviteList.listing, getter=list_getter)
    return [only(DESK, Dialog(role, limit, getter=form_getter)), only(DESK, Dialog(live))]
