"""Consent and approval of a proposed pair: each participant gets the proposal with "confirm"
(at once) and "decline" (a dialog for the reason); when all have confirmed, the head gets
"approve" (a dialog for the order's number, which may be skipped) and "reject" (for the
reason). Everyone concerned is told. A button carries only the pair's id: `owned` loads the
person's own pair still waiting for this answer (a second tap gets one polite answer).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.widgets.kbd import Button, Cancel
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.mail import Mail
from bot.services import lifecycle, pairing, rules
from bot.services.errors import UserFacingError
from bot.services.pair_members import desk_of, participants, role_holders
from bot.ui import RecordId, button, error_text, esc, format_date, keyboard
from handlers.dialog_kit import Ctx, Fl, bounded_text, ctx, owned, start_id, text_input
from handlers.pair_ui import (
    News,
    contacts_of,
    forms_text,
    group_line,
    name_of,
    names_of,
    term_text,
)
from handlers.roles import HEAD
from models import Pair, PairStatus, Role


class PairConfirmCb(CallbackData, prefix="pair_confirm"):
    pair_id: RecordId


class PairDeclineCb(CallbackData, prefix="pair_decline"):
    pair_id: RecordId


class PairApproveCb(CallbackData, prefix="pair_approve"):
    pair_id: RecordId


class PairRejectCb(CallbackData, prefix="pair_reject"):
    pair_id: RecordId


class PairAnswer(StatesGroup):
    decline = State()  # a participant's reason
    order = State()  # the head's order number (may be skipped)
    reject = State()  # the head's reason


def _buttons(yes: tuple[str, CallbackData], no: tuple[str, CallbackData]) -> Any:
    return lambda get: keyboard([button(get(yes[0]), yes[1]), button(get(no[0]), no[1])])


def consent_buttons(pair_id: int) -> Any:
    yes, no = PairConfirmCb(pair_id=pair_id), PairDeclineCb(pair_id=pair_id)
    return _buttons(("pair-confirm-yes", yes), ("pair-confirm-no", no))


def approval_buttons(pair_id: int) -> Any:
    yes, no = PairApproveCb(pair_id=pair_id), PairRejectCb(pair_id=pair_id)
    return _buttons(("pair-approve", yes), ("pair-reject", no))


def _about(pair: Pair) -> dict[str, Any]:
    return {
        "number": pair.id,
        "forms": lambda get: forms_text(get, pair.forms),
        "term": lambda get: term_text(get, pair),
    }


# --- consent -------------------------------------------------------------------------------


async def request_consents(
    session: AsyncSession, mail: Mail, i18n: I18nContext, pair: Pair
) -> None:
    """Each participant gets the proposal with buttons to confirm or decline."""
    mentor, mentees = await participants(session, pair)
    answer, news, about = consent_buttons(pair.id), News(mail, i18n), _about(pair)
    named: dict[str, Any] = {"mentees": names_of(mentees), "count": len(mentees)}
    await news.tell([mentor], "pair-request-mentor", answer, **named, **about)
    extra = group_line(mentees)
    await news.tell(mentees, "pair-request-mentee", answer, extra, mentor=name_of(mentor), **about)


async def confirmed(
    query: CallbackQuery, callback_data: PairConfirmCb, dialog_manager: DialogManager
) -> None:
    c = ctx(dialog_manager)
    mine = await pairing.own_ids(c.session, c.actor)
    try:
        pair = await pairing.confirm(c.session, callback_data.pair_id, mine, now=c.clock.now())
    except UserFacingError as error:  # says which: already confirmed, declined, not yours
        await query.answer(error_text(c.i18n, error), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(c.i18n.get("pair-confirmed-thanks", number=pair.id))
    await announce_consented(c.session, News(c.mail, c.i18n), pair)


async def announce_consented(session: AsyncSession, news: News, pair: Pair) -> None:
    """Everyone has consented: the head is asked to approve, or all learn that it started."""
    if pair.status == PairStatus.AWAITING_APPROVAL:
        await request_approval(session, news, pair)
    elif pair.status == PairStatus.ACTIVE:
        await announce_activation(pair, session, news)


def _starts(state: State, load: Any, buttons: Any) -> Any:
    """A button from the queue opens the dialog `state` on the pair, below the message; the
    message keeps its buttons (the dialog takes them off), so /cancel loses nothing."""

    async def tapped(
        query: CallbackQuery, callback_data: Any, dialog_manager: DialogManager, i18n: I18nContext
    ) -> None:
        pair = await owned(dialog_manager, load, callback_data.pair_id)
        start = {"id": pair.id}
        await dialog_manager.start(state, start, StartMode.RESET_STACK, ShowMode.SEND)
        if isinstance(query.message, Message):
            await query.message.edit_reply_markup(reply_markup=buttons(pair.id)(i18n.get))

    return tapped


async def number_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    answering = dialog_manager.current_context().state == PairAnswer.decline
    load = pairing.pair_to_answer if answering else pairing.pair_to_approve
    return {"number": (await owned(dialog_manager, load, start_id(dialog_manager))).id}


async def answered(message: Message, _: Any, manager: DialogManager, text: str | None) -> None:
    """A reason or an order typed (or no order): the decision taken and everyone concerned
    told, the dialog closed, and what came of it said."""
    c = ctx(manager)
    decide, thanks = ANSWERS[manager.current_context().state]
    try:
        pair = await decide(c, int(str(start_id(manager))), text)
        said = c.i18n.get(thanks, number=pair.id)
    except UserFacingError as error:
        said = error_text(c.i18n, error)
    await manager.done()
    await message.answer(said)


async def declined(c: Ctx, pair_id: int, reason: str) -> Pair:
    mine = await pairing.own_ids(c.session, c.actor)
    pair = await pairing.decline(c.session, pair_id, mine, reason, now=c.clock.now())
    mentor, mentees = await participants(c.session, pair)
    who = next(p for p in [mentor, *mentees] if p.membership_id in mine)
    role = f"role-{Role.MENTOR if who is mentor else Role.MENTEE}"
    why, news = esc(pairing.clean_reason(reason)), News(c.mail, c.i18n)
    told: dict[str, Any] = {"name": name_of(who), "role": lambda get: get(role), "reason": why}
    await news.tell(await desk_of(c.session, pair), "pair-declined-desk", number=pair.id, **told)
    others = [p for p in [mentor, *mentees] if p is not who]
    await news.tell(others, "pair-refused-others", number=pair.id)
    return pair


# --- the head's approval -------------------------------------------------------------------


async def request_approval(session: AsyncSession, news: News, pair: Pair) -> None:
    mentor, mentees = await participants(session, pair)
    decide = approval_buttons(pair.id)
    heads = await role_holders(session, pair.organisation_id, Role.HEAD)
    names: dict[str, Any] = {"mentor": name_of(mentor), "mentees": names_of(mentees)}
    await news.tell(heads, "pair-approval-request", decide, **names, **_about(pair))
    desk = await desk_of(session, pair)
    await news.tell(desk, "pair-all-confirmed-desk", number=pair.id)


async def approved(c: Ctx, pair_id: int, order: str | None) -> Pair:
    now = c.clock.now()
    pair = await pairing.approve(c.session, pair_id, *pairing.head_of(c.actor), order, now=now)
    await announce_activation(pair, c.session, News(c.mail, c.i18n))
    return pair


async def without_order(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    if isinstance(query.message, Message):
        await answered(query.message, None, manager, None)


async def rejected(c: Ctx, pair_id: int, reason: str) -> Pair:
    now = c.clock.now()
    pair = await pairing.reject(c.session, pair_id, *pairing.head_of(c.actor), reason, now=now)
    why, news = esc(pairing.clean_reason(reason)), News(c.mail, c.i18n)
    await news.tell(
        await desk_of(c.session, pair), "pair-rejected-desk", number=pair.id, reason=why
    )
    mentor, mentees = await participants(c.session, pair)
    await news.tell([mentor, *mentees], "pair-refused-others", number=pair.id)
    return pair


ANSWERS: dict[State | None, tuple[Callable[[Ctx, int, Any], Awaitable[Pair]], str]] = {
    PairAnswer.decline: (declined, "pair-declined-thanks"),
    PairAnswer.order: (approved, "pair-approved-thanks"),
    PairAnswer.reject: (rejected, "pair-rejected-thanks"),
}


# --- the pair starts -----------------------------------------------------------------------


async def announce_activation(pair: Pair, session: AsyncSession, news: News) -> None:
    """Both sides learn who their partner is and how to reach them; the mentor, the deadline
    for the programme (rules.programme_due)."""
    due = format_date(await lifecycle.programme_due_of(session, pair))
    mentor, mentees = await participants(session, pair)
    about: dict[str, Any] = {"number": pair.id, "term": _about(pair)["term"], "due": due}
    days, count = rules.PROGRAMME_WRITING_DAYS, len(mentees)
    contacts = contacts_of(mentees)
    await news.tell(
        [mentor], "pair-active-mentor", mentees=contacts, days=days, count=count, **about
    )
    partner = contacts_of([mentor])
    await news.tell(
        mentees, "pair-active-mentee", None, group_line(mentees), mentor=partner, **about
    )
    names: dict[str, Any] = {"mentor": name_of(mentor), "mentees": names_of(mentees)}
    await news.tell(await desk_of(session, pair), "pair-active-desk", **names, **about)


def _ask(state: State, key: str, max_length: int, *buttons: Any) -> Window:
    """A step that asks for a text about the pair (`key`): the input, `buttons`, cancel."""
    return Window(
        Fl(key),
        *text_input(key.replace("-ask", "").replace("-", "_"), answered, bounded_text(max_length)),
        *buttons,
        Cancel(Fl("pair-cancel"), id="pair_answer_cancel"),
        state=state,
        getter=number_getter,
    )


def dialogs() -> list[Dialog]:
    skip = Button(Fl("pair-order-skip"), id="pair_approve_without_order", on_click=without_order)
    reason = pairing.MAX_REASON
    return [
        Dialog(
            _ask(PairAnswer.decline, "pair-ask-decline-reason", reason),
            _ask(PairAnswer.order, "pair-ask-order", pairing.MAX_ORDER, skip),
            _ask(PairAnswer.reject, "pair-ask-reject-reason", reason),
        )
    ]


def router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(confirmed, PairConfirmCb.filter())
    decline = _starts(PairAnswer.decline, pairing.pair_to_answer, consent_buttons)
    router.callback_query.register(decline, PairDeclineCb.filter())
    approve = _starts(PairAnswer.order, pairing.pair_to_approve, approval_buttons)
    router.callback_query.register(approve, PairApproveCb.filter(), flags=HEAD)
    reject = _starts(PairAnswer.reject, pairing.pair_to_approve, approval_buttons)
    router.callback_query.register(reject, PairRejectCb.filter(), flags=HEAD)
    return router
