"""What every dialog shares (aiogram-dialog): Fluent texts, one ownership check, bounded input.

`owned` loads a record a button or a start names only when it is the person's (else `Gone`);
`Gone`, an outdated or forged button and a value out of range get one polite answer from
`on_dialog_error`. `text_input` bounds typed text and answers anything that is not text;
`guarded` (every dialog) answers a button no window has, and a message to a window of buttons.
`LocalCalendar` speaks the person's language and offers only the dates `bounds` allows.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from functools import wraps
from operator import itemgetter
from typing import Any, TypeVar, cast

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, Filter
from aiogram.fsm.state import State
from aiogram.types import (
    CallbackQuery,
    ContentType,
    ErrorEvent,
    InlineKeyboardButton,
    KeyboardButton,
    Message,
    TelegramObject,
)
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.api.entities import ChatEvent
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent, UnknownState
from aiogram_dialog.api.protocols import DialogProtocol
from aiogram_dialog.utils import remove_intent_id
from aiogram_dialog.widgets.input import ManagedTextInput, MessageInput, TextInput
from aiogram_dialog.widgets.input.text import OnSuccess
from aiogram_dialog.widgets.kbd import (
    Calendar,
    CalendarScope,
    Keyboard,
    ManagedCalendar,
    ScrollingGroup,
    Select,
)
from aiogram_dialog.widgets.kbd.calendar_kbd import (
    CalendarDaysView,
    CalendarMonthView,
    CalendarScopeView,
    CalendarUserConfig,
    CalendarYearsView,
    OnDateSelected,
)
from aiogram_dialog.widgets.text import Format, Text
from aiogram_i18n import I18nContext
from babel.dates import format_date
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.mail import Mail
from bot.services.clock import Clock
from bot.services.errors import UserFacingError
from bot.services.people import Actor
from bot.services.typed_text import typed_text
from bot.ui import error_text
from models import LARGEST_ID

log = logging.getLogger(__name__)
T = TypeVar("T")
PLAIN = (str, int, float, Decimal, date, datetime)

Loader = Callable[[AsyncSession, Actor, int], Awaitable[T | None]]
AnyHandler = Callable[..., Awaitable[Any]]  # an aiogram handler, its arguments injected


class Gone(Exception):
    """A record named by a button or a dialog is out of date, or not this person's."""


class OutOfRange(Exception):
    """A value no screen offered (a forged date or number): answered, the dialog stays."""


class Fl(Text):
    """A Fluent text (locales/*/*.ftl) in the person's language; `args` are fixed arguments,
    the window's data (getter results, dialog data) give the rest."""

    def __init__(self, key: str, when: Any = None, **args: Any) -> None:
        super().__init__(when=when)
        self.key = key
        self.args = args

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        i18n: I18nContext = manager.middleware_data["i18n"]
        values = {name: value for name, value in data.items() if isinstance(value, PLAIN)}
        return i18n.get(self.key, **values, **self.args)


Translate = Callable[..., str]  # key, **arguments -> the text in one language


def translator(i18n: I18nContext, locale: str) -> Translate:
    """Texts in `locale`, someone else's language (for the messages they are sent)."""
    return lambda key, **args: i18n.core.get(key, locale, **args)


def middleware(manager: DialogManager) -> tuple[AsyncSession, Actor]:
    data = manager.middleware_data
    return data["session"], data["actor"]


@dataclass(frozen=True)
class Ctx:  # the update's services, as the dialogs' handlers and getters need them
    session: AsyncSession
    actor: Actor
    i18n: I18nContext
    clock: Clock
    mail: Mail
    settings: Settings
    bot: Bot


def ctx(manager: DialogManager) -> Ctx:
    return Ctx(*(manager.middleware_data[field.name] for field in fields(Ctx)))


def today(manager: DialogManager) -> date:
    """Today in the person's organisation (its time zone), by the update's clock."""
    data = manager.middleware_data
    return cast(Clock, data["clock"]).today(cast(Actor, data["actor"]).timezone)


