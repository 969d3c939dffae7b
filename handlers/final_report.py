"""The two final reports (bot/services/final_reports.py) as dialogs, opened by `/final_report`
or the `ReportOpen` button of the invitation sent when a pair ends. The mentor's: the plan's items
pre-marked from the plan (a reason for each not done), results and recommendations; a mentee's:
three texts, the mentor scored 1-5 per criterion, a comment. Both end on a summary to confirm;
nothing is stored before it is sent, and a sent report is only read (`ReportRead`).

The typed steps are one window stepping through the report's questions (`step` in the dialog
data, of final_reports.questions); its buttons carry the step they were drawn for, so a double
tap on a step already left is refused politely instead of acting on the next one.
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.widgets.kbd import (
    Button,
    Cancel,
    Column,
    Group,
    NumberedPager,
    StubScroll,
    SwitchTo,
)
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot import final_report_text as view
from bot.reminder_buttons import ReportOpen
from bot.services import final_reports
from bot.services.final_reports import EVALUATION_CRITERIA, FULFILMENT_MARKS, MENTOR, NOT_DONE
from bot.services.pages import paginate, short
from bot.services.pair_members import desk_of
from bot.services.people import Actor
from bot.ui import format_date, format_day
from handlers.desk_dialogs import finish
from handlers.dialog_kit import (
    Fl,
    Gone,
    OutOfRange,
    bounded_text,
    buttons_only,
    choice,
    command_router,
    ctx,
    owned,
    paged,
    polite,
    safe_id,
    start_id,
    text_input,
)
from handlers.pair_ui import News
from handlers.report_view import ReportRead, reading
from handlers.roles import PAIR_MEMBERS
from models import FinalReport
from models.base import relock

PAGE_LIMIT = 3500  # characters of a reading page, under Telegram's 4096 with the buttons' room
SCORES = ("1", "2", "3", "4", "5")
MISSED_SHOWN = 10  # items not done listed on the summary (the whole list is read later)


class FinalReports(StatesGroup):  # the person's reports, open and sent
    choose = State()


class MentorReport(StatesGroup):  # start data: {"id": report id}; write: a question
    items, mark, reason, write, confirm = State(), State(), State(), State(), State()


class MenteeReport(StatesGroup):  # start data: {"id": report id}
    write, score, confirm = State(), State(), State()  # score: a criterion's step


# --- opening: the command, the button, the list ----------------------------------------------


async def open_one(
    manager: DialogManager, report: FinalReport, show_mode: ShowMode | None = None
) -> None:
    """The report's form while it is open; once sent, the report to read."""
    if report.submitted_at is not None:
        state, data = ReportRead.page, {"report": report.id}
    else:
        state = MentorReport.items if report.role == MENTOR else MenteeReport.write
        data = {"id": report.id}
    await manager.start(state, data, mode=StartMode.RESET_STACK, show_mode=show_mode)


async def final_report_command(message: Message, dialog_manager: DialogManager) -> None:
    c = ctx(dialog_manager)
    reports = await final_reports.my_reports(c.session, c.actor)
    if not reports:
        await message.answer(c.i18n.get("final-report-none"))
    elif len(reports) == 1:
        await open_one(dialog_manager, reports[0])
    else:
        await dialog_manager.start(FinalReports.choose, mode=StartMode.RESET_STACK)


async def report_button(
    query: CallbackQuery, callback_data: ReportOpen, dialog_manager: DialogManager
) -> None:
    """The button on the invitation and the reminders: the presser's own report of the pair."""
    report = await owned(dialog_manager, final_reports.report_of_pair, callback_data.pair_id)
    await query.answer()
    await open_one(dialog_manager, report, ShowMode.SEND)  # below the invitation


