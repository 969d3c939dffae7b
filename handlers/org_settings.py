"""/settings: what the organisation allows (the head's broadcasts, ratings for mentors), its
working days and hours, and its holidays (a dialog, the desk's). Reminders and invitations wait
for the working hours on working days and skip the holidays (bot/services/outbox.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Cancel, Column, Group, SwitchTo
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import org_settings
from bot.services.errors import UserFacingError
from bot.ui import error_text, esc, format_date
from handlers.dialog_kit import Fl, Gone, LocalCalendar, choice, ctx, middleware, safe_id
from handlers.roles import DESK
from models import Organisation

HOLIDAYS_AHEAD = timedelta(days=2 * 366)  # a day off may be set up to two years ahead


class OrgSettings(StatesGroup):
    main = State()
    days = State()
    start_hour = State()
    end_hour = State()
    holidays = State()
    holiday_add = State()


def _organisation(manager: DialogManager) -> tuple[AsyncSession, Organisation]:
    """The desk member's organisation, checked again at each tap (a role may have gone)."""
    session, actor = middleware(manager)
    if actor.organisation is None or not actor.is_desk:
        raise Gone
    return session, actor.organisation


def _today(manager: DialogManager) -> date:
    _, organisation = _organisation(manager)
    return ctx(manager).clock.today(organisation.timezone)


def _weekdays(i18n: I18nContext) -> list[str]:
    return i18n.get("calendar-weekdays").split()


def _hours(start: int, end: int) -> str:
    return f"{start:02d}:00–{end:02d}:00"