async def owned(manager: DialogManager, load: Loader[T], record_id: object) -> T:
    """The record `record_id` names, when `load` finds it this person's; else `Gone`."""
    if not isinstance(record_id, int) or not 0 < record_id <= LARGEST_ID:
        raise Gone
    session, actor = middleware(manager)
    record = await load(session, actor, record_id)
    if record is None:
        raise Gone
    return record


def start_id(manager: DialogManager, name: str = "id") -> object:
    """An id the dialog was started with (checked by `owned`, never trusted)."""
    start = manager.start_data
    return start.get(name) if isinstance(start, dict) else None


def safe_id(text: str) -> int:
    """An id from a button, never an exception: anything odd is -1, which `owned` refuses."""
    return int(text) if text.isdigit() and len(text) <= 18 else -1


def choice(
    widget_id: str, items: str, on_click: Any, type_factory: Callable[[str], Any] = str
) -> Select[Any]:
    """A button for each `(id, label)` of the window's `items`."""
    return Select(
        Format("{item[1]}"), widget_id, itemgetter(0), items, type_factory, on_click=on_click
    )


def paged(buttons: Keyboard, widget_id: str, height: int = 8) -> ScrollingGroup:
    """The buttons one a row, `height` a page, with the library's pager when there are more."""
    return ScrollingGroup(buttons, id=widget_id, width=1, height=height, hide_on_single_page=True)


class Typed(Filter):
    """A message by what it holds: anything but a command, text (`text=True`), no text
    (`text=False`), a command (`command=True`). Async, so it runs in the event loop: aiogram
    hands a plain function or a magic filter to a worker thread, a round trip per update."""

    def __init__(self, *, text: bool | None = None, command: bool = False) -> None:
        self.text, self.command = text, command

    async def __call__(self, message: Message) -> bool:
        typed = message.text or ""
        if self.text is not None and bool(typed) != self.text:
            return False
        return typed.startswith("/") == self.command


def command_router(name: str, command: str, handler: AnyHandler, flags: Any = None) -> Router:
    """`/command` runs `handler` for the roles `flags` names (handlers/roles.py)."""
    return commands_router(name, (command, handler, flags))


# --- bounded input ------------------------------------------------------------------------


@dataclass(frozen=True)
class Bounded:
    """A type factory for `TextInput`: a value it cannot take raises ValueError with the text
    key to answer with, and its arguments."""

    parse: Callable[[str], Any]
    error_key: str
    args: tuple[tuple[str, object], ...] = ()

    def __call__(self, text: str) -> Any:
        try:
            return self.parse(text)
        except (ValueError, ArithmeticError, OverflowError) as error:
            raise ValueError(self.error_key, dict(self.args)) from error


def bounded_text(max_length: int, min_length: int = 1) -> Bounded:
    def parse(text: str) -> str:
        value = text.strip()
        if not min_length <= len(value) <= max_length:
            raise ValueError(value)
        return value

    return Bounded(parse, "input-text-length", (("max", max_length), ("min", min_length)))


def bounded_int(low: int, high: int) -> Bounded:
    def parse(text: str) -> int:
        digits = text.strip()
        if not digits.lstrip("-").isdigit() or len(digits) > 12:
            raise ValueError(text)
        value = int(digits)
        if not low <= value <= high:
            raise ValueError(text)
        return value

    return Bounded(parse, "input-number-range", (("low", low), ("high", high)))


async def _wrong_value(
    message: Message, _: ManagedTextInput[Any], manager: DialogManager, error: ValueError
) -> None:
    key, args = error.args if len(error.args) == 2 else ("input-not-understood", {})
    await say(message, manager, manager.middleware_data["i18n"].get(key, **args))


