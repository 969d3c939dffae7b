"""/meeting: log a meeting in a few taps; the other side confirms it.

A dialog (aiogram-dialog), one message edited in place: the pair (when there are several), the
date (today, a calendar or typed), the format, the plan item it served (optional), the duration
(buttons or typed), who was present (a group, logged by the mentor), notes and next steps (both
may be skipped). Then the other side gets a plain button to confirm; a second tap changes
nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram import Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, ContentType, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import (
    Back,
    Button,
    Column,
    Multiselect,
    Radio,
    Row,
    Select,
    SwitchTo,
)
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.mail import Mail
from bot.services import meetings, programmes
from bot.services.clock import Clock
from bot.services.errors import UserFacingError
from bot.services.pairs_read import Participant, participants
from bot.services.people import Actor
from bot.services.plan_access import meeting_of_member, member_ids
from bot.services.profile_form import parse_date
from bot.ui import button, error_text, esc, format_date, keyboard
from handlers.dialog_kit import Fl, Gone, middleware, text_input
from handlers.pair_dialog import (
    SANE_FIRST,
    SANE_LAST,
    answer_error,
    day_calendar,
    pair_choice,
    parsed_by,
    safe_id,
    start_for_pair,
    the_pair,
)
from handlers.programme_view import local_today, locale_of, name_of, send_pages, short
from handlers.roles import PAIR_MEMBERS
from models import Activity, ActivityStatus, Meeting, Pair

ACTIVITIES_OFFERED = 8


class MeetingConfirmCb(CallbackData, prefix="meeting_confirm"):
    """The confirm button on the request sent to the other side."""

    meeting_id: int


class MeetingForm(StatesGroup):
    pair = State()
    date = State()
    calendar = State()
    format = State()
    activity = State()
    duration = State()
    attendees = State()
    notes = State()
    next_steps = State()


# --- what each step shows ---------------------------------------------------------------------


async def offered_activities(session: AsyncSession, pair: Pair, actor: Actor) -> list[Activity]:
    """Open items of the plan, nearest first; a draft is the mentor's alone."""
    programme = await programmes.programme_of(session, pair.id)
    if programme is None or not (
        programmes.is_written(programme) or pair.mentor_membership_id in member_ids(actor)
    ):
        return []
    activities = await programmes.activities_of(session, programme.id)
    open_ones = [a for a in activities if a.status == ActivityStatus.OPEN]
    return sorted(open_ones, key=lambda a: (a.due_on, a.position))[:ACTIVITIES_OFFERED]


async def form_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    session, actor = middleware(dialog_manager)
    i18n: I18nContext = dialog_manager.middleware_data["i18n"]
    pair = await the_pair(dialog_manager)
    _, today = await local_today(session, pair, dialog_manager.middleware_data["clock"])
    data = dialog_manager.dialog_data
    held_on = date.fromisoformat(data["held_on"]) if "held_on" in data else today
    offered = await offered_activities(session, pair, actor)
    people = await participants(session, pair)
    earliest, latest = pair.starts_on or SANE_FIRST, pair.ends_on or SANE_LAST
    return {
        "start": format_date(pair.starts_on),
        "end": format_date(pair.ends_on),
        "date": format_date(held_on),
        "today": format_date(today),
        "today_allowed": earliest <= today <= latest,
        "earliest": earliest,
        "latest": min(latest, today),
        "formats": [(code, i18n.get(f"meeting-format-{code}")) for code in meetings.FORMATS],
        "offered": [
            (a.id, short(f"{a.position}. {a.due_on:%d.%m} {a.content}", 52)) for a in offered
        ],
        "durations": [
            (m, i18n.get("meeting-minutes", minutes=m)) for m in meetings.DURATION_CHOICES
        ],
        "mentees": [
            (p.membership_id, short(p.full_name or i18n.get("programme-someone")))
            for p in people
            if not p.is_mentor
        ],
    }


# --- the steps --------------------------------------------------------------------------------


async def date_chosen(event: Message | CallbackQuery, manager: DialogManager, day: date) -> None:
    session, _ = middleware(manager)
    pair = await the_pair(manager)
    _, today = await local_today(session, pair, manager.middleware_data["clock"])
    try:
        meetings.check_date(day, pair, today)
    except UserFacingError as error:
        i18n: I18nContext = manager.middleware_data["i18n"]
        if isinstance(event, CallbackQuery):
            await event.answer(error_text(i18n, error), show_alert=True)
        else:
            manager.show_mode = ShowMode.SEND
            await event.answer(error_text(i18n, error))
        return
    manager.dialog_data["held_on"] = day.isoformat()
    await manager.switch_to(MeetingForm.format)


