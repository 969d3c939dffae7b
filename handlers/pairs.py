"""/pairs: the curator's list of pairs and groups with their state and their programme's state,
and each pair's card with its history and the lifecycle steps (handlers/pair_lifecycle.py, a
dialog on top of this one: its outcome comes back here, above a button to the card)."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery
from aiogram_dialog import Data, Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column, StubScroll, SwitchTo
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import deadlines, pairing
from bot.services.lifecycle import curator_membership
from bot.services.pair_members import contacts
from bot.services.people import Actor
from bot.ui import esc, format_date
from handlers.desk_dialogs import desk_command, pager, record_id, widget
from handlers.dialog_kit import Fl, Gone, choice, command_router, owned, polite, today
from handlers.pair_consent import PairAnswer
from handlers.pair_lifecycle import START
from handlers.pair_ui import forms_text, full_name, short_name, term_text
from handlers.report_view import ReportRead, pair_lines
from handlers.roles import DESK, only
from models import PairEvent, PairStatus, Role


class PairsDesk(StatesGroup):
    pairs = State()
    card = State()  # dialog data: pair_id; start data (from a lifecycle step): id, notice
    outcome = State()  # a lifecycle step's outcome (dialog data: notice)


def _about(i18n: I18nContext, row: pairing.PairRow, today: date, name: Any) -> dict[str, Any]:
    """What the list and the card say of a pair; `name` writes a person's name. An active pair
    whose end date passed, nobody deciding, is in the state "term passed"."""
    no_name = i18n.get("pair-no-name")
    passed = deadlines.term_passed(row.pair, today)
    status = "term-passed" if passed else row.pair.status
    return {
        "number": row.pair.id,
        "status": i18n.get(f"pair-status-{status}"),
        "programme": i18n.get(f"pair-programme-{row.programme_status or 'none'}"),
        "mentor": name(row.mentor_name, no_name),
        "mentees": ", ".join(name(mentee, no_name) for mentee in row.mentee_names) or "—",
        "term": term_text(i18n.get, row.pair),
    }


async def list_getter(
    dialog_manager: DialogManager, session: AsyncSession, actor: Actor, i18n: I18nContext, **_: Any
) -> dict[str, Any]:
    if actor.organisation is None:
        raise Gone
    number = await widget(dialog_manager, "pairs_pages").get_page()
    page = await pairing.pairs_page(session, actor.organisation.id, number)
    day = today(dialog_manager)
    abouts = [_about(i18n, row, day, short_name) for row in page.rows]
    header = i18n.get("pairs-header", total=page.total, page=page.page + 1, pages=page.pages)
    lines = [i18n.get("pairs-line", **about) for about in abouts] or [i18n.get("pairs-empty")]
    pairs = [(about["number"], i18n.get("pairs-open", **about)) for about in abouts]
    return {"text": "\n\n".join([header, *lines]), "pairs": pairs, "pages": page.pages}


@polite
async def opened(_: CallbackQuery, __: Any, manager: DialogManager, item: str) -> None:
    manager.dialog_data["pair_id"] = record_id(item)
    await manager.switch_to(PairsDesk.card)


def _event_line(
    i18n: I18nContext, event: PairEvent, zone: ZoneInfo, names: dict[int, str | None]
) -> str:
    no_name = i18n.get("pair-no-name")
    parts = [i18n.get(f"pair-event-{event.kind}")]
    if event.kind in pairing.WHO_MATTERS and event.actor_membership_id is not None:
        parts.append(short_name(names.get(event.actor_membership_id), no_name))
    if event.reason:
        parts.append(i18n.get(f"pair-reason-{event.reason}"))
    if event.kind == "extended" and "to" in event.details:
        to = date.fromisoformat(event.details["to"])
        parts.append(i18n.get("pairs-history-to", date=format_date(to)))
    if event.kind == "mentor_replaced":
        old, new = (names.get(event.details.get(side, 0)) for side in ("from", "to"))
        replaced = {"old": short_name(old, no_name), "new": short_name(new, no_name)}
        parts.append(i18n.get("pairs-history-replaced", **replaced))
    if event.note:
        parts.append(f"«{esc(event.note)}»")
    return i18n.get(
        "pairs-history-line",
        date=format_date(event.created_at.astimezone(zone).date()),
        event=" · ".join(parts),
    )


async def card_getter(
    dialog_manager: DialogManager, session: AsyncSession, actor: Actor, i18n: I18nContext, **_: Any
) -> dict[str, Any]:
    row = await owned(dialog_manager, pairing.desk_pair, dialog_manager.dialog_data.get("pair_id"))
    pair, about = row.pair, _about(i18n, row, today(dialog_manager), full_name)
    lines = [i18n.get("pairs-card", forms=forms_text(i18n.get, pair.forms), **about)]
    if pair.approval_order:
        lines.append(i18n.get("pairs-card-order", order=esc(pair.approval_order)))
    events = await pairing.history(session, pair.id)
    people = await contacts(session, pairing.named_in(events))
    names = {i: person.full_name for i, person in people.items()}
    zone = ZoneInfo(actor.timezone)
    lines += ["", i18n.get("pairs-history")]
    lines += [_event_line(i18n, event, zone, names) for event in events]
    reports = await pair_lines(session, i18n, pair.id, zone.key)  # once the pair has ended
    lines += ["", *reports] if reports else []
    active = pair.status == PairStatus.ACTIVE and curator_membership(actor) is not None
    steps = [(kind, i18n.get(f"pairlife-{kind}")) for kind in START] if active else []
    # The head decides here too: the request's message may be gone, or came before they joined.
    head = actor.membership(Role.HEAD) is not None
    approvable = head and pair.status == PairStatus.AWAITING_APPROVAL
    return {
        "text": "\n".join(lines),
        "steps": steps,
        "has_reports": bool(reports),
        "approvable": approvable,
    }


def _decide(state: State) -> Any:
    """The head's approval or refusal of the card's pair, on top of the card."""

    async def clicked(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
        await manager.start(state, {"id": manager.dialog_data.get("pair_id")})

    return clicked


async def reports_opened(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    """The pair's final reports, read on top of its card (back returns to the card)."""
    await manager.start(ReportRead.page, {"pair": manager.dialog_data.get("pair_id")})