def text_input(
    widget_id: str, on_success: OnSuccess[Any], type_factory: Callable[[str], Any]
) -> tuple[TextInput[Any], MessageInput]:
    """Typed text for a step: bounded by `type_factory`, a polite answer to a wrong value or
    to anything but text. A command (`/cancel`, `/help`) is left to the commands."""

    async def success(
        message: Message, widget: ManagedTextInput[Any], manager: DialogManager, value: Any
    ) -> None:
        # aiogram-dialog keeps the text typed in the dialog's state; what a person wrote is
        # stored where the step puts it (and erased from there), not in the dialog's record.
        manager.current_context().widget_data.pop(widget_id, None)
        await on_success(message, widget, manager, value)

    return (
        TextInput(
            widget_id,
            # Invisible characters taken out first: a text of only them is an empty one.
            type_factory=lambda text: type_factory(typed_text(text)),
            on_success=success,
            on_error=_wrong_value,
            filter=Typed(),
        ),
        buttons_only("input-text-expected"),
    )


# --- a rule the services refuse ------------------------------------------------------------

Handler = TypeVar("Handler", bound=Callable[..., Awaitable[None]])


async def say(event: Message | CallbackQuery, manager: DialogManager, text: str) -> None:
    """A word about the step: an alert on a button; an answer, then the step again below."""
    if isinstance(event, CallbackQuery):
        await event.answer(text, show_alert=True)
        return
    manager.show_mode = ShowMode.SEND
    await event.answer(text)


def polite(handler: Handler) -> Handler:
    """A dialog handler `(event, widget, manager, ...)` whose `UserFacingError` (a rule the
    services refuse) is answered by `say`; what it changed before stays, the step stays."""

    @wraps(handler)
    async def answered(event: Any, widget: Any, manager: DialogManager, *args: Any) -> None:
        try:
            await handler(event, widget, manager, *args)
        except UserFacingError as error:
            await say(event, manager, error_text(manager.middleware_data["i18n"], error))

    return cast(Handler, answered)


def parsed_by(parse: Callable[[str], T]) -> Callable[[str], T]:
    """A service's parser as a `text_input` type factory: its refusal is the answer."""

    def factory(text: str) -> T:
        try:
            return parse(text)
        except UserFacingError as error:
            raise ValueError(error.key, error.args_) from error

    return factory


def date_input(
    prefix: str, on_date: Any, type_factory: Callable[[str], Any], bounds: Bounds | None = None
) -> list[Any]:
    """A day on the calendar (`{prefix}_calendar`) or typed (`{prefix}_typed`), one handler."""
    return [
        LocalCalendar(f"{prefix}_calendar", on_date, bounds),
        *text_input(f"{prefix}_typed", on_date, type_factory),
    ]


# --- one polite answer ----------------------------------------------------------------------


async def on_dialog_error(event: ErrorEvent, i18n: I18nContext, **data: Any) -> bool:
    """A stale or forged button, a record no longer there or not this person's: one polite
    answer. A dialog that shows a record gone is closed without drawing the one below it (the
    update's transaction is over; the next tap draws it)."""
    update = event.update
    manager: DialogManager | None = data.get("dialog_manager")
    log.info("update %s: %r", update.update_id, event.exception)
    query: CallbackQuery | None = update.callback_query
    renamed = isinstance(event.exception, UnknownState)  # a step a newer version dropped
    text = i18n.get("error-dialog-outdated" if renamed else "error-stale-button")
    if query is not None:
        await query.answer(text, show_alert=True)
    elif update.message is not None:
        await update.message.answer(text)
    if manager is not None and renamed:
        # A dialog kept in a step a newer version no longer has (no context can be loaded):
        # a clean slate, or every later update would fail alike.
        await manager.reset_stack(remove_keyboard=False)
        return True
    if manager is None or not manager.has_context() or isinstance(event.exception, OutOfRange):
        return True  # out of range: the dialog stays where it is
    manager.show_mode = ShowMode.NO_UPDATE
    if isinstance(event.exception, Gone):
        await manager.done()
    return True