async def today_tapped(query: CallbackQuery, _: Any, manager: DialogManager) -> None:
    session, _ = middleware(manager)
    pair = await the_pair(manager)
    _, today = await local_today(session, pair, manager.middleware_data["clock"])
    await date_chosen(query, manager, today)


async def day_tapped(query: CallbackQuery, _: Any, manager: DialogManager, day: date) -> None:
    await date_chosen(query, manager, day)


async def date_typed(message: Message, _: Any, manager: DialogManager, day: date) -> None:
    await date_chosen(message, manager, day)


async def format_chosen(query: CallbackQuery, _: Any, manager: DialogManager, code: str) -> None:
    if code not in meetings.FORMATS:
        raise Gone
    manager.dialog_data["format"] = code
    session, actor = middleware(manager)
    pair = await the_pair(manager)
    has_items = bool(await offered_activities(session, pair, actor))
    await manager.switch_to(MeetingForm.activity if has_items else MeetingForm.duration)


async def activity_chosen(
    query: CallbackQuery, _: Any, manager: DialogManager, activity_id: int
) -> None:
    session, _ = middleware(manager)
    pair = await the_pair(manager)
    if activity_id and await programmes.activity_of_pair(session, pair, activity_id) is None:
        raise Gone  # another pair's item, or one gone
    manager.dialog_data["activity_id"] = activity_id or None
    await manager.switch_to(MeetingForm.duration)


async def no_activity(query: CallbackQuery, _: Any, manager: DialogManager) -> None:
    await activity_chosen(query, None, manager, 0)


async def duration_chosen(
    event: Message | CallbackQuery, _: Any, manager: DialogManager, minutes: str
) -> None:
    try:
        manager.dialog_data["duration"] = meetings.parse_duration(minutes)
    except UserFacingError as error:
        raise Gone from error  # a forged button: typed values are bounded before
    session, actor = middleware(manager)
    pair = await the_pair(manager)
    mentees = await programmes.mentee_ids(session, pair.id)
    if pair.mentor_membership_id in member_ids(actor) and len(mentees) > 1:
        present = manager.find("meeting_attendees")
        assert present is not None
        for mentee in mentees:
            await present.set_checked(mentee, True)
        await manager.switch_to(MeetingForm.attendees)
        return
    await manager.switch_to(MeetingForm.notes)


async def attendees_done(query: CallbackQuery, _: Any, manager: DialogManager) -> None:
    session, _ = middleware(manager)
    pair = await the_pair(manager)
    mentees = await programmes.mentee_ids(session, pair.id)
    present = manager.find("meeting_attendees")
    assert present is not None
    checked = [m for m in present.get_checked() if m in mentees]
    if not checked:
        await answer_error(query, manager, "meeting-nobody-present")
        return
    manager.dialog_data["attendees"] = checked
    await manager.switch_to(MeetingForm.notes)


async def notes_typed(message: Message, _: Any, manager: DialogManager, notes: str) -> None:
    manager.dialog_data["notes"] = notes
    await manager.switch_to(MeetingForm.next_steps)


async def notes_skipped(query: CallbackQuery, _: Any, manager: DialogManager) -> None:
    manager.dialog_data.pop("notes", None)
    await manager.switch_to(MeetingForm.next_steps)


async def next_steps_typed(message: Message, _: Any, manager: DialogManager, text: str) -> None:
    await save(message, manager, text)


async def next_steps_skipped(query: CallbackQuery, _: Any, manager: DialogManager) -> None:
    await save(query, manager, None)


async def use_buttons(message: Message, _: Any, manager: DialogManager) -> None:
    manager.show_mode = ShowMode.SEND
    await answer_error(message, manager, "meeting-use-buttons")


# --- saving and telling the other side ------------------------------------------------------


