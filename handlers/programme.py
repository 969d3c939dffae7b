"""/programme: the mentor writes the pair's personalised programme; the mentee answers it.

The mentor's dialog (`ProgrammeEdit`) starts from a template or from scratch, edits goal, tasks,
planned results and form, keeps the calendar plan (a paged list; a new item in three steps) and
submits it; each plan item has its own dialog (`ActivityEdit`: edit, move, delete). Each mentee
acknowledges the programme or asks for changes (`ProgrammeChanges`, back to the mentor with the
comment). The programme as a document (`ProgrammeRead`) is in handlers/programme_view.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.widgets.kbd import (
    Back,
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
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import programme_templates, programmes, rules
from bot.services.clock import Clock
from bot.services.errors import UserFacingError
from bot.services.pairs_read import Participant, participants
from bot.services.people import Actor
from bot.services.profile_form import parse_date
from bot.services.programme_access import (
    activity_to_edit,
    pair_as_mentee,
    pair_to_edit,
    pair_to_read,
)
from bot.ui import button, esc, format_date, keyboard
from handlers import pair_dialog as pd
from handlers.dialog_kit import (
    Fl,
    Gone,
    choice,
    ctx,
    date_input,
    owned,
    paged,
    parsed_by,
    polite,
    safe_id,
    start_id,
    text_input,
)
from handlers.programme_view import (
    ProgCb,
    ProgrammeRead,
    ack_keyboard,
    activity_block,
    activity_button_text,
    close_with,
    header,
    local_today,
    name_of,
    read_getter,
    render_for,
    short,
    state_line,
    tell,
)
from handlers.roles import MENTOR
from models import Pair, Programme, ProgrammeStatus

EDITABLE = (ProgrammeStatus.DRAFT, ProgrammeStatus.CHANGES_REQUESTED)


class ProgrammeEdit(StatesGroup):  # start data: {"id": pair_id}
    menu = State()
    field = State()
    activities = State()
    new_content = State()
    new_due = State()
    new_expected = State()
    added = State()
    pair = State()  # a mentor of several pairs chooses one first


class ActivityEdit(StatesGroup):  # start data: {"id": activity_id}
    card = State()
    content = State()
    due = State()
    expected = State()
    delete = State()


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


def _field_label(i18n: I18nContext, field: str) -> str:
    return i18n.get(f"programme-field-{field.replace('_', '-')}")


# --- the mentor's menu ------------------------------------------------------------------------


async def menu_getter(
    dialog_manager: DialogManager,
    session: AsyncSession,
    i18n: I18nContext,
    clock: Clock,
    **_: Any,
) -> dict[str, Any]:
    pair, programme = await _editing(dialog_manager)
    timezone, today = await local_today(session, pair, clock)
    activities = await programmes.activities_of(session, programme.id) if programme else []
    state = state_line(i18n, pair, programme, activities, timezone, today)
    screen = header(i18n, pair, await participants(session, pair))
    screen += "\n" + i18n.get("programme-state", state=state)
    missing = await programmes.missing_parts(session, programme) if programme else []
    if programme is None:
        screen += "\n\n" + i18n.get("programme-start-choose")
    elif programme.change_request and programme.status == ProgrammeStatus.CHANGES_REQUESTED:
        screen += "\n\n" + i18n.get("programme-change-request", text=esc(programme.change_request))
    if programme is not None and programme.status in EDITABLE:
        screen += "\n\n" + i18n.get("programme-menu-hint")
    return {
        "screen": screen,
        "started": programme is not None,
        "editable": programme is not None and programme.status in EDITABLE,
        "count": len(activities),
        "templates": [(t.code, t.title.in_(i18n.locale)) for t in programme_templates.TEMPLATES]
        + [("blank", i18n.get("programme-blank"))],
        "fields": [
            (field, ("✏️ " if field in missing else "✅ ") + _field_label(i18n, field))
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
    timezone, _today = await local_today(c.session, pair, c.clock)
    await programmes.create(c.session, pair, timezone, template, c.i18n.locale, c.clock.now())
    if template is not None:
        title = esc(template.title.in_(c.i18n.locale))
        note = c.i18n.get("programme-created-from-template", title=title)
    else:
        note = c.i18n.get("programme-created-blank")
    if isinstance(callback.message, Message):
        manager.show_mode = ShowMode.SEND  # the note, then the menu below it
        await callback.message.answer(note)


@polite
async def field_chosen(
    callback: CallbackQuery, _: Any, manager: DialogManager, field: str
) -> None:
    if field not in programmes.FIELDS:
        raise UserFacingError("error-stale-button")
    manager.dialog_data["field"] = field
    await manager.switch_to(ProgrammeEdit.field)


async def field_getter(
    dialog_manager: DialogManager, session: AsyncSession, i18n: I18nContext, **_: Any
) -> dict[str, Any]:
    _pair, programme = await _with_programme(dialog_manager)
    field = dialog_manager.dialog_data.get("field")
    if field not in programmes.FIELDS:
        raise Gone
    prompt = i18n.get(
        "programme-ask-field",
        field=_field_label(i18n, field),
        limit=programmes.FIELD_LIMITS[field],
    )
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
    await message.answer(c.i18n.get("programme-saved", field=_field_label(c.i18n, field)))
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
    mentees = [p for p in people if not p.is_mentor]
    mentor = next((p for p in people if p.is_mentor), None)
    assert isinstance(callback.message, Message)  # the menu changes in place, the news below
    await callback.message.answer(c.i18n.get("programme-submitted", count=len(mentees)))

    async def programme_for(_: Participant) -> tuple[list[str], InlineKeyboardMarkup]:
        mentor_name = name_of(c.i18n, mentor) if mentor else "—"
        intro = c.i18n.get("programme-for-you", name=mentor_name)
        pages = await render_for(c.session, c.i18n, pair, programme, c.clock)
        return [intro, *pages], ack_keyboard(c.i18n, pair.id)

    await tell(c, mentees, programme_for, callback.message)


async def read_whole(callback: CallbackQuery, _: Any, manager: DialogManager) -> None:
    await manager.start(ProgrammeRead.page, {"id": pd.pair_id(manager), "back": True})


# --- the calendar plan ------------------------------------------------------------------------


async def activities_getter(
    dialog_manager: DialogManager, session: AsyncSession, clock: Clock, **_: Any
) -> dict[str, Any]:
    pair, programme = await _with_programme(dialog_manager)
    _tz, today = await local_today(session, pair, clock)
    activities = await programmes.activities_of(session, programme.id)
    items = [(str(a.id), activity_button_text(a, today)) for a in activities]
    return {"activities": items, "count": len(items)}


async def activity_chosen(
    callback: CallbackQuery, _: Any, manager: DialogManager, activity_id: int
) -> None:
    await manager.start(ActivityEdit.card, {"id": activity_id})  # its getter checks it


async def term_getter(
    dialog_manager: DialogManager, session: AsyncSession, **_: Any
) -> dict[str, Any]:
    """The pair's term, for the date step (typed or on the calendar)."""
    if dialog_manager.current_context().state.group is ActivityEdit:
        pair, _programme, _activity = await owned(
            dialog_manager, activity_to_edit, start_id(dialog_manager)
        )
    else:
        pair, _programme = await _with_programme(dialog_manager)
    return {
        "earliest": pair.starts_on,
        "latest": pair.ends_on,
        "start": format_date(pair.starts_on),
        "end": format_date(pair.ends_on),
        **dialog_manager.dialog_data,
    }


