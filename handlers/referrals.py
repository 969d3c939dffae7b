"""The psychologist's side of roadmap stage 5: mentees handed over for support (from /pair), the
list of them in /support (a dialog, paged), and marking the support given."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Column, StubScroll
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.mail import Mail
from bot.services import referrals
from bot.services.pair_members import Contact, contacts
from bot.ui import esc, format_date, options_label
from handlers.desk_dialogs import desk_command, pager, widget
from handlers.dialog_kit import (
    Translate,
    choice,
    command_router,
    middleware,
    owned,
    polite,
    safe_id,
)
from handlers.pair_consent import News, names_of
from handlers.pair_ui import full_name, short_name
from handlers.roles import PSYCHOLOGIST
from models import Role

PAGE = 5  # referrals on one screen


class Support(StatesGroup):
    list = State()


async def tell_psychologist(
    session: AsyncSession, mail: Mail, i18n: I18nContext, _: str, referred: referrals.Referred
) -> None:
    """The psychologist learns whom to support and how to reach them."""
    people = await contacts(session, [r.mentee_membership_id for r in referred.referrals])
    mentees = names_of([people[r.mentee_membership_id] for r in referred.referrals])
    note = referred.referrals[0].note

    def with_note(get: Translate, _: Contact) -> str:
        return "\n" + get("referral-told-note", note=esc(note)) if note else ""

    count = len(referred.referrals)
    await News(mail, i18n).tell(
        [referred.psychologist], "referral-told", None, with_note, count=count, mentees=mentees
    )


async def support_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    session, actor = middleware(dialog_manager)
    i18n: I18nContext = dialog_manager.middleware_data["i18n"]
    membership = actor.membership(Role.PSYCHOLOGIST)
    page = await widget(dialog_manager, "referral_pages").get_page()
    rows, total = (
        await referrals.open_for(session, membership.id, page, PAGE) if membership else ([], 0)
    )
    no_name = i18n.get("pair-no-name")
    blocks = [i18n.get("referral-header", count=total) if rows else i18n.get("referral-none")]
    for row in rows:
        blocks.append(
            i18n.get(
                "referral-line",
                name=full_name(row.full_name, no_name),
                phone=esc(row.phone) if row.phone else "—",
                request=esc(row.main_request) if row.main_request else "—",
                difficulties=options_label(
                    i18n, "difficulties", row.difficulties, row.difficulties_other
                ),
                since=format_date(
                    row.referral.created_at.astimezone(ZoneInfo(actor.timezone)).date()
                ),
                note=esc(row.referral.note) if row.referral.note else "—",
                paired=str(row.has_pair).lower(),
            )
        )
    buttons = [
        (row.referral.id, i18n.get("referral-close", name=short_name(row.full_name, no_name)))
        for row in rows
    ]
    pages = max(1, -(-total // PAGE))
    return {"text": "\n\n".join(blocks), "referrals": buttons, "pages": pages}


@polite
async def support_given(query: CallbackQuery, _: Any, manager: DialogManager, item: str) -> None:
    referral = await owned(manager, referrals.own_referral, safe_id(item))
    session, now = manager.middleware_data["session"], manager.middleware_data["clock"].now()
    psychologist = referral.psychologist_membership_id or 0
    await referrals.close(session, referral.id, psychologist, now=now)  # refused if marked already
    await query.answer(manager.middleware_data["i18n"].get("referral-closed"))


def dialogs() -> list[Dialog]:
    close = choice("referral_close", "referrals", support_given)
    listing = Window(
        Format("{text}"),
        StubScroll("referral_pages", pages="pages"),
        Column(close),
        pager("referral_pages"),
        state=Support.list,
        getter=support_getter,
    )
    return [Dialog(listing)]


def router() -> Router:
    return command_router(__name__, "support", desk_command(Support.list), PSYCHOLOGIST)