async def list_getter(
    dialog_manager: DialogManager, session: AsyncSession, actor: Actor, i18n: I18nContext, **_: Any
) -> dict[str, Any]:
    reports = await final_reports.my_reports(session, actor)
    items = [
        (
            str(report.id),
            i18n.get(
                "final-report-pick-sent" if report.submitted_at else "final-report-pick-open",
                number=report.pair_id,
                date=format_day(report.submitted_at, actor.timezone),
                due=format_date(report.due_on),
            ),
        )
        for report in reports
    ]
    return {"reports": items, "none_open": all(r.submitted_at for r in reports)}


async def report_picked(_: CallbackQuery, __: Any, manager: DialogManager, item: str) -> None:
    report = await owned(manager, final_reports.any_own_report, safe_id(item))  # forged: -1
    await open_one(manager, report)


# --- the form: the report, its steps ---------------------------------------------------------


def _is_mentor(manager: DialogManager) -> bool:
    return manager.current_context().state.group is MentorReport


def _steps(manager: DialogManager) -> tuple[str, ...]:
    return final_reports.questions(MENTOR if _is_mentor(manager) else final_reports.MENTEE)


async def _report(manager: DialogManager) -> FinalReport:
    """The open report the dialog fills, of the dialog's kind."""
    report = await owned(manager, final_reports.report_to_fill, start_id(manager))
    if (report.role == MENTOR) != _is_mentor(manager):
        raise Gone
    return report


def _head(i18n: I18nContext, report: FinalReport) -> str:
    return i18n.get(
        f"final-report-{report.role}-head", number=report.pair_id, due=format_date(report.due_on)
    )


def _step(manager: DialogManager) -> tuple[int, str]:
    """The step of the form shown, and its field."""
    step: int = manager.dialog_data.get("step", 0)
    return step, _steps(manager)[step]


def _moves(manager: DialogManager) -> list[str]:
    """The step's buttons: the scores of a criterion; keep the answer, skip; back."""
    step, field = _step(manager)
    if field.startswith("score_"):
        moves = list(SCORES)
    else:
        moves = ["keep"] if manager.dialog_data.get(field) else []
        moves += ["skip"] if field in final_reports.OPTIONAL else []
    return moves + (["back"] if step or _is_mentor(manager) else [])


async def go(manager: DialogManager, step: int) -> None:
    """To the form's step `step`: before the first, the plan's marks; past the last, the
    summary to confirm."""
    mentor, steps = _is_mentor(manager), _steps(manager)
    if step < 0:
        await manager.switch_to(MentorReport.items)
        return
    manager.dialog_data["step"] = min(step, len(steps) - 1)
    if step >= len(steps):
        await manager.switch_to(MentorReport.confirm if mentor else MenteeReport.confirm)
    elif steps[step].startswith("score_"):
        await manager.switch_to(MenteeReport.score)
    else:
        await manager.switch_to(MentorReport.write if mentor else MenteeReport.write)


async def step_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    report = await _report(dialog_manager)
    i18n, data = ctx(dialog_manager).i18n, dialog_manager.dialog_data
    step, field = _step(dialog_manager)
    moves = _moves(dialog_manager)

    def label(move: str) -> str:
        if move in SCORES:
            return f"✔️ {move}" if data.get(field) == int(move) else move
        return i18n.get(f"final-report-{move}")

    shown: dict[str, Any] = {
        "head": _head(i18n, report),
        "moves": [(f"{step}:{move}", label(move)) for move in moves],
        "later": "back" not in moves,
    }
    if field.startswith("score_"):
        criterion = field.removeprefix("score_")
        return shown | {
            "criterion": i18n.get(f"final-report-criterion-{criterion}"),
            "step": EVALUATION_CRITERIA.index(criterion) + 1,
            "steps": len(EVALUATION_CRITERIA),
        }
    ask = f"final-report-ask-{field.replace('_', '-')}"
    value = data.get(field)
    pair_reports = await final_reports.reports_of_pair(ctx(dialog_manager).session, report.pair_id)
    count = final_reports.mentees_reported_on(pair_reports)  # a group's mentor writes of each
    return shown | {
        "ask": i18n.get(ask, limit=final_reports.TEXT_LIMIT, count=count),
        "now": view.clip(value, 600),
        "has_now": bool(value),
    }


