"""/meeting (a dialog): the pair, the date (today, a calendar or typed), the format, the plan item
it served, the duration, who was present (a group), notes and next steps. The other side gets a
plain button to confirm it; a second tap changes nothing."""

from __future__ import annotations

from datetime import date
from operator import itemgetter
from typing import Any

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Back, Button, Column, Multiselect, Radio, Row, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.services import meetings, programmes
from bot.services.errors import UserFacingError
from bot.services.pages import short
from bot.services.pairs_read import Participant, participants
from bot.services.plan_access import me_among, member_ids, offered_activities
from bot.services.profile_form import parse_date
from bot.ui import RecordId, button, error_text, esc, format_date, keyboard
from handlers import pair_dialog as pd
from handlers.dialog_kit import (
    SANE_FIRST,
    SANE_LAST,
    Ctx,
    Fl,
    Gone,
    LocalCalendar,
    OutOfRange,
    buttons_only,
    choice,
    command_and_buttons,
    ctx,
    parsed_by,
    polite,
    safe_id,
    say,
    text_input,
    today,
)
from handlers.programme_view import close_with, name_of, tell
from handlers.roles import PAIR_MEMBERS
from models import Meeting


class MeetingConfirmCb(CallbackData, prefix="meeting_confirm"):  # on the request to confirm
    meeting_id: RecordId


class MeetingForm(StatesGroup):
    pair, date, calendar, format, activity = State(), State(), State(), State(), State()
    duration, attendees, notes, next_steps = State(), State(), State(), State()


async def form_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    c, pair = ctx(dialog_manager), await pd.the_pair(dialog_manager)
    day, data = today(dialog_manager), dialog_manager.dialog_data
    earliest, latest = pair.starts_on or SANE_FIRST, pair.ends_on or SANE_LAST
    offered = await offered_activities(c.session, pair, c.actor)
    people = await participants(c.session, pair)
    someone = c.i18n.get("programme-someone")
    return {
        "start": format_date(pair.starts_on),
        "end": format_date(pair.ends_on),
        "date": format_date(date.fromisoformat(data.get("held_on", day.isoformat()))),
        "today": format_date(day),
        "today_allowed": earliest <= day <= latest,
        "earliest": earliest,
        "latest": min(latest, day),
        "formats": [(code, c.i18n.get(f"meeting-format-{code}")) for code in meetings.FORMATS],
        "offered": [
            (a.id, short(f"{a.position}. {a.due_on:%d.%m} {a.content}", 52)) for a in offered
        ],
        "durations": [
            (m, c.i18n.get("meeting-minutes", minutes=m)) for m in meetings.DURATION_CHOICES
        ],
        "mentees": [
            (p.membership_id, short(p.full_name or someone)) for p in people if not p.is_mentor
        ],
    }


@polite
async def date_chosen(event: Any, _: Any, manager: DialogManager, day: date | None = None) -> None:
    pair, now = await pd.the_pair(manager), today(manager)
    manager.dialog_data["held_on"] = meetings.check_date(day or now, pair, now).isoformat()
    await manager.switch_to(MeetingForm.format)


async def format_chosen(query: CallbackQuery, _: Any, manager: DialogManager, code: str) -> None:
    if code not in meetings.FORMATS:
        raise OutOfRange
    manager.dialog_data["format"] = code
    c, pair = ctx(manager), await pd.the_pair(manager)
    has_items = bool(await offered_activities(c.session, pair, c.actor))
    await manager.switch_to(MeetingForm.activity if has_items else MeetingForm.duration)


async def activity_chosen(
    query: CallbackQuery, _: Any, manager: DialogManager, activity_id: int = 0
) -> None:
    c, pair = ctx(manager), await pd.the_pair(manager)
    if activity_id and not await programmes.activity_of_pair(c.session, pair, activity_id):
        raise Gone  # another pair's item, or one gone
    manager.dialog_data["activity_id"] = activity_id or None
    await manager.switch_to(MeetingForm.duration)


async def duration_chosen(
    event: Message | CallbackQuery, _: Any, manager: DialogManager, minutes: str
) -> None:
    try:
        manager.dialog_data["duration_minutes"] = meetings.parse_duration(minutes)
    except UserFacingError as error:
        raise Gone from error  # a forged button: typed values are bounded before
    c, pair = ctx(manager), await pd.the_pair(manager)
    mentees = await programmes.mentee_ids(c.session, pair.id)
    if pair.mentor_membership_id not in member_ids(c.actor) or len(mentees) < 2:
        await manager.switch_to(MeetingForm.notes)
        return
    present = manager.find("meeting_attendees")
    for mentee in mentees:
        await present.set_checked(mentee, True)  # type: ignore[union-attr]
    await manager.switch_to(MeetingForm.attendees)