@polite
async def new_content_typed(message: Message, _: Any, manager: DialogManager, text: str) -> None:
    manager.dialog_data["content"] = text
    await manager.next()


@polite
async def new_due_chosen(event: Any, _: Any, manager: DialogManager, day: date) -> None:
    pair, _programme = await _with_programme(manager)
    rules.check_inside_term(day, pair.starts_on, pair.ends_on)
    manager.dialog_data["due_on"] = day.isoformat()
    await manager.next()


@polite
async def new_expected_typed(message: Message, _: Any, manager: DialogManager, text: str) -> None:
    pair, programme = await _with_programme(manager)
    data = manager.dialog_data
    activity = await programmes.add_activity(
        ctx(manager).session,
        programme,
        pair,
        str(data["content"]),
        date.fromisoformat(str(data["due_on"])),
        text,
        ctx(manager).clock.now(),
    )
    data.update(
        number=activity.position,
        count=activity.position,
        date=format_date(activity.due_on),
        content=esc(activity.content),
    )
    await manager.next()


# --- one plan item ----------------------------------------------------------------------------


async def activity_getter(
    dialog_manager: DialogManager,
    session: AsyncSession,
    i18n: I18nContext,
    clock: Clock,
    **_: Any,
) -> dict[str, Any]:
    pair, programme, activity = await owned(
        dialog_manager, activity_to_edit, start_id(dialog_manager)
    )
    _tz, today = await local_today(session, pair, clock)
    total = len(await programmes.activities_of(session, programme.id))
    card = i18n.get("programme-activity-card", number=activity.position, total=total)
    return {
        "screen": card + "\n" + activity_block(i18n, activity, today),
        "saved": dialog_manager.dialog_data.pop("saved", False),
        "content": esc(short(activity.content, 200)),
    }


