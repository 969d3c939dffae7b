"""/plan: how the programme goes, and running it item by item.

Two dialogs (aiogram-dialog). The plan: progress (done of total), overdue items and the next
deadlines, meetings awaiting this person's confirmation, and the items, paged. An item's card,
its own dialog on the stack: the mentor marks it done with a short result and, optionally, a
photo or document as evidence (kept by its Telegram file id), and the mentee is told; either
side reopens it with a reason, and the other side is told. A mentee reads the plan only once
the mentor has sent it, and marks nothing done.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, ContentType, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import (
    Button,
    Cancel,
    Column,
    Row,
    ScrollingGroup,
    Select,
    SwitchTo,
)
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.mail import Mail
from bot.services import meetings, programmes
from bot.services.errors import UserFacingError
from bot.services.pairs_read import Participant, participants
from bot.services.people import Actor
from bot.services.plan_access import PlanItem, item_to_mark, item_to_see, member_ids
from bot.ui import button, esc, format_date, keyboard
from handlers import programme
from handlers.dialog_kit import Fl, Gone, middleware, owned, start_id, text_input
from handlers.meetings import MeetingForm, confirm_meeting
from handlers.pair_dialog import pair_choice, parsed_by, safe_id, start_for_pair, the_pair
from handlers.programme_view import (
    ProgCb,
    activity_block,
    activity_button_text,
    header,
    local_today,
    locale_of,
    name_of,
    send_pages,
    short,
    state_line,
)
from handlers.roles import PAIR_MEMBERS
from models import Activity, ActivityStatus

ITEMS_PER_PAGE = 8


class PlanItemCb(CallbackData, prefix="plan_item"):
    """«Open the item» on a notice sent to the other side."""

    activity_id: int


class PlanView(StatesGroup):
    pair = State()
    summary = State()
    items = State()


class PlanItemCard(StatesGroup):
    card = State()
    result = State()
    evidence = State()
    reopen_reason = State()


# --- the plan ---------------------------------------------------------------------------------


def _item_line(i18n: I18nContext, activity: Activity) -> str:
    return i18n.get(
        "plan-item-line",
        date=format_date(activity.due_on),
        content=esc(short(activity.content, 120)),
    )


async def plan_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    session, actor = middleware(dialog_manager)
    i18n: I18nContext = dialog_manager.middleware_data["i18n"]
    pair = await the_pair(dialog_manager)
    timezone, today = await local_today(session, pair, dialog_manager.middleware_data["clock"])
    programme_ = await programmes.programme_of(session, pair.id)
    activities = await programmes.activities_of(session, programme_.id) if programme_ else []
    is_mentor = pair.mentor_membership_id in member_ids(actor)
    readable = programme_ is not None and (is_mentor or programmes.is_written(programme_))
    state = state_line(i18n, pair, programme_, activities, timezone, today)
    lines = [header(i18n, pair, await participants(session, pair), i18n.get("plan-title"))]
    if not readable and is_mentor:
        lines += ["", i18n.get("plan-no-programme-mentor", state=state)]
    elif not readable:
        due = programme_.due_on if programme_ and programme_.due_on else None
        due = due or programmes.writing_due(pair, timezone)
        lines += ["", i18n.get("plan-no-programme-mentee", due=format_date(due))]
    else:
        done = programmes.progress(activities, today)
        percent = round(100 * done.done / done.total) if done.total else 0
        lines.append(i18n.get("programme-state", state=state))
        lines += ["", i18n.get("plan-progress", done=done.done, total=done.total, percent=percent)]
        if done.overdue:
            lines += ["", i18n.get("plan-overdue-title", count=len(done.overdue))]
            lines += [_item_line(i18n, a) for a in done.overdue]
        if done.upcoming:
            lines += ["", i18n.get("plan-upcoming-title")]
            lines += [_item_line(i18n, a) for a in done.upcoming]
        if done.total and done.done == done.total:
            lines += ["", i18n.get("plan-all-done")]
    held, confirmed = await meetings.counts(session, pair.id)
    lines += ["", i18n.get("plan-meetings", count=held, confirmed=confirmed)]
    awaiting = await meetings.awaiting(session, pair, member_ids(actor))
    return {
        "summary": "\n".join(lines),
        "readable": readable,
        "may_write": not readable and is_mentor,
        "awaiting": [
            (m.id, i18n.get("plan-confirm-meeting", date=format_date(m.held_on))) for m in awaiting
        ],
        "activities": [(a.id, activity_button_text(a, today)) for a in activities],
        "count": len(activities),
    }


async def open_programme(query: CallbackQuery, _: Any, manager: DialogManager) -> None:
    """The programme is the programme feature's: the plan gives way to it."""
    pair = await the_pair(manager)
    data = manager.middleware_data
    await manager.reset_stack()
    await programme.open_programme(
        query,
        ProgCb(action="open", pair_id=pair.id),
        data["session"],
        data["actor"],
        data["clock"],
        data["i18n"],
    )


