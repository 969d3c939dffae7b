"""/pairs: the curator's list of pairs and groups with their state and their programme's state,
and each pair's card with its history and the lifecycle actions (handlers/pair_lifecycle.py)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import deadlines, pairing
from bot.services.clock import Clock
from bot.services.errors import UserFacingError
from bot.services.pair_members import contacts
from bot.services.people import Actor
from bot.ui import button, error_text, esc, format_date, keyboard
from handlers.pair_ui import forms_text, full_name, short_name, term_text
from handlers.report_view import ReportsCb, pair_lines
from handlers.roles import DESK
from models import Pair, PairEvent, PairStatus

WHO_MATTERS = ("confirmed", "declined")  # history names the participant who answered


class PairsCb(CallbackData, prefix="plist"):
    action: str  # page, open
    pair_id: int = 0
    page: int = 0


class LifeCb(CallbackData, prefix="plc"):
    """A lifecycle step on a pair (handled in handlers/pair_lifecycle.py)."""

    action: str  # extend, ext_reason, ext_to, replace, rep_reason, rep_to, early, early_reason,
    # early_yes, complete, complete_yes
    pair_id: int
    code: str = ""  # a reason
    value: int = 0  # months, or the new mentor's membership id
    page: int = 0  # the /pairs page to go back to


def programme_label(i18n: I18nContext, status: str | None) -> str:
    return i18n.get(f"pair-programme-{status}") if status else i18n.get("pair-programme-none")


def _names(i18n: I18nContext, row: pairing.PairRow) -> tuple[str, str]:
    no_name = i18n.get("pair-no-name")
    mentees = ", ".join(short_name(name, no_name) for name in row.mentee_names) or "—"
    return short_name(row.mentor_name, no_name), mentees


def status_text(i18n: I18nContext, pair: Pair, today: date | None) -> str:
    """The pair's state; an active pair whose end date passed, nobody deciding: "term passed"."""
    if today is not None and deadlines.term_passed(pair, today):
        return i18n.get("pair-status-term-passed")
    return i18n.get(f"pair-status-{pair.status}")


