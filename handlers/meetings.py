"""/meeting: log a meeting in a few taps; the other side confirms it.

Steps: the pair (when there are several), the date (today, a calendar or typed), the format,
the programme item it served (optional), the duration (buttons or typed), who was present
(a group, logged by the mentor), notes and next steps (both may be skipped). Then the other side
gets a button to confirm; a second tap on it changes nothing.
"""

from __future__ import annotations

import calendar
from datetime import date

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.mail import Mail
from bot.services import meetings, programmes
from bot.services.clock import Clock
from bot.services.errors import UserFacingError
from bot.services.pairs_read import Participant, participants
from bot.services.people import Actor
from bot.services.profile_form import parse_date
from bot.ui import button, error_text, esc, format_date, keyboard
from handlers.programme_view import (
    ask_pair,
    close_with,
    dialog_lost,
    drop_buttons,
    local_today,
    locale_of,
    member_ids,
    name_of,
    own_pair,
    replace,
    running_pairs,
    send_pages,
    set_buttons,
    short,
)
from handlers.roles import PAIR_MEMBERS
from models import Activity, ActivityStatus, Meeting, Pair

ACTIVITIES_OFFERED = 8


class MeetCb(CallbackData, prefix="meet"):
    # pair, cal, day, nop, fmt, act, dur, att, attok, skip
    action: str
    pair_id: int = 0
    value: str = ""


class MeetOkCb(CallbackData, prefix="meetok"):
    meeting_id: int


class MeetingForm(StatesGroup):
    # data: pair_id, then held_on, format, activity_id, duration, attendees, notes
    date = State()
    format = State()
    activity = State()
    duration = State()
    attendees = State()
    notes = State()
    next_steps = State()


# --- start and the date -----------------------------------------------------------------------


