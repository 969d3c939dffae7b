"""/plan: how the programme goes, and running it item by item.

Both sides see progress (done of total), overdue items and the next deadlines. The mentor marks
an item done with a short result and, optionally, a photo or document as evidence (kept by its
Telegram file id); the mentee is told. Either side can reopen an item with a reason; the other
side is told.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.mail import Mail
from bot.services import meetings, programmes
from bot.services.clock import Clock
from bot.services.errors import UserFacingError
from bot.services.pairs_read import Participant, participants
from bot.services.people import Actor
from bot.ui import button, error_text, esc, format_date, keyboard
from handlers.meetings import MeetCb, MeetOkCb
from handlers.programme_view import (
    ProgCb,
    ack_keyboard,
    activity_block,
    activity_button_text,
    ask_pair,
    dialog_lost,
    drop_buttons,
    header,
    local_today,
    locale_of,
    member_ids,
    name_of,
    own_pair,
    running_pairs,
    send_pages,
    short,
    show_screen,
    state_line,
)
from handlers.roles import MENTOR, PAIR_MEMBERS
from models import Activity, ActivityStatus, Pair, Programme, ProgrammeStatus


class PlanCb(CallbackData, prefix="plan"):
    action: str  # open, items, item, done, skip, reopen, evidence
    pair_id: int
    activity_id: int = 0


class PlanForm(StatesGroup):
    result = State()  # data: pair_id, activity_id
    evidence = State()  # data: pair_id, activity_id, result
    reopen_reason = State()  # data: pair_id, activity_id


# --- the summary ------------------------------------------------------------------------------


def _item_line(i18n: I18nContext, activity: Activity) -> str:
    return i18n.get(
        "plan-item-line",
        date=format_date(activity.due_on),
        content=esc(short(activity.content, 120)),
    )


async def plan_screen(
    session: AsyncSession, actor: Actor, i18n: I18nContext, pair: Pair, clock: Clock
) -> tuple[str, InlineKeyboardMarkup]:
    timezone, today = await local_today(session, pair, clock)
    people = await participants(session, pair)
    programme = await programmes.programme_of(session, pair.id)
    activities = await programmes.activities_of(session, programme.id) if programme else []
    is_mentor = pair.mentor_membership_id in member_ids(actor)
    state = state_line(i18n, pair, programme, activities, timezone, today)
    lines = [header(i18n, pair, people, i18n.get("plan-title"))]
    rows = []
    held, confirmed = await meetings.counts(session, pair.id)
    meetings_line = i18n.get("plan-meetings", count=held, confirmed=confirmed)
    meeting_row = [button(i18n.get("plan-log-meeting"), MeetCb(action="pair", pair_id=pair.id))]
    for meeting in await meetings.awaiting(session, pair, member_ids(actor)):
        label = i18n.get("plan-confirm-meeting", date=format_date(meeting.held_on))
        rows.append([button(label, MeetOkCb(meeting_id=meeting.id))])
    if programme is None or (not is_mentor and not programmes.is_written(programme)):
        if is_mentor:
            lines += ["", i18n.get("plan-no-programme-mentor", state=state)]
            rows.append([button(i18n.get("plan-write"), ProgCb(action="open", pair_id=pair.id))])
        else:
            due = programme.due_on if programme and programme.due_on else None
            due = due or programmes.writing_due(pair, timezone)
            lines += ["", i18n.get("plan-no-programme-mentee", due=format_date(due))]
        lines += ["", meetings_line]
        return "\n".join(lines), keyboard(*rows, meeting_row)
    lines.append(i18n.get("programme-state", state=state))
    done = programmes.progress(activities, today)
    percent = round(100 * done.done / done.total) if done.total else 0
    lines += ["", i18n.get("plan-progress", done=done.done, total=done.total, percent=percent)]
    if done.overdue:
        lines += ["", i18n.get("plan-overdue-title", count=len(done.overdue))]
        lines += [_item_line(i18n, a) for a in done.overdue]
    if done.upcoming:
        lines += ["", i18n.get("plan-upcoming-title")]
        lines += [_item_line(i18n, a) for a in done.upcoming]
    if done.total and done.done == done.total:
        lines += ["", i18n.get("plan-all-done")]
    lines += ["", meetings_line]
    rows.append(
        [
            button(i18n.get("plan-items"), PlanCb(action="items", pair_id=pair.id)),
            button(i18n.get("plan-programme"), ProgCb(action="open", pair_id=pair.id)),
        ]
    )
    rows.append(meeting_row)
    mine = set(member_ids(actor))
    if programme.status == ProgrammeStatus.SUBMITTED and mine & set(
        await programmes.mentee_ids(session, pair.id)
    ):
        rows.extend(ack_keyboard(i18n, pair.id).inline_keyboard)
    return "\n".join(lines), keyboard(*rows)


async def plan_command(
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
        await message.answer(i18n.get("plan-no-pairs"))
    elif len(pairs) == 1:
        text, markup = await plan_screen(session, actor, i18n, pairs[0], clock)
        await message.answer(text, reply_markup=markup)
    else:
        await ask_pair(
            message, session, actor, i18n, pairs, lambda pid: PlanCb(action="open", pair_id=pid)
        )


async def _pair(
    query: CallbackQuery,
    callback_data: PlanCb,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
    *,
    as_mentor: bool = False,
) -> Pair | None:
    pair = await own_pair(session, actor, callback_data.pair_id, as_mentor=as_mentor)
    if pair is None or not isinstance(query.message, Message):
        await query.answer(i18n.get("error-not-found"), show_alert=True)
        return None
    return pair


async def open_plan(
    query: CallbackQuery,
    callback_data: PlanCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    pair = await _pair(query, callback_data, session, actor, i18n)
    if pair is None:
        return
    text, markup = await plan_screen(session, actor, i18n, pair, clock)
    await show_screen(query, text, markup)


async def list_items(
    query: CallbackQuery,
    callback_data: PlanCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    pair = await _pair(query, callback_data, session, actor, i18n)
    if pair is None:
        return
    _, today = await local_today(session, pair, clock)
    programme = await programmes.programme_of(session, pair.id)
    activities = await programmes.activities_of(session, programme.id) if programme else []
    rows = [
        [
            button(
                activity_button_text(a, today),
                PlanCb(action="item", pair_id=pair.id, activity_id=a.id),
            )
        ]
        for a in activities
    ]
    rows.append([button(i18n.get("plan-back"), PlanCb(action="open", pair_id=pair.id))])
    await show_screen(query, i18n.get("plan-items-title", count=len(activities)), keyboard(*rows))


async def item_card(
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
    pair: Pair,
    programme: Programme,
    activity: Activity,
    clock: Clock,
) -> tuple[str, InlineKeyboardMarkup]:
    _, today = await local_today(session, pair, clock)
    total = len(await programmes.activities_of(session, programme.id))
    lines = [
        i18n.get("programme-activity-card", number=activity.position, total=total),
        activity_block(i18n, activity, today),
    ]
    if activity.status == ActivityStatus.DONE and activity.evidence_file_id:
        lines.append(i18n.get(f"plan-evidence-{activity.evidence_kind or 'document'}"))
    if activity.status == ActivityStatus.OPEN and activity.reopen_reason:
        lines.append(i18n.get("plan-item-reopened", reason=esc(activity.reopen_reason)))
    if activity.status == ActivityStatus.OPEN and activity.due_on < today:
        lines.append(i18n.get("plan-item-overdue", days=(today - activity.due_on).days))

    def cb(action: str) -> PlanCb:
        return PlanCb(action=action, pair_id=pair.id, activity_id=activity.id)

    rows = []
    is_mentor = pair.mentor_membership_id in member_ids(actor)
    if activity.status == ActivityStatus.OPEN and is_mentor:
        rows.append([button(i18n.get("plan-mark-done"), cb("done"))])
    if activity.status == ActivityStatus.DONE:
        if activity.evidence_file_id:
            rows.append([button(i18n.get("plan-show-evidence"), cb("evidence"))])
        rows.append([button(i18n.get("plan-reopen"), cb("reopen"))])
    rows.append([button(i18n.get("plan-back"), PlanCb(action="items", pair_id=pair.id))])
    return "\n".join(lines), keyboard(*rows)


async def _activity(
    query: CallbackQuery,
    callback_data: PlanCb,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
    *,
    as_mentor: bool = False,
) -> tuple[Pair, Programme, Activity] | None:
    pair = await _pair(query, callback_data, session, actor, i18n, as_mentor=as_mentor)
    if pair is None:
        return None
    owned = await programmes.activity_of_pair(session, pair, callback_data.activity_id)
    if owned is None:
        await query.answer(i18n.get("error-not-found"), show_alert=True)
        return None
    return pair, owned[0], owned[1]


async def open_item(
    query: CallbackQuery,
    callback_data: PlanCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    found = await _activity(query, callback_data, session, actor, i18n)
    if found is None:
        return
    text, markup = await item_card(session, actor, i18n, *found, clock)
    await show_screen(query, text, markup)


async def show_evidence(
    query: CallbackQuery,
    callback_data: PlanCb,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    i18n: I18nContext,
) -> None:
    found = await _activity(query, callback_data, session, actor, i18n)
    if found is None:
        return
    _, _, activity = found
    if not activity.evidence_file_id:
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await query.answer()
    caption = short(activity.content, 200)
    if activity.evidence_kind == "photo":
        await bot.send_photo(actor.telegram_id, activity.evidence_file_id, caption=esc(caption))
    else:
        await bot.send_document(actor.telegram_id, activity.evidence_file_id, caption=esc(caption))


# --- marking done -----------------------------------------------------------------------------


async def ask_result(
    query: CallbackQuery,
    callback_data: PlanCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    found = await _activity(query, callback_data, session, actor, i18n, as_mentor=True)
    if found is None:
        return
    pair, _, activity = found
    if activity.status == ActivityStatus.DONE:
        await query.answer(i18n.get("programme-activity-already-done"), show_alert=True)
        return
    await _ask_about_item(
        query,
        state,
        PlanForm.result,
        pair,
        activity,
        i18n.get(
            "plan-ask-result",
            content=esc(short(activity.content, 200)),
            limit=programmes.RESULT_LIMIT,
        ),
    )


async def _ask_about_item(
    query: CallbackQuery,
    state: FSMContext,
    step: State,
    pair: Pair,
    activity: Activity,
    text: str,
) -> None:
    """Start a typed step about an item: the dialog keeps the pair and the item."""
    await query.answer()
    await state.set_state(step)
    await state.set_data({"pair_id": pair.id, "activity_id": activity.id})
    assert isinstance(query.message, Message)
    await query.message.answer(text)


async def _from_state(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
    *,
    as_mentor: bool,
) -> tuple[Pair, Programme, Activity, dict[str, object]] | None:
    data = await state.get_data()
    pair = await own_pair(session, actor, int(str(data.get("pair_id", 0))), as_mentor=as_mentor)
    owned = (
        await programmes.activity_of_pair(session, pair, int(str(data.get("activity_id", 0))))
        if pair
        else None
    )
    if pair is None or owned is None:
        await dialog_lost(message, state, i18n)
        return None
    return pair, owned[0], owned[1], data


async def got_result(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    found = await _from_state(message, state, session, actor, i18n, as_mentor=True)
    if found is None:
        return
    pair, _, activity, _ = found
    try:
        result = programmes.parse_result(message.text)
    except UserFacingError as error:
        await message.answer(error_text(i18n, error))
        return
    await state.update_data(result=result)
    await state.set_state(PlanForm.evidence)
    await message.answer(
        i18n.get("plan-ask-evidence"),
        reply_markup=keyboard(
            [
                button(
                    i18n.get("plan-no-evidence"),
                    PlanCb(action="skip", pair_id=pair.id, activity_id=activity.id),
                )
            ]
        ),
    )


async def _finish_done(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
    evidence: tuple[str, str] | None,
) -> None:
    found = await _from_state(message, state, session, actor, i18n, as_mentor=True)
    if found is None:
        return
    pair, _, activity, data = found
    kind, file_id = evidence if evidence else (None, None)
    try:
        programmes.mark_done(activity, str(data.get("result", "")), kind, file_id, clock.now())
    except UserFacingError as error:
        await state.clear()
        await message.answer(error_text(i18n, error))
        return
    await state.clear()
    await message.answer(i18n.get("plan-marked-done", number=activity.position))
    people = await participants(session, pair)
    mentor = next((p for p in people if p.is_mentor), None)
    await _tell(
        mail,
        settings,
        i18n,
        [p for p in people if not p.is_mentor],
        "plan-done-notice-evidence" if file_id else "plan-done-notice",
        pair,
        activity,
        name=name_of(i18n, mentor) if mentor else "—",
        result=esc(activity.result or ""),
    )


async def _tell(
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
    people: list[Participant],
    key: str,
    pair: Pair,
    activity: Activity,
    **args: object,
) -> None:
    """Tell the other side about an item, each in their language, with a button to open it."""
    for person in people:
        with i18n.use_locale(locale_of(person, settings)):
            text = i18n.get(key, content=esc(short(activity.content, 300)), **args)
            markup = keyboard(
                [
                    button(
                        i18n.get("plan-open-item"),
                        PlanCb(action="item", pair_id=pair.id, activity_id=activity.id),
                    )
                ]
            )
        await send_pages(mail, person.telegram_id, [text], markup)


async def got_evidence(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    if message.photo:
        evidence = ("photo", message.photo[-1].file_id)  # the largest size
    else:
        assert message.document is not None
        evidence = ("document", message.document.file_id)
    await _finish_done(message, state, session, actor, clock, mail, settings, i18n, evidence)


async def no_evidence(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    if not isinstance(query.message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query.message)
    await _finish_done(query.message, state, session, actor, clock, mail, settings, i18n, None)


async def evidence_expected(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("plan-evidence-expected"))


# --- reopening --------------------------------------------------------------------------------


async def ask_reopen(
    query: CallbackQuery,
    callback_data: PlanCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    found = await _activity(query, callback_data, session, actor, i18n)
    if found is None:
        return
    pair, _, activity = found
    if activity.status != ActivityStatus.DONE:
        await query.answer(i18n.get("programme-activity-not-done"), show_alert=True)
        return
    await _ask_about_item(
        query,
        state,
        PlanForm.reopen_reason,
        pair,
        activity,
        i18n.get(
            "plan-ask-reopen-reason",
            content=esc(short(activity.content, 200)),
            limit=programmes.REASON_LIMIT,
        ),
    )


async def got_reopen_reason(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    found = await _from_state(message, state, session, actor, i18n, as_mentor=False)
    if found is None:
        return
    pair, _, activity, _ = found
    ids = member_ids(actor)
    people = await participants(session, pair)
    me = next((p for p in people if p.membership_id in ids), None)
    if me is None:
        await dialog_lost(message, state, i18n)
        return
    try:
        reason = programmes.parse_reason(message.text)
        await programmes.reopen(session, pair, activity, reason, me.membership_id, clock.now())
    except UserFacingError as error:
        if error.key != "error-text-too-long" and error.key != "error-text-empty":
            await state.clear()
        await message.answer(error_text(i18n, error))
        return
    await state.clear()
    await message.answer(i18n.get("plan-reopened", number=activity.position))
    others = (
        [p for p in people if not p.is_mentor]
        if me.is_mentor
        else [p for p in people if p.is_mentor]
    )
    await _tell(
        mail,
        settings,
        i18n,
        others,
        "plan-reopen-notice",
        pair,
        activity,
        name=name_of(i18n, me),
        reason=esc(reason),
    )


async def expected_text(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("programme-expected-text"))


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(plan_command, Command("plan"), flags=PAIR_MEMBERS)
    router.callback_query.register(open_plan, PlanCb.filter(F.action == "open"))
    router.callback_query.register(list_items, PlanCb.filter(F.action == "items"))
    router.callback_query.register(open_item, PlanCb.filter(F.action == "item"))
    router.callback_query.register(show_evidence, PlanCb.filter(F.action == "evidence"))
    router.callback_query.register(ask_result, PlanCb.filter(F.action == "done"), flags=MENTOR)
    router.callback_query.register(
        no_evidence, PlanForm.evidence, PlanCb.filter(F.action == "skip"), flags=MENTOR
    )
    router.callback_query.register(ask_reopen, PlanCb.filter(F.action == "reopen"))
    # The plan's typed steps, on a router of their own: other states skip it.
    form = Router(name=f"{__name__}.form")
    form.message.filter(StateFilter(PlanForm))
    form.message.register(
        got_result, PlanForm.result, F.text, ~F.text.startswith("/"), flags=MENTOR
    )
    form.message.register(got_evidence, PlanForm.evidence, F.photo | F.document, flags=MENTOR)
    form.message.register(evidence_expected, PlanForm.evidence, ~F.text.startswith("/"))
    form.message.register(
        got_reopen_reason, PlanForm.reopen_reason, F.text, ~F.text.startswith("/")
    )
    form.message.register(expected_text, PlanForm.result, ~F.text.startswith("/"))
    form.message.register(expected_text, PlanForm.reopen_reason, ~F.text.startswith("/"))
    router.include_router(form)
    return router
