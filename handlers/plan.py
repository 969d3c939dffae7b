"""/plan: progress, overdue items and next deadlines, meetings to confirm and the items, paged
(a dialog). An item's card (a dialog on the stack): the mentor marks it done with a result and,
optionally, a photo or document; either side reopens it with a reason; the other side is told."""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, ContentType, InlineKeyboardMarkup, Message
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Cancel, Column, Row, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.services import meetings, programmes
from bot.services.errors import UserFacingError
from bot.services.pages import short
from bot.services.pairs_read import Participant, mentees_of, mentor_of, participants
from bot.services.plan_access import PlanItem, item_to_mark, item_to_see, me_among, member_ids
from bot.services.programme_access import reading
from bot.ui import RecordId, button, esc, format_date, keyboard
from handlers import pair_dialog as pd
from handlers import programme
from handlers import programme_view as view
from handlers.dialog_kit import (
    Fl,
    Gone,
    choice,
    command_and_buttons,
    ctx,
    open_below,
    owned,
    paged,
    parsed_by,
    safe_id,
    say,
    start_id,
    text_input,
    today,
)
from handlers.meetings import MeetingForm, confirm_meeting
from handlers.roles import PAIR_MEMBERS
from models import Activity, ActivityStatus


class PlanItemCb(CallbackData, prefix="plan_item"):  # «open the item» on a notice
    activity_id: RecordId


class PlanView(StatesGroup):
    pair, summary, items = State(), State(), State()


class PlanItemCard(StatesGroup):
    card, result, evidence, reopen_reason = State(), State(), State(), State()


async def plan_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    c, pair, day = ctx(dialog_manager), await pd.the_pair(dialog_manager), today(dialog_manager)
    i18n = c.i18n
    programme_ = await programmes.programme_of(c.session, pair.id)
    activities = await programmes.activities_of(c.session, programme_.id) if programme_ else []
    is_mentor, readable, may_acknowledge = await reading(c.session, c.actor, pair, programme_)
    state = await view.state_line(c, pair, programme_, activities)
    lines = [view.header(i18n, pair, await participants(c.session, pair), i18n.get("plan-title"))]
    if not readable:
        due = programmes.due_of(pair, programme_, c.actor.timezone)
        no_programme = ("plan-no-programme-mentor", "plan-no-programme-mentee")[not is_mentor]
        lines += ["", i18n.get(no_programme, state=state, due=format_date(due))]
    else:
        plan = programmes.progress(activities, day)
        lines.append(i18n.get("programme-state", state=state))
        got = i18n.get("plan-progress", done=plan.done, total=plan.total, percent=plan.percent)
        lines += ["", got]
        titled = (("plan-overdue-title", plan.overdue), ("plan-upcoming-title", plan.upcoming))
        for key, shown in titled:
            lines += ["", i18n.get(key, count=len(shown))] if shown else []
            for a in shown:
                when, content = format_date(a.due_on), esc(short(a.content, 120))
                lines.append(i18n.get("plan-item-line", date=when, content=content))
        lines += ["", i18n.get("plan-all-done")] if plan.total and plan.done == plan.total else []
    held, confirmed = await meetings.counts(c.session, pair.id)
    lines += ["", i18n.get("plan-meetings", count=held, confirmed=confirmed)]
    awaiting = await meetings.awaiting(c.session, pair, member_ids(c.actor))
    return {
        "summary": "\n".join(lines),
        "readable": readable,
        "may_write": not readable and is_mentor,
        "may_acknowledge": may_acknowledge,
        "awaiting": [
            (m.id, i18n.get("plan-confirm-meeting", date=format_date(m.held_on))) for m in awaiting
        ],
        "activities": [(a.id, programmes.activity_button_text(a, day)) for a in activities],
        "count": len(activities),
    }


def programme_step(key: str, action: str, when: str) -> Button:  # the plan gives way to it
    async def on_click(query: CallbackQuery, _: Any, manager: DialogManager) -> None:
        tapped = view.ProgCb(action=action, pair_id=(await pd.the_pair(manager)).id)
        if action == "open":
            await manager.reset_stack()
            await programme.open_programme(query, tapped, manager)
        else:
            await programme.answer_programme(query, tapped, manager)

    return Button(Fl(key), f"plan_programme_{action}_{when}", on_click, when=when)


async def log_meeting(query: CallbackQuery, _: Any, manager: DialogManager) -> None:
    await manager.start(MeetingForm.date, {"id": (await pd.the_pair(manager)).id})