async def attendees_done(query: CallbackQuery, _: Any, manager: DialogManager) -> None:
    mentees = await programmes.mentee_ids(ctx(manager).session, (await pd.the_pair(manager)).id)
    checked = manager.find("meeting_attendees").get_checked()  # type: ignore[union-attr]
    present = [m for m in checked if m in mentees]
    if not present:
        await say(query, manager, ctx(manager).i18n.get("meeting-nobody-present"))
        return
    manager.dialog_data["attendees"] = present
    await manager.switch_to(MeetingForm.notes)


async def notes_given(
    _: object, __: Any, manager: DialogManager, notes: str | None = None
) -> None:
    manager.dialog_data["notes"] = notes
    await manager.switch_to(MeetingForm.next_steps)


async def summary(c: Ctx, meeting: Meeting, people: list[Participant]) -> str:
    i18n = c.i18n
    kind = i18n.get(f"meeting-format-{meeting.format}")
    held_on, minutes = format_date(meeting.held_on), meeting.duration_minutes
    lines = [i18n.get("meeting-line-when", date=held_on, format=kind, minutes=minutes)]
    activity = await meetings.served(c.session, meeting)
    if activity is not None:
        lines.append(i18n.get("meeting-line-activity", content=esc(short(activity.content, 200))))
    present = set(await meetings.attendees(c.session, meeting.id))
    names = [name_of(i18n, p) for p in people if p.membership_id in present]
    lines.append(i18n.get("meeting-line-attendees", count=len(names), names=", ".join(names)))
    if meeting.notes:
        lines.append(i18n.get("meeting-line-notes", text=esc(meeting.notes)))
    if meeting.next_steps:
        lines.append(i18n.get("meeting-line-next", text=esc(meeting.next_steps)))
    return "\n".join(lines)


async def save(
    event: Message | CallbackQuery, _: Any, manager: DialogManager, next_steps: str | None = None
) -> None:
    c, pair, data = ctx(manager), await pd.the_pair(manager), manager.dialog_data
    people = await participants(c.session, pair)
    me, draft = me_among(people, c.actor), meetings.Draft.gathered(data, next_steps)
    if me is None or draft is None:
        raise Gone
    reply = event.message if isinstance(event, CallbackQuery) else event
    assert isinstance(reply, Message)  # the dialog's message, or the typed one
    day, now = today(manager), c.clock.now()
    try:  # logged before the dialog closes: the plan below it shows the meeting counted
        meeting = await meetings.log(c.session, pair, me.membership_id, draft, day, now)
    except UserFacingError as error:
        await reply.answer(error_text(c.i18n, error))
        return
    finally:
        await manager.done()
    asked = set(await meetings.confirmers(c.session, meeting, pair))
    others = [p for p in people if p.membership_id in asked]
    names = ", ".join(name_of(c.i18n, p) for p in others) or "—"
    text = await summary(c, meeting, people)
    await reply.answer(c.i18n.get("meeting-saved", summary=text, names=names))

    async def request(_: Participant) -> tuple[list[str], InlineKeyboardMarkup]:
        text = await summary(c, meeting, people)
        request = c.i18n.get("meeting-confirm-request", name=name_of(c.i18n, me), summary=text)
        confirm = button(c.i18n.get("meeting-confirm"), MeetingConfirmCb(meeting_id=meeting.id))
        return [request], keyboard([confirm])

    await tell(c, others, request, reply)


async def confirm_meeting(query: CallbackQuery, c: Ctx, meeting_id: int) -> bool:
    """Confirm once, and tell the one who logged it; else an alert why not (and False)."""
    try:
        meeting, pair = await meetings.confirm_as(c.session, c.actor, meeting_id, c.clock.now())
    except UserFacingError as error:
        await query.answer(error_text(c.i18n, error), show_alert=True)
        return False
    people = {p.membership_id: p for p in await participants(c.session, pair)}
    me = people.get(meeting.confirmed_by_membership_id or 0)
    logger = people.get(meeting.logged_by_membership_id or 0)

    async def notice(_: Participant) -> tuple[list[str], None]:
        name, held_on = name_of(c.i18n, me), format_date(meeting.held_on)
        return [c.i18n.get("meeting-confirmed-notice", name=name, date=held_on)], None

    await tell(c, [logger] if logger else [], notice)
    return True


