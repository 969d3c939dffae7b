"""/programme: the mentor writes the pair's programme (`ProgrammeEdit`: from a template or
blank, its fields, the calendar plan; `ActivityEdit`: one plan item) and submits it; each
mentee acknowledges it or asks for changes (`ProgrammeChanges`). The programme as a document
(`ProgrammeRead`) is in handlers/programme_view.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram import F, Router
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.kbd import (
    Button,
    Cancel,
    Column,
    Group,
    NumberedPager,
    Row,
    StubScroll,
    SwitchTo,
)
from aiogram_dialog.widgets.text import Format

from bot.services import programme_templates, programmes, rules
from bot.services.errors import UserFacingError
from bot.services.pages import short
from bot.services.pairs_read import Participant, mentees_of, mentor_of, participants
from bot.services.profile_form import parse_date
from bot.services.programme_access import (
    activity_to_edit,
    pair_as_mentee,
    pair_to_edit,
    pair_to_read,
)
from bot.ui import button, esc, format_date, keyboard
from handlers import pair_dialog as pd
from handlers import programme_view as view
from handlers.dialog_kit import (
    Ctx,
    Fl,
    Gone,
    OutOfRange,
    choice,
    command_and_buttons,
    ctx,
    date_input,
    open_below,
    owned,
    paged,
    parsed_by,
    polite,
    safe_id,
    start_id,
    text_input,
    today,
)
from handlers.programme_view import ProgCb, ProgrammeRead
from handlers.roles import MENTOR
from models import Activity, Pair, Programme, ProgrammeStatus

EDITABLE = (ProgrammeStatus.DRAFT, ProgrammeStatus.CHANGES_REQUESTED)
ITEM_ASKS = {"content": "programme-ask-content", "expected_result": "programme-ask-expected"}


class ProgrammeEdit(StatesGroup):  # start data: {"id": pair_id}; `pair`: a mentor's choice
    menu, field, activities, pair = State(), State(), State(), State()
    # A new item: its content (step 1), due date (step 2), expected result (step 3).
    new_text, new_due, added = State(), State(), State()


class ActivityEdit(StatesGroup):  # start data: {"id": activity_id}
    card, text, due, delete = State(), State(), State(), State()  # text: dialog data "field"


class ProgrammeChanges(StatesGroup):  # start data: {"id": pair_id}
    comment = State()


async def _editing(manager: DialogManager) -> tuple[Pair, Programme | None]:
    pair = await owned(manager, pair_to_edit, pd.pair_id(manager))
    return pair, await programmes.programme_of(ctx(manager).session, pair.id)


async def _with_programme(manager: DialogManager) -> tuple[Pair, Programme]:
    pair, programme = await _editing(manager)
    if programme is None:  # gone meanwhile (a withdrawal erases it): the dialog closes
        raise Gone
    return pair, programme


async def _item(manager: DialogManager) -> tuple[Pair, Programme, Activity]:
    return await owned(manager, activity_to_edit, start_id(manager))


# --- the mentor's menu ------------------------------------------------------------------------


async def menu_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    c = ctx(dialog_manager)
    pair, programme = await _editing(dialog_manager)
    activities = await programmes.activities_of(c.session, programme.id) if programme else []
    state = await view.state_line(c, pair, programme, activities)
    screen = view.heading(c, pair, await participants(c.session, pair), state)
    missing = await programmes.missing_parts(c.session, programme) if programme else []
    editable = programme is not None and programme.status in EDITABLE
    if programme is None:
        screen += "\n\n" + c.i18n.get("programme-start-choose")
    elif programme.change_request and programme.status == ProgrammeStatus.CHANGES_REQUESTED:
        screen += "\n\n" + c.i18n.get(
            "programme-change-request", text=esc(programme.change_request)
        )
    if editable:
        screen += "\n\n" + c.i18n.get("programme-menu-hint")
    templates = [(t.code, t.title.in_(c.i18n.locale)) for t in programme_templates.TEMPLATES]
    return {
        "screen": screen,
        "started": programme is not None,
        "editable": editable,
        "count": len(activities),
        "templates": [*templates, ("blank", c.i18n.get("programme-blank"))],
        "fields": [
            (field, ("✏️ " if field in missing else "✅ ") + view.field_label(c.i18n, field))
            for field in programmes.FIELDS
        ],
    }


@polite
async def start_from(callback: CallbackQuery, _: Any, manager: DialogManager, code: str) -> None:
    """A template's code, or "blank" for a blank programme."""
    c = ctx(manager)
    template = programme_templates.BY_CODE.get(code)
    if code != "blank" and template is None:
        raise UserFacingError("error-stale-button")
    pair, _programme = await _editing(manager)
    await programmes.create(
        c.session, pair, c.actor.timezone, template, c.i18n.locale, c.clock.now()
    )
    key = "programme-created-from-template" if template else "programme-created-blank"
    title = esc(template.title.in_(c.i18n.locale)) if template else ""
    if isinstance(callback.message, Message):
        manager.show_mode = ShowMode.SEND  # the note, then the menu below it
        await callback.message.answer(c.i18n.get(key, title=title))


