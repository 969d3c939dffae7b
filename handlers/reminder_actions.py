"""The buttons on deadline reminders (bot/reminder_buttons.py), each checked by a loader
(`dialog_kit.owned`): «Выполнено» opens the plan item at its result, «Перенести» asks a day in
the term and a reason (kept in the pair's history; the mentee is told), «План» the plan,
«Завершить» / «Продлить» / «Досрочно» the pair's lifecycle dialog. /overdue: the organisation's
overdue plan items, paged. /reminders: a kind the Положение does not require is muted or back
on with one tap."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Back, Cancel, Column, StubScroll
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext

from bot.reminder_buttons import (
    ActivityDone,
    ActivityMove,
    PairComplete,
    PairEndEarly,
    PairExtend,
    PlanOpen,
)
from bot.services import programmes, reminder_prefs
from bot.services.errors import UserFacingError
from bot.services.lifecycle import active_desk_pair
from bot.services.pages import short
from bot.services.pairs_read import mentees_of, mentor_of, participants
from bot.services.plan_access import item_to_mark, member_ids, pair_of_member
from bot.ui import error_text, esc, format_date
from handlers import plan, programme
from handlers.desk_dialogs import desk_command, pager, widget
from handlers.dialog_kit import (
    Fl,
    Gone,
    LocalCalendar,
    buttons_only,
    choice,
    ctx,
    open_below,
    owned,
    parsed_by,
    polite,
    start_id,
    text_input,
    today,
)
from handlers.pair_lifecycle import START
from handlers.pair_ui import short_name
from handlers.programme_view import ProgCb, name_of
from handlers.roles import DESK, only
from models import ActivityStatus

OVERDUE_PAGE, LAST_PAGE = 10, 999


class MoveDate(StatesGroup):
    day, reason = State(), State()


class Overdue(StatesGroup):
    page = State()


class Reminders(StatesGroup):
    choose = State()


# --- the plan's buttons ---------------------------------------------------------------------


async def activity_tapped(
    query: CallbackQuery, callback_data: ActivityDone | ActivityMove, dialog_manager: DialogManager
) -> None:
    """The mentor's open plan item: «Выполнено» opens its own flow at the result (the plan's
    rule is a result with each mark), «Перенести» a day, then a reason. A second tap on either
    (the item done already) is told so."""
    item = await owned(dialog_manager, item_to_mark, callback_data.activity_id)
    c = ctx(dialog_manager)
    if item.activity.status != ActivityStatus.OPEN:
        await query.answer(c.i18n.get("programme-activity-already-done"), show_alert=True)
        return
    if isinstance(callback_data, ActivityDone):
        await open_below(query, dialog_manager, plan.PlanItemCard.result, {"id": item.activity.id})
        return
    days = programmes.move_window(item.pair, today(dialog_manager))
    if days is None:  # the term is over: only the curator's extension makes room
        end = format_date(item.pair.ends_on)
        await query.answer(c.i18n.get("reminder-move-term-over", end=end), show_alert=True)
        return
    start = {"id": item.activity.id, "first": days[0].isoformat(), "last": days[1].isoformat()}
    await open_below(query, dialog_manager, MoveDate.day, start)


def move_bounds(manager: DialogManager) -> tuple[date, date]:
    """The calendar's days, fixed when the dialog started (the service checks the term again)."""
    try:
        first, last = (
            date.fromisoformat(str(start_id(manager, end))) for end in ("first", "last")
        )
    except ValueError as error:
        raise Gone from error
    return first, last


async def move_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    item = await owned(dialog_manager, item_to_mark, start_id(dialog_manager))
    day = dialog_manager.dialog_data.get("day")
    return {
        "content": esc(short(item.activity.content, 200)),
        "due": format_date(item.activity.due_on),
        "new_due": format_date(date.fromisoformat(day)) if day else "",
        "limit": programmes.REASON_LIMIT,
    }


async def day_chosen(_: Any, __: Any, manager: DialogManager, day: date) -> None:
    manager.dialog_data["day"] = day.isoformat()
    await manager.switch_to(MoveDate.reason)


async def reason_typed(message: Message, _: Any, manager: DialogManager, reason: str) -> None:
    c = ctx(manager)
    item = await owned(manager, item_to_mark, start_id(manager))
    day = date.fromisoformat(str(manager.dialog_data.get("day")))
    pair, new = item.pair, format_date(day)
    try:
        old = await programmes.move_due(
            c.session, pair, item.activity, day, reason, pair.mentor_membership_id, c.clock.now()
        )
    except UserFacingError as error:  # done meanwhile, or the term changed
        await message.answer(error_text(c.i18n, error))
        await manager.done()
        return
    await message.answer(c.i18n.get("reminder-moved", number=item.activity.position, date=new))
    await manager.done()
    if old == day:
        return
    people = await participants(c.session, pair)
    told = {"date": new, "reason": esc(reason), "name": name_of(c.i18n, mentor_of(people))}
    await plan.tell(manager, mentees_of(people), "reminder-moved-notice", item.activity, **told)


async def plan_open(
    query: CallbackQuery, callback_data: PlanOpen, dialog_manager: DialogManager
) -> None:
    """The plan for the pair's own people; the programme, read only, for its curator."""
    c = ctx(dialog_manager)
    pair = await pair_of_member(c.session, c.actor, callback_data.pair_id)
    if pair is None:  # the curator, a finished pair, or not theirs: the programme decides
        opened = ProgCb(action="open", pair_id=callback_data.pair_id)
        await programme.open_programme(query, opened, dialog_manager)
        return
    await open_below(query, dialog_manager, plan.PlanView.summary, {"id": pair.id})