async def confirm_tapped(
    query: CallbackQuery, callback_data: MeetingConfirmCb, dialog_manager: DialogManager
) -> None:
    c = ctx(dialog_manager)
    if await confirm_meeting(query, c, callback_data.meeting_id):
        await close_with(query, c.i18n.get("meeting-confirmed-thanks"))


def router() -> Router:
    command = pd.pair_command(MeetingForm.date, MeetingForm.pair, "meeting-no-pairs")
    confirm = (confirm_tapped, MeetingConfirmCb.filter())
    return command_and_buttons(__name__, "meeting", command, PAIR_MEMBERS, confirm)


def dialogs() -> list[Dialog]:
    only_buttons = buttons_only("meeting-use-buttons")
    back = Back(Fl("plan-back"), id="meeting_back")

    def step(*widgets: Any, state: State) -> Window:
        return Window(*widgets, state=state, getter=form_getter)

    def back_to(state: State) -> SwitchTo:
        return SwitchTo(Fl("plan-back"), f"meeting_back_to_{state.state}".replace(":", "_"), state)

    typed_date = parsed_by(parse_date)
    item_id = itemgetter(0)
    formats = Radio(
        Format("✔️ {item[1]}"), Format("{item[1]}"), "meeting_format", item_id, "formats",
        on_click=format_chosen,
    )  # fmt: skip
    present = Multiselect(
        Format("✅ {item[1]}"), Format("⬜ {item[1]}"), "meeting_attendees", item_id, "mentees",
        type_factory=safe_id,
    )  # fmt: skip
    return [
        Dialog(
            pd.pair_choice(MeetingForm.pair, MeetingForm.date, "meeting_pair"),
            step(
                Fl("meeting-ask-date"),
                Button(Fl("meeting-today"), "meeting_today", date_chosen, when="today_allowed"),
                SwitchTo(Fl("meeting-other-date"), "meeting_other_date", MeetingForm.calendar),
                *text_input("meeting_date", date_chosen, typed_date),
                state=MeetingForm.date,
            ),
            step(
                Fl("meeting-pick-day"),
                LocalCalendar("meeting_calendar", date_chosen),
                back,
                *text_input("meeting_calendar_date", date_chosen, typed_date),
                state=MeetingForm.calendar,
            ),
            step(
                Fl("meeting-ask-format"),
                Row(formats),
                back_to(MeetingForm.date),
                only_buttons,
                state=MeetingForm.format,
            ),
            step(
                Fl("meeting-ask-activity"),
                Column(choice("meeting_activity", "offered", activity_chosen, safe_id)),
                Button(Fl("meeting-no-activity"), "meeting_no_activity", activity_chosen),
                back,
                only_buttons,
                state=MeetingForm.activity,
            ),
            step(
                Fl("meeting-ask-duration"),
                Row(choice("meeting_duration", "durations", duration_chosen)),
                *text_input(
                    "meeting_duration_typed",
                    duration_chosen,
                    parsed_by(lambda text: str(meetings.parse_duration(text))),
                ),
                back_to(MeetingForm.format),
                state=MeetingForm.duration,
            ),
            step(
                Fl("meeting-ask-attendees"),
                Column(present),
                Button(Fl("meeting-attendees-done"), "meeting_attendees_done", attendees_done),
                back,
                only_buttons,
                state=MeetingForm.attendees,
            ),
            step(
                Fl("meeting-ask-notes", limit=meetings.NOTES_LIMIT),
                *text_input("meeting_notes", notes_given, parsed_by(meetings.parse_notes)),
                Button(Fl("meeting-skip"), "meeting_notes_skip", notes_given),
                back_to(MeetingForm.duration),
                state=MeetingForm.notes,
            ),
            step(
                Fl("meeting-ask-next-steps", limit=meetings.NEXT_STEPS_LIMIT),
                *text_input("meeting_next_steps", save, parsed_by(meetings.parse_next_steps)),
                Button(Fl("meeting-skip"), "meeting_next_steps_skip", save),
                back,
                state=MeetingForm.next_steps,
            ),
        )
    ]