async def meeting_confirmed(
    query: CallbackQuery, _: Any, manager: DialogManager, meeting: int
) -> None:
    if await confirm_meeting(query, ctx(manager), meeting):
        await query.answer(ctx(manager).i18n.get("meeting-confirmed-thanks"))


async def item_opened(query: CallbackQuery, _: Any, manager: DialogManager, item: int) -> None:
    await manager.start(PlanItemCard.card, {"id": item})  # its getter checks it is theirs


async def the_item(manager: DialogManager, *, to_mark: bool = False) -> PlanItem:
    return await owned(manager, item_to_mark if to_mark else item_to_see, start_id(manager))


async def card_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    c, item = ctx(dialog_manager), await the_item(dialog_manager)
    activity, i18n = item.activity, c.i18n
    day = today(dialog_manager)
    notice = dialog_manager.dialog_data.get("notice")
    lines = [notice, ""] if notice else []
    lines.append(await view.item_card(c, item.programme, activity))
    is_done = activity.status == ActivityStatus.DONE
    if is_done and activity.evidence_file_id:
        lines.append(i18n.get(f"plan-evidence-{activity.evidence_kind or 'document'}"))
    if not is_done and activity.reopen_reason:
        lines.append(i18n.get("plan-item-reopened", reason=esc(activity.reopen_reason)))
    if not is_done and activity.due_on < day:
        lines.append(i18n.get("plan-item-overdue", days=(day - activity.due_on).days))
    return {
        "card": "\n".join(lines),
        "content": esc(short(activity.content, 200)),
        "may_mark": item.is_mentor and not is_done,
        "is_done": is_done,
        "has_evidence": is_done and bool(activity.evidence_file_id),
    }


def item_step(step: State, done: bool, refusal: str) -> Any:
    """To mark an open item done (the mentor), or to reopen a done one (either side)."""

    async def on_click(query: CallbackQuery, _: Any, manager: DialogManager) -> None:
        activity = (await the_item(manager, to_mark=not done)).activity
        if (activity.status == ActivityStatus.DONE) != done:
            await say(query, manager, ctx(manager).i18n.get(refusal))
            return
        manager.dialog_data.pop("notice", None)
        await manager.switch_to(step)

    return on_click


async def result_typed(message: Message, _: Any, manager: DialogManager, result: str) -> None:
    manager.dialog_data["result"] = result
    await manager.switch_to(PlanItemCard.evidence)


async def evidence_sent(message: Message, _: Any, manager: DialogManager) -> None:
    if message.photo:
        await finish_done(message, None, manager, ("photo", message.photo[-1].file_id))
    elif message.document:
        await finish_done(message, None, manager, ("document", message.document.file_id))
    else:
        await say(message, manager, ctx(manager).i18n.get("plan-evidence-expected"))


async def finish_done(
    event: Message | CallbackQuery, _: Any, manager: DialogManager, evidence: Any = (None, None)
) -> None:
    c, item = ctx(manager), await the_item(manager, to_mark=True)
    activity, (kind, file_id) = item.activity, evidence
    try:
        result = str(manager.dialog_data.get("result", ""))
        programmes.mark_done(activity, result, kind, file_id, c.clock.now())
    except UserFacingError as error:
        raise Gone from error  # done meanwhile, or the result went missing
    manager.dialog_data["notice"] = c.i18n.get("plan-marked-done", number=activity.position)
    await manager.switch_to(PlanItemCard.card)
    people = await participants(c.session, item.pair)
    key = "plan-done-notice-evidence" if file_id else "plan-done-notice"
    name, result = view.name_of(c.i18n, mentor_of(people)), esc(activity.result or "")
    await tell(manager, mentees_of(people), key, activity, name=name, result=result)


async def send_file(query: CallbackQuery, _: Any, manager: DialogManager) -> None:
    c, activity = ctx(manager), (await the_item(manager)).activity
    if activity.status != ActivityStatus.DONE or not activity.evidence_file_id:
        raise Gone
    send = c.bot.send_photo if activity.evidence_kind == "photo" else c.bot.send_document
    caption = esc(short(activity.content, 200))
    await send(c.actor.telegram_id, activity.evidence_file_id, caption=caption)


async def reason_typed(message: Message, _: Any, manager: DialogManager, reason: str) -> None:
    c, item = ctx(manager), await the_item(manager)
    people = await participants(c.session, item.pair)
    me = me_among(people, c.actor)
    if me is None:
        raise Gone
    try:
        now = c.clock.now()
        await programmes.reopen(c.session, item.pair, item.activity, reason, me.membership_id, now)
    except UserFacingError as error:
        raise Gone from error  # reopened meanwhile
    manager.dialog_data["notice"] = c.i18n.get("plan-reopened", number=item.activity.position)
    await manager.switch_to(PlanItemCard.card)
    others = [p for p in people if p.is_mentor != me.is_mentor]
    name = view.name_of(c.i18n, me)
    await tell(manager, others, "plan-reopen-notice", item.activity, name=name, reason=esc(reason))


