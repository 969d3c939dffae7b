"""/neworg for administrators (a dialog: name, short name, time zone, curator), /org to switch
between one's organisations."""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Back, Button
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import set_person_menu
from bot.services import organisations
from bot.services.people import Actor, organisations_of, own_organisation
from bot.ui import esc
from handlers.dialog_kit import (
    Fl,
    Gone,
    OutOfRange,
    bounded_text,
    commands_router,
    ctx,
    owned,
    parsed_by,
    safe_id,
    text_input,
)
from handlers.invitations import invite_by_link
from handlers.join import choose
from models import Role


class NewOrganisation(StatesGroup):
    name, short_name, timezone, curator = State(), State(), State(), State()


class SwitchOrganisation(StatesGroup):
    choosing = State()


async def new_organisation(message: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(NewOrganisation.name, mode=StartMode.RESET_STACK)


def remember(key: str, parse: Any = None) -> Any:
    """A typed step: stores the value under `key` (through `parse`) and goes on."""

    async def typed(_: object, __: Any, manager: DialogManager, value: str) -> None:
        manager.dialog_data[key] = parse(value) if parse else value
        await manager.next()

    return typed


def zone_label(i18n: I18nContext, zone: str) -> str:
    """A zone offered on a button in the person's words («Москва (МСК)»); a typed one as is."""
    if zone in organisations.RUSSIAN_ZONES:
        return i18n.get(f"tz-{zone.replace('/', '-')}")
    return zone


async def zones_getter(i18n: I18nContext, **_: Any) -> dict[str, Any]:
    return {"zones": [(zone, zone_label(i18n, zone)) for zone in organisations.RUSSIAN_ZONES]}


async def zone_tapped(callback: CallbackQuery, _: Any, manager: DialogManager, zone: str) -> None:
    if zone not in organisations.RUSSIAN_ZONES:
        raise OutOfRange
    await remember("timezone")(callback, None, manager, zone)


async def curator_chosen(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    the, form = ctx(manager), manager.dialog_data
    myself = widget.widget_id == "organisation_curator_myself"
    if not the.actor.is_admin or not isinstance(callback.message, Message):
        raise Gone
    organisation = await organisations.create(
        the.session,
        name=form["name"],
        short_name=form["short_name"],
        timezone=form["timezone"],
        creator_telegram_id=the.actor.telegram_id,
        creator_language=the.i18n.locale,
        creator_is_curator=myself,
        now=the.clock.now(),
    )
    await manager.done()
    name, zone = esc(organisation.name), esc(zone_label(the.i18n, organisation.timezone))
    await callback.message.answer(the.i18n.get("org-created", name=name, timezone=zone))
    if not myself:
        await invite_by_link(callback.message, manager, organisation, Role.CURATOR, 1)
        return
    await set_person_menu(
        the.bot, the.i18n.core, the.session, the.actor.telegram_id, True, the.i18n.locale
    )
    await callback.message.answer(the.i18n.get("org-you-are-curator"))


async def switch_organisation(message: Message, dialog_manager: DialogManager) -> None:
    c = ctx(dialog_manager)
    if not c.actor.user or not await organisations_of(c.session, c.actor.user.id):
        await message.answer(c.i18n.get("profile-none"))
        return
    await dialog_manager.start(SwitchOrganisation.choosing, mode=StartMode.RESET_STACK)


async def mine_getter(session: AsyncSession, actor: Actor, **_: Any) -> dict[str, Any]:
    mine = await organisations_of(session, actor.user.id) if actor.user else []
    current = actor.organisation.id if actor.organisation else None
    marked = [(org.id, ("• " if org.id == current else "") + org.short_name) for org in mine]
    return {"organisations": marked}


async def switched(callback: CallbackQuery, _: Any, manager: DialogManager, item: str) -> None:
    chosen = await owned(manager, own_organisation, safe_id(item))
    actor, i18n = manager.middleware_data["actor"], manager.middleware_data["i18n"]
    actor.user.active_organisation_id = chosen.id
    await manager.done()
    await callback.message.edit_text(i18n.get("org-switched", name=esc(chosen.name)))  # type: ignore[union-attr]


def router() -> Router:
    admin = {"admin": True}
    return commands_router(
        __name__, ("neworg", new_organisation, admin), ("org", switch_organisation, None)
    )


def named(key: str, parse: Any, limit: int, *below: Any) -> Window:
    """A step where the organisation's name or short name is typed, stored under `key`."""
    return Window(
        Fl(f"org-ask-{key.replace('_', '-')}"),
        *text_input(f"organisation_{key}", remember(key, parse), bounded_text(limit)),
        *below,
        state=getattr(NewOrganisation, key),
    )


def dialogs() -> list[Dialog]:
    back = Back(Fl("form-back"), id="organisation_back")
    curators = [
        Button(Fl(f"org-curator-{who}"), f"organisation_curator_{who}", curator_chosen)
        for who in ("myself", "invite")
    ]
    mine = choose("organisation_switch", "organisations", switched)
    switching = Window(
        Fl("org-choose"), mine, state=SwitchOrganisation.choosing, getter=mine_getter
    )
    return [
        Dialog(
            named("name", organisations.parse_name, organisations.NAME_LIMIT),
            named(
                "short_name", organisations.parse_short_name, organisations.SHORT_NAME_LIMIT, back
            ),
            Window(
                Fl("org-ask-timezone"),
                choose("organisation_zone", "zones", zone_tapped),
                *text_input(
                    "organisation_zone_typed",
                    remember("timezone"),
                    parsed_by(organisations.parse_timezone),
                ),
                back,
                state=NewOrganisation.timezone,
                getter=zones_getter,
            ),
            Window(Fl("org-ask-curator"), *curators, back, state=NewOrganisation.curator),
        ),
        Dialog(switching),
    ]