@polite
async def field_chosen(
    callback: CallbackQuery, _: Any, manager: DialogManager, field: str
) -> None:
    if field not in programmes.FIELDS:
        raise UserFacingError("error-stale-button")
    manager.dialog_data["field"] = field
    await manager.switch_to(ProgrammeEdit.field)


async def field_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    i18n = ctx(dialog_manager).i18n
    _pair, programme = await _with_programme(dialog_manager)
    field = dialog_manager.dialog_data.get("field")
    if field not in programmes.FIELDS:
        raise OutOfRange
    limit = programmes.FIELD_LIMITS[field]
    prompt = i18n.get("programme-ask-field", field=view.field_label(i18n, field), limit=limit)
    if current := getattr(programme, field):
        prompt += "\n\n" + i18n.get("programme-current", text=esc(current))
    return {"prompt": prompt}


@polite
async def field_typed(message: Message, _: Any, manager: DialogManager, text: str) -> None:
    _pair, programme = await _with_programme(manager)
    field = str(manager.dialog_data.get("field"))
    value = programmes.parse_field(field, text)
    c = ctx(manager)
    programmes.set_field(programme, field, value, c.clock.now())
    await message.answer(c.i18n.get("programme-saved", field=view.field_label(c.i18n, field)))
    await manager.switch_to(ProgrammeEdit.menu, show_mode=ShowMode.SEND)


@polite
async def submit(callback: CallbackQuery, _: Any, manager: DialogManager) -> None:
    c = ctx(manager)
    pair, programme = await _with_programme(manager)
    if not await programmes.submit(
        c.session, programme, pair, pair.mentor_membership_id, c.clock.now()
    ):
        raise UserFacingError("programme-already-submitted")
    people = await participants(c.session, pair)
    mentees = mentees_of(people)
    assert isinstance(callback.message, Message)  # the menu changes in place, the news below
    await callback.message.answer(c.i18n.get("programme-submitted", count=len(mentees)))

    async def programme_for(_: Participant) -> tuple[list[str], InlineKeyboardMarkup]:
        intro = c.i18n.get("programme-for-you", name=view.name_of(c.i18n, mentor_of(people)))
        pages = await view.render_for(c, pair, programme)
        ack, changes = (ProgCb(action=action, pair_id=pair.id) for action in ("ack", "changes"))
        answers = keyboard(
            [button(c.i18n.get("programme-ack"), ack)],
            [button(c.i18n.get("programme-ask-changes"), changes)],
        )
        return [intro, *pages], answers

    await view.tell(c, mentees, programme_for, callback.message)


async def read_whole(callback: CallbackQuery, _: Any, manager: DialogManager) -> None:
    await manager.start(ProgrammeRead.page, {"id": pd.pair_id(manager), "back": True})


# --- the calendar plan ------------------------------------------------------------------------


async def activities_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    _pair, programme = await _with_programme(dialog_manager)
    activities = await programmes.activities_of(ctx(dialog_manager).session, programme.id)
    day = today(dialog_manager)
    items = [(str(a.id), programmes.activity_button_text(a, day)) for a in activities]
    return {"activities": items, "count": len(items)}


async def activity_chosen(
    callback: CallbackQuery, _: Any, manager: DialogManager, activity_id: int
) -> None:
    await manager.start(ActivityEdit.card, {"id": activity_id})  # its getter checks it


async def term_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    """The pair's term, for the date step (typed or on the calendar)."""
    if dialog_manager.current_context().state.group is ActivityEdit:
        pair, *_ = await _item(dialog_manager)
    else:
        pair, _programme = await _with_programme(dialog_manager)
    return {
        "earliest": pair.starts_on,
        "latest": pair.ends_on,
        "start": format_date(pair.starts_on),
        "end": format_date(pair.ends_on),
        **dialog_manager.dialog_data,
    }