async def settings_command(message: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(OrgSettings.main, mode=StartMode.RESET_STACK)


async def main_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    session, organisation = _organisation(dialog_manager)
    i18n = ctx(dialog_manager).i18n
    lines = [i18n.get("settings-title", organisation=esc(organisation.short_name))]
    toggles = []
    for name in org_settings.TOGGLES:
        on = bool(getattr(organisation, name))
        lines.append(
            f"{i18n.get('settings-on' if on else 'settings-off')} {i18n.get(f'settings-{name}')}"
        )
        label = i18n.get(
            "settings-turn-off" if on else "settings-turn-on",
            setting=i18n.get(f"settings-{name}-short"),
        )
        toggles.append((name, label))
    names = _weekdays(i18n)
    days = ", ".join(names[int(day) - 1] for day in organisation.working_days or "")
    coming = await org_settings.holidays(session, organisation, _today(dialog_manager))
    lines += [
        "",
        i18n.get("settings-working-days", days=days or "—"),
        i18n.get(
            "settings-working-hours",
            hours=_hours(organisation.workday_start_hour, organisation.workday_end_hour),
        ),
        i18n.get("settings-holidays-count", count=len(coming)),
        i18n.get("settings-working-note"),
    ]
    return {"text": "\n".join(lines), "toggles": toggles}


async def toggled(query: CallbackQuery, _: Any, manager: DialogManager, name: str) -> None:
    await _change(query, manager, lambda organisation: org_settings.toggle(organisation, name))


async def _change(query: CallbackQuery, manager: DialogManager, change: Any) -> bool:
    """One change of the organisation, answered; a rule's refusal is explained."""
    _, organisation = _organisation(manager)
    i18n = ctx(manager).i18n
    try:
        change(organisation)
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return False
    await query.answer(i18n.get("settings-saved"))
    return True


async def days_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    _, organisation = _organisation(dialog_manager)
    names = _weekdays(ctx(dialog_manager).i18n)
    working = organisation.working_days or ""
    return {
        "days": [
            (day, f"{'✅' if day in working else '▫️'} {names[int(day) - 1]}")
            for day in org_settings.WEEK
        ]
    }


async def day_toggled(query: CallbackQuery, _: Any, manager: DialogManager, day: str) -> None:
    await _change(query, manager, lambda organisation: org_settings.toggle_day(organisation, day))


async def hours_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    _, organisation = _organisation(dialog_manager)
    start = dialog_manager.dialog_data.get("start")
    first = start + 1 if isinstance(start, int) else org_settings.FIRST_HOUR
    return {
        "hours": _hours(organisation.workday_start_hour, organisation.workday_end_hour),
        "starts": [
            (h, f"{h:02d}:00") for h in range(org_settings.FIRST_HOUR, org_settings.LAST_HOUR)
        ],
        "ends": [(h, f"{h:02d}:00") for h in range(first, org_settings.LAST_HOUR + 1)],
        "start": f"{start:02d}:00" if isinstance(start, int) else "",
    }


async def start_chosen(query: CallbackQuery, _: Any, manager: DialogManager, hour: int) -> None:
    if not org_settings.FIRST_HOUR <= hour < org_settings.LAST_HOUR:
        raise Gone  # a forged hour
    manager.dialog_data["start"] = hour
    await manager.switch_to(OrgSettings.end_hour)


async def end_chosen(query: CallbackQuery, _: Any, manager: DialogManager, hour: int) -> None:
    start = manager.dialog_data.get("start")
    if not isinstance(start, int):
        raise Gone

    def change(organisation: Organisation) -> None:
        org_settings.set_hours(organisation, start, hour)

    if await _change(query, manager, change):
        manager.dialog_data.pop("start", None)
        await manager.switch_to(OrgSettings.main)


async def holidays_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    session, organisation = _organisation(dialog_manager)
    i18n = ctx(dialog_manager).i18n
    coming = await org_settings.holidays(session, organisation, _today(dialog_manager))
    lines = [i18n.get("settings-holidays-title" if coming else "settings-holidays-none")]
    lines += [f"• {format_date(holiday.day)}" for holiday in coming]
    return {
        "text": "\n".join(lines),
        "holidays": [(holiday.id, f"✖ {format_date(holiday.day)}") for holiday in coming],
    }


async def holiday_removed(
    query: CallbackQuery, _: Any, manager: DialogManager, holiday_id: int
) -> None:
    session, organisation = _organisation(manager)
    if not await org_settings.remove_holiday(session, organisation, holiday_id):
        raise Gone  # removed already (a double tap), or a forged id
    await query.answer(ctx(manager).i18n.get("settings-holiday-removed"))


def holiday_bounds(manager: DialogManager) -> tuple[date, date]:
    today = _today(manager)
    return today, today + HOLIDAYS_AHEAD


async def holiday_chosen(query: Any, _: Any, manager: DialogManager, day: date) -> None:
    session, organisation = _organisation(manager)
    added = await org_settings.add_holiday(session, organisation, day)
    key = "settings-holiday-added" if added else "settings-holiday-known"
    if isinstance(query, CallbackQuery):
        await query.answer(ctx(manager).i18n.get(key, date=format_date(day)))
    await manager.switch_to(OrgSettings.holidays)


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(settings_command, Command("settings"), flags=DESK)
    return router


def _back(widget_id: str) -> SwitchTo:
    return SwitchTo(Fl("settings-back"), id=widget_id, state=OrgSettings.main)


def dialogs() -> list[Dialog]:
    return [
        Dialog(
            Window(
                Format("{text}"),
                Column(choice("org_setting", "toggles", toggled)),
                SwitchTo(Fl("settings-days-button"), id="org_days", state=OrgSettings.days),
                SwitchTo(
                    Fl("settings-hours-button"), id="org_hours", state=OrgSettings.start_hour
                ),
                SwitchTo(
                    Fl("settings-holidays-button"), id="org_holidays", state=OrgSettings.holidays
                ),
                Cancel(Fl("settings-close"), id="org_settings_close"),
                state=OrgSettings.main,
                getter=main_getter,
            ),
            Window(
                Fl("settings-days-ask"),
                Group(choice("org_day", "days", day_toggled), width=4),
                _back("org_days_back"),
                state=OrgSettings.days,
                getter=days_getter,
            ),
            Window(
                Fl("settings-start-ask"),
                Group(choice("org_start_hour", "starts", start_chosen, safe_id), width=6),
                _back("org_start_back"),
                state=OrgSettings.start_hour,
                getter=hours_getter,
            ),
            Window(
                Fl("settings-end-ask"),
                Group(choice("org_end_hour", "ends", end_chosen, safe_id), width=6),
                SwitchTo(Fl("settings-back"), id="org_end_back", state=OrgSettings.start_hour),
                state=OrgSettings.end_hour,
                getter=hours_getter,
            ),
            Window(
                Format("{text}"),
                Column(choice("org_holiday", "holidays", holiday_removed, safe_id)),
                SwitchTo(
                    Fl("settings-holiday-add"), id="org_holiday_add", state=OrgSettings.holiday_add
                ),
                _back("org_holidays_back"),
                state=OrgSettings.holidays,
                getter=holidays_getter,
            ),
            Window(
                Fl("settings-holiday-ask"),
                LocalCalendar("org_holiday_day", holiday_chosen, holiday_bounds),
                SwitchTo(Fl("settings-back"), id="org_holiday_back", state=OrgSettings.holidays),
                state=OrgSettings.holiday_add,
            ),
        )
    ]
