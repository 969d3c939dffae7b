"""The two final reports (bot/services/final_reports.py) as dialogs.

When a pair completes or ends early, its mentor and each mentee are invited through the
delivery queue (`invite_to_reports`, called in the transaction that ends the pair) with a
`ReportOpen` button; `/final_report` opens the same. The mentor's report: the programme's items
pre-marked from the plan (done, done late, not done with a reason), the mentee's results and
recommendations; the mentee's: how it went, what helped, what was missing, the mentor scored
1-5 per criterion and a comment. Both end on a summary to confirm. What is typed stays in the
dialog until it is sent: /cancel leaves and nothing is stored. A sent report is read, never sent
again (the curator may already have read it). `ReportRead` shows sent reports to their author,
and to the curator and the head from the pair's card or the person's bank card.
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, ContentType, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import (
    Back,
    Button,
    Cancel,
    Column,
    NumberedPager,
    Row,
    StubScroll,
    SwitchTo,
)
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.mail import Mail
from bot.reminder_buttons import ReportOpen
from bot.services import final_reports
from bot.services.errors import UserFacingError
from bot.services.final_reports import (
    EVALUATION_CRITERIA,
    FULFILMENT_MARKS,
    MENTOR,
    NOT_DONE,
    REASON_LIMIT,
    TEXT_LIMIT,
)
from bot.services.pair_members import contacts
from bot.services.people import Actor
from bot.services.plan_access import member_ids
from bot.ui import button, error_text, format_date, keyboard
from handlers.desk_dialogs import finish
from handlers.dialog_kit import (
    Fl,
    Gone,
    Typed,
    bounded_text,
    choice,
    ctx,
    middleware,
    owned,
    paged,
    safe_id,
    start_id,
    text_input,
)
from handlers.pair_ui import PURPOSE, translator
from handlers.programme_view import paginate, short
from handlers.report_view import (
    MARK_ICONS,
    ReportRead,
    clip,
    evaluation_blocks,
    evaluation_lines,
    fulfilment_lines,
    labelled,
    names_of,
    report_blocks,
    sent_on,
)
from handlers.roles import PAIR_MEMBERS
from models import FinalReport, Membership, Pair

PAGE_LIMIT = 3500  # characters of a reading page, under Telegram's 4096 with the buttons' room
SCORES = ("1", "2", "3", "4", "5")
MISSED_SHOWN = 10  # items not done listed on the summary (the whole list is read later)


class FinalReports(StatesGroup):
    choose = State()  # the person's reports, open and sent


class MentorReport(StatesGroup):  # start data: {"id": report id}
    items = State()
    mark = State()
    reason = State()
    results = State()
    recommendations = State()
    confirm = State()


class MenteeReport(StatesGroup):  # start data: {"id": report id}
    how_it_went = State()
    helped = State()
    missing = State()
    score_availability = State()
    score_competence = State()
    score_support = State()
    score_feedback = State()
    score_results = State()
    comment = State()
    confirm = State()


# --- who may open what (each through dialog_kit.owned) -------------------------------------------


def _organisation_id(actor: Actor) -> int:
    return actor.organisation.id if actor.organisation else 0


def _timezone(actor: Actor) -> str:
    return actor.organisation.timezone if actor.organisation else "UTC"


async def any_own_report(
    session: AsyncSession, actor: Actor, report_id: int
) -> FinalReport | None:
    return await final_reports.own_report(
        session, member_ids(actor), _organisation_id(actor), report_id=report_id
    )


async def report_of_pair(session: AsyncSession, actor: Actor, pair_id: int) -> FinalReport | None:
    """The presser's own report of that pair, in their organisation (the ReportOpen button)."""
    return await final_reports.own_report(
        session, member_ids(actor), _organisation_id(actor), pair_id=pair_id
    )


async def open_report(session: AsyncSession, actor: Actor, report_id: int) -> FinalReport | None:
    report = await any_own_report(session, actor, report_id)
    return report if report is not None and report.submitted_at is None else None


async def sent_report(session: AsyncSession, actor: Actor, report_id: int) -> FinalReport | None:
    report = await any_own_report(session, actor, report_id)
    return report if report is not None and report.submitted_at is not None else None


