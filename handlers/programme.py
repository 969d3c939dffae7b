"""/programme: the mentor writes the pair's personalised programme; the mentee reads it.

The mentor starts from a template or from scratch, edits goal, tasks, planned results and form,
keeps the calendar plan (add, edit, move, remove rows) and submits it. Each mentee reads it and
acknowledges it or asks for changes (back to the mentor with the comment). A curator of the
organisation can open it read-only. Shared pieces live in handlers/programme_view.py.
"""

from __future__ import annotations

from datetime import date

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.mail import Mail
from bot.services import programme_templates, programmes
from bot.services.clock import Clock
from bot.services.errors import UserFacingError
from bot.services.pairs_read import Participant, participants
from bot.services.people import Actor
from bot.ui import button, error_text, esc, format_date, keyboard
from handlers.programme_view import (
    ProgCb,
    ack_keyboard,
    activity_block,
    activity_button_text,
    ask_pair,
    close_with,
    dialog_lost,
    drop_buttons,
    header,
    local_today,
    locale_of,
    member_ids,
    name_of,
    own_pair,
    render_for,
    running_pairs,
    send_pages,
    short,
    show_screen,
    state_line,
)
from handlers.roles import MENTOR
from models import Activity, Pair, PairStatus, Programme, ProgrammeStatus


class ProgrammeForm(StatesGroup):
    field = State()  # data: pair_id, field
    new_content = State()  # data: pair_id
    new_due = State()  # data: pair_id, content
    new_expected = State()  # data: pair_id, content, due_on
    activity_field = State()  # data: pair_id, activity_id, field
    change_request = State()  # data: pair_id


# --- the mentor's menu ------------------------------------------------------------------------


async def mentor_menu(
    session: AsyncSession, i18n: I18nContext, pair: Pair, clock: Clock
) -> tuple[str, InlineKeyboardMarkup]:
    timezone, today = await local_today(session, pair, clock)
    people = await participants(session, pair)
    programme = await programmes.programme_of(session, pair.id)
    activities = await programmes.activities_of(session, programme.id) if programme else []
    state = state_line(i18n, pair, programme, activities, timezone, today)
    text = header(i18n, pair, people) + "\n" + i18n.get("programme-state", state=state)
    cb = ProgCb
    if programme is None:
        text += "\n\n" + i18n.get("programme-start-choose")
        rows = [
            [button(t.title.in_(i18n.locale), cb(action="tpl", pair_id=pair.id, value=t.code))]
            for t in programme_templates.TEMPLATES
        ]
        rows.append([button(i18n.get("programme-blank"), cb(action="blank", pair_id=pair.id))])
        return text, keyboard(*rows)
    if programme.change_request and programme.status == ProgrammeStatus.CHANGES_REQUESTED:
        text += "\n\n" + i18n.get("programme-change-request", text=esc(programme.change_request))
    missing = await programmes.missing_parts(session, programme)
    if programme.status in (ProgrammeStatus.DRAFT, ProgrammeStatus.CHANGES_REQUESTED):
        text += "\n\n" + i18n.get("programme-menu-hint")

    def field_button(field: str) -> InlineKeyboardButton:
        mark = "✏️ " if field in missing else "✅ "
        label = i18n.get(f"programme-field-{field.replace('_', '-')}")
        return button(mark + label, cb(action="field", pair_id=pair.id, value=field))

    rows = [
        [field_button("goal"), field_button("tasks")],
        [field_button("planned_results"), field_button("form")],
        [
            button(
                i18n.get("programme-plan-button", count=len(activities)),
                cb(action="acts", pair_id=pair.id),
            ),
            button(i18n.get("programme-add-activity"), cb(action="add", pair_id=pair.id)),
        ],
        [button(i18n.get("programme-read"), cb(action="read", pair_id=pair.id))],
    ]
    if programme.status in (ProgrammeStatus.DRAFT, ProgrammeStatus.CHANGES_REQUESTED):
        rows.append([button(i18n.get("programme-submit"), cb(action="submit", pair_id=pair.id))])
    return text, keyboard(*rows)