def lifecycle_step(action: str) -> Any:
    """The pair's lifecycle dialog at the step `action` (complete, extend, early)."""

    async def tapped(
        query: CallbackQuery, callback_data: Any, dialog_manager: DialogManager
    ) -> None:
        pair = await owned(dialog_manager, active_desk_pair, callback_data.pair_id)
        await open_below(query, dialog_manager, START[action], {"id": pair.id, "page": 0})

    return tapped


# --- /overdue -------------------------------------------------------------------------------


async def overdue_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    c, day = ctx(dialog_manager), today(dialog_manager)
    organisation = c.actor.desk_organisation()
    if organisation is None:
        raise Gone
    # The library's pager turns the pages; a page past any there is (a forged one) shows none.
    page = min(max(await widget(dialog_manager, "overdue_pages").get_page(), 0), LAST_PAGE)
    items, more = await reminder_prefs.overdue_page(
        c.session, organisation.id, day, c.clock.now(), page, OVERDUE_PAGE
    )
    no_name = c.i18n.get("pair-no-name")
    lines = [c.i18n.get("reminder-overdue-title" if items or page else "reminder-overdue-none")]
    for item in items:
        mentees = ", ".join(short_name(name, no_name) for name in item.mentees) or "—"
        lines.append(
            c.i18n.get(
                "reminder-overdue-line",
                number=item.pair_id,
                mentor=short_name(item.mentor, no_name),
                mentees=mentees,
                content=esc(short(item.content, 120)),
                due=format_date(item.due_on),
                days=(day - item.due_on).days,
            )
        )
    return {"text": "\n\n".join(lines), "pages": page + 1 + more}


# --- /reminders -----------------------------------------------------------------------------


async def reminders_command(
    message: Message, dialog_manager: DialogManager, i18n: I18nContext
) -> None:
    actor = dialog_manager.middleware_data["actor"]
    if not member_ids(actor):
        await message.answer(i18n.get("reminders-no-roles"))
        return
    await dialog_manager.start(Reminders.choose, mode=StartMode.RESET_STACK)


async def reminders_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    c = ctx(dialog_manager)
    ids = member_ids(c.actor)
    if not ids:
        raise Gone
    choices = await reminder_prefs.choices(c.session, ids, c.actor.roles)
    lines = [c.i18n.get("reminders-title")]
    buttons = []
    for kind in choices:
        name = c.i18n.get(f"reminders-kind-{kind.kind}")
        state = "required" if not kind.mutable else ("off" if kind.muted else "on")
        lines.append(c.i18n.get(f"reminders-line-{state}", kind=name))
        if kind.mutable:
            label = "reminders-turn-on" if kind.muted else "reminders-turn-off"
            buttons.append((kind.kind, c.i18n.get(label, kind=name)))
    lines += ["", c.i18n.get("reminders-required-note")]
    return {"text": "\n".join(lines), "kinds": buttons}


@polite  # a required kind (a forged button): the rule's answer
async def kind_toggled(query: CallbackQuery, _: Any, manager: DialogManager, kind: str) -> None:
    c = ctx(manager)
    muted = await reminder_prefs.toggle(c.session, member_ids(c.actor), kind, c.clock.now())
    await query.answer(c.i18n.get("reminders-muted" if muted else "reminders-unmuted"))


def router() -> Router:
    router = Router(name=__name__)
    # No role flags: the loaders decide, so anything not the presser's gets one answer.
    router.callback_query.register(activity_tapped, ActivityDone.filter())
    router.callback_query.register(activity_tapped, ActivityMove.filter())
    router.callback_query.register(plan_open, PlanOpen.filter())
    router.callback_query.register(lifecycle_step("complete"), PairComplete.filter())
    router.callback_query.register(lifecycle_step("extend"), PairExtend.filter())
    router.callback_query.register(lifecycle_step("early"), PairEndEarly.filter())
    router.message.register(desk_command(Overdue.page), Command("overdue"), flags=DESK)
    router.message.register(reminders_command, Command("reminders"))
    return router


def listing(state: State, getter: Any, close_id: str, *widgets: Any) -> Dialog:
    """/overdue and /reminders: a text, its buttons and «Закрыть»."""
    close = Cancel(Fl("reminder-close"), id=close_id)
    return Dialog(Window(Format("{text}"), *widgets, close, state=state, getter=getter))


def dialogs() -> list[Dialog]:
    reason = text_input("activity_move_reason", reason_typed, parsed_by(programmes.parse_reason))
    overdue = listing(
        Overdue.page,
        overdue_getter,
        "overdue_close",
        StubScroll("overdue_pages", pages="pages"),
        pager("overdue_pages"),
    )
    return [
        Dialog(
            Window(
                Fl("reminder-move-ask-day"),
                LocalCalendar("activity_move_day", day_chosen, move_bounds),
                buttons_only("reminder-move-use-calendar"),
                Cancel(Fl("reminder-cancel"), id="activity_move_cancel"),
                state=MoveDate.day,
                getter=move_getter,
            ),
            Window(
                Fl("reminder-move-ask-reason"),
                *reason,
                Back(Fl("plan-back"), id="activity_move_back"),
                Cancel(Fl("reminder-cancel"), id="activity_move_reason_cancel"),
                state=MoveDate.reason,
                getter=move_getter,
            ),
        ),
        only(DESK, overdue),
        listing(
            Reminders.choose,
            reminders_getter,
            "reminders_close",
            Column(choice("reminder_kind", "kinds", kind_toggled)),
        ),
    ]
