"""aiogram-dialog's Calendar in the person's language (month and weekday names from Babel,
which fluent.runtime brings), Monday first, bounded by the window's `earliest` and `latest`."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Calendar, CalendarScope, CalendarUserConfig
from aiogram_dialog.widgets.kbd.calendar_kbd import (
    CalendarDaysView,
    CalendarMonthView,
    CalendarScopeView,
    CalendarYearsView,
)
from aiogram_dialog.widgets.text import Text
from babel.dates import format_date


class LocalDate(Text):
    """`data["date"]` by a Babel pattern in the person's language."""

    def __init__(self, pattern: str, before: str = "", after: str = "") -> None:
        super().__init__()
        self.pattern, self.before, self.after = pattern, before, after

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        locale = manager.middleware_data["i18n"].locale
        day: date = data["date"]
        return self.before + format_date(day, self.pattern, locale=locale) + self.after


class LocalCalendar(Calendar):
    def _init_views(self) -> dict[CalendarScope, CalendarScopeView]:
        return {
            CalendarScope.DAYS: CalendarDaysView(
                self._item_callback_data,
                weekday_text=LocalDate("EEEEEE"),
                header_text=LocalDate("LLLL y", "🗓 "),
                next_month_text=LocalDate("LLLL", after=" »"),
                prev_month_text=LocalDate("LLLL", "« "),
            ),
            CalendarScope.MONTHS: CalendarMonthView(
                self._item_callback_data,
                month_text=LocalDate("LLL"),
                this_month_text=LocalDate("LLL", "[", "]"),
                header_text=LocalDate("y", "🗓 "),
            ),
            CalendarScope.YEARS: CalendarYearsView(self._item_callback_data),
        }

    async def _get_user_config(
        self, data: dict[str, Any], manager: DialogManager
    ) -> CalendarUserConfig:
        return CalendarUserConfig(
            firstweekday=0, min_date=data.get("earliest"), max_date=data.get("latest")
        )