async def not_modified(event: ErrorEvent) -> bool:
    """Telegram refused to edit a message into what it already shows: a double tap on a plain
    screen. The person already sees what they asked for."""
    error = event.exception
    return isinstance(error, TelegramBadRequest) and "message is not modified" in error.message


async def on_not_modified(event: ErrorEvent) -> bool:
    query = event.update.callback_query
    if query is not None:
        await query.answer()
    return True


async def forged_dialog_value(event: ErrorEvent) -> bool:
    """A value from a button that no screen offered: a number past any range (only a forged
    button carries one), or a page, date or id that a dialog's widget could not read."""
    query = event.update.callback_query
    if query is None:
        return False
    error = event.exception
    in_dialog = remove_intent_id(query.data or "")[0] is not None
    return isinstance(error, OverflowError) or (in_dialog and isinstance(error, ValueError))


DIALOG_ERRORS = (Gone, OutOfRange, UnknownIntent, OutdatedIntent, UnknownState)


# --- dates on a calendar in the person's language --------------------------------------------


class LocalDate(Text):
    """The window's `date` (a calendar's cell) by a Babel pattern in the person's language,
    with a capital letter (a month or a weekday on its own: «Ноябрь 2026», «Пн»)."""

    def __init__(self, pattern: str, around: str = "{}") -> None:
        super().__init__()
        self.pattern, self.around = pattern, around

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        locale = manager.middleware_data["i18n"].locale
        text = format_date(data["date"], self.pattern, locale=locale)
        return self.around.format(text[:1].upper() + text[1:])


Bounds = Callable[[DialogManager], tuple[date, date]]
SANE_FIRST, SANE_LAST = date(1900, 1, 1), date(2100, 12, 31)  # a page past them is forged


class LocalCalendar(Calendar):
    """`bounds(manager)` gives the first and last date offered, and a date outside them is
    refused; without `bounds`, the window's `earliest` and `latest` are offered, and the click
    handler checks the date (the rules' own answer). It opens on today's month (the bot's
    clock, in the organisation's time zone), or the nearest month offered."""

    def __init__(
        self, widget_id: str, on_click: OnDateSelected, bounds: Bounds | None = None
    ) -> None:
        self.bounds, self.chosen = bounds, on_click
        super().__init__(id=widget_id, on_click=self._checked)

    def _offered(self, data: dict[str, Any], manager: DialogManager) -> tuple[date, date]:
        return self.bounds(manager) if self.bounds else (data["earliest"], data["latest"])

    async def _checked(
        self, event: ChatEvent, widget: ManagedCalendar, manager: DialogManager, day: date, /
    ) -> None:
        if self.bounds is not None:
            first, last = self.bounds(manager)
            if not first <= day <= last:
                raise OutOfRange
        await self.chosen(event, widget, manager, day)

    def _init_views(self) -> dict[CalendarScope, CalendarScopeView]:
        # The extension point aiogram-dialog documents for how a calendar is drawn.
        return {
            CalendarScope.DAYS: CalendarDaysView(
                self._item_callback_data,
                today_text=Format("{date:%d}"),  # the library's today is the host's, not ours
                weekday_text=LocalDate("EEEEEE"),
                header_text=LocalDate("LLLL y", "🗓 {}"),
                next_month_text=LocalDate("LLLL y", "{} >>"),
                prev_month_text=LocalDate("LLLL y", "<< {}"),
            ),
            CalendarScope.MONTHS: CalendarMonthView(
                self._item_callback_data,
                month_text=LocalDate("LLLL"),
                this_month_text=LocalDate("LLLL", "[ {} ]"),
            ),
            CalendarScope.YEARS: CalendarYearsView(self._item_callback_data),
        }

    async def _get_user_config(
        self, data: dict[str, Any], manager: DialogManager
    ) -> CalendarUserConfig:
        first, last = self._offered(data, manager)
        return CalendarUserConfig(firstweekday=0, min_date=first, max_date=last)

    async def _render_keyboard(
        self, data: dict[str, Any], manager: DialogManager
    ) -> list[list[InlineKeyboardButton | KeyboardButton]]:
        if self.get_offset(manager) is None:
            first, last = self._offered(data, manager)
            self.set_offset(min(max(today(manager), first), last), manager)
        return await super()._render_keyboard(data, manager)

    def set_offset(self, new_offset: date, manager: DialogManager) -> None:
        if not SANE_FIRST <= new_offset <= SANE_LAST:
            raise OutOfRange  # a forged page (a year 9999): the page shown stays
        super().set_offset(new_offset, manager)

    async def process_callback(
        self, callback: CallbackQuery, dialog: DialogProtocol, manager: DialogManager
    ) -> bool:
        try:
            return await super().process_callback(callback, dialog, manager)
        except (ValueError, OverflowError, OSError) as error:  # a forged date or month
            raise OutOfRange from error


