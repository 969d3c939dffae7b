"""What the plan and meeting dialogs share: the pair they are about (chosen when the person has
several), a calendar in the person's language whose forged pages get the polite answer, and
typed input parsed by the services' own rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, StartMode, Window
from aiogram_dialog.api.protocols import DialogProtocol
from aiogram_dialog.widgets.kbd import Calendar, CalendarConfig, Column, Select
from aiogram_dialog.widgets.kbd.calendar_kbd import (
    CalendarDaysView,
    CalendarMonthView,
    CalendarScope,
    CalendarScopeView,
    CalendarUserConfig,
    CalendarYearsView,
)
from aiogram_dialog.widgets.text import Format, Text
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import UserFacingError
from bot.services.pairs_read import participants
from bot.services.people import Actor
from bot.services.plan_access import member_ids, pair_of_member
from handlers.dialog_kit import Fl, Gone, middleware, owned, start_id
from handlers.programme_view import pair_label, running_pairs
from models import Pair

SANE_FIRST, SANE_LAST = date(1901, 1, 1), date(2099, 12, 31)


def safe_id(text: str) -> int:
    """An id from a button, never an exception: anything odd is 0, which `owned` refuses."""
    return int(text) if text.isdigit() and len(text) <= 18 else 0


def parsed_by(parse: Callable[[str | None], Any]) -> Callable[[str], Any]:
    """A `TextInput` type factory from a service parser: its error is the polite answer."""

    def factory(text: str) -> Any:
        try:
            return parse(text)
        except UserFacingError as error:
            raise ValueError(error.key, error.args_) from error

    return factory


async def answer_error(event: Message | CallbackQuery, manager: DialogManager, key: str) -> None:
    i18n: I18nContext = manager.middleware_data["i18n"]
    if isinstance(event, CallbackQuery):
        await event.answer(i18n.get(key), show_alert=True)
    else:
        await event.answer(i18n.get(key))


# --- the pair -----------------------------------------------------------------------------


async def the_pair(manager: DialogManager) -> Pair:
    """The dialog's pair (chosen, or from the start data), still the person's own."""
    chosen = manager.dialog_data.get("pair_id") or start_id(manager)
    return await owned(manager, pair_of_member, chosen)


async def start_for_pair(
    message: Message,
    dialog_manager: DialogManager,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
    *,
    first: State,
    chooser: State,
    no_pairs: str,
) -> None:
    """A command's start: no pair, one pair (straight in), or a choice."""
    pairs = await running_pairs(session, actor, mentees_too=True)
    if not pairs:
        await message.answer(i18n.get(no_pairs))
        return
    only = {"id": pairs[0].id} if len(pairs) == 1 else None
    await dialog_manager.start(first if only else chooser, only, mode=StartMode.RESET_STACK)


async def pairs_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    session, actor = middleware(dialog_manager)
    i18n: I18nContext = dialog_manager.middleware_data["i18n"]
    choices = []
    for pair in await running_pairs(session, actor, mentees_too=True):
        people = await participants(session, pair)
        choices.append((pair.id, pair_label(i18n, people, member_ids(actor))))
    return {"pairs": choices}


def pair_choice(state: State, first: State, widget_id: str) -> Window:
    async def chosen(_: CallbackQuery, __: Any, manager: DialogManager, pair_id: int) -> None:
        await owned(manager, pair_of_member, pair_id)
        manager.dialog_data["pair_id"] = pair_id
        await manager.switch_to(first)

    return Window(
        Fl("programme-choose-pair"),
        Column(
            Select(
                Format("{item[1]}"),
                id=widget_id,
                item_id_getter=lambda item: item[0],
                items="pairs",
                type_factory=safe_id,
                on_click=chosen,
            )
        ),
        state=state,
        getter=pairs_getter,
    )


# --- the calendar ---------------------------------------------------------------------------


class CalendarText(Text):
    """A calendar button in the person's language: `{month}`, `{year}`, `{day}`, `{weekday}`."""

    def __init__(self, pattern: str) -> None:
        super().__init__()
        self.pattern = pattern

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        i18n: I18nContext = manager.middleware_data["i18n"]
        day: date = data["date"]
        return self.pattern.format(
            month=i18n.get("calendar-months").split()[day.month - 1],
            weekday=i18n.get("calendar-weekdays").split()[day.weekday()],
            year=day.year,
            day=day.day,
        )


class DayCalendar(Calendar):
    """A calendar between the window's `earliest` and `latest` days, in the person's language.
    A forged page or day (a month 9999-12, a number past any date) gets the polite answer."""

    def _init_views(self) -> dict[CalendarScope, CalendarScopeView]:
        days = self._item_callback_data
        return {
            CalendarScope.DAYS: CalendarDaysView(
                days,
                date_text=Format("{date.day}"),
                today_text=Format("{date.day}"),
                weekday_text=CalendarText("{weekday}"),
                header_text=CalendarText("🗓 {month} {year}"),
                next_month_text=CalendarText("{month} ▶"),
                prev_month_text=CalendarText("◀ {month}"),
            ),
            CalendarScope.MONTHS: CalendarMonthView(
                days,
                month_text=CalendarText("{month}"),
                this_month_text=CalendarText("[{month}]"),
            ),
            CalendarScope.YEARS: CalendarYearsView(days),
        }

    async def _get_user_config(self, data: dict, manager: DialogManager) -> CalendarUserConfig:
        return CalendarUserConfig(min_date=data["earliest"], max_date=data["latest"])

    async def _process_item_callback(
        self, callback: CallbackQuery, data: str, dialog: DialogProtocol, manager: DialogManager
    ) -> bool:
        try:
            handled = await super()._process_item_callback(callback, data, dialog, manager)
            offset = self.get_offset(manager)
            if offset is not None and not SANE_FIRST <= offset <= SANE_LAST:
                raise ValueError(offset)
        except (ValueError, OverflowError) as error:
            self.set_offset(SANE_LAST, manager)  # never rendered: the dialog closes
            raise Gone from error
        return handled


def day_calendar(widget_id: str, on_click: Any) -> DayCalendar:
    return DayCalendar(widget_id, on_click=on_click, config=CalendarConfig(firstweekday=0))