def render_list(
    i18n: I18nContext, page: pairing.PairsPage, today: date | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    blocks = [i18n.get("pairs-header", total=page.total, page=page.page + 1, pages=page.pages)]
    if not page.rows:
        blocks.append(i18n.get("pairs-empty"))
    rows = []
    for row in page.rows:
        mentor, mentees = _names(i18n, row)
        blocks.append(
            i18n.get(
                "pairs-line",
                number=row.pair.id,
                status=status_text(i18n, row.pair, today),
                programme=programme_label(i18n, row.programme_status),
                mentor=mentor,
                mentees=mentees,
                term=term_text(i18n.get, row.pair),
            )
        )
        rows.append(
            [
                button(
                    i18n.get("pairs-open", number=row.pair.id, mentor=mentor),
                    PairsCb(action="open", pair_id=row.pair.id, page=page.page),
                )
            ]
        )
    navigation = []
    if page.page > 0:
        navigation.append(button("◀", PairsCb(action="page", page=page.page - 1)))
    if page.page + 1 < page.pages:
        navigation.append(button("▶", PairsCb(action="page", page=page.page + 1)))
    rows.append(navigation)
    return "\n\n".join(blocks), keyboard(*rows)


def _event_line(
    i18n: I18nContext, event: PairEvent, zone: ZoneInfo, names: dict[int, str | None]
) -> str:
    parts = [i18n.get(f"pair-event-{event.kind}")]
    if event.kind in WHO_MATTERS and event.actor_membership_id is not None:
        parts.append(short_name(names.get(event.actor_membership_id), i18n.get("pair-no-name")))
    if event.reason:
        parts.append(i18n.get(f"pair-reason-{event.reason}"))
    if event.kind == "extended" and "to" in event.details:
        parts.append(
            i18n.get("pairs-history-to", date=format_date(date.fromisoformat(event.details["to"])))
        )
    if event.kind == "mentor_replaced":
        no_name = i18n.get("pair-no-name")
        parts.append(
            i18n.get(
                "pairs-history-replaced",
                old=short_name(names.get(event.details.get("from", 0)), no_name),
                new=short_name(names.get(event.details.get("to", 0)), no_name),
            )
        )
    if event.note:
        parts.append(f"«{esc(event.note)}»")
    return i18n.get(
        "pairs-history-line",
        date=format_date(event.created_at.astimezone(zone).date()),
        event=" · ".join(parts),
    )


async def render_card(
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
    pair_id: int,
    page: int,
    today: date | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    if actor.organisation is None:
        raise UserFacingError("error-not-found")
    row = await pairing.desk_pair(session, pair_id, actor.organisation.id)
    pair = row.pair
    no_name = i18n.get("pair-no-name")
    lines = [
        i18n.get(
            "pairs-card",
            number=pair.id,
            status=status_text(i18n, pair, today),
            mentor=full_name(row.mentor_name, no_name),
            mentees=", ".join(full_name(name, no_name) for name in row.mentee_names) or "—",
            forms=forms_text(i18n.get, pair.forms),
            term=term_text(i18n.get, pair),
            programme=programme_label(i18n, row.programme_status),
        )
    ]
    if pair.approval_order:
        lines.append(i18n.get("pairs-card-order", order=esc(pair.approval_order)))
    events = await pairing.history(session, pair.id)
    people = {
        person
        for event in events
        if event.kind == "mentor_replaced"
        for person in (event.details.get("from"), event.details.get("to"))
        if isinstance(person, int)
    } | {
        event.actor_membership_id
        for event in events
        if event.kind in WHO_MATTERS and event.actor_membership_id is not None
    }
    names = {i: c.full_name for i, c in (await contacts(session, list(people))).items()}
    zone = ZoneInfo(actor.organisation.timezone)
    lines.append("")
    lines.append(i18n.get("pairs-history"))
    lines += [_event_line(i18n, event, zone, names) for event in events]
    reports = await pair_lines(session, i18n, pair.id, actor.organisation.timezone)  # once ended
    lines += ["", *reports] if reports else []
    rows = []
    if reports:
        rows.append([button(i18n.get("final-report-read"), ReportsCb(pair_id=pair.id, page=page))])
    if pair.status == PairStatus.ACTIVE:
        for action, key in (
            ("extend", "pairlife-extend"),
            ("replace", "pairlife-replace"),
            ("early", "pairlife-early"),
            ("complete", "pairlife-complete"),
        ):
            rows.append([button(i18n.get(key), LifeCb(action=action, pair_id=pair.id, page=page))])
    rows.append([button(i18n.get("pairs-back"), PairsCb(action="page", page=page))])
    return "\n".join(lines), keyboard(*rows)


async def pairs_command(
    message: Message, session: AsyncSession, actor: Actor, i18n: I18nContext, clock: Clock
) -> None:
    if actor.organisation is None:
        await message.answer(i18n.get("invite-no-organisation"))
        return
    page = await pairing.pairs_page(session, actor.organisation.id, 0)
    text, markup = render_list(i18n, page, clock.today(actor.organisation.timezone))
    await message.answer(text, reply_markup=markup)


async def pairs_page(
    query: CallbackQuery,
    callback_data: PairsCb,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
    clock: Clock,
) -> None:
    if actor.organisation is None or not isinstance(query.message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    page = await pairing.pairs_page(session, actor.organisation.id, callback_data.page)
    text, markup = render_list(i18n, page, clock.today(actor.organisation.timezone))
    await query.answer()
    await query.message.edit_text(text, reply_markup=markup)


async def pair_card(
    query: CallbackQuery,
    callback_data: PairsCb,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
    clock: Clock,
) -> None:
    today = clock.today(actor.organisation.timezone) if actor.organisation else None
    try:
        text, markup = await render_card(
            session, actor, i18n, callback_data.pair_id, callback_data.page, today
        )
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=markup)


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(pairs_command, Command("pairs"), flags=DESK)
    router.callback_query.register(pairs_page, PairsCb.filter(F.action == "page"), flags=DESK)
    router.callback_query.register(pair_card, PairsCb.filter(F.action == "open"), flags=DESK)
    return router