@polite
async def activity_changed(event: Any, widget: Any, manager: DialogManager, value: Any) -> None:
    """A new content, date or expected result, typed or picked on the calendar."""
    pair, programme, activity = await owned(manager, activity_to_edit, start_id(manager))
    field = {"activity_content": "content", "activity_expected": "expected_result"}
    name = field.get(widget.widget_id, "due_on")  # activity_due_calendar, activity_due_typed
    programmes.set_activity_field(programme, pair, activity, name, value, ctx(manager).clock.now())
    manager.dialog_data["saved"] = True
    await manager.switch_to(ActivityEdit.card)


@polite
async def move(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    c = ctx(manager)
    _pair, programme, activity = await owned(manager, activity_to_edit, start_id(manager))
    step = -1 if widget.widget_id == "activity_up" else 1
    if not await programmes.move_activity(c.session, programme, activity, step, c.clock.now()):
        raise UserFacingError("programme-cannot-move")
    await callback.answer(c.i18n.get("programme-moved", number=activity.position))


@polite
async def delete(callback: CallbackQuery, _: Any, manager: DialogManager) -> None:
    c = ctx(manager)
    _pair, programme, activity = await owned(manager, activity_to_edit, start_id(manager))
    await programmes.remove_activity(c.session, programme, activity, c.clock.now())
    await callback.answer(c.i18n.get("programme-removed"))
    await manager.done()


# --- the mentee's answer ----------------------------------------------------------------------


@polite
async def acknowledge(
    callback: CallbackQuery, _: Any, manager: DialogManager, pair_id: object = None
) -> None:
    """From the programme's dialog (its start data), or from a message's button (`pair_id`)."""
    c = ctx(manager)
    in_dialog = pair_id is None
    pair_id = start_id(manager) if in_dialog else pair_id
    pair, programme, mentee_id = await owned(manager, pair_as_mentee, pair_id)
    result = await programmes.acknowledge(c.session, programme, pair, mentee_id, c.clock.now())
    if result.already:
        raise UserFacingError("programme-already-acknowledged")
    await close_with(callback, c.i18n.get("programme-ack-thanks"))
    key = "programme-acknowledged-all" if result.complete else "programme-acknowledged-by"
    await _tell_mentor(manager, pair, mentee_id, key)
    if in_dialog:
        await manager.done()


@polite
async def ask_changes(
    callback: CallbackQuery, _: Any, manager: DialogManager, pair_id: object = None
) -> None:
    mode = StartMode.NORMAL if pair_id is None else StartMode.RESET_STACK
    pair_id = start_id(manager) if pair_id is None else pair_id
    pair, programme, _mentee = await owned(manager, pair_as_mentee, pair_id)
    if programme.status != ProgrammeStatus.SUBMITTED:
        raise UserFacingError("programme-not-submitted")
    await callback.answer()
    show = ShowMode.AUTO if mode == StartMode.NORMAL else ShowMode.SEND  # the message stays
    await manager.start(ProgrammeChanges.comment, {"id": pair.id}, mode=mode, show_mode=show)


@polite
async def changes_typed(message: Message, _: Any, manager: DialogManager, comment: str) -> None:
    c = ctx(manager)
    pair, programme, mentee_id = await owned(manager, pair_as_mentee, start_id(manager))
    try:
        await programmes.request_changes(
            c.session, programme, pair, mentee_id, comment, c.clock.now()
        )
    except UserFacingError:
        await manager.done()
        raise
    await message.answer(c.i18n.get("programme-changes-sent"))
    await manager.done()
    markup = [(ProgCb(action="open", pair_id=pair.id), "programme-open")]
    await _tell_mentor(
        manager, pair, mentee_id, "programme-changes-requested", markup, esc(comment)
    )


async def _tell_mentor(
    manager: DialogManager,
    pair: Pair,
    mentee_id: int,
    key: str,
    buttons: list[tuple[ProgCb, str]] | None = None,
    text: str = "",
) -> None:
    """The mentee's answer goes to the mentor, in the mentor's language."""
    c = ctx(manager)
    people = await participants(c.session, pair)
    me = next((p for p in people if p.membership_id == mentee_id), None)
    mentor = next((p for p in people if p.is_mentor), None)
    if mentor is None:
        return

    async def news(_: Participant) -> tuple[list[str], InlineKeyboardMarkup | None]:
        news = c.i18n.get(key, name=name_of(c.i18n, me) if me else "—", text=text)
        rows = [[button(c.i18n.get(label), data)] for data, label in buttons or []]
        return [news], keyboard(*rows) if rows else None

    await tell(c, [mentor], news)


# --- commands and the buttons of messages sent to people ---------------------------------------


async def open_programme(
    query: CallbackQuery,
    callback_data: ProgCb,
    dialog_manager: DialogManager,
    session: AsyncSession,
    actor: Actor,
) -> None:
    """The mentor of an active pair gets the menu; a mentee, the curator or head read it."""
    pair = await owned(dialog_manager, pair_to_read, callback_data.pair_id)
    await query.answer()
    edits = await pair_to_edit(session, actor, pair.id) is not None
    state = ProgrammeEdit.menu if edits else ProgrammeRead.page
    await dialog_manager.start(
        state, {"id": pair.id}, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND
    )


async def answer_programme(
    query: CallbackQuery, callback_data: ProgCb, dialog_manager: DialogManager
) -> None:
    """The mentee's buttons under the programme sent to them: acknowledge or ask for changes."""
    answer = acknowledge if callback_data.action == "ack" else ask_changes
    await answer(query, None, dialog_manager, callback_data.pair_id)


def router() -> Router:
    router = Router(name=__name__)
    command = pd.pair_command(ProgrammeEdit.menu, ProgrammeEdit.pair, "programme-no-pairs", False)
    router.message.register(command, Command("programme"), flags=MENTOR)
    router.callback_query.register(open_programme, ProgCb.filter(F.action == "open"))
    router.callback_query.register(
        answer_programme, ProgCb.filter(F.action.in_({"ack", "changes"}))
    )
    return router


def go(key: str, widget_id: str, state: State, **args: Any) -> SwitchTo:
    return SwitchTo(Fl(key), id=widget_id, state=state, **args)


def tap(key: str, widget_id: str, on_click: Any, **args: Any) -> Button:
    return Button(Fl(key), id=widget_id, on_click=on_click, **args)


def step(state: State, *widgets: Any, getter: Any = None) -> Window:
    return Window(*widgets, state=state, getter=getter)


def dialogs() -> list[Dialog]:
    edit, item = ProgrammeEdit, ActivityEdit
    content = (
        "programme-ask-content",
        parsed_by(programmes.parse_content),
        programmes.CONTENT_LIMIT,
    )
    expected = (
        "programme-ask-expected",
        parsed_by(programmes.parse_expected),
        programmes.EXPECTED_LIMIT,
    )
    longest = parsed_by(lambda text: programmes.parse_field("tasks", text))
    comment = parsed_by(programmes.parse_comment)
    new = [Fl("programme-new-step", step=n) for n in (1, 2, 3)]
    menu = go("programme-back", "programme_back", edit.menu)
    card = go("programme-back-to-item", "activity_back_to_card", item.card)
    back = Back(Fl("plan-back"), id="programme_step_back")

    def typed(widget_id: str, on_typed: Any, ask: tuple[str, Any, int]) -> list[Any]:
        return [Fl(ask[0], limit=ask[2]), *text_input(widget_id, on_typed, ask[1])]

    def due(name: str, on_date: Any) -> list[Any]:
        return [
            Fl("programme-ask-due"),
            *date_input(name, on_date, parsed_by(parse_date)),
        ]

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
                    go("programme-add-activity", "programme_add", edit.new_content),
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
                Row(go("programme-add-activity", "programme_plan_add", edit.new_content), menu),
                getter=activities_getter,
            ),
            step(
                edit.new_content,
                new[0],
                *typed("programme_new_content", new_content_typed, content),
                menu,
            ),
            step(
                edit.new_due,
                new[1],
                *due("programme_new_due", new_due_chosen),
                back,
                getter=term_getter,
            ),
            step(
                edit.new_expected,
                new[2],
                *typed("programme_new_expected", new_expected_typed, expected),
                back,
            ),
            step(
                edit.added,
                Fl("programme-activity-added"),
                Row(
                    go("programme-add-more", "programme_add_more", edit.new_content),
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
                    go("programme-edit-content", "activity_edit_content", item.content),
                    go("programme-edit-due", "activity_edit_due", item.due),
                ),
                go("programme-edit-expected", "activity_edit_expected", item.expected),
                Row(
                    Button(Format("⬆️"), id="activity_up", on_click=move),
                    Button(Format("⬇️"), id="activity_down", on_click=move),
                ),
                go("programme-remove", "activity_ask_delete", item.delete),
                Cancel(Fl("programme-back-to-plan"), id="activity_back_to_plan"),
                getter=activity_getter,
            ),
            step(item.content, *typed("activity_content", activity_changed, content), card),
            step(item.due, *due("activity_due", activity_changed), card, getter=term_getter),
            step(item.expected, *typed("activity_expected", activity_changed, expected), card),
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
                getter=read_getter,
            )
        ),
        Dialog(
            step(
                ProgrammeChanges.comment,
                Fl("programme-ask-change-comment", limit=programmes.COMMENT_LIMIT),
                *text_input("programme_change_comment", changes_typed, comment),
                Cancel(Fl("plan-back"), id="programme_change_cancel"),
            )
        ),
    ]