async def log_meeting(query: CallbackQuery, _: Any, manager: DialogManager) -> None:
    pair = await the_pair(manager)
    await manager.start(MeetingForm.date, {"id": pair.id})


async def meeting_confirmed(
    query: CallbackQuery, _: Any, manager: DialogManager, meeting_id: int
) -> None:
    data = manager.middleware_data
    args = (data["session"], data["actor"], data["clock"], data["mail"], data["settings"])
    if await confirm_meeting(query, meeting_id, *args, data["i18n"]):
        await query.answer(data["i18n"].get("meeting-confirmed-thanks"))


async def item_opened(query: CallbackQuery, _: Any, manager: DialogManager, item: int) -> None:
    await owned(manager, item_to_see, item)
    await manager.start(PlanItemCard.card, {"id": item})


# --- an item's card ---------------------------------------------------------------------------


async def the_item(manager: DialogManager, *, to_mark: bool = False) -> PlanItem:
    return await owned(manager, item_to_mark if to_mark else item_to_see, start_id(manager))


async def card_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    session, _ = middleware(dialog_manager)
    i18n: I18nContext = dialog_manager.middleware_data["i18n"]
    item = await the_item(dialog_manager)
    activity = item.activity
    _, today = await local_today(session, item.pair, dialog_manager.middleware_data["clock"])
    total = len(await programmes.activities_of(session, item.programme.id))
    notice = dialog_manager.dialog_data.get("notice")
    lines = [notice, ""] if notice else []
    lines += [
        i18n.get("programme-activity-card", number=activity.position, total=total),
        activity_block(i18n, activity, today),
    ]
    is_done = activity.status == ActivityStatus.DONE
    if is_done and activity.evidence_file_id:
        lines.append(i18n.get(f"plan-evidence-{activity.evidence_kind or 'document'}"))
    if not is_done and activity.reopen_reason:
        lines.append(i18n.get("plan-item-reopened", reason=esc(activity.reopen_reason)))
    if not is_done and activity.due_on < today:
        lines.append(i18n.get("plan-item-overdue", days=(today - activity.due_on).days))
    return {
        "card": "\n".join(lines),
        "content": esc(short(activity.content, 200)),
        "may_mark": item.is_mentor and not is_done,
        "is_done": is_done,
        "has_evidence": is_done and bool(activity.evidence_file_id),
    }


async def mark_done_tapped(query: CallbackQuery, _: Any, manager: DialogManager) -> None:
    item = await the_item(manager, to_mark=True)
    if item.activity.status == ActivityStatus.DONE:
        await query.answer(
            manager.middleware_data["i18n"].get("programme-activity-already-done"),
            show_alert=True,
        )
        return
    manager.dialog_data.pop("notice", None)
    await manager.switch_to(PlanItemCard.result)


async def result_typed(message: Message, _: Any, manager: DialogManager, result: str) -> None:
    manager.dialog_data["result"] = result
    await manager.switch_to(PlanItemCard.evidence)


async def evidence_sent(message: Message, _: Any, manager: DialogManager) -> None:
    if message.photo:
        await finish_done(message, manager, "photo", message.photo[-1].file_id)  # the largest
    elif message.document:
        await finish_done(message, manager, "document", message.document.file_id)
    else:
        manager.show_mode = ShowMode.SEND
        await message.answer(manager.middleware_data["i18n"].get("plan-evidence-expected"))