async def tell(
    manager: DialogManager, people: list[Participant], key: str, activity: Activity, **args: object
) -> None:
    """Tell the other side about an item, each in their language, with a button to open it."""
    c = ctx(manager)

    async def notice(_: Participant) -> tuple[list[str], InlineKeyboardMarkup]:
        text = c.i18n.get(key, content=esc(short(activity.content, 300)), **args)
        open_item = button(c.i18n.get("plan-open-item"), PlanItemCb(activity_id=activity.id))
        return [text], keyboard([open_item])

    await view.tell(c, people, notice)


async def item_from_notice(
    query: CallbackQuery, callback_data: PlanItemCb, dialog_manager: DialogManager
) -> None:
    c = ctx(dialog_manager)
    if await item_to_see(c.session, c.actor, callback_data.activity_id) is None:
        await query.answer(c.i18n.get("error-not-found"), show_alert=True)
        return
    await open_below(query, dialog_manager, PlanItemCard.card, {"id": callback_data.activity_id})


def router() -> Router:
    command = pd.pair_command(PlanView.summary, PlanView.pair, "plan-no-pairs")
    notice = (item_from_notice, PlanItemCb.filter())
    return command_and_buttons(__name__, "plan", command, PAIR_MEMBERS, notice)


def dialogs() -> list[Dialog]:
    result = text_input("activity_result", result_typed, parsed_by(programmes.parse_result))
    reason = text_input("activity_reopen_reason", reason_typed, parsed_by(programmes.parse_reason))
    ask_result = Fl("plan-ask-result", limit=programmes.RESULT_LIMIT)
    ask_reason = Fl("plan-ask-reopen-reason", limit=programmes.REASON_LIMIT)
    mark_done = item_step(PlanItemCard.result, False, "programme-activity-already-done")
    reopen = item_step(PlanItemCard.reopen_reason, True, "programme-activity-not-done")
    evidence = Button(
        Fl("plan-show-evidence"), "activity_evidence", send_file, when="has_evidence"
    )
    back_to_card = SwitchTo(Fl("plan-back"), "activity_step_back", PlanItemCard.card)

    def card_step(*widgets: Any, state: State) -> Window:
        return Window(*widgets, state=state, getter=card_getter)

    return [
        Dialog(
            pd.pair_choice(PlanView.pair, PlanView.summary, "plan_pair"),
            Window(
                Format("{summary}"),
                Row(
                    SwitchTo(Fl("plan-items"), "plan_items", PlanView.items, when="readable"),
                    programme_step("plan-programme", "open", "readable"),
                ),
                programme_step("plan-write", "open", "may_write"),
                programme_step("programme-ack", "ack", "may_acknowledge"),
                programme_step("programme-ask-changes", "changes", "may_acknowledge"),
                Column(choice("plan_meeting_confirm", "awaiting", meeting_confirmed, safe_id)),
                Button(Fl("plan-log-meeting"), "plan_log_meeting", log_meeting),
                state=PlanView.summary,
                getter=plan_getter,
            ),
            Window(
                Fl("plan-items-title"),
                paged(
                    choice("plan_activity", "activities", item_opened, safe_id), "plan_activities"
                ),
                SwitchTo(Fl("plan-back"), "plan_items_back", PlanView.summary),
                state=PlanView.items,
                getter=plan_getter,
            ),
        ),
        Dialog(
            card_step(
                Format("{card}"),
                Button(Fl("plan-mark-done"), "activity_mark_done", mark_done, when="may_mark"),
                evidence,
                Button(Fl("plan-reopen"), "activity_reopen", reopen, when="is_done"),
                Cancel(Fl("plan-back"), id="activity_back"),
                state=PlanItemCard.card,
            ),
            card_step(ask_result, *result, back_to_card, state=PlanItemCard.result),
            card_step(
                Fl("plan-ask-evidence"),
                MessageInput(evidence_sent, content_types=[ContentType.ANY]),
                Button(Fl("plan-no-evidence"), "activity_no_evidence", finish_done),
                SwitchTo(Fl("plan-back"), "activity_evidence_back", PlanItemCard.result),
                state=PlanItemCard.evidence,
            ),
            card_step(ask_reason, *reason, back_to_card, state=PlanItemCard.reopen_reason),
        ),
    ]