async def typed(_: Message, __: Any, manager: DialogManager, value: str) -> None:
    step, field = _step(manager)
    manager.dialog_data[field] = value
    await go(manager, step + 1)


async def moved(_: CallbackQuery, __: Any, manager: DialogManager, item: str) -> None:
    """A score, keep, skip or back, on the step the button was drawn for."""
    step, field = _step(manager)
    move = item.removeprefix(f"{step}:")
    if move == item or move not in _moves(manager):
        raise OutOfRange  # a step already left (a double tap), or forged
    if move in SCORES or move == "skip":
        manager.dialog_data[field] = int(move) if move in SCORES else None
    await go(manager, step - 1 if move == "back" else step + 1)


async def to_last_step(_: CallbackQuery, __: Any, manager: DialogManager) -> None:
    await go(manager, len(_steps(manager)) - 1)


# --- the mentor's marks of the plan ----------------------------------------------------------


def _fulfilment(manager: DialogManager) -> dict[str, dict[str, str]]:
    return manager.dialog_data.setdefault("fulfilment", {})  # the mentor's marks, by item


async def _marked(manager: DialogManager, report: FinalReport) -> list[final_reports.PlanItem]:
    fulfilment = _fulfilment(manager)
    items = await final_reports.report_items(ctx(manager).session, report)
    return [item for item in items if str(item.activity_id) in fulfilment]


async def mentor_started(_: Any, manager: DialogManager) -> None:
    """The marks the plan suggests, each to confirm or change."""
    items = await final_reports.report_items(ctx(manager).session, await _report(manager))
    manager.dialog_data["fulfilment"] = {str(i.activity_id): {"mark": i.mark} for i in items}


async def plan_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    report = await _report(dialog_manager)
    i18n, chosen = ctx(dialog_manager).i18n, dialog_manager.dialog_data.get("item")
    fulfilment = _fulfilment(dialog_manager)
    marked = await _marked(dialog_manager, report)
    current = next((i for i in marked if str(i.activity_id) == chosen), None)
    mark = fulfilment.get(chosen or "", {}).get("mark", "")
    return {
        "head": _head(i18n, report),
        "counts": view.fulfilment_lines(i18n, marked, fulfilment)[0],
        "items": [
            (str(i.activity_id), f"{i.position}. {icon} " + short(i.content))
            for i in marked
            for icon in [view.MARK_ICONS[fulfilment[str(i.activity_id)]["mark"]]]
        ],
        "marks": [
            (code, i18n.get(f"final-report-mark-button-{code}")) for code in FULFILMENT_MARKS
        ],
        "position": current.position if current else 0,
        "content": view.clip(current.content, 600) if current else "—",
        "due": format_date(current.due_on) if current else "—",
        "mark": i18n.get(f"final-report-mark-{mark}") if mark else "—",
    }


async def item_chosen(_: CallbackQuery, __: Any, manager: DialogManager, item: str) -> None:
    if item not in _fulfilment(manager):
        raise OutOfRange
    manager.dialog_data["item"] = item
    manager.dialog_data.pop("checking", None)
    await manager.switch_to(MentorReport.mark)


async def mark_chosen(_: CallbackQuery, __: Any, manager: DialogManager, mark: str) -> None:
    item = manager.dialog_data.get("item")
    if mark not in FULFILMENT_MARKS or item not in _fulfilment(manager):
        raise OutOfRange
    if mark == NOT_DONE:
        await manager.switch_to(MentorReport.reason)  # marked once the reason is given
        return
    _fulfilment(manager)[item] = {"mark": mark}
    await manager.switch_to(MentorReport.items)