async def show_menu(
    message: Message, session: AsyncSession, i18n: I18nContext, pair: Pair, clock: Clock
) -> None:
    text, markup = await mentor_menu(session, i18n, pair, clock)
    await message.answer(text, reply_markup=markup)


async def programme_command(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    await state.clear()
    pairs = [
        pair
        for pair in await running_pairs(session, actor, mentees_too=False)
        if pair.mentor_membership_id in member_ids(actor)
    ]
    if not pairs:
        await message.answer(i18n.get("programme-no-pairs"))
    elif len(pairs) == 1:
        await show_menu(message, session, i18n, pairs[0], clock)
    else:
        await ask_pair(
            message, session, actor, i18n, pairs, lambda pid: ProgCb(action="open", pair_id=pid)
        )


async def _stale(query: CallbackQuery, i18n: I18nContext, key: str = "error-not-found") -> None:
    await query.answer(i18n.get(key), show_alert=True)


async def open_programme(
    query: CallbackQuery,
    callback_data: ProgCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    """The mentor gets the menu; a mentee or the organisation's curator reads the programme."""
    if not isinstance(query.message, Message):
        await _stale(query, i18n, "error-stale-button")
        return
    pair = await own_pair(session, actor, callback_data.pair_id)
    ids = member_ids(actor)
    if pair is None and actor.is_desk and actor.organisation is not None:
        candidate = await session.get(Pair, callback_data.pair_id)
        if candidate is not None and candidate.organisation_id == actor.organisation.id:
            pair = candidate
    if pair is None:
        await _stale(query, i18n)
        return
    await query.answer()
    if pair.mentor_membership_id in ids and pair.status == PairStatus.ACTIVE:
        await show_menu(query.message, session, i18n, pair, clock)
        return
    await read_programme(query.message, session, actor, i18n, pair, clock)


async def read_programme(
    message: Message,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
    pair: Pair,
    clock: Clock,
) -> None:
    programme = await programmes.programme_of(session, pair.id)
    is_mentor = pair.mentor_membership_id in member_ids(actor)
    if programme is None or (not is_mentor and not programmes.is_written(programme)):
        timezone, today = await local_today(session, pair, clock)
        state = state_line(i18n, pair, programme, [], timezone, today)
        await message.answer(i18n.get("programme-not-yet", state=state))
        return
    pages = await render_for(session, i18n, pair, programme, clock)
    markup = None
    mentee_here = set(member_ids(actor)) & set(await programmes.mentee_ids(session, pair.id))
    if mentee_here and programme.status == ProgrammeStatus.SUBMITTED:
        markup = ack_keyboard(i18n, pair.id)
    for index, page in enumerate(pages):
        await message.answer(page, reply_markup=markup if index == len(pages) - 1 else None)


async def read_whole(
    query: CallbackQuery,
    callback_data: ProgCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    pair = await own_pair(session, actor, callback_data.pair_id, as_mentor=True)
    if pair is None or not isinstance(query.message, Message):
        await _stale(query, i18n)
        return
    await query.answer()
    await read_programme(query.message, session, actor, i18n, pair, clock)


# --- starting ---------------------------------------------------------------------------------


async def start_programme(
    query: CallbackQuery,
    callback_data: ProgCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    pair = await own_pair(session, actor, callback_data.pair_id, as_mentor=True)
    template = programme_templates.BY_CODE.get(callback_data.value)
    if (
        pair is None
        or not isinstance(query.message, Message)
        or (callback_data.action == "tpl" and template is None)
    ):
        await _stale(query, i18n)
        return
    timezone, _ = await local_today(session, pair, clock)
    try:
        await programmes.create(
            session,
            pair,
            timezone,
            template if callback_data.action == "tpl" else None,
            i18n.locale,
            clock.now(),
        )
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query.message)
    await query.message.answer(
        i18n.get("programme-created-from-template", title=esc(template.title.in_(i18n.locale)))
        if template is not None and callback_data.action == "tpl"
        else i18n.get("programme-created-blank")
    )
    await show_menu(query.message, session, i18n, pair, clock)


# --- goal, tasks, planned results, form --------------------------------------------------------


async def _editable(
    query: CallbackQuery, session: AsyncSession, actor: Actor, i18n: I18nContext, pair_id: int
) -> tuple[Pair, Programme] | None:
    """The mentor's own active pair and its programme, or an alert and None."""
    pair = await own_pair(session, actor, pair_id, as_mentor=True)
    programme = await programmes.programme_of(session, pair_id) if pair else None
    if pair is None or programme is None or not isinstance(query.message, Message):
        await _stale(query, i18n)
        return None
    if pair.status != PairStatus.ACTIVE:
        await _stale(query, i18n, "programme-pair-not-active")
        return None
    return pair, programme


async def ask_field(
    query: CallbackQuery,
    callback_data: ProgCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    found = await _editable(query, session, actor, i18n, callback_data.pair_id)
    if found is None:
        return
    field = callback_data.value
    if field not in programmes.FIELDS:
        await _stale(query, i18n, "error-stale-button")
        return
    _, programme = found
    await query.answer()
    await state.set_state(ProgrammeForm.field)
    await state.set_data({"pair_id": callback_data.pair_id, "field": field})
    current = getattr(programme, field)
    text = i18n.get(
        "programme-ask-field",
        field=i18n.get(f"programme-field-{field.replace('_', '-')}"),
        limit=programmes.FIELD_LIMITS[field],
    )
    if current:
        text += "\n\n" + i18n.get("programme-current", text=esc(current))
    assert isinstance(query.message, Message)
    await query.message.answer(text)


async def _pair_from_state(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> tuple[Pair, Programme, dict[str, object]] | None:
    data = await state.get_data()
    pair = await own_pair(session, actor, int(data.get("pair_id", 0)), as_mentor=True)
    programme = await programmes.programme_of(session, pair.id) if pair else None
    if pair is None or programme is None or pair.status != PairStatus.ACTIVE:
        await dialog_lost(message, state, i18n)
        return None
    return pair, programme, data


async def got_field(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    found = await _pair_from_state(message, state, session, actor, i18n)
    if found is None:
        return
    pair, programme, data = found
    field = str(data.get("field"))
    try:
        value = programmes.parse_field(field, message.text)
        programmes.set_field(programme, field, value, clock.now())
    except UserFacingError as error:
        await message.answer(error_text(i18n, error))
        return
    await state.clear()
    await message.answer(
        i18n.get("programme-saved", field=i18n.get(f"programme-field-{field.replace('_', '-')}"))
    )
    await show_menu(message, session, i18n, pair, clock)


# --- the calendar plan ------------------------------------------------------------------------


async def activities_screen(
    session: AsyncSession, i18n: I18nContext, pair: Pair, programme: Programme, clock: Clock
) -> tuple[str, InlineKeyboardMarkup]:
    _, today = await local_today(session, pair, clock)
    activities = await programmes.activities_of(session, programme.id)
    rows = [
        [
            button(
                activity_button_text(a, today),
                ProgCb(action="act", pair_id=pair.id, activity_id=a.id),
            )
        ]
        for a in activities
    ]
    rows.append(
        [
            button(i18n.get("programme-add-activity"), ProgCb(action="add", pair_id=pair.id)),
            button(i18n.get("programme-back"), ProgCb(action="open", pair_id=pair.id)),
        ]
    )
    text = i18n.get("programme-plan-choose", count=len(activities))
    return text, keyboard(*rows)


async def list_activities(
    query: CallbackQuery,
    callback_data: ProgCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    found = await _editable(query, session, actor, i18n, callback_data.pair_id)
    if found is None:
        return
    text, markup = await activities_screen(session, i18n, *found, clock)
    await show_screen(query, text, markup)


async def activity_card(
    session: AsyncSession,
    i18n: I18nContext,
    pair: Pair,
    programme: Programme,
    activity: Activity,
    clock: Clock,
) -> tuple[str, InlineKeyboardMarkup]:
    _, today = await local_today(session, pair, clock)
    total = len(await programmes.activities_of(session, programme.id))
    text = (
        i18n.get("programme-activity-card", number=activity.position, total=total)
        + "\n"
        + activity_block(i18n, activity, today)
    )

    def cb(action: str, value: str = "") -> ProgCb:
        return ProgCb(action=action, pair_id=pair.id, activity_id=activity.id, value=value)

    markup = keyboard(
        [
            button(i18n.get("programme-edit-content"), cb("aedit", "content")),
            button(i18n.get("programme-edit-due"), cb("aedit", "due_on")),
        ],
        [button(i18n.get("programme-edit-expected"), cb("aedit", "expected_result"))],
        [button("⬆️", cb("up")), button("⬇️", cb("down"))],
        [button(i18n.get("programme-remove"), cb("del"))],
        [button(i18n.get("programme-back-to-plan"), ProgCb(action="acts", pair_id=pair.id))],
    )
    return text, markup


async def _activity(
    query: CallbackQuery,
    callback_data: ProgCb,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> tuple[Pair, Programme, Activity] | None:
    found = await _editable(query, session, actor, i18n, callback_data.pair_id)
    if found is None:
        return None
    pair, _ = found
    owned = await programmes.activity_of_pair(session, pair, callback_data.activity_id)
    if owned is None:
        await _stale(query, i18n)
        return None
    return pair, owned[0], owned[1]


async def open_activity(
    query: CallbackQuery,
    callback_data: ProgCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    found = await _activity(query, callback_data, session, actor, i18n)
    if found is None:
        return
    text, markup = await activity_card(session, i18n, *found, clock)
    await show_screen(query, text, markup)


async def move_activity(
    query: CallbackQuery,
    callback_data: ProgCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    found = await _activity(query, callback_data, session, actor, i18n)
    if found is None:
        return
    pair, programme, activity = found
    step = -1 if callback_data.action == "up" else 1
    if not await programmes.move_activity(session, programme, activity, step, clock.now()):
        await query.answer(i18n.get("programme-cannot-move"))
        return
    text, markup = await activity_card(session, i18n, pair, programme, activity, clock)
    await show_screen(query, text, markup, i18n.get("programme-moved", number=activity.position))


async def ask_remove(
    query: CallbackQuery,
    callback_data: ProgCb,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    found = await _activity(query, callback_data, session, actor, i18n)
    if found is None:
        return
    pair, _, activity = found
    cb = ProgCb
    await show_screen(
        query,
        i18n.get("programme-remove-confirm", content=esc(short(activity.content, 200))),
        keyboard(
            [
                button(
                    i18n.get("programme-remove-yes"),
                    cb(action="delok", pair_id=pair.id, activity_id=activity.id),
                ),
                button(
                    i18n.get("programme-remove-no"),
                    cb(action="act", pair_id=pair.id, activity_id=activity.id),
                ),
            ]
        ),
    )


async def remove_activity(
    query: CallbackQuery,
    callback_data: ProgCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    found = await _activity(query, callback_data, session, actor, i18n)
    if found is None:
        return
    pair, programme, activity = found
    try:
        await programmes.remove_activity(session, programme, activity, clock.now())
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    text, markup = await activities_screen(session, i18n, pair, programme, clock)
    await show_screen(query, text, markup, i18n.get("programme-removed"))


async def ask_activity_field(
    query: CallbackQuery,
    callback_data: ProgCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    found = await _activity(query, callback_data, session, actor, i18n)
    if found is None:
        return
    pair, _, activity = found
    field = callback_data.value
    if field not in programmes.ACTIVITY_FIELDS:
        await _stale(query, i18n, "error-stale-button")
        return
    await query.answer()
    await state.set_state(ProgrammeForm.activity_field)
    await state.set_data({"pair_id": pair.id, "activity_id": activity.id, "field": field})
    assert isinstance(query.message, Message)
    await query.message.answer(_activity_prompt(i18n, pair, field))


def _activity_prompt(i18n: I18nContext, pair: Pair, field: str) -> str:
    if field == "content":
        return i18n.get("programme-ask-content", limit=programmes.CONTENT_LIMIT)
    if field == "due_on":
        return i18n.get(
            "programme-ask-due", start=format_date(pair.starts_on), end=format_date(pair.ends_on)
        )
    return i18n.get("programme-ask-expected", limit=programmes.EXPECTED_LIMIT)


def _parse_activity_field(field: str, text: str | None, pair: Pair) -> str | date:
    if field == "content":
        return programmes.parse_content(text)
    if field == "due_on":
        return programmes.parse_due(text, pair)
    return programmes.parse_expected(text)


async def got_activity_field(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    found = await _pair_from_state(message, state, session, actor, i18n)
    if found is None:
        return
    pair, _, data = found
    owned = await programmes.activity_of_pair(session, pair, int(str(data.get("activity_id"))))
    if owned is None:
        await dialog_lost(message, state, i18n)
        return
    programme, activity = owned
    field = str(data.get("field"))
    try:
        value = _parse_activity_field(field, message.text, pair)
        programmes.set_activity_field(programme, pair, activity, field, value, clock.now())
    except UserFacingError as error:
        await message.answer(error_text(i18n, error))
        return
    await state.clear()
    text, markup = await activity_card(session, i18n, pair, programme, activity, clock)
    await message.answer(i18n.get("programme-activity-saved") + "\n\n" + text, reply_markup=markup)


async def ask_new_activity(
    query: CallbackQuery,
    callback_data: ProgCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    found = await _editable(query, session, actor, i18n, callback_data.pair_id)
    if found is None:
        return
    await query.answer()
    await state.set_state(ProgrammeForm.new_content)
    await state.set_data({"pair_id": callback_data.pair_id})
    assert isinstance(query.message, Message)
    await query.message.answer(
        i18n.get("programme-new-step", step=1)
        + "\n"
        + i18n.get("programme-ask-content", limit=programmes.CONTENT_LIMIT)
    )


async def got_new_content(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    found = await _pair_from_state(message, state, session, actor, i18n)
    if found is None:
        return
    pair, _, _ = found
    try:
        content = programmes.parse_content(message.text)
    except UserFacingError as error:
        await message.answer(error_text(i18n, error))
        return
    await state.update_data(content=content)
    await state.set_state(ProgrammeForm.new_due)
    await message.answer(
        i18n.get("programme-new-step", step=2) + "\n" + _activity_prompt(i18n, pair, "due_on")
    )


async def got_new_due(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    found = await _pair_from_state(message, state, session, actor, i18n)
    if found is None:
        return
    pair, _, _ = found
    try:
        due_on = programmes.parse_due(message.text, pair)
    except UserFacingError as error:
        await message.answer(error_text(i18n, error))
        return
    await state.update_data(due_on=due_on.isoformat())
    await state.set_state(ProgrammeForm.new_expected)
    await message.answer(
        i18n.get("programme-new-step", step=3)
        + "\n"
        + i18n.get("programme-ask-expected", limit=programmes.EXPECTED_LIMIT)
    )


async def got_new_expected(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    found = await _pair_from_state(message, state, session, actor, i18n)
    if found is None:
        return
    pair, programme, data = found
    try:
        expected = programmes.parse_expected(message.text)
        activity = await programmes.add_activity(
            session,
            programme,
            pair,
            str(data["content"]),
            date.fromisoformat(str(data["due_on"])),
            expected,
            clock.now(),
        )
    except UserFacingError as error:
        await message.answer(error_text(i18n, error))
        return
    await state.clear()
    await message.answer(
        i18n.get(
            "programme-activity-added",
            number=activity.position,
            date=format_date(activity.due_on),
            content=esc(activity.content),
        ),
        reply_markup=keyboard(
            [
                button(i18n.get("programme-add-more"), ProgCb(action="add", pair_id=pair.id)),
                button(
                    i18n.get("programme-plan-button", count=activity.position),
                    ProgCb(action="acts", pair_id=pair.id),
                ),
            ],
            [button(i18n.get("programme-back"), ProgCb(action="open", pair_id=pair.id))],
        ),
    )


# --- submission, acknowledgement, changes ------------------------------------------------------


async def submit(
    query: CallbackQuery,
    callback_data: ProgCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    found = await _editable(query, session, actor, i18n, callback_data.pair_id)
    if found is None:
        return
    pair, programme = found
    try:
        sent = await programmes.submit(
            session, programme, pair, pair.mentor_membership_id, clock.now()
        )
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    if not sent:
        await query.answer(i18n.get("programme-already-submitted"), show_alert=True)
        return
    await query.answer()
    assert isinstance(query.message, Message)
    await drop_buttons(query.message)
    people = await participants(session, pair)
    mentees = [p for p in people if not p.is_mentor]
    await query.message.answer(i18n.get("programme-submitted", count=len(mentees)))
    mentor = next((p for p in people if p.is_mentor), None)
    for mentee in mentees:
        if await mail.is_blocked(mentee.telegram_id):
            await query.message.answer(
                i18n.get("programme-not-delivered", name=name_of(i18n, mentee))
            )
            continue
        with i18n.use_locale(locale_of(mentee, settings)):
            intro = i18n.get("programme-for-you", name=name_of(i18n, mentor) if mentor else "—")
            pages = await render_for(session, i18n, pair, programme, clock)
            markup = ack_keyboard(i18n, pair.id)
        await send_pages(mail, mentee.telegram_id, [intro, *pages], markup)


async def _mentee_view(
    session: AsyncSession, actor: Actor, pair_id: int
) -> tuple[Pair, Programme, int] | None:
    """The pair and programme where the actor is a mentee, with their membership id."""
    pair = await own_pair(session, actor, pair_id)
    programme = await programmes.programme_of(session, pair.id) if pair else None
    mine = set(member_ids(actor))
    mentee = (
        next((m for m in await programmes.mentee_ids(session, pair.id) if m in mine), None)
        if pair
        else None
    )
    if pair is None or programme is None or mentee is None:
        return None
    return pair, programme, mentee


async def _as_mentee(
    query: CallbackQuery,
    callback_data: ProgCb,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> tuple[Pair, Programme, int] | None:
    found = await _mentee_view(session, actor, callback_data.pair_id)
    if found is None:
        await _stale(query, i18n)
    return found


async def _mentee_and_mentor(
    session: AsyncSession, pair: Pair, mentee_id: int
) -> tuple[Participant | None, Participant | None]:
    people = await participants(session, pair)
    me = next((p for p in people if p.membership_id == mentee_id), None)
    mentor = next((p for p in people if p.is_mentor), None)
    return me, mentor


async def acknowledge(
    query: CallbackQuery,
    callback_data: ProgCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    found = await _as_mentee(query, callback_data, session, actor, i18n)
    if found is None:
        return
    pair, programme, mentee_id = found
    try:
        result = await programmes.acknowledge(session, programme, pair, mentee_id, clock.now())
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    if result.already:
        await query.answer(i18n.get("programme-already-acknowledged"), show_alert=True)
        return
    await close_with(query, i18n.get("programme-ack-thanks"))
    me, mentor = await _mentee_and_mentor(session, pair, mentee_id)
    if mentor is None:
        return
    with i18n.use_locale(locale_of(mentor, settings)):
        key = "programme-acknowledged-all" if result.complete else "programme-acknowledged-by"
        text = i18n.get(key, name=name_of(i18n, me) if me else "—")
    await send_pages(mail, mentor.telegram_id, [text])


async def ask_changes(
    query: CallbackQuery,
    callback_data: ProgCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    found = await _as_mentee(query, callback_data, session, actor, i18n)
    if found is None:
        return
    _, programme, _ = found
    if programme.status != ProgrammeStatus.SUBMITTED:
        await _stale(query, i18n, "programme-not-submitted")
        return
    await query.answer()
    await state.set_state(ProgrammeForm.change_request)
    await state.set_data({"pair_id": callback_data.pair_id})
    assert isinstance(query.message, Message)
    await query.message.answer(
        i18n.get("programme-ask-change-comment", limit=programmes.COMMENT_LIMIT)
    )


async def got_changes(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    data = await state.get_data()
    found = await _mentee_view(session, actor, int(data.get("pair_id", 0)))
    if found is None:
        await dialog_lost(message, state, i18n)
        return
    pair, programme, mentee_id = found
    try:
        comment = programmes.parse_comment(message.text)
        await programmes.request_changes(session, programme, pair, mentee_id, comment, clock.now())
    except UserFacingError as error:
        if error.key == "programme-not-submitted":
            await state.clear()
        await message.answer(error_text(i18n, error))
        return
    await state.clear()
    await message.answer(i18n.get("programme-changes-sent"))
    me, mentor = await _mentee_and_mentor(session, pair, mentee_id)
    if mentor is None:
        return
    with i18n.use_locale(locale_of(mentor, settings)):
        text = i18n.get(
            "programme-changes-requested",
            name=name_of(i18n, me) if me else "—",
            text=esc(comment),
        )
        markup = keyboard(
            [button(i18n.get("programme-open"), ProgCb(action="open", pair_id=pair.id))]
        )
    await send_pages(mail, mentor.telegram_id, [text], markup)


# --- wrong input in any step ------------------------------------------------------------------


async def expected_text(message: Message, i18n: I18nContext) -> None:
    """A sticker, photo or voice where the step wants words; commands pass on to their routers."""
    await message.answer(i18n.get("programme-expected-text"))


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(programme_command, Command("programme"), flags=MENTOR)
    router.callback_query.register(open_programme, ProgCb.filter(F.action == "open"))
    router.callback_query.register(read_whole, ProgCb.filter(F.action == "read"), flags=MENTOR)
    router.callback_query.register(
        start_programme, ProgCb.filter(F.action.in_({"tpl", "blank"})), flags=MENTOR
    )
    router.callback_query.register(ask_field, ProgCb.filter(F.action == "field"), flags=MENTOR)
    router.callback_query.register(
        list_activities, ProgCb.filter(F.action == "acts"), flags=MENTOR
    )
    router.callback_query.register(open_activity, ProgCb.filter(F.action == "act"), flags=MENTOR)
    router.callback_query.register(
        move_activity, ProgCb.filter(F.action.in_({"up", "down"})), flags=MENTOR
    )
    router.callback_query.register(ask_remove, ProgCb.filter(F.action == "del"), flags=MENTOR)
    router.callback_query.register(
        remove_activity, ProgCb.filter(F.action == "delok"), flags=MENTOR
    )
    router.callback_query.register(
        ask_activity_field, ProgCb.filter(F.action == "aedit"), flags=MENTOR
    )
    router.callback_query.register(
        ask_new_activity, ProgCb.filter(F.action == "add"), flags=MENTOR
    )
    router.callback_query.register(submit, ProgCb.filter(F.action == "submit"), flags=MENTOR)
    router.callback_query.register(acknowledge, ProgCb.filter(F.action == "ack"))
    router.callback_query.register(ask_changes, ProgCb.filter(F.action == "changes"))
    # The programme's typed steps, on a router of their own: other states skip it.
    form = Router(name=f"{__name__}.form")
    form.message.filter(StateFilter(ProgrammeForm))
    form.message.register(
        got_field, ProgrammeForm.field, F.text, ~F.text.startswith("/"), flags=MENTOR
    )
    form.message.register(
        got_activity_field,
        ProgrammeForm.activity_field,
        F.text,
        ~F.text.startswith("/"),
        flags=MENTOR,
    )
    form.message.register(
        got_new_content, ProgrammeForm.new_content, F.text, ~F.text.startswith("/"), flags=MENTOR
    )
    form.message.register(
        got_new_due, ProgrammeForm.new_due, F.text, ~F.text.startswith("/"), flags=MENTOR
    )
    form.message.register(
        got_new_expected, ProgrammeForm.new_expected, F.text, ~F.text.startswith("/"), flags=MENTOR
    )
    form.message.register(
        got_changes, ProgrammeForm.change_request, F.text, ~F.text.startswith("/")
    )
    form.message.register(expected_text, ProgrammeForm.field, ~F.text.startswith("/"))
    form.message.register(expected_text, ProgrammeForm.new_content, ~F.text.startswith("/"))
    form.message.register(expected_text, ProgrammeForm.new_due, ~F.text.startswith("/"))
    form.message.register(expected_text, ProgrammeForm.new_expected, ~F.text.startswith("/"))
    form.message.register(expected_text, ProgrammeForm.activity_field, ~F.text.startswith("/"))
    form.message.register(expected_text, ProgrammeForm.change_request, ~F.text.startswith("/"))
    router.include_router(form)
    return router
