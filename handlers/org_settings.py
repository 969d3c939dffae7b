"""/settings: what the organisation allows (the head's broadcasts, ratings for mentors), its
working days and hours, and its holidays (a dialog, the desk's). Reminders and invitations wait
for the working hours on working days and skip the holidays (bot/services/outbox.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from aiogram import Router
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Cancel, Column, Group, SwitchTo
from aiogram_dialog.widgets.text import Format
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import org_settings
from bot.ui import esc, format_date
from handlers.desk_dialogs import desk_command
from handlers.dialog_kit import (
    Fl,
    Gone,
    LocalCalendar,
    choice,
    command_router,
    ctx,
    middleware,
    polite,
    safe_id,
    today,
)
from handlers.roles import DESK, only
from models import Organisation

HOLIDAYS_AHEAD = timedelta(days=2 * 366)  # a day off may be set up to two years ahead


class OrgSettings(StatesGroup):
    main, days, hours, holidays, holiday_add = State(), State(), State(), State(), State()


def _organisation(
    manager: DialogManager, change: bool = False
) -> tuple[AsyncSession, Organisation]:
    """The desk member's organisation, checked at each tap; to `change` it, the curator's (the
    head only reads the settings: else the head could allow their own broadcasts)."""
    session, actor = middleware(manager)
    organisation = actor.desk_organisation(keeps=change)
    if organisation is None:
        raise Gone
    return session, organisation


def _hours(organisation: Organisation) -> str:
    return f"{organisation.workday_start_hour:02d}:00–{organisation.workday_end_hour:02d}:00"


async def main_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    (session, organisation), i18n = _organisation(dialog_manager), ctx(dialog_manager).i18n
    lines = [i18n.get("settings-title", organisation=esc(organisation.short_name))]
    toggles = []
    for name in org_settings.TOGGLES:
        on = bool(getattr(organisation, name))
        mark = i18n.get("settings-on" if on else "settings-off")
        lines.append(f"{mark} {i18n.get(f'settings-{name}')}")
        setting = i18n.get(f"settings-{name}-short")
        toggles.append((name, i18n.get(f"settings-turn-{'off' if on else 'on'}", setting=setting)))
    names = i18n.get("calendar-weekdays").split()
    days = ", ".join(names[int(day) - 1] for day in organisation.working_days or "")
    coming = await org_settings.holidays(session, organisation, today(dialog_manager))
    lines += [
        "",
        i18n.get("settings-working-days", days=days or "—"),
        i18n.get("settings-working-hours", hours=_hours(organisation)),
        i18n.get("settings-holidays-count", count=len(coming)),
        i18n.get("settings-working-note"),
    ]
    changes = middleware(dialog_manager)[1].keeps_desk
    return {"text": "\n".join(lines), "toggles": toggles if changes else [], "changes": changes}


def saving(change: Callable[[Organisation, Any], object]) -> Any:
    """A tap that changes the organisation by `change`; a rule's refusal is `polite`'s answer."""

    @polite
    async def on_click(query: CallbackQuery, _: Any, manager: DialogManager, value: Any) -> None:
        change(_organisation(manager, change=True)[1], value)
        await query.answer(ctx(manager).i18n.get("settings-saved"))

    return on_click


async def days_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    working = _organisation(dialog_manager)[1].working_days or ""
    names = ctx(dialog_manager).i18n.get("calendar-weekdays").split()
    marks = [("✅" if day in working else "▫️", day) for day in org_settings.WEEK]
    return {"days": [(day, f"{mark} {names[int(day) - 1]}") for mark, day in marks]}


async def hours_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    """The working hours, asked in one step: the start, then the end after it."""
    organisation = _organisation(dialog_manager)[1]
    start = dialog_manager.dialog_data.get("start")
    first, last = org_settings.FIRST_HOUR, org_settings.LAST_HOUR
    after = start + 1 if isinstance(start, int) else first
    return {
        "hours": _hours(organisation),
        "asks_start": not isinstance(start, int),
        "starts": [(h, f"{h:02d}:00") for h in range(first, last)],
        "ends": [(h, f"{h:02d}:00") for h in range(after, last + 1)],
        "start": f"{start:02d}:00" if isinstance(start, int) else "",
    }


async def start_chosen(query: CallbackQuery, _: Any, manager: DialogManager, hour: int) -> None:
    if not org_settings.FIRST_HOUR <= hour < org_settings.LAST_HOUR:
        raise Gone  # a forged hour
    manager.dialog_data["start"] = hour


async def start_again(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    manager.dialog_data.pop("start", None)


@polite
async def end_chosen(query: CallbackQuery, _: Any, manager: DialogManager, hour: int) -> None:
    start = manager.dialog_data.get("start")
    if not isinstance(start, int):
        raise Gone
    org_settings.set_hours(_organisation(manager, change=True)[1], start, hour)
    await query.answer(ctx(manager).i18n.get("settings-saved"))
    manager.dialog_data.pop("start", None)
    await manager.switch_to(OrgSettings.main)


async def holidays_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    session, organisation = _organisation(dialog_manager)
    i18n = ctx(dialog_manager).i18n
    coming = await org_settings.holidays(session, organisation, today(dialog_manager))
    lines = [i18n.get("settings-holidays-title" if coming else "settings-holidays-none")]
    lines += [f"• {format_date(holiday.day)}" for holiday in coming]
    return {
        "text": "\n".join(lines),
        "holidays": [(holiday.id, f"✖ {format_date(holiday.day)}") for holiday in coming],
    }


async def holiday_removed(
    query: CallbackQuery, _: Any, manager: DialogManager, holiday_id: int
) -> None:
    session, organisation = _organisation(manager, change=True)
    if not await org_settings.remove_holiday(session, organisation, holiday_id):
        raise Gone  # removed already (a double tap), or a forged id
    await query.answer(ctx(manager).i18n.get("settings-holiday-removed"))


def holiday_bounds(manager: DialogManager) -> tuple[date, date]:
    first = today(manager)
    return first, first + HOLIDAYS_AHEAD


async def holiday_chosen(query: Any, _: Any, manager: DialogManager, day: date) -> None:
    session, organisation = _organisation(manager, change=True)
    added = await org_settings.add_holiday(session, organisation, day)
    key = "settings-holiday-added" if added else "settings-holiday-known"
    if isinstance(query, CallbackQuery):
        await query.answer(ctx(manager).i18n.get(key, date=format_date(day)))
    await manager.switch_to(OrgSettings.holidays)


def router() -> Router:
    return command_router(__name__, "settings", desk_command(OrgSettings.main), DESK)


def _to(text: str, widget_id: str, state: State, when: str | None = None) -> SwitchTo:
    return SwitchTo(Fl(text), id=widget_id, state=state, when=when)


def dialogs() -> list[Dialog]:
    back = "settings-back"
    dialogs = [
        Dialog(
            Window(
                Format("{text}"),
                Column(choice("org_setting", "toggles", saving(org_settings.toggle))),
                _to("settings-days-button", "org_days", OrgSettings.days, "changes"),
                _to("settings-hours-button", "org_hours", OrgSettings.hours, "changes"),
                _to("settings-holidays-button", "org_holidays", OrgSettings.holidays, "changes"),
                Cancel(Fl("settings-close"), id="org_settings_close"),
                state=OrgSettings.main,
                getter=main_getter,
            ),
            Window(
                Fl("settings-days-ask"),
                Group(choice("org_day", "days", saving(org_settings.toggle_day)), width=4),
                _to(back, "org_days_back", OrgSettings.main),
                state=OrgSettings.days,
                getter=days_getter,
            ),
            Window(
                Fl("settings-start-ask", when="asks_start"),
                Fl("settings-end-ask", when="start"),
                Group(
                    choice("org_start_hour", "starts", start_chosen, safe_id),
                    width=6,
                    when="asks_start",
                ),
                Group(choice("org_end_hour", "ends", end_chosen, safe_id), width=6, when="start"),
                _to(back, "org_start_back", OrgSettings.main, when="asks_start"),
                Button(Fl(back), "org_end_back", start_again, when="start"),
                state=OrgSettings.hours,
                getter=hours_getter,
            ),
            Window(
                Format("{text}"),
                Column(choice("org_holiday", "holidays", holiday_removed, safe_id)),
                _to("settings-holiday-add", "org_holiday_add", OrgSettings.holiday_add),
                _to(back, "org_holidays_back", OrgSettings.main),
                state=OrgSettings.holidays,
                getter=holidays_getter,
            ),
            Window(
                Fl("settings-holiday-ask"),
                LocalCalendar("org_holiday_day", holiday_chosen, holiday_bounds),
                _to(back, "org_holiday_back", OrgSettings.holidays),
                state=OrgSettings.holiday_add,
            ),
        )
    ]
    return [only(DESK, dialog) for dialog in dialogs]