async def reason_typed(_: Message, __: Any, manager: DialogManager, reason: str) -> None:
    item = manager.dialog_data.get("item")
    if item not in _fulfilment(manager):
        raise Gone
    _fulfilment(manager)[item] = {"mark": NOT_DONE, "reason": reason}
    checking = manager.dialog_data.get("checking")
    await (items_done(None, None, manager) if checking else manager.switch_to(MentorReport.items))


async def items_done(_: Any, __: Any, manager: DialogManager) -> None:
    """On to the results once every item not done has its reason; else the first without."""
    missing = [
        item
        for item, entry in _fulfilment(manager).items()
        if entry.get("mark") == NOT_DONE and not entry.get("reason")
    ]
    if missing:
        manager.dialog_data.update(item=missing[0], checking=True)
        await manager.switch_to(MentorReport.reason)
        return
    manager.dialog_data.pop("checking", None)
    await go(manager, 0)


# --- the summary, and sending ----------------------------------------------------------------


async def confirm_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    report = await _report(dialog_manager)
    i18n, data = ctx(dialog_manager).i18n, dialog_manager.dialog_data
    if report.role == MENTOR:
        marked = await _marked(dialog_manager, report)
        marks = view.marks_summary(i18n, marked, _fulfilment(dialog_manager), MISSED_SHOWN)
        blocks = [marks, *view.answers(i18n, data, final_reports.MENTOR_QUESTIONS, 600)]
    else:
        blocks = view.answers(i18n, data, (*final_reports.MENTEE_SAID, "comment"), 600)
        evaluation = view.evaluation_block(i18n, final_reports.evaluation_of(data))
        blocks.insert(len(final_reports.MENTEE_SAID), evaluation)
    return {"head": _head(i18n, report), "summary": "\n\n".join(blocks)}


