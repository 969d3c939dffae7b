"""/bank: the curator's paged list of mentors and mentees with a filter (one dialog), and each
person's card (a dialog of its own on the stack), from which a mentee's pair is formed."""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from aiogram import F, Router
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Cancel, Column, Group, Radio, StubScroll
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import bank, final_reports
from bot.services.bank import BankFilter
from bot.services.people import Actor
from bot.ui import esc, format_day
from handlers.cards import profile_lines
from handlers.desk_dialogs import desk_command, pager, record_id, widget
from handlers.dialog_kit import Fl, choice, command_router, owned, polite, start_id
from handlers.pair_form import PairForm
from handlers.report_view import ReportRead, person_lines
from handlers.roles import DESK, only
from models import MembershipStatus, Role

FILTERS = {option.value for option in BankFilter}


class Bank(StatesGroup):
    people = State()


class BankCard(StatesGroup):
    card = State()


def _row_text(i18n: I18nContext, row: bank.BankRow) -> str:
    name = row.full_name or i18n.get("bank-anonymous")
    mark = "" if row.role is Role.MENTOR or row.has_pair else " · " + i18n.get("bank-no-pair")
    if row.status is MembershipStatus.WITHDRAWN:
        mark = " · " + i18n.get("bank-withdrawn")
    return f"{name} · {i18n.get(f'role-{row.role}')}{mark}"


async def people_getter(
    dialog_manager: DialogManager, session: AsyncSession, actor: Actor, i18n: I18nContext, **_: Any
) -> dict[str, Any]:
    if actor.organisation is None:
        return {"total": 0, "filter": "", "page": 1, "pages": 1, "people": [], "filters": []}
    checked = widget(dialog_manager, "bank_filter").get_checked()
    current = BankFilter(checked) if checked in FILTERS else BankFilter.ALL
    number = await widget(dialog_manager, "bank_pages").get_page()
    page = await bank.page(session, actor.organisation.id, current, number)
    return {
        "total": page.total,
        "filter": i18n.get(f"bank-filter-{current}"),
        "page": page.page + 1,
        "pages": page.pages,
        "people": [(row.membership_id, _row_text(i18n, row)) for row in page.rows],
        "filters": [(option.value, i18n.get(f"bank-filter-{option}")) for option in BankFilter],
    }


async def filter_changed(_: Any, __: Any, manager: DialogManager, ___: Any) -> None:
    await widget(manager, "bank_pages").set_page(0)


@polite
async def person_opened(_: CallbackQuery, __: Any, manager: DialogManager, item: str) -> None:
    await manager.start(BankCard.card, {"id": record_id(item)})


async def card_getter(
    dialog_manager: DialogManager, session: AsyncSession, actor: Actor, i18n: I18nContext, **_: Any
) -> dict[str, Any]:
    found = await owned(dialog_manager, bank.card, start_id(dialog_manager))
    membership, profile, role = found.membership, found.profile, Role(found.membership.role)
    zone = found.organisation.timezone
    organisation = esc(found.organisation.short_name)
    title = i18n.get("bank-card-title", role=i18n.get(f"role-{role}"), organisation=organisation)
    lines = [title, i18n.get("bank-card-joined", date=format_day(membership.joined_at, zone))]
    active = membership.status == MembershipStatus.ACTIVE
    if not active:
        withdrawn = format_day(membership.withdrawn_at, zone)
        lines.append(i18n.get("bank-card-withdrawn", date=withdrawn))
    elif profile is not None:
        lines.append(i18n.get("bank-card-pair", has=str(found.has_pair).lower()))
        lines += ["", *profile_lines(i18n, role, profile, zone)]
    reports = await final_reports.reports_by(session, [membership.id], found.organisation.id)
    if reports:
        lines += ["", *person_lines(i18n, reports, zone)]
    return {
        "card": "\n".join(lines),
        "can_pair": role is Role.MENTEE and active and not found.has_pair and actor.keeps_desk,
        "has_reports": any(report.submitted_at for report in reports),
    }


async def read_reports(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    """The person's sent final reports, on the stack above the card."""
    await manager.start(ReportRead.page, {"author": start_id(manager)})


async def find_mentor(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    await manager.start(PairForm.mentor, {"mentees": [start_id(manager)]})


async def bank_opened(_: Any, manager: DialogManager) -> None:
    await widget(manager, "bank_filter").set_checked(BankFilter.ALL.value)


def router() -> Router:
    return command_router(__name__, "bank", desk_command(Bank.people), DESK)


def dialogs() -> list[Dialog]:
    people = Window(
        Fl("bank-header"),
        Fl("bank-empty", when=~F["people"]),
        StubScroll("bank_pages", pages="pages"),
        Column(choice("bank_person", "people", person_opened)),
        pager("bank_pages"),
        Group(
            Radio(
                Format("• {item[1]}"),
                Format("{item[1]}"),
                id="bank_filter",
                item_id_getter=itemgetter(0),
                items="filters",
                on_state_changed=filter_changed,
            ),
            width=3,
        ),
        state=Bank.people,
        getter=people_getter,
    )
    card = Window(
        Format("{card}"),
        Button(Fl("bank-find-mentor"), "bank_find_mentor", find_mentor, "can_pair"),
        Button(Fl("final-report-read"), "bank_read_reports", read_reports, "has_reports"),
        Cancel(Fl("bank-back"), id="bank_back_to_list"),
        state=BankCard.card,
        getter=card_getter,
    )
    return [only(DESK, Dialog(people, on_start=bank_opened)), only(DESK, Dialog(card))]