async def desk_pair(session: AsyncSession, actor: Actor, pair_id: int) -> Pair | None:
    """A pair of the organisation, for its curator or head."""
    if actor.organisation is None or not actor.is_desk:
        return None
    pair = await session.get(Pair, pair_id)
    return pair if pair is not None and pair.organisation_id == actor.organisation.id else None


async def desk_member(
    session: AsyncSession, actor: Actor, membership_id: int
) -> Membership | None:
    if actor.organisation is None or not actor.is_desk:
        return None
    membership = await session.get(Membership, membership_id)
    if membership is None or membership.organisation_id != actor.organisation.id:
        return None
    return membership


# --- the invitation --------------------------------------------------------------------------


async def invite_to_reports(
    session: AsyncSession, mail: Mail, i18n: I18nContext, pair_id: int
) -> None:
    """Each author of an open report of the pair is asked to write it, in their language, with
    the button that opens it; queued with the decision that ended the pair, once per report."""
    reports = [
        r for r in await final_reports.reports_of_pair(session, pair_id) if not r.submitted_at
    ]
    people = await contacts(session, [report.author_membership_id for report in reports])
    default = i18n.core.default_locale or "ru"
    for report in reports:
        person = people.get(report.author_membership_id)
        if person is None:
            continue
        get = translator(i18n, person.language or default)
        key = (
            "final-report-invite-mentor" if report.role == MENTOR else "final-report-invite-mentee"
        )
        text = get(key, number=pair_id, due=format_date(report.due_on))
        markup = keyboard([button(get("final-report-open"), ReportOpen(pair_id=pair_id))])
        await mail.send(
            person.telegram_id,
            text,
            markup,
            purpose=PURPOSE,
            key=f"final-report:{report.id}:invite",
        )


# --- opening: the command, the button, the list ----------------------------------------------


async def open_one(
    manager: DialogManager, report: FinalReport, show_mode: ShowMode | None = None
) -> None:
    """The report's form while it is open; once sent, the report to read."""
    if report.submitted_at is not None:
        state, data = ReportRead.page, {"report": report.id}
    elif report.role == MENTOR:
        state, data = MentorReport.items, {"id": report.id}
    else:
        state, data = MenteeReport.how_it_went, {"id": report.id}
    await manager.start(state, data, mode=StartMode.RESET_STACK, show_mode=show_mode)