async def new_item(callback: CallbackQuery, _: Any, manager: DialogManager) -> None:
    manager.dialog_data["field"] = "content"  # the first step (again)


@polite
async def new_text_typed(message: Message, _: Any, manager: DialogManager, text: str) -> None:
    data = manager.dialog_data
    field = str(data.get("field"))  # the step's: content (step 1) or expected_result (step 3)
    value = programmes.parse_item_text(field, text)
    if field == "content":
        data["content"] = value
        await manager.switch_to(ProgrammeEdit.new_due)
        return
    c = ctx(manager)
    pair, programme = await _with_programme(manager)
    due_on = date.fromisoformat(str(data["due_on"]))
    activity = await programmes.add_activity(
        c.session, programme, pair, str(data["content"]), due_on, value, c.clock.now()
    )
    data.update(
        number=activity.position,
        count=activity.position,
        date=format_date(activity.due_on),
        content=esc(activity.content),
    )
    await manager.switch_to(ProgrammeEdit.added)


@polite
async def new_due_chosen(event: Any, _: Any, manager: DialogManager, day: date) -> None:
    pair, _programme = await _with_programme(manager)
    rules.check_inside_term(day, pair.starts_on, pair.ends_on)
    manager.dialog_data.update(due_on=day.isoformat(), field="expected_result")
    await manager.switch_to(ProgrammeEdit.new_text)


# --- one plan item ----------------------------------------------------------------------------


async def activity_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    c = ctx(dialog_manager)
    _pair, programme, activity = await _item(dialog_manager)
    return {
        "screen": await view.item_card(c, programme, activity),
        "saved": dialog_manager.dialog_data.pop("saved", False),
        "content": esc(short(activity.content, 200)),
    }