@polite
async def submitted(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    """Sent once (the row locked, then checked by the service); a required answer missing:
    back to it."""
    report = await _report(manager)
    unanswered = final_reports.first_unanswered(_steps(manager), manager.dialog_data)
    if unanswered is not None:
        await go(manager, unanswered)
        return
    c = ctx(manager)
    await relock(c.session, report)
    await final_reports.submit_answers(c.session, report, manager.dialog_data, c.clock.now())
    if (pair := await final_reports.completed_pair(c.session, report.pair_id)) is not None:
        desk = await desk_of(c.session, pair)  # who formed the pair reads the reports
        await News(c.mail, c.i18n).tell(desk, "final-report-all-sent-desk", number=pair.id)
    await query.answer()
    await finish(query, manager, c.i18n.get("final-report-sent", number=report.pair_id))


# --- reading sent reports --------------------------------------------------------------------

READERS = {  # ReportRead's start data: who may read which reports
    "report": final_reports.sent_report,
    "pair": final_reports.reports_of_desk_pair,
    "author": final_reports.reports_of_member,
}


async def read_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The reports to read, for whoever opened them and as they may see them, paged."""
    c = ctx(dialog_manager)
    kind = next((k for k in READERS if start_id(dialog_manager, k) is not None), "author")
    reports = await owned(dialog_manager, READERS[kind], start_id(dialog_manager, kind))
    blocks = await reading(c.session, c.i18n, reports, c.actor.timezone)
    if kind == "report":  # the author's own: the mentees' evaluation, where the mentor sees it
        title = "final-report-evaluation-of-you"
        for other in await final_reports.evaluations_for(c.session, reports[0]):
            blocks.append(
                view.evaluation_block(c.i18n, other.evaluation or {}, other.comment, title)
            )
    pages = paginate(blocks or [c.i18n.get("final-report-nothing-to-read")], PAGE_LIMIT)
    scroll = dialog_manager.find("final_report_pages")
    page = await scroll.get_page() if scroll is not None else 0
    screen = pages[min(page, len(pages) - 1)]
    return {"screen": screen, "pages": len(pages), "from_card": kind == "pair"}


# --- the dialogs -----------------------------------------------------------------------------


def _tapped(*widgets: Any, state: State, getter: Any) -> Window:
    """A window of buttons: anything typed is asked to use them."""
    asked = buttons_only("final-report-use-buttons")
    return Window(*widgets, asked, state=state, getter=getter)


def _form(write: State, confirm: State, *confirm_buttons: Any) -> list[Window]:
    """The typed steps (one window stepping through the form), and the summary to send."""
    head = Format("{head}\n")
    return [
        Window(
            head,
            Format("{ask}"),
            Fl("final-report-now", when="has_now"),
            *text_input("final_report_text", typed, bounded_text(final_reports.TEXT_LIMIT)),
            Column(choice("final_report_move", "moves", moved)),
            Cancel(Fl("final-report-later"), id="final_report_mentee_later", when="later"),
            state=write,
            getter=step_getter,
        ),
        _tapped(
            head,
            Fl("final-report-confirm"),
            Format("\n{summary}"),
            Button(Fl("final-report-submit"), "final_report_submit", submitted),
            *confirm_buttons,
            state=confirm,
            getter=confirm_getter,
        ),
    ]


def dialogs() -> list[Dialog]:
    back, reason = Fl("final-report-back"), final_reports.REASON_LIMIT
    to_last = Button(back, id="final_report_confirm_back", on_click=to_last_step)
    edit, items = Fl("final-report-edit-items"), MentorReport.items
    return [
        Dialog(
            _tapped(
                Fl("final-report-choose"),
                Fl("final-report-none-open", when="none_open"),
                Column(choice("final_report_pick", "reports", report_picked)),
                Cancel(Fl("final-report-close"), id="final_report_list_close"),
                state=FinalReports.choose,
                getter=list_getter,
            )
        ),
        Dialog(
            _tapped(
                Format("{head}\n"),
                Fl("final-report-ask-items"),
                Format("{counts}"),
                paged(
                    choice("final_report_item", "items", item_chosen), "final_report_item_pages"
                ),
                Button(Fl("final-report-next"), id="final_report_items_done", on_click=items_done),
                Cancel(Fl("final-report-later"), id="final_report_later"),
                state=MentorReport.items,
                getter=plan_getter,
            ),
            _tapped(
                Fl("final-report-ask-mark"),
                Column(choice("final_report_mark", "marks", mark_chosen)),
                SwitchTo(back, id="final_report_mark_back", state=items),
                state=MentorReport.mark,
                getter=plan_getter,
            ),
            Window(
                Fl("final-report-ask-reason", limit=reason),
                *text_input("final_report_reason", reason_typed, bounded_text(reason)),
                SwitchTo(back, id="final_report_reason_back", state=MentorReport.mark),
                state=MentorReport.reason,
                getter=plan_getter,
            ),
            *_form(
                MentorReport.write,
                MentorReport.confirm,
                Group(to_last, SwitchTo(edit, id="final_report_edit_items", state=items), width=2),
            ),
            on_start=mentor_started,
        ),
        Dialog(
            *_form(MenteeReport.write, MenteeReport.confirm, to_last),
            _tapped(
                Format("{head}\n"),
                Fl("final-report-ask-score"),
                Group(choice("final_report_move", "moves", moved), width=len(SCORES)),
                state=MenteeReport.score,
                getter=step_getter,
            ),
        ),
        Dialog(
            _tapped(
                Format("{screen}"),
                StubScroll(id="final_report_pages", pages="pages"),
                NumberedPager(
                    scroll="final_report_pages", id="final_report_pager", when=F["pages"] > 1
                ),
                Cancel(Fl("pairlife-back"), id="final_report_to_card", when="from_card"),
                Cancel(
                    Fl("final-report-close"), id="final_report_read_close", when=~F["from_card"]
                ),
                state=ReportRead.page,
                getter=read_getter,
            )
        ),
    ]


def router() -> Router:
    router = command_router(__name__, "final_report", final_report_command, PAIR_MEMBERS)
    router.callback_query.register(report_button, ReportOpen.filter(), flags=PAIR_MEMBERS)
    return router