# --- what a dialog's windows do not take ----------------------------------------------------


EventHandler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def guarded(dialog: Dialog) -> Dialog:
    """The dialog with two answers aiogram-dialog leaves out (it would only draw the step
    again): a button whose widget none of its windows has (forged, or named otherwise by an
    older version) gets the polite answer; a message to a window of buttons gets a word that
    a button is wanted. A button of another of its windows (a double tap on a step just left)
    is still the library's: the step is drawn again, quietly."""

    async def known_buttons(handler: EventHandler, event: TelegramObject, data: dict) -> Any:
        assert isinstance(event, CallbackQuery)  # registered on a dialog's callback queries
        _intent, widget_data = remove_intent_id(event.data or "")
        if dialog.find(widget_data.split(":", 1)[0]) is None:
            raise OutOfRange
        return await handler(event, data)

    async def buttons_wanted(handler: EventHandler, event: TelegramObject, data: dict) -> Any:
        manager: DialogManager | None = data.get("dialog_manager")
        if isinstance(event, Message) and manager is not None and manager.has_context():
            window = dialog.windows.get(manager.current_context().state)
            if isinstance(window, Window) and window.on_message is None:
                await say(event, manager, data["i18n"].get("input-use-buttons"))
        return await handler(event, data)

    dialog.callback_query.middleware(known_buttons)
    dialog.message.middleware(buttons_wanted)
    return dialog


def buttons_only(text_key: str) -> MessageInput:
    """Anything sent but a command gets the text `text_key` (use the buttons; text is wanted),
    and the step again below it."""

    async def use_buttons(message: Message, _: MessageInput, manager: DialogManager) -> None:
        await say(message, manager, manager.middleware_data["i18n"].get(text_key))

    return MessageInput(use_buttons, content_types=[ContentType.ANY], filter=Typed())


# --- routers: a feature's commands and its plain buttons ------------------------------------


CommandEntry = tuple[str, AnyHandler, Any]  # (command, handler, flags)


def commands_router(name: str, *commands: CommandEntry) -> Router:
    """A feature's router of several commands, each `(command, handler, flags)` as in
    `command_router`."""
    router = Router(name=name)
    for command, handler, flags in commands:
        router.message.register(handler, Command(command), flags=flags)
    return router


def command_and_buttons(
    name: str, command: str, handler: AnyHandler, flags: Any, *buttons: tuple[AnyHandler, Any]
) -> Router:
    """`command_router`, plus the feature's buttons on messages it sent: (handler, filter of
    their callback data)."""
    router = command_router(name, command, handler, flags)
    for on_tap, tapped in buttons:
        router.callback_query.register(on_tap, tapped)
    return router


# --- a dialog from a button on a message the bot sent --------------------------------------


async def open_below(
    query: CallbackQuery, manager: DialogManager, state: State, data: Any = None
) -> None:
    """A dialog from a button on a message the bot sent (a reminder, a notice): the tap
    answered, the dialog in a new message on a fresh stack; the message tapped stays as it was."""
    await query.answer()
    await manager.start(state, data, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND)