async def final_report_command(
    message: Message,
    dialog_manager: DialogManager,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    organisation = _organisation_id(actor)
    reports = await final_reports.reports_by(session, member_ids(actor), organisation)
    if not reports:
        await message.answer(i18n.get("final-report-none"))
    elif len(reports) == 1:
        await open_one(dialog_manager, reports[0])
    else:
        await dialog_manager.start(FinalReports.choose, mode=StartMode.RESET_STACK)


async def report_button(
    query: CallbackQuery, callback_data: ReportOpen, dialog_manager: DialogManager
) -> None:
    """The button on the invitation and the reminders: the presser's own report of the pair."""
    report = await owned(dialog_manager, report_of_pair, callback_data.pair_id)
    await query.answer()
    await open_one(dialog_manager, report, ShowMode.SEND)  # below the invitation


async def list_getter(
    dialog_manager: DialogManager, session: AsyncSession, actor: Actor, i18n: I18nContext, **_: Any
) -> dict[str, Any]:
    reports = await final_reports.reports_by(session, member_ids(actor), _organisation_id(actor))
    items = []
    for report in reports:
        if report.submitted_at is None:
            label = i18n.get(
                "final-report-pick-open", number=report.pair_id, due=format_date(report.due_on)
            )
        else:
            sent = sent_on(report, _timezone(actor))
            label = i18n.get("final-report-pick-sent", number=report.pair_id, date=sent)
        items.append((str(report.id), label))
    return {"reports": items, "none_open": all(r.submitted_at for r in reports)}


async def report_picked(_: CallbackQuery, __: Any, manager: DialogManager, item: str) -> None:
    report = await owned(manager, any_own_report, safe_id(item))  # forged: -1, refused
    await open_one(manager, report)


# --- the mentor's report ---------------------------------------------------------------------


async def mentor_report(manager: DialogManager) -> tuple[FinalReport, Pair]:
    report = await owned(manager, open_report, start_id(manager))
    session, _ = middleware(manager)
    pair = await session.get(Pair, report.pair_id)
    if report.role != MENTOR or pair is None:
        raise Gone
    return report, pair


async def mentor_started(_: Any, manager: DialogManager) -> None:
    """The marks the plan suggests, each to confirm or change."""
    __, pair = await mentor_report(manager)
    session, _ = middleware(manager)
    items = await final_reports.plan_items(session, pair)
    manager.dialog_data["fulfilment"] = {
        str(item.activity_id): {"mark": item.mark} for item in items
    }


def _fulfilment(manager: DialogManager) -> dict[str, dict[str, str]]:
    fulfilment: dict[str, dict[str, str]] = manager.dialog_data.setdefault("fulfilment", {})
    return fulfilment


async def mentor_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    report, pair = await mentor_report(dialog_manager)
    session, __ = middleware(dialog_manager)
    i18n, data = ctx(dialog_manager).i18n, dialog_manager.dialog_data
    items = await final_reports.plan_items(session, pair)
    fulfilment = _fulfilment(dialog_manager)
    marked = [item for item in items if str(item.activity_id) in fulfilment]
    lines = fulfilment_lines(i18n, marked, fulfilment)
    missed = [i for i in marked if fulfilment[str(i.activity_id)]["mark"] == NOT_DONE]
    missed_lines = fulfilment_lines(i18n, missed[:MISSED_SHOWN], fulfilment)[1:]
    if len(missed) > MISSED_SHOWN:
        missed_lines.append("…")
    current = next((i for i in marked if str(i.activity_id) == data.get("item")), None)
    mark = fulfilment.get(data.get("item") or "", {}).get("mark", "")
    return {
        "head": i18n.get(
            "final-report-mentor-head", number=pair.id, due=format_date(report.due_on)
        ),
        "counts": lines[0],
        "items": [
            (
                str(item.activity_id),
                f"{item.position}. {MARK_ICONS[fulfilment[str(item.activity_id)]['mark']]} "
                + short(item.content),
            )
            for item in marked
        ],
        "marks": [
            (code, i18n.get(f"final-report-mark-button-{code}")) for code in FULFILMENT_MARKS
        ],
        "position": current.position if current else 0,
        "content": clip(current.content, 600) if current else "—",
        "due": format_date(current.due_on) if current else "—",
        "mark": i18n.get(f"final-report-mark-{mark}") if mark else "—",
        **_text_now(dialog_manager),
        "summary": "\n\n".join(
            [
                "\n".join(lines[:1] + missed_lines),
                labelled(i18n, "final-report-results", data.get("results"), 600),
                labelled(i18n, "final-report-recommendations", data.get("recommendations"), 600),
            ]
        ),
    }


def _text_now(manager: DialogManager) -> dict[str, Any]:
    """What the person already wrote for the step's field (named as its state)."""
    state = manager.current_context().state.state or ""
    value = manager.dialog_data.get(state.rsplit(":", 1)[-1])
    return {"now": clip(value, 600), "has_now": bool(value)}


async def item_chosen(_: CallbackQuery, __: Any, manager: DialogManager, item: str) -> None:
    if item not in _fulfilment(manager):
        raise Gone
    manager.dialog_data["item"] = item
    manager.dialog_data.pop("checking", None)
    await manager.switch_to(MentorReport.mark)


async def mark_chosen(_: CallbackQuery, __: Any, manager: DialogManager, mark: str) -> None:
    item = manager.dialog_data.get("item")
    if mark not in FULFILMENT_MARKS or item not in _fulfilment(manager):
        raise Gone
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
    if manager.dialog_data.get("checking"):
        await items_done(None, None, manager)
    else:
        await manager.switch_to(MentorReport.items)


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
    await manager.switch_to(MentorReport.results)


async def mentor_submitted(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    report, __ = await mentor_report(manager)
    data = manager.dialog_data
    if not data.get("results") or not data.get("recommendations"):
        await manager.switch_to(MentorReport.results)
        return

    async def submit(session: AsyncSession, now: Any) -> None:
        await final_reports.submit_mentor_report(
            session,
            report,
            fulfilment=_fulfilment(manager),
            results=data.get("results"),
            recommendations=data.get("recommendations"),
            now=now,
        )

    await _send(query, manager, report, submit)


async def _send(
    query: CallbackQuery, manager: DialogManager, report: FinalReport, submit: Any
) -> None:
    """Sent once (the row locked, then checked by the service), or why not, politely."""
    session, _ = middleware(manager)
    i18n = ctx(manager).i18n
    await session.refresh(report, with_for_update=True)
    try:
        await submit(session, manager.middleware_data["clock"].now())
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    await query.answer()
    await finish(query, manager, i18n.get("final-report-sent", number=report.pair_id))


# --- the mentee's report ---------------------------------------------------------------------


async def mentee_report(manager: DialogManager) -> FinalReport:
    report = await owned(manager, open_report, start_id(manager))
    if report.role == MENTOR:
        raise Gone
    return report


def _criterion(manager: DialogManager) -> str:
    state = manager.current_context().state.state or ""
    return state.rsplit(":", 1)[-1].removeprefix("score_")


async def mentee_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    report = await mentee_report(dialog_manager)
    i18n, data = ctx(dialog_manager).i18n, dialog_manager.dialog_data
    evaluation: dict[str, int] = data.get("evaluation", {})
    criterion = _criterion(dialog_manager)
    chosen = evaluation.get(criterion)
    summary = [
        labelled(i18n, "final-report-how-it-went", data.get("how_it_went"), 600),
        labelled(i18n, "final-report-helped", data.get("helped"), 600),
        labelled(i18n, "final-report-missing", data.get("missing"), 600),
        "\n".join([i18n.get("final-report-evaluation"), *evaluation_lines(i18n, evaluation)]),
        labelled(i18n, "final-report-comment", data.get("comment"), 600),
    ]
    return {
        "head": i18n.get(
            "final-report-mentee-head", number=report.pair_id, due=format_date(report.due_on)
        ),
        "criterion": i18n.get(f"final-report-criterion-{criterion}")
        if criterion in EVALUATION_CRITERIA
        else "",
        "step": EVALUATION_CRITERIA.index(criterion) + 1
        if criterion in EVALUATION_CRITERIA
        else 0,
        "steps": len(EVALUATION_CRITERIA),
        "scores": [(s, f"✔️ {s}" if chosen == int(s) else s) for s in SCORES],
        **_text_now(dialog_manager),
        "summary": "\n\n".join(summary),
    }


async def score_chosen(_: CallbackQuery, __: Any, manager: DialogManager, score: str) -> None:
    criterion = _criterion(manager)
    if score not in SCORES or criterion not in EVALUATION_CRITERIA:
        raise Gone
    manager.dialog_data.setdefault("evaluation", {})[criterion] = int(score)
    await manager.next()


async def mentee_submitted(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    report = await mentee_report(manager)
    data = manager.dialog_data
    evaluation: dict[str, int] = data.get("evaluation", {})
    unscored = [c for c in EVALUATION_CRITERIA if c not in evaluation]
    if not data.get("how_it_went"):
        await manager.switch_to(MenteeReport.how_it_went)
        return
    if not data.get("helped"):
        await manager.switch_to(MenteeReport.helped)
        return
    if unscored:
        await manager.switch_to(getattr(MenteeReport, f"score_{unscored[0]}"))
        return

    async def submit(session: AsyncSession, now: Any) -> None:
        await final_reports.submit_mentee_report(
            session,
            report,
            how_it_went=data.get("how_it_went"),
            helped=data.get("helped"),
            missing=data.get("missing"),
            evaluation=evaluation,
            comment=data.get("comment"),
            now=now,
        )

    await _send(query, manager, report, submit)


# --- reading sent reports --------------------------------------------------------------------


async def _reading(manager: DialogManager) -> list[str]:
    """The blocks to read, for whoever opened them and as they may see them."""
    session, actor = middleware(manager)
    i18n, zone = ctx(manager).i18n, _timezone(actor)
    if start_id(manager, "report") is not None:
        report = await owned(manager, sent_report, start_id(manager, "report"))
        names = await names_of(session, [report])
        name = names.get(report.author_membership_id)
        blocks = await report_blocks(session, i18n, report, name, zone)
        for other in await final_reports.evaluations_for(session, report):
            blocks.append(evaluation_blocks(i18n, other, "final-report-evaluation-of-you"))
        return blocks
    if start_id(manager, "pair") is not None:
        pair = await owned(manager, desk_pair, start_id(manager, "pair"))
        reports = await final_reports.reports_of_pair(session, pair.id)
    else:
        membership = await owned(manager, desk_member, start_id(manager, "author"))
        reports = await final_reports.reports_by(
            session, [membership.id], membership.organisation_id
        )
    names = await names_of(session, reports)
    blocks = []
    for report in reports:
        name = names.get(report.author_membership_id)
        blocks += await report_blocks(session, i18n, report, name, zone)
    return blocks or [i18n.get("final-report-nothing-to-read")]


async def read_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    pages = paginate(await _reading(dialog_manager), PAGE_LIMIT)
    scroll = dialog_manager.find("final_report_pages")
    page = await scroll.get_page() if scroll is not None else 0
    from_card = start_id(dialog_manager, "pair") is not None
    return {
        "screen": pages[min(page, len(pages) - 1)],
        "pages": len(pages),
        "from_card": from_card,
        "closable": not from_card,
    }


# --- the dialogs -----------------------------------------------------------------------------


async def use_buttons(message: Message, _: Any, manager: DialogManager) -> None:
    manager.show_mode = ShowMode.SEND
    await message.answer(ctx(manager).i18n.get("final-report-use-buttons"))


def _only_buttons() -> MessageInput:
    return MessageInput(use_buttons, content_types=[ContentType.ANY], filter=Typed())


def _text_step(
    state: State,
    ask: str,
    getter: Any,
    *,
    back: Any,
    optional: bool = False,
    limit: int = TEXT_LIMIT,
    then: State | None = None,
) -> Window:
    """A typed answer for the field named as the state: kept, or changed, or (if optional)
    skipped; then the next state (or `then`)."""
    field = (state.state or "").rsplit(":", 1)[-1]

    async def go_on(manager: DialogManager) -> None:
        await (manager.switch_to(then) if then else manager.next())

    async def typed(_: Message, __: Any, manager: DialogManager, value: str) -> None:
        manager.dialog_data[field] = value
        await go_on(manager)

    async def skipped(_: CallbackQuery, __: Any, manager: DialogManager) -> None:
        manager.dialog_data[field] = None
        await go_on(manager)

    async def kept(_: CallbackQuery, __: Any, manager: DialogManager) -> None:
        await go_on(manager)

    return Window(
        Format("{head}\n"),
        Fl(ask, limit=limit),
        Fl("final-report-now", when="has_now"),
        *text_input(f"final_report_{field}", typed, bounded_text(limit)),
        Button(
            Fl("final-report-keep"), id=f"final_report_{field}_keep", on_click=kept, when="has_now"
        ),
        *(
            [Button(Fl("final-report-skip"), id=f"final_report_{field}_skip", on_click=skipped)]
            if optional
            else []
        ),
        back,
        state=state,
        getter=getter,
    )


def _back(widget_id: str, state: State | None = None) -> Any:
    if state is None:
        return Back(Fl("final-report-back"), id=widget_id)
    return SwitchTo(Fl("final-report-back"), id=widget_id, state=state)


def _mentor_dialog() -> Dialog:
    m, getter = MentorReport, mentor_getter
    return Dialog(
        Window(
            Format("{head}\n"),
            Fl("final-report-ask-items"),
            Format("{counts}"),
            paged(choice("final_report_item", "items", item_chosen), "final_report_item_pages"),
            Button(Fl("final-report-next"), id="final_report_items_done", on_click=items_done),
            Cancel(Fl("final-report-later"), id="final_report_later"),
            _only_buttons(),
            state=m.items,
            getter=getter,
        ),
        Window(
            Fl("final-report-ask-mark"),
            Column(choice("final_report_mark", "marks", mark_chosen)),
            _back("final_report_mark_back", m.items),
            _only_buttons(),
            state=m.mark,
            getter=getter,
        ),
        Window(
            Fl("final-report-ask-reason", limit=REASON_LIMIT),
            *text_input("final_report_reason", reason_typed, bounded_text(REASON_LIMIT)),
            _back("final_report_reason_back", m.mark),
            state=m.reason,
            getter=getter,
        ),
        _text_step(
            m.results,
            "final-report-ask-results",
            getter,
            back=_back("final_report_results_back", m.items),
        ),
        _text_step(
            m.recommendations,
            "final-report-ask-recommendations",
            getter,
            back=_back("final_report_recommendations_back"),
        ),
        _confirm_step(
            m.confirm,
            getter,
            Button(Fl("final-report-submit"), "final_report_mentor_submit", mentor_submitted),
            Row(
                _back("final_report_confirm_back"),
                SwitchTo(
                    Fl("final-report-edit-items"), id="final_report_edit_items", state=m.items
                ),
            ),
        ),
        on_start=mentor_started,
    )


def _confirm_step(state: State, getter: Any, *buttons: Any) -> Window:
    """The report as it will be sent, with the buttons to send it or go back."""
    return Window(
        Format("{head}\n"),
        Fl("final-report-confirm"),
        Format("\n{summary}"),
        *buttons,
        _only_buttons(),
        state=state,
        getter=getter,
    )


def _score_step(criterion: str) -> Window:
    state = getattr(MenteeReport, f"score_{criterion}")
    return Window(
        Format("{head}\n"),
        Fl("final-report-ask-score"),
        Row(choice(f"final_report_score_{criterion}", "scores", score_chosen)),
        _back(f"final_report_score_{criterion}_back"),
        _only_buttons(),
        state=state,
        getter=mentee_getter,
    )


def _mentee_dialog() -> Dialog:
    m, getter = MenteeReport, mentee_getter
    first = Cancel(Fl("final-report-later"), id="final_report_mentee_later")
    return Dialog(
        _text_step(m.how_it_went, "final-report-ask-how-it-went", getter, back=first),
        _text_step(
            m.helped, "final-report-ask-helped", getter, back=_back("final_report_helped_back")
        ),
        _text_step(
            m.missing,
            "final-report-ask-missing",
            getter,
            back=_back("final_report_missing_back"),
            optional=True,
        ),
        *(_score_step(criterion) for criterion in EVALUATION_CRITERIA),
        _text_step(
            m.comment,
            "final-report-ask-comment",
            getter,
            back=_back("final_report_comment_back"),
            optional=True,
        ),
        _confirm_step(
            m.confirm,
            getter,
            Button(Fl("final-report-submit"), "final_report_mentee_submit", mentee_submitted),
            _back("final_report_mentee_confirm_back"),
        ),
    )


def dialogs() -> list[Dialog]:
    return [
        Dialog(
            Window(
                Fl("final-report-choose"),
                Fl("final-report-none-open", when="none_open"),
                Column(choice("final_report_pick", "reports", report_picked)),
                Cancel(Fl("final-report-close"), id="final_report_list_close"),
                _only_buttons(),
                state=FinalReports.choose,
                getter=list_getter,
            )
        ),
        _mentor_dialog(),
        _mentee_dialog(),
        Dialog(
            Window(
                Format("{screen}"),
                StubScroll(id="final_report_pages", pages="pages"),
                NumberedPager(
                    scroll="final_report_pages", id="final_report_pager", when=F["pages"] > 1
                ),
                Cancel(Fl("pairlife-back"), id="final_report_to_card", when="from_card"),
                Cancel(Fl("final-report-close"), id="final_report_read_close", when="closable"),
                _only_buttons(),
                state=ReportRead.page,
                getter=read_getter,
            )
        ),
    ]


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(final_report_command, Command("final_report"), flags=PAIR_MEMBERS)
    router.callback_query.register(report_button, ReportOpen.filter(), flags=PAIR_MEMBERS)
    return router