async def edit_text(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    manager.dialog_data["field"] = widget.widget_id.removeprefix("activity_edit_")
    await manager.switch_to(ActivityEdit.text)


@polite
async def activity_changed(event: Any, widget: Any, manager: DialogManager, value: Any) -> None:
    """A new content or expected result (typed), or a date (typed or picked on the calendar)."""
    pair, programme, activity = await _item(manager)
    if widget.widget_id == "activity_text":
        name = str(manager.dialog_data.get("field"))
        value = programmes.parse_item_text(name, value)
    else:  # activity_due_calendar, activity_due_typed
        name = "due_on"
    programmes.set_activity_field(programme, pair, activity, name, value, ctx(manager).clock.now())
    manager.dialog_data["saved"] = True
    await manager.switch_to(ActivityEdit.card)


@polite
async def move(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    c = ctx(manager)
    _pair, programme, activity = await _item(manager)
    step = -1 if widget.widget_id == "activity_up" else 1
    if not await programmes.move_activity(c.session, programme, activity, step, c.clock.now()):
        raise UserFacingError("programme-cannot-move")
    await callback.answer(c.i18n.get("programme-moved", number=activity.position))


@polite
async def delete(callback: CallbackQuery, _: Any, manager: DialogManager) -> None:
    c = ctx(manager)
    _pair, programme, activity = await _item(manager)
    await programmes.remove_activity(c.session, programme, activity, c.clock.now())
    await callback.answer(c.i18n.get("programme-removed"))
    await manager.done()


# --- the mentee's answer ----------------------------------------------------------------------


async def _as_mentee(manager: DialogManager, pair_id: object) -> tuple[Pair, Programme, int]:
    """The pair of the dialog (its start data) or of a message's button (`pair_id`)."""
    return await owned(manager, pair_as_mentee, start_id(manager) if pair_id is None else pair_id)


@polite
async def acknowledge(
    callback: CallbackQuery, _: Any, manager: DialogManager, pair_id: object = None
) -> None:
    c = ctx(manager)
    pair, programme, mentee_id = await _as_mentee(manager, pair_id)
    result = await programmes.acknowledge(c.session, programme, pair, mentee_id, c.clock.now())
    if result.already:
        raise UserFacingError("programme-already-acknowledged")
    await view.close_with(callback, c.i18n.get("programme-ack-thanks"))
    key = "programme-acknowledged-all" if result.complete else "programme-acknowledged-by"
    await _tell_mentor(c, pair, mentee_id, key)
    if pair_id is None:  # in the dialog
        await manager.done()


@polite
async def ask_changes(
    callback: CallbackQuery, _: Any, manager: DialogManager, pair_id: object = None
) -> None:
    pair, programme, _mentee = await _as_mentee(manager, pair_id)
    if programme.status != ProgrammeStatus.SUBMITTED:
        raise UserFacingError("programme-not-submitted")
    if pair_id is None:
        await callback.answer()
        await manager.start(ProgrammeChanges.comment, {"id": pair.id})
    else:  # from a message's button: the message stays
        await open_below(callback, manager, ProgrammeChanges.comment, {"id": pair.id})


@polite
async def changes_typed(message: Message, _: Any, manager: DialogManager, comment: str) -> None:
    c = ctx(manager)
    pair, programme, mentee_id = await _as_mentee(manager, None)
    try:
        await programmes.request_changes(
            c.session, programme, pair, mentee_id, comment, c.clock.now()
        )
    except UserFacingError:
        await manager.done()
        raise
    await message.answer(c.i18n.get("programme-changes-sent"))
    await manager.done()
    key = "programme-changes-requested"
    await _tell_mentor(c, pair, mentee_id, key, with_open=True, text=esc(comment))


async def _tell_mentor(
    c: Ctx, pair: Pair, mentee_id: int, key: str, *, with_open: bool = False, text: str = ""
) -> None:
    """The mentee's answer goes to the mentor, in the mentor's language."""
    people = await participants(c.session, pair)
    me = next((p for p in people if p.membership_id == mentee_id), None)
    mentor = mentor_of(people)

    async def news(_: Participant) -> tuple[list[str], InlineKeyboardMarkup | None]:
        news = c.i18n.get(key, name=view.name_of(c.i18n, me), text=text)
        opened = button(c.i18n.get("programme-open"), ProgCb(action="open", pair_id=pair.id))
        return [news], keyboard([opened]) if with_open else None

    await view.tell(c, [mentor] if mentor else [], news)


# --- commands and the buttons of messages sent to people ---------------------------------------


async def open_programme(
    query: CallbackQuery, callback_data: ProgCb, dialog_manager: DialogManager
) -> None:
    """The mentor of an active pair gets the menu; a mentee, the curator or head read it."""
    c, pair = ctx(dialog_manager), await owned(dialog_manager, pair_to_read, callback_data.pair_id)
    edits = await pair_to_edit(c.session, c.actor, pair.id) is not None
    state = ProgrammeEdit.menu if edits else ProgrammeRead.page
    await open_below(query, dialog_manager, state, {"id": pair.id})


async def answer_programme(
    query: CallbackQuery, callback_data: ProgCb, dialog_manager: DialogManager
) -> None:
    """The mentee's buttons under the programme sent to them: acknowledge or ask for changes."""
    answer = acknowledge if callback_data.action == "ack" else ask_changes
    await answer(query, None, dialog_manager, callback_data.pair_id)


def router() -> Router:
    command = pd.pair_command(ProgrammeEdit.menu, ProgrammeEdit.pair, "programme-no-pairs", False)
    opened = (open_programme, ProgCb.filter(F.action == "open"))
    answered = (answer_programme, ProgCb.filter(F.action.in_({"ack", "changes"})))
    return command_and_buttons(__name__, "programme", command, MENTOR, opened, answered)


def go(key: str, widget_id: str, state: State, **args: Any) -> SwitchTo:
    return SwitchTo(Fl(key), id=widget_id, state=state, **args)


def tap(key: str, widget_id: str, on_click: Any, **args: Any) -> Button:
    return Button(Fl(key), id=widget_id, on_click=on_click, **args)


def step(state: State, *widgets: Any, getter: Any = None) -> Window:
    return Window(*widgets, state=state, getter=getter)


def dialogs() -> list[Dialog]:
    edit, item = ProgrammeEdit, ActivityEdit
    longest = parsed_by(lambda text: programmes.parse_field("tasks", text))
    menu = go("programme-back", "programme_back", edit.menu)
    card = go("programme-back-to-item", "activity_back_to_card", item.card)
    asks = [
        Fl(key, when=F["dialog_data"]["field"] == field, limit=programmes.ITEM_LIMITS[field])
        for field, key in ITEM_ASKS.items()
    ]
    typed_date = parsed_by(parse_date)
    first = F["dialog_data"]["field"] == "content"

    def add(key: str, widget_id: str) -> SwitchTo:
        return SwitchTo(Fl(key), widget_id, edit.new_text, on_click=new_item)

    return [
        Dialog(
            pd.pair_choice(edit.pair, edit.menu, "programme_pair", mentees_too=False),
            step(
                edit.menu,
                Format("{screen}"),
                Column(choice("programme_template", "templates", start_from), when=~F["started"]),
                Group(choice("programme_field", "fields", field_chosen), width=2, when="started"),
                Row(
                    go("programme-plan-button", "programme_plan", edit.activities),
                    add("programme-add-activity", "programme_add"),
                    when="started",
                ),
                tap("programme-read", "programme_read", read_whole, when="started"),
                tap("programme-submit", "programme_submit", submit, when="editable"),
                getter=menu_getter,
            ),
            step(
                edit.field,
                Format("{prompt}"),
                *text_input("programme_field_text", field_typed, longest),
                menu,
                getter=field_getter,
            ),
            step(
                edit.activities,
                Fl("programme-plan-choose"),
                paged(
                    choice("programme_activity", "activities", activity_chosen, safe_id),
                    "programme_activity_pages",
                ),
                Row(add("programme-add-activity", "programme_plan_add"), menu),
                getter=activities_getter,
            ),
            step(
                edit.new_text,
                Fl("programme-new-step", step=1, when=first),
                Fl("programme-new-step", step=3, when=~first),
                *asks,
                *text_input("programme_new_text", new_text_typed, str),
                go("programme-back", "programme_back", edit.menu, when=first),
                go("plan-back", "programme_step_back", edit.new_due, when=~first),
            ),
            step(
                edit.new_due,
                Fl("programme-new-step", step=2),
                Fl("programme-ask-due"),
                *date_input("programme_new_due", new_due_chosen, typed_date),
                add("plan-back", "programme_step_back"),
                getter=term_getter,
            ),
            step(
                edit.added,
                Fl("programme-activity-added"),
                Row(
                    add("programme-add-more", "programme_add_more"),
                    go("programme-plan-button", "programme_added_plan", edit.activities),
                ),
                menu,
                getter=term_getter,
            ),
        ),
        Dialog(
            step(
                item.card,
                Fl("programme-activity-saved", when="saved"),
                Format("{screen}"),
                Row(
                    tap("programme-edit-content", "activity_edit_content", edit_text),
                    go("programme-edit-due", "activity_edit_due", item.due),
                ),
                tap("programme-edit-expected", "activity_edit_expected_result", edit_text),
                Row(
                    Button(Format("⬆️"), id="activity_up", on_click=move),
                    Button(Format("⬇️"), id="activity_down", on_click=move),
                ),
                go("programme-remove", "activity_ask_delete", item.delete),
                Cancel(Fl("programme-back-to-plan"), id="activity_back_to_plan"),
                getter=activity_getter,
            ),
            step(item.text, *asks, *text_input("activity_text", activity_changed, str), card),
            step(
                item.due,
                Fl("programme-ask-due"),
                *date_input("activity_due", activity_changed, typed_date),
                card,
                getter=term_getter,
            ),
            step(
                item.delete,
                Fl("programme-remove-confirm"),
                Row(
                    tap("programme-remove-yes", "activity_delete", delete),
                    go("programme-remove-no", "activity_keep", item.card),
                ),
                getter=activity_getter,
            ),
        ),
        Dialog(
            step(
                ProgrammeRead.page,
                Format("{screen}"),
                StubScroll(id="programme_pages", pages="pages"),
                NumberedPager(scroll="programme_pages", id="programme_pager", when=F["pages"] > 1),
                Row(
                    tap("programme-ack", "programme_acknowledge", acknowledge),
                    tap("programme-ask-changes", "programme_ask_changes", ask_changes),
                    when="can_answer",
                ),
                Cancel(Fl("programme-back"), id="programme_read_back", when="back"),
                getter=view.read_getter,
            )
        ),
        Dialog(
            step(
                ProgrammeChanges.comment,
                Fl("programme-ask-change-comment", limit=programmes.COMMENT_LIMIT),
                *text_input(
                    "programme_change_comment", changes_typed, parsed_by(programmes.parse_comment)
                ),
                Cancel(Fl("plan-back"), id="programme_change_cancel"),
            )
        ),
    ]
