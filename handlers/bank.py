"""/bank: the curator's paged list of mentors and mentees, with filters, and each person's card."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import bank
from bot.services.bank import BankFilter, BankPage
from bot.services.people import Actor
from bot.ui import button, esc, format_date, keyboard
from handlers.cards import profile_lines
from handlers.pair_form import NewPairCb
from handlers.roles import DESK
from models import MembershipStatus, Role

FILTER_ROWS = (
    (BankFilter.ALL, BankFilter.MENTORS, BankFilter.MENTEES),
    (BankFilter.NO_PAIR, BankFilter.WITHDRAWN),
    (BankFilter.YOUNG, BankFilter.NEW_TECHNOLOGY),
    (BankFilter.NEW_TO_TEAM, BankFilter.NON_PEDAGOGICAL),
)


class BankCb(CallbackData, prefix="bank"):
    action: str  # list, open
    view: BankFilter = BankFilter.ALL
    page: int = 0
    membership_id: int = 0


def _row_text(i18n: I18nContext, row: bank.BankRow) -> str:
    name = row.full_name or i18n.get("bank-anonymous")
    role = i18n.get(f"role-{row.role}")
    mark = "" if row.role is Role.MENTOR or row.has_pair else " · " + i18n.get("bank-no-pair")
    if row.status is MembershipStatus.WITHDRAWN:
        mark = " · " + i18n.get("bank-withdrawn")
    return f"{name} · {role}{mark}"


def render_page(
    i18n: I18nContext, page: BankPage, current: BankFilter
) -> tuple[str, InlineKeyboardMarkup]:
    text = i18n.get(
        "bank-header",
        total=page.total,
        filter=i18n.get(f"bank-filter-{current}"),
        page=page.page + 1,
        pages=page.pages,
    )
    if not page.rows:
        text += "\n\n" + i18n.get("bank-empty")
    rows = [
        [
            button(
                _row_text(i18n, row),
                BankCb(
                    action="open",
                    view=current,
                    page=page.page,
                    membership_id=row.membership_id,
                ),
            )
        ]
        for row in page.rows
    ]
    navigation = []
    if page.page > 0:
        navigation.append(button("◀", BankCb(action="list", view=current, page=page.page - 1)))
    if page.page + 1 < page.pages:
        navigation.append(button("▶", BankCb(action="list", view=current, page=page.page + 1)))
    rows.append(navigation)
    for filter_row in FILTER_ROWS:
        rows.append(
            [
                button(
                    ("• " if option is current else "") + i18n.get(f"bank-filter-{option}"),
                    BankCb(action="list", view=option),
                )
                for option in filter_row
            ]
        )
    return text, keyboard(*rows)


async def bank_command(
    message: Message, session: AsyncSession, actor: Actor, i18n: I18nContext
) -> None:
    if actor.organisation is None:
        await message.answer(i18n.get("invite-no-organisation"))
        return
    page = await bank.page(session, actor.organisation.id, BankFilter.ALL, 0)
    text, markup = render_page(i18n, page, BankFilter.ALL)
    await message.answer(text, reply_markup=markup)


async def bank_list(
    query: CallbackQuery,
    callback_data: BankCb,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    if actor.organisation is None or not isinstance(query.message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    page = await bank.page(session, actor.organisation.id, callback_data.view, callback_data.page)
    text, markup = render_page(i18n, page, callback_data.view)
    await query.answer()
    await query.message.edit_text(text, reply_markup=markup)


async def bank_card(
    query: CallbackQuery,
    callback_data: BankCb,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    found = (
        await bank.card(session, actor.organisation.id, callback_data.membership_id)
        if actor.organisation is not None
        else None
    )
    if found is None or not isinstance(query.message, Message):
        await query.answer(i18n.get("error-not-found"), show_alert=True)
        return
    membership, profile = found.membership, found.profile
    role = Role(membership.role)
    lines = [
        i18n.get(
            "bank-card-title",
            role=i18n.get(f"role-{role}"),
            organisation=esc(found.organisation.short_name),
        ),
        i18n.get("bank-card-joined", date=format_date(membership.joined_at.date())),
    ]
    if membership.status == MembershipStatus.WITHDRAWN:
        lines.append(
            i18n.get(
                "bank-card-withdrawn",
                date=format_date(
                    membership.withdrawn_at.date() if membership.withdrawn_at else None
                ),
            )
        )
    elif profile is not None:
        lines.append(i18n.get("bank-card-pair", has=str(found.has_pair).lower()))
        lines.append("")
        lines.extend(profile_lines(i18n, role, profile))
    rows = []
    if role is Role.MENTEE and membership.status == MembershipStatus.ACTIVE and not found.has_pair:
        rows.append(
            [button(i18n.get("bank-find-mentor"), NewPairCb(action="from_card", id=membership.id))]
        )
    await query.answer()
    await query.message.edit_text(
        "\n".join(lines),
        reply_markup=keyboard(
            *rows,
            [
                button(
                    i18n.get("bank-back"),
                    BankCb(
                        action="list",
                        view=callback_data.view,
                        page=callback_data.page,
                    ),
                )
            ],
        ),
    )


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(bank_command, Command("bank"), flags=DESK)
    router.callback_query.register(bank_list, BankCb.filter(F.action == "list"), flags=DESK)
    router.callback_query.register(bank_card, BankCb.filter(F.action == "open"), flags=DESK)
    return router