async def meeting_command(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    await state.clear()
    pairs = await running_pairs(session, actor, mentees_too=True)
    if not pairs:
        await message.answer(i18n.get("meeting-no-pairs"))
    elif len(pairs) == 1:
        await start(message, state, session, i18n, pairs[0], clock)
    else:
        await ask_pair(
            message, session, actor, i18n, pairs, lambda pid: MeetCb(action="pair", pair_id=pid)
        )


async def pair_chosen(
    query: CallbackQuery,
    callback_data: MeetCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    pair = await own_pair(session, actor, callback_data.pair_id)
    if pair is None or not isinstance(query.message, Message):
        await query.answer(i18n.get("error-not-found"), show_alert=True)
        return
    await query.answer()
    await state.clear()
    await start(query.message, state, session, i18n, pair, clock)


async def start(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    i18n: I18nContext,
    pair: Pair,
    clock: Clock,
) -> None:
    _, today = await local_today(session, pair, clock)
    await state.set_state(MeetingForm.date)
    await state.set_data({"pair_id": pair.id})
    rows = []
    try:
        meetings.check_date(today, pair, today)
        rows.append(
            [
                button(
                    i18n.get("meeting-today", date=format_date(today)),
                    MeetCb(action="day", pair_id=pair.id, value=today.isoformat()),
                )
            ]
        )
    except UserFacingError:
        pass  # today lies outside the term: only the calendar
    rows.append(
        [
            button(
                i18n.get("meeting-other-date"),
                MeetCb(action="cal", pair_id=pair.id, value=f"{today:%Y-%m}"),
            )
        ]
    )
    await message.answer(
        i18n.get(
            "meeting-ask-date", start=format_date(pair.starts_on), end=format_date(pair.ends_on)
        ),
        reply_markup=keyboard(*rows),
    )


def _month(value: str) -> tuple[int, int] | None:
    try:
        year, month = (int(part) for part in value.split("-"))
        date(year, month, 1)
    except ValueError:
        return None
    return year, month


def _shift(year: int, month: int, step: int) -> str:
    index = year * 12 + month - 1 + step
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def calendar_keyboard(
    i18n: I18nContext, pair: Pair, today: date, year: int, month: int
) -> InlineKeyboardMarkup:
    """A month of days; only days inside the term and not in the future can be tapped."""

    def nop(text: str) -> InlineKeyboardButton:
        return button(text, MeetCb(action="nop", pair_id=pair.id))

    rows = [
        [
            button("◀", MeetCb(action="cal", pair_id=pair.id, value=_shift(year, month, -1))),
            nop(f"{month:02d}.{year}"),
            button("▶", MeetCb(action="cal", pair_id=pair.id, value=_shift(year, month, 1))),
        ],
        [nop(day) for day in i18n.get("meeting-weekdays").split()],
    ]
    for week in calendar.Calendar().monthdatescalendar(year, month):
        row = []
        for day in week:
            if day.month != month:
                row.append(nop(" "))
                continue
            try:
                meetings.check_date(day, pair, today)
            except UserFacingError:
                row.append(nop("·"))
                continue
            row.append(
                button(str(day.day), MeetCb(action="day", pair_id=pair.id, value=day.isoformat()))
            )
        rows.append(row)
    return keyboard(*rows)


async def nothing(query: CallbackQuery) -> None:
    await query.answer()


async def _state_pair(
    state: FSMContext, session: AsyncSession, actor: Actor, pair_id: int | None = None
) -> Pair | None:
    """The dialog's pair, still the actor's own (and the same as the button's, if any)."""
    data = await state.get_data()
    stored = int(data.get("pair_id", 0))
    if pair_id is not None and pair_id != stored:
        return None
    return await own_pair(session, actor, stored)


async def _typed_pair(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, i18n: I18nContext
) -> Pair | None:
    """The dialog's pair for a typed answer; when it is gone, the dialog ends politely."""
    pair = await _state_pair(state, session, actor)
    if pair is None:
        await dialog_lost(message, state, i18n)
    return pair


async def _stale(query: CallbackQuery, i18n: I18nContext, key: str = "error-stale-button") -> None:
    await query.answer(i18n.get(key), show_alert=True)


async def _step_done(query: CallbackQuery, message: Message) -> None:
    """The tap is taken: its buttons go, so a second tap cannot repeat the step."""
    await query.answer()
    await drop_buttons(message)


async def show_calendar(
    query: CallbackQuery,
    callback_data: MeetCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    pair = await _state_pair(state, session, actor, callback_data.pair_id)
    month = _month(callback_data.value)
    if pair is None or month is None or not isinstance(query.message, Message):
        await _stale(query, i18n)
        return
    _, today = await local_today(session, pair, clock)
    await query.answer()
    await replace(
        query.message,
        i18n.get("meeting-pick-day"),
        reply_markup=calendar_keyboard(i18n, pair, today, *month),
    )


async def _date_chosen(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    i18n: I18nContext,
    pair: Pair,
    day: date,
    clock: Clock,
) -> bool:
    _, today = await local_today(session, pair, clock)
    try:
        meetings.check_date(day, pair, today)
    except UserFacingError as error:
        await message.answer(error_text(i18n, error))
        return False
    await state.update_data(held_on=day.isoformat())
    await state.set_state(MeetingForm.format)
    await message.answer(
        i18n.get("meeting-ask-format", date=format_date(day)),
        reply_markup=keyboard(
            [
                button(
                    i18n.get(f"meeting-format-{code}"),
                    MeetCb(action="fmt", pair_id=pair.id, value=code),
                )
                for code in meetings.FORMATS
            ]
        ),
    )
    return True


async def day_tapped(
    query: CallbackQuery,
    callback_data: MeetCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    pair = await _state_pair(state, session, actor, callback_data.pair_id)
    try:
        day = date.fromisoformat(callback_data.value)
    except ValueError:
        pair = None
    if pair is None or not isinstance(query.message, Message):
        await _stale(query, i18n)
        return
    _, today = await local_today(session, pair, clock)
    try:
        meetings.check_date(day, pair, today)
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    await _step_done(query, query.message)
    await _date_chosen(query.message, state, session, i18n, pair, day, clock)


async def date_typed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    pair = await _typed_pair(message, state, session, actor, i18n)
    if pair is None:
        return
    try:
        day = parse_date(message.text)
    except UserFacingError as error:
        await message.answer(error_text(i18n, error))
        return
    await _date_chosen(message, state, session, i18n, pair, day, clock)


# --- format, activity, duration, attendees -----------------------------------------------------


async def format_chosen(
    query: CallbackQuery,
    callback_data: MeetCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    pair = await _state_pair(state, session, actor, callback_data.pair_id)
    if (
        pair is None
        or callback_data.value not in meetings.FORMATS
        or not isinstance(query.message, Message)
    ):
        await _stale(query, i18n)
        return
    await _step_done(query, query.message)
    await state.update_data(format=callback_data.value)
    await ask_activity(query.message, state, session, i18n, pair, member_ids(actor))


async def ask_activity(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    i18n: I18nContext,
    pair: Pair,
    ids: list[int],
) -> None:
    programme = await programmes.programme_of(session, pair.id)
    # a mentee sees the plan once the mentor has sent it; a draft is the mentor's alone
    visible = programme is not None and (
        programmes.is_written(programme) or pair.mentor_membership_id in ids
    )
    activities = (
        await programmes.activities_of(session, programme.id) if programme and visible else []
    )
    offered = sorted(
        (a for a in activities if a.status == ActivityStatus.OPEN),
        key=lambda a: (a.due_on, a.position),
    )[:ACTIVITIES_OFFERED]
    if not offered:
        await ask_duration(message, state, i18n, pair)
        return
    await state.set_state(MeetingForm.activity)
    rows = [
        [
            button(
                short(f"{a.position}. {a.due_on:%d.%m} {a.content}", 52),
                MeetCb(action="act", pair_id=pair.id, value=str(a.id)),
            )
        ]
        for a in offered
    ]
    rows.append(
        [button(i18n.get("meeting-no-activity"), MeetCb(action="act", pair_id=pair.id, value="0"))]
    )
    await message.answer(i18n.get("meeting-ask-activity"), reply_markup=keyboard(*rows))


async def activity_chosen(
    query: CallbackQuery,
    callback_data: MeetCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    pair = await _state_pair(state, session, actor, callback_data.pair_id)
    activity_id = int(callback_data.value) if callback_data.value.isdigit() else -1
    valid = pair is not None and activity_id >= 0
    if pair is not None and activity_id > 0:
        valid = await programmes.activity_of_pair(session, pair, activity_id) is not None
    if pair is None or not valid or not isinstance(query.message, Message):
        await query.answer(i18n.get("error-not-found"), show_alert=True)
        return
    await _step_done(query, query.message)
    await state.update_data(activity_id=activity_id or None)
    await ask_duration(query.message, state, i18n, pair)


async def ask_duration(message: Message, state: FSMContext, i18n: I18nContext, pair: Pair) -> None:
    await state.set_state(MeetingForm.duration)
    await message.answer(
        i18n.get("meeting-ask-duration"),
        reply_markup=keyboard(
            [
                button(
                    i18n.get("meeting-minutes", minutes=minutes),
                    MeetCb(action="dur", pair_id=pair.id, value=str(minutes)),
                )
                for minutes in meetings.DURATION_CHOICES
            ]
        ),
    )


async def _duration_chosen(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
    pair: Pair,
    minutes: int,
) -> None:
    await state.update_data(duration=minutes)
    mentees = await programmes.mentee_ids(session, pair.id)
    if pair.mentor_membership_id in member_ids(actor) and len(mentees) > 1:
        await state.update_data(attendees=mentees)
        await state.set_state(MeetingForm.attendees)
        await message.answer(
            i18n.get("meeting-ask-attendees"),
            reply_markup=await attendees_keyboard(session, i18n, pair, mentees),
        )
        return
    await ask_notes(message, state, i18n, pair)


async def duration_tapped(
    query: CallbackQuery,
    callback_data: MeetCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    pair = await _state_pair(state, session, actor, callback_data.pair_id)
    try:
        minutes = meetings.parse_duration(callback_data.value)
    except UserFacingError:
        pair = None
    if pair is None or not isinstance(query.message, Message):
        await _stale(query, i18n)
        return
    await _step_done(query, query.message)
    await _duration_chosen(query.message, state, session, actor, i18n, pair, minutes)


async def duration_typed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    pair = await _typed_pair(message, state, session, actor, i18n)
    if pair is None:
        return
    try:
        minutes = meetings.parse_duration(message.text)
    except UserFacingError as error:
        await message.answer(error_text(i18n, error))
        return
    await _duration_chosen(message, state, session, actor, i18n, pair, minutes)


async def attendees_keyboard(
    session: AsyncSession, i18n: I18nContext, pair: Pair, present: list[int]
) -> InlineKeyboardMarkup:
    people = [p for p in await participants(session, pair) if not p.is_mentor]
    rows = [
        [
            button(
                ("✅ " if p.membership_id in present else "⬜ ")
                + short(p.full_name or i18n.get("programme-someone")),
                MeetCb(action="att", pair_id=pair.id, value=str(p.membership_id)),
            )
        ]
        for p in people
    ]
    rows.append(
        [button(i18n.get("meeting-attendees-done"), MeetCb(action="attok", pair_id=pair.id))]
    )
    return keyboard(*rows)


async def attendee_toggled(
    query: CallbackQuery,
    callback_data: MeetCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    pair = await _state_pair(state, session, actor, callback_data.pair_id)
    mentees = await programmes.mentee_ids(session, pair.id) if pair else []
    member = int(callback_data.value) if callback_data.value.isdigit() else 0
    if pair is None or member not in mentees or not isinstance(query.message, Message):
        await query.answer(i18n.get("error-not-found"), show_alert=True)
        return
    data = await state.get_data()
    present = [int(m) for m in data.get("attendees", [])]
    present = [m for m in present if m != member] if member in present else [*present, member]
    await state.update_data(attendees=present)
    await query.answer()
    await set_buttons(query.message, await attendees_keyboard(session, i18n, pair, present))


async def attendees_done(
    query: CallbackQuery,
    callback_data: MeetCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    pair = await _state_pair(state, session, actor, callback_data.pair_id)
    if pair is None or not isinstance(query.message, Message):
        await _stale(query, i18n)
        return
    if not (await state.get_data()).get("attendees"):
        await query.answer(i18n.get("meeting-nobody-present"), show_alert=True)
        return
    await _step_done(query, query.message)
    await ask_notes(query.message, state, i18n, pair)


# --- notes, next steps, saving -----------------------------------------------------------------


def _skip(i18n: I18nContext, pair: Pair) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("meeting-skip"), MeetCb(action="skip", pair_id=pair.id))])


async def ask_notes(message: Message, state: FSMContext, i18n: I18nContext, pair: Pair) -> None:
    await state.set_state(MeetingForm.notes)
    await message.answer(
        i18n.get("meeting-ask-notes", limit=meetings.NOTES_LIMIT), reply_markup=_skip(i18n, pair)
    )


async def ask_next_steps(
    message: Message, state: FSMContext, i18n: I18nContext, pair: Pair
) -> None:
    await state.set_state(MeetingForm.next_steps)
    await message.answer(
        i18n.get("meeting-ask-next-steps", limit=meetings.NEXT_STEPS_LIMIT),
        reply_markup=_skip(i18n, pair),
    )


async def notes_typed(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, i18n: I18nContext
) -> None:
    pair = await _typed_pair(message, state, session, actor, i18n)
    if pair is None:
        return
    try:
        notes = meetings.parse_notes(message.text)
    except UserFacingError as error:
        await message.answer(error_text(i18n, error))
        return
    await state.update_data(notes=notes)
    await ask_next_steps(message, state, i18n, pair)


async def next_steps_typed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    try:
        next_steps = meetings.parse_next_steps(message.text)
    except UserFacingError as error:
        await message.answer(error_text(i18n, error))
        return
    await state.update_data(next_steps=next_steps)
    await save(message, state, session, actor, clock, mail, settings, i18n)


async def skipped(
    query: CallbackQuery,
    callback_data: MeetCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    pair = await _state_pair(state, session, actor, callback_data.pair_id)
    if pair is None or not isinstance(query.message, Message):
        await _stale(query, i18n)
        return
    await _step_done(query, query.message)
    if await state.get_state() == MeetingForm.notes.state:
        await ask_next_steps(query.message, state, i18n, pair)
        return
    await save(query.message, state, session, actor, clock, mail, settings, i18n)


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
    if meeting.activity_id:
        activity = await session.get(Activity, meeting.activity_id)
        if activity is not None:
            lines.append(
                i18n.get("meeting-line-activity", content=esc(short(activity.content, 200)))
            )
    present = set(await meetings.attendees(session, meeting.id))
    names = [name_of(i18n, p) for p in people if p.membership_id in present]
    lines.append(i18n.get("meeting-line-attendees", count=len(names), names=", ".join(names)))
    if meeting.notes:
        lines.append(i18n.get("meeting-line-notes", text=esc(meeting.notes)))
    if meeting.next_steps:
        lines.append(i18n.get("meeting-line-next", text=esc(meeting.next_steps)))
    return "\n".join(lines)


async def save(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    pair = await _state_pair(state, session, actor)
    data = await state.get_data()
    ids = member_ids(actor)
    people = await participants(session, pair) if pair else []
    me = next((p for p in people if p.membership_id in ids), None)
    if pair is None or me is None:
        await dialog_lost(message, state, i18n)
        return
    _, today = await local_today(session, pair, clock)
    try:
        draft = meetings.Draft(
            held_on=date.fromisoformat(str(data["held_on"])),
            format=str(data["format"]),
            duration_minutes=int(data["duration"]),
            activity_id=int(data["activity_id"]) if data.get("activity_id") else None,
            notes=data.get("notes"),
            next_steps=data.get("next_steps"),
            attendees=[int(m) for m in data.get("attendees", [])],
        )
        meeting = await meetings.log(session, pair, me.membership_id, draft, today, clock.now())
    except (KeyError, ValueError):
        await state.clear()
        await message.answer(i18n.get("error-stale-button"))
        return
    except UserFacingError as error:
        await state.clear()
        await message.answer(error_text(i18n, error))
        return
    await state.clear()
    asked = set(await meetings.confirmers(session, meeting, pair))
    others = [p for p in people if p.membership_id in asked]
    await message.answer(
        i18n.get(
            "meeting-saved",
            summary=await summary(session, i18n, meeting, people),
            names=", ".join(name_of(i18n, p) for p in others) or "—",
        )
    )
    for person in others:
        if await mail.is_blocked(person.telegram_id):
            await message.answer(i18n.get("programme-not-delivered", name=name_of(i18n, person)))
            continue
        with i18n.use_locale(locale_of(person, settings)):
            text = i18n.get(
                "meeting-confirm-request",
                name=name_of(i18n, me),
                summary=await summary(session, i18n, meeting, people),
            )
            markup = keyboard(
                [button(i18n.get("meeting-confirm"), MeetOkCb(meeting_id=meeting.id))]
            )
        await send_pages(mail, person.telegram_id, [text], markup)


# --- confirmation -----------------------------------------------------------------------------


async def confirmed(
    query: CallbackQuery,
    callback_data: MeetOkCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    meeting = await session.get(Meeting, callback_data.meeting_id)
    pair = await own_pair(session, actor, meeting.pair_id) if meeting else None
    if meeting is None or pair is None:
        await query.answer(i18n.get("error-not-found"), show_alert=True)
        return
    try:
        result = await meetings.confirm(session, meeting, pair, member_ids(actor), clock.now())
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    if result.already:
        await query.answer(i18n.get("meeting-already-confirmed"), show_alert=True)
        return
    await close_with(query, i18n.get("meeting-confirmed-thanks"))
    people = await participants(session, pair)
    me = next((p for p in people if p.membership_id == meeting.confirmed_by_membership_id), None)
    logger = next((p for p in people if p.membership_id == meeting.logged_by_membership_id), None)
    if logger is None:
        return
    with i18n.use_locale(locale_of(logger, settings)):
        text = i18n.get(
            "meeting-confirmed-notice",
            name=name_of(i18n, me) if me else "—",
            date=format_date(meeting.held_on),
        )
    await send_pages(mail, logger.telegram_id, [text])


async def wrong_input(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    """Stickers and the like; in the steps with buttons, a typed text too."""
    current = await state.get_state()
    key = (
        "meeting-use-buttons"
        if current
        in (MeetingForm.format.state, MeetingForm.activity.state, MeetingForm.attendees.state)
        else "programme-expected-text"
    )
    await message.answer(i18n.get(key))


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(meeting_command, Command("meeting"), flags=PAIR_MEMBERS)
    router.callback_query.register(
        pair_chosen, MeetCb.filter(F.action == "pair"), flags=PAIR_MEMBERS
    )
    router.callback_query.register(nothing, MeetCb.filter(F.action == "nop"))
    router.callback_query.register(
        show_calendar, MeetingForm.date, MeetCb.filter(F.action == "cal")
    )
    router.callback_query.register(day_tapped, MeetingForm.date, MeetCb.filter(F.action == "day"))
    router.callback_query.register(
        format_chosen, MeetingForm.format, MeetCb.filter(F.action == "fmt")
    )
    router.callback_query.register(
        activity_chosen, MeetingForm.activity, MeetCb.filter(F.action == "act")
    )
    router.callback_query.register(
        duration_tapped, MeetingForm.duration, MeetCb.filter(F.action == "dur")
    )
    router.callback_query.register(
        attendee_toggled, MeetingForm.attendees, MeetCb.filter(F.action == "att")
    )
    router.callback_query.register(
        attendees_done, MeetingForm.attendees, MeetCb.filter(F.action == "attok")
    )
    router.callback_query.register(skipped, MeetingForm.notes, MeetCb.filter(F.action == "skip"))
    router.callback_query.register(
        skipped, MeetingForm.next_steps, MeetCb.filter(F.action == "skip")
    )
    router.callback_query.register(confirmed, MeetOkCb.filter())
    # The meeting form's typed steps, on a router of their own: other states skip it.
    form = Router(name=f"{__name__}.form")
    form.message.filter(StateFilter(MeetingForm))
    form.message.register(date_typed, MeetingForm.date, F.text, ~F.text.startswith("/"))
    form.message.register(duration_typed, MeetingForm.duration, F.text, ~F.text.startswith("/"))
    form.message.register(notes_typed, MeetingForm.notes, F.text, ~F.text.startswith("/"))
    form.message.register(
        next_steps_typed, MeetingForm.next_steps, F.text, ~F.text.startswith("/")
    )
    form.message.register(wrong_input, MeetingForm.date, ~F.text.startswith("/"))
    form.message.register(wrong_input, MeetingForm.format, ~F.text.startswith("/"))
    form.message.register(wrong_input, MeetingForm.activity, ~F.text.startswith("/"))
    form.message.register(wrong_input, MeetingForm.duration, ~F.text.startswith("/"))
    form.message.register(wrong_input, MeetingForm.attendees, ~F.text.startswith("/"))
    form.message.register(wrong_input, MeetingForm.notes, ~F.text.startswith("/"))
    form.message.register(wrong_input, MeetingForm.next_steps, ~F.text.startswith("/"))
    router.include_router(form)
    return router