async def summary(
    session: AsyncSession, i18n: I18nContext, meeting: Meeting, people: list[Participant]
) -> str:
    lines = [
        i18n.get(
            "meeting-line-when",
            date=format_date(meeting.held_on),
            format=i18n.get(f"meeting-format-{meeting.format}"),
            minutes=meeting.duration_minutes,
        )
    ]
    activity = await session.get(Activity, meeting.activity_id) if meeting.activity_id else None
    if activity is not None:
        lines.append(i18n.get("meeting-line-activity", content=esc(short(activity.content, 200))))
    present = set(await meetings.attendees(session, meeting.id))
    names = [name_of(i18n, p) for p in people if p.membership_id in present]
    lines.append(i18n.get("meeting-line-attendees", count=len(names), names=", ".join(names)))
    if meeting.notes:
        lines.append(i18n.get("meeting-line-notes", text=esc(meeting.notes)))
    if meeting.next_steps:
        lines.append(i18n.get("meeting-line-next", text=esc(meeting.next_steps)))
    return "\n".join(lines)


async def save(
    event: Message | CallbackQuery, manager: DialogManager, next_steps: str | None
) -> None:
    session, actor = middleware(manager)
    i18n: I18nContext = manager.middleware_data["i18n"]
    clock: Clock = manager.middleware_data["clock"]
    mail: Mail = manager.middleware_data["mail"]
    settings: Settings = manager.middleware_data["settings"]
    pair = await the_pair(manager)
    people = await participants(session, pair)
    me = next((p for p in people if p.membership_id in member_ids(actor)), None)
    data = manager.dialog_data
    _, today = await local_today(session, pair, clock)
    if me is None or "held_on" not in data or "format" not in data or "duration" not in data:
        raise Gone
    draft = meetings.Draft(
        held_on=date.fromisoformat(data["held_on"]),
        format=data["format"],
        duration_minutes=data["duration"],
        activity_id=data.get("activity_id"),
        notes=data.get("notes"),
        next_steps=next_steps,
        attendees=data.get("attendees", []),
    )
    reply = event.message if isinstance(event, CallbackQuery) else event
    assert isinstance(reply, Message)
    await manager.done()
    try:
        meeting = await meetings.log(session, pair, me.membership_id, draft, today, clock.now())
    except UserFacingError as error:
        await reply.answer(error_text(i18n, error))
        return
    asked = set(await meetings.confirmers(session, meeting, pair))
    others = [p for p in people if p.membership_id in asked]
    names = ", ".join(name_of(i18n, p) for p in others) or "—"
    text = await summary(session, i18n, meeting, people)
    await reply.answer(i18n.get("meeting-saved", summary=text, names=names))
    for person in others:
        if await mail.is_blocked(person.telegram_id):
            await reply.answer(i18n.get("programme-not-delivered", name=name_of(i18n, person)))
            continue
        with i18n.use_locale(locale_of(person, settings)):
            request = i18n.get(
                "meeting-confirm-request",
                name=name_of(i18n, me),
                summary=await summary(session, i18n, meeting, people),
            )
            confirm = button(i18n.get("meeting-confirm"), MeetingConfirmCb(meeting_id=meeting.id))
        await send_pages(mail, person.telegram_id, [request], keyboard([confirm]))