async def no_evidence(query: CallbackQuery, _: Any, manager: DialogManager) -> None:
    await finish_done(query, manager, None, None)


async def finish_done(
    event: Message | CallbackQuery, manager: DialogManager, kind: str | None, file_id: str | None
) -> None:
    item = await the_item(manager, to_mark=True)
    i18n: I18nContext = manager.middleware_data["i18n"]
    session, _ = middleware(manager)
    activity = item.activity
    now = manager.middleware_data["clock"].now()
    try:
        programmes.mark_done(
            activity, str(manager.dialog_data.get("result", "")), kind, file_id, now
        )
    except UserFacingError as error:
        raise Gone from error  # done meanwhile, or the result went missing
    manager.dialog_data["notice"] = i18n.get("plan-marked-done", number=activity.position)
    await manager.switch_to(PlanItemCard.card)
    people = await participants(session, item.pair)
    mentor = next((p for p in people if p.is_mentor), None)
    await tell(
        manager,
        [p for p in people if not p.is_mentor],
        "plan-done-notice-evidence" if file_id else "plan-done-notice",
        activity,
        name=name_of(i18n, mentor) if mentor else "—",
        result=esc(activity.result or ""),
    )


async def show_evidence(query: CallbackQuery, _: Any, manager: DialogManager) -> None:
    activity = (await the_item(manager)).activity
    if activity.status != ActivityStatus.DONE or not activity.evidence_file_id:
        raise Gone
    bot: Bot = manager.middleware_data["bot"]
    chat_id = manager.middleware_data["actor"].telegram_id
    caption = esc(short(activity.content, 200))
    if activity.evidence_kind == "photo":
        await bot.send_photo(chat_id, activity.evidence_file_id, caption=caption)
    else:
        await bot.send_document(chat_id, activity.evidence_file_id, caption=caption)
    manager.show_mode = ShowMode.NO_UPDATE


async def reopen_tapped(query: CallbackQuery, _: Any, manager: DialogManager) -> None:
    item = await the_item(manager)
    if item.activity.status != ActivityStatus.DONE:
        await query.answer(
            manager.middleware_data["i18n"].get("programme-activity-not-done"), show_alert=True
        )
        return
    manager.dialog_data.pop("notice", None)
    await manager.switch_to(PlanItemCard.reopen_reason)


async def reason_typed(message: Message, _: Any, manager: DialogManager, reason: str) -> None:
    item = await the_item(manager)
    session, actor = middleware(manager)
    i18n: I18nContext = manager.middleware_data["i18n"]
    people = await participants(session, item.pair)
    me = next((p for p in people if p.membership_id in member_ids(actor)), None)
    if me is None:
        raise Gone
    now = manager.middleware_data["clock"].now()
    try:
        await programmes.reopen(session, item.pair, item.activity, reason, me.membership_id, now)
    except UserFacingError as error:
        raise Gone from error  # reopened meanwhile
    manager.dialog_data["notice"] = i18n.get("plan-reopened", number=item.activity.position)
    await manager.switch_to(PlanItemCard.card)
    others = [p for p in people if p.is_mentor != me.is_mentor]
    await tell(
        manager,
        others,
        "plan-reopen-notice",
        item.activity,
        name=name_of(i18n, me),
        reason=esc(reason),
    )


async def tell(
    manager: DialogManager, people: list[Participant], key: str, activity: Activity, **args: object
) -> None:
    """Tell the other side about an item, each in their language, with a button to open it."""
    i18n: I18nContext = manager.middleware_data["i18n"]
    settings: Settings = manager.middleware_data["settings"]
    mail: Mail = manager.middleware_data["mail"]
    for person in people:
        with i18n.use_locale(locale_of(person, settings)):
            text = i18n.get(key, content=esc(short(activity.content, 300)), **args)
            open_item = button(i18n.get("plan-open-item"), PlanItemCb(activity_id=activity.id))
        await send_pages(mail, person.telegram_id, [text], keyboard([open_item]))