async def step_chosen(_: CallbackQuery, __: Any, manager: DialogManager, action: str) -> None:
    state = START.get(action)
    if state is None:
        raise Gone
    await manager.start(state, {"id": manager.dialog_data.get("pair_id")})


async def shown(start: Data, manager: DialogManager) -> None:
    """A lifecycle step's outcome above a button to the card, or the card (`start`: the pair's
    id and the outcome, from the step's dialog; nothing, from /pairs)."""
    if not isinstance(start, dict):
        return
    manager.dialog_data.update(pair_id=start.get("id"), notice=start.get("notice"))
    await manager.switch_to(PairsDesk.outcome if start.get("notice") else PairsDesk.card)


async def outcome_back(_: Data, result: Data, manager: DialogManager) -> None:
    await shown(result, manager)


def router() -> Router:
    return command_router(__name__, "pairs", desk_command(PairsDesk.pairs), DESK)


def dialogs() -> list[Dialog]:
    pairs = Window(
        Format("{text}"),
        StubScroll("pairs_pages", pages="pages"),
        Column(choice("pair_open", "pairs", opened)),
        pager("pairs_pages"),
        state=PairsDesk.pairs,
        getter=list_getter,
    )
    card = Window(
        Format("{text}"),
        Button(Fl("final-report-read"), "pair_reports", reports_opened, when="has_reports"),
        Button(Fl("pair-approve"), "pair_card_approve", _decide(PairAnswer.order), "approvable"),
        Button(Fl("pair-reject"), "pair_card_reject", _decide(PairAnswer.reject), "approvable"),
        Column(choice("pair_life_step", "steps", step_chosen)),
        SwitchTo(Fl("pairs-back"), id="pairs_to_list", state=PairsDesk.pairs),
        state=PairsDesk.card,
        getter=card_getter,
    )
    outcome = Window(
        Format("{dialog_data[notice]}"),
        SwitchTo(Fl("pairlife-back"), id="pairs_outcome_card", state=PairsDesk.card),
        state=PairsDesk.outcome,
    )
    dialog = Dialog(pairs, card, outcome, on_start=shown, on_process_result=outcome_back)
    return [only(DESK, dialog)]