async def confirm_meeting(
    query: CallbackQuery,
    meeting_id: int,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> bool:
    """Confirm once; the one who logged it is told. False (and an alert) when it is not theirs
    to confirm or confirmed already."""
    found = await meeting_of_member(session, actor, meeting_id)
    if found is None:
        await query.answer(i18n.get("error-not-found"), show_alert=True)
        return False
    meeting, pair = found
    try:
        result = await meetings.confirm(session, meeting, pair, member_ids(actor), clock.now())
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return False
    if result.already:
        await query.answer(i18n.get("meeting-already-confirmed"), show_alert=True)
        return False
    people = await participants(session, pair)
    me = next((p for p in people if p.membership_id == meeting.confirmed_by_membership_id), None)
    logger = next((p for p in people if p.membership_id == meeting.logged_by_membership_id), None)
    if logger is not None:
        with i18n.use_locale(locale_of(logger, settings)):
            text = i18n.get(
                "meeting-confirmed-notice",
                name=name_of(i18n, me) if me else "—",
                date=format_date(meeting.held_on),
            )
        await send_pages(mail, logger.telegram_id, [text])
    return True


async def confirm_tapped(
    query: CallbackQuery,
    callback_data: MeetingConfirmCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    args = (session, actor, clock, mail, settings, i18n)
    if not await confirm_meeting(query, callback_data.meeting_id, *args):
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(i18n.get("meeting-confirmed-thanks"))


async def meeting_command(
    message: Message,
    dialog_manager: DialogManager,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    await start_for_pair(
        message,
        dialog_manager,
        session,
        actor,
        i18n,
        first=MeetingForm.date,
        chooser=MeetingForm.pair,
        no_pairs="meeting-no-pairs",
    )


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(meeting_command, Command("meeting"), flags=PAIR_MEMBERS)
    router.callback_query.register(confirm_tapped, MeetingConfirmCb.filter())
    return router


def dialogs() -> list[Dialog]:
    only_buttons = MessageInput(use_buttons, content_types=[ContentType.ANY])
    back = Back(Fl("plan-back"), id="meeting_back")

    def item_select(widget_id: str, items: str, on_click: Any, type_factory: Any) -> Select[Any]:
        return Select(
            Format("{item[1]}"),
            id=widget_id,
            item_id_getter=lambda item: item[0],
            items=items,
            type_factory=type_factory,
            on_click=on_click,
        )

    def step(*widgets: Any, state: State) -> Window:
        return Window(*widgets, state=state, getter=form_getter)

    return [
        Dialog(
            pair_choice(MeetingForm.pair, MeetingForm.date, "meeting_pair"),
            step(
                Fl("meeting-ask-date"),
                Button(
                    Fl("meeting-today"),
                    id="meeting_today",
                    on_click=today_tapped,
                    when="today_allowed",
                ),
                SwitchTo(Fl("meeting-other-date"), "meeting_other_date", MeetingForm.calendar),
                *text_input("meeting_date", date_typed, parsed_by(parse_date)),
                state=MeetingForm.date,
            ),
            step(
                Fl("meeting-pick-day"),
                day_calendar("meeting_calendar", day_tapped),
                back,
                *text_input("meeting_calendar_date", date_typed, parsed_by(parse_date)),
                state=MeetingForm.calendar,
            ),
            step(
                Fl("meeting-ask-format"),
                Row(
                    Radio(
                        Format("✔️ {item[1]}"),
                        Format("{item[1]}"),
                        id="meeting_format",
                        item_id_getter=lambda item: item[0],
                        items="formats",
                        on_click=format_chosen,
                    )
                ),
                SwitchTo(Fl("plan-back"), "meeting_format_back", MeetingForm.date),
                only_buttons,
                state=MeetingForm.format,
            ),
            step(
                Fl("meeting-ask-activity"),
                Column(item_select("meeting_activity", "offered", activity_chosen, safe_id)),
                Button(Fl("meeting-no-activity"), id="meeting_no_activity", on_click=no_activity),
                back,
                only_buttons,
                state=MeetingForm.activity,
            ),
            step(
                Fl("meeting-ask-duration"),
                Row(item_select("meeting_duration", "durations", duration_chosen, str)),
                *text_input("meeting_duration_typed", duration_chosen, parsed_by(_duration)),
                SwitchTo(Fl("plan-back"), "meeting_duration_back", MeetingForm.format),
                state=MeetingForm.duration,
            ),
            step(
                Fl("meeting-ask-attendees"),
                Column(
                    Multiselect(
                        Format("✅ {item[1]}"),
                        Format("⬜ {item[1]}"),
                        id="meeting_attendees",
                        item_id_getter=lambda item: item[0],
                        items="mentees",
                        type_factory=safe_id,
                    )
                ),
                Button(
                    Fl("meeting-attendees-done"),
                    id="meeting_attendees_done",
                    on_click=attendees_done,
                ),
                back,
                only_buttons,
                state=MeetingForm.attendees,
            ),
            step(
                Fl("meeting-ask-notes", limit=meetings.NOTES_LIMIT),
                *text_input("meeting_notes", notes_typed, parsed_by(meetings.parse_notes)),
                Button(Fl("meeting-skip"), id="meeting_notes_skip", on_click=notes_skipped),
                SwitchTo(Fl("plan-back"), "meeting_notes_back", MeetingForm.duration),
                state=MeetingForm.notes,
            ),
            step(
                Fl("meeting-ask-next-steps", limit=meetings.NEXT_STEPS_LIMIT),
                *text_input(
                    "meeting_next_steps", next_steps_typed, parsed_by(meetings.parse_next_steps)
                ),
                Button(
                    Fl("meeting-skip"), id="meeting_next_steps_skip", on_click=next_steps_skipped
                ),
                back,
                state=MeetingForm.next_steps,
            ),
        )
    ]


def _duration(text: str | None) -> str:
    return str(meetings.parse_duration(text))