# --- commands and the notice's button ---------------------------------------------------------


async def plan_command(
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
        first=PlanView.summary,
        chooser=PlanView.pair,
        no_pairs="plan-no-pairs",
    )


async def item_from_notice(
    query: CallbackQuery,
    callback_data: PlanItemCb,
    dialog_manager: DialogManager,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    if await item_to_see(session, actor, callback_data.activity_id) is None:
        await query.answer(i18n.get("error-not-found"), show_alert=True)
        return
    await query.answer()
    await dialog_manager.start(
        PlanItemCard.card, {"id": callback_data.activity_id}, mode=StartMode.RESET_STACK
    )


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(plan_command, Command("plan"), flags=PAIR_MEMBERS)
    router.callback_query.register(item_from_notice, PlanItemCb.filter())
    return router


def dialogs() -> list[Dialog]:
    def listed(widget_id: str, items: str, on_click: Any) -> Select[int]:
        return Select(
            Format("{item[1]}"),
            id=widget_id,
            item_id_getter=lambda item: item[0],
            items=items,
            type_factory=safe_id,
            on_click=on_click,
        )

    back_to_card = SwitchTo(Fl("plan-back"), "activity_step_back", PlanItemCard.card)
    return [
        Dialog(
            pair_choice(PlanView.pair, PlanView.summary, "plan_pair"),
            Window(
                Format("{summary}"),
                Row(
                    SwitchTo(Fl("plan-items"), "plan_items", PlanView.items, when="readable"),
                    Button(
                        Fl("plan-programme"),
                        id="plan_programme",
                        on_click=open_programme,
                        when="readable",
                    ),
                ),
                Button(
                    Fl("plan-write"), id="plan_write", on_click=open_programme, when="may_write"
                ),
                Column(listed("plan_meeting_confirm", "awaiting", meeting_confirmed)),
                Button(Fl("plan-log-meeting"), id="plan_log_meeting", on_click=log_meeting),
                state=PlanView.summary,
                getter=plan_getter,
            ),
            Window(
                Fl("plan-items-title"),
                ScrollingGroup(
                    listed("plan_activity", "activities", item_opened),
                    id="plan_activities",
                    width=1,
                    height=ITEMS_PER_PAGE,
                    hide_on_single_page=True,
                ),
                SwitchTo(Fl("plan-back"), "plan_items_back", PlanView.summary),
                state=PlanView.items,
                getter=plan_getter,
            ),
        ),
        Dialog(
            Window(
                Format("{card}"),
                Button(
                    Fl("plan-mark-done"),
                    id="activity_mark_done",
                    on_click=mark_done_tapped,
                    when="may_mark",
                ),
                Button(
                    Fl("plan-show-evidence"),
                    id="activity_show_evidence",
                    on_click=show_evidence,
                    when="has_evidence",
                ),
                Button(
                    Fl("plan-reopen"), id="activity_reopen", on_click=reopen_tapped, when="is_done"
                ),
                Cancel(Fl("plan-back"), id="activity_back"),
                state=PlanItemCard.card,
                getter=card_getter,
            ),
            Window(
                Fl("plan-ask-result", limit=programmes.RESULT_LIMIT),
                *text_input("activity_result", result_typed, parsed_by(programmes.parse_result)),
                back_to_card,
                state=PlanItemCard.result,
                getter=card_getter,
            ),
            Window(
                Fl("plan-ask-evidence"),
                MessageInput(evidence_sent, content_types=[ContentType.ANY]),
                Button(Fl("plan-no-evidence"), id="activity_no_evidence", on_click=no_evidence),
                SwitchTo(Fl("plan-back"), "activity_evidence_back", PlanItemCard.result),
                state=PlanItemCard.evidence,
                getter=card_getter,
            ),
            Window(
                Fl("plan-ask-reopen-reason", limit=programmes.REASON_LIMIT),
                *text_input(
                    "activity_reopen_reason", reason_typed, parsed_by(programmes.parse_reason)
                ),
                back_to_card,
                state=PlanItemCard.reopen_reason,
                getter=card_getter,
            ),
        ),
    ]
