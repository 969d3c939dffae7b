"""Consent and approval of a proposed pair. The proposal reaches each participant through the
delivery queue with two buttons: "confirm" acts at once, "decline" opens a dialog that asks
for the reason. When all have confirmed, the head gets "approve" (a dialog for the order's
number, which may be skipped) and "reject" (a dialog for the reason). Everyone concerned is told.

The buttons carry only the pair's id: the person's own pair, still waiting for this very
answer, is loaded through `owned` (a second tap or an old button gets one polite answer).
"""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.widgets.kbd import Button, Cancel
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.mail import Mail
from bot.services import lifecycle, pairing, rules
from bot.services.clock import Clock
from bot.services.errors import UserFacingError
from bot.services.pair_members import (
    Contact,
    desk_of,
    own_membership_ids,
    participants,
    role_holders,
)
from bot.services.people import Actor
from bot.ui import button, error_text, esc, format_date, keyboard
from handlers.dialog_kit import Fl, bounded_text, middleware, owned, start_id, text_input
from handlers.pair_ui import (
    Translate,
    contact_line,
    forms_text,
    full_name,
    send,
    tell,
    term_text,
    translator,
)
from handlers.roles import HEAD
from models import Pair, PairStatus, Role


class PairConfirmCb(CallbackData, prefix="pair_confirm"):
    pair_id: int


class PairDeclineCb(CallbackData, prefix="pair_decline"):
    pair_id: int


class PairApproveCb(CallbackData, prefix="pair_approve"):
    pair_id: int


class PairRejectCb(CallbackData, prefix="pair_reject"):
    pair_id: int


class PairDecline(StatesGroup):
    reason = State()


class PairApproval(StatesGroup):
    order = State()
    reject_reason = State()


def _names(get: Translate, people: list[Contact]) -> str:
    return ", ".join(full_name(person.full_name, get("pair-no-name")) for person in people)


# --- asking for consent ------------------------------------------------------------------------


async def request_consents(
    session: AsyncSession, mail: Mail, i18n: I18nContext, default_locale: str, pair: Pair
) -> None:
    """Each participant gets the proposal with buttons to confirm or decline."""
    mentor, mentees = await participants(session, pair)
    for person in [mentor, *mentees]:
        get = translator(i18n, person.language or default_locale)
        if person is mentor:
            text = get(
                "pair-request-mentor",
                number=pair.id,
                mentees=_names(get, mentees),
                count=len(mentees),
                forms=forms_text(get, pair.forms),
                term=term_text(get, pair),
            )
        else:
            others = [m for m in mentees if m is not person]
            text = get(
                "pair-request-mentee",
                number=pair.id,
                mentor=full_name(mentor.full_name, get("pair-no-name")),
                forms=forms_text(get, pair.forms),
                term=term_text(get, pair),
            )
            if others:
                text += "\n" + get("pair-group-with", names=_names(get, others))
        markup = keyboard(
            [
                button(get("pair-confirm-yes"), PairConfirmCb(pair_id=pair.id)),
                button(get("pair-confirm-no"), PairDeclineCb(pair_id=pair.id)),
            ]
        )
        await send(mail, person, text, markup)


async def _mine(session: AsyncSession, actor: Actor) -> list[int]:
    return await own_membership_ids(session, actor.user.id) if actor.user else []


async def pair_to_answer(session: AsyncSession, actor: Actor, pair_id: int) -> Pair | None:
    """A proposed pair the person belongs to and has not answered yet."""
    try:
        return await pairing.check_can_answer(session, pair_id, await _mine(session, actor))
    except UserFacingError:
        return None


async def pair_to_approve(session: AsyncSession, actor: Actor, pair_id: int) -> Pair | None:
    """A pair of the head's organisation waiting for the head's decision."""
    if actor.organisation is None or actor.membership(Role.HEAD) is None:
        return None
    try:
        return await pairing.awaiting_pair(session, pair_id, actor.organisation.id)
    except UserFacingError:
        return None


async def confirmed(
    query: CallbackQuery,
    callback_data: PairConfirmCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    try:
        pair = await pairing.confirm(
            session, callback_data.pair_id, await _mine(session, actor), now=clock.now()
        )
    except UserFacingError as error:  # says which: already confirmed, declined, not yours
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(i18n.get("pair-confirmed-thanks", number=pair.id))
    default = settings.default_language
    if pair.status == PairStatus.AWAITING_APPROVAL:
        await request_approval(session, mail, i18n, default, pair)
    elif pair.status == PairStatus.ACTIVE:
        await announce_activation(session, mail, i18n, default, pair)


def _starts(state: State, load: Any) -> Any:
    """A button from the queue opens the dialog `state` on the pair, below the message."""

    async def tapped(
        query: CallbackQuery, callback_data: Any, dialog_manager: DialogManager
    ) -> None:
        pair = await owned(dialog_manager, load, callback_data.pair_id)
        await dialog_manager.start(
            state, {"id": pair.id}, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND
        )

    return tapped


async def number_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    load = (
        pair_to_answer
        if dialog_manager.current_context().state in PairDecline
        else pair_to_approve
    )
    return {"number": (await owned(dialog_manager, load, start_id(dialog_manager))).id}


async def _finish(manager: DialogManager, message: Message, decide: Any) -> Pair | None:
    """Run `decide(session, actor, now)`; close the dialog either way, say what came of it."""
    session, actor = middleware(manager)
    i18n: I18nContext = manager.middleware_data["i18n"]
    try:
        pair: Pair = await decide(session, actor, manager.middleware_data["clock"].now())
    except UserFacingError as error:
        await manager.done()
        await message.answer(error_text(i18n, error))
        return None
    await manager.done()
    return pair


async def decline_reason(message: Message, _: Any, manager: DialogManager, reason: str) -> None:
    session, actor = middleware(manager)
    mine = await _mine(session, actor)
    pair = await _finish(
        manager,
        message,
        lambda s, a, now: pairing.decline(s, int(str(start_id(manager))), mine, reason, now=now),
    )
    if pair is None:
        return
    i18n, mail = manager.middleware_data["i18n"], manager.middleware_data["mail"]
    await message.answer(i18n.get("pair-declined-thanks", number=pair.id))
    mentor, mentees = await participants(session, pair)
    who = next(p for p in [mentor, *mentees] if p.membership_id in mine)
    shown = esc(pairing.clean_reason(reason))

    def to_desk(get: Translate) -> str:
        return get(
            "pair-declined-desk",
            number=pair.id,
            name=full_name(who.full_name, get("pair-no-name")),
            role=get(f"role-{Role.MENTOR if who is mentor else Role.MENTEE}"),
            reason=shown,
        )

    default = i18n.core.default_locale or "ru"
    await tell(mail, i18n, default, await desk_of(session, pair), to_desk)
    others = [p for p in [mentor, *mentees] if p is not who]
    await tell(mail, i18n, default, others, lambda get: get("pair-refused-others", number=pair.id))


# --- the head's approval -----------------------------------------------------------------------


async def request_approval(
    session: AsyncSession, mail: Mail, i18n: I18nContext, default_locale: str, pair: Pair
) -> None:
    mentor, mentees = await participants(session, pair)
    for head in await role_holders(session, pair.organisation_id, Role.HEAD):
        get = translator(i18n, head.language or default_locale)
        text = get(
            "pair-approval-request",
            number=pair.id,
            mentor=full_name(mentor.full_name, get("pair-no-name")),
            mentees=_names(get, mentees),
            forms=forms_text(get, pair.forms),
            term=term_text(get, pair),
        )
        markup = keyboard(
            [
                button(get("pair-approve"), PairApproveCb(pair_id=pair.id)),
                button(get("pair-reject"), PairRejectCb(pair_id=pair.id)),
            ]
        )
        await send(mail, head, text, markup)
    await tell(
        mail,
        i18n,
        default_locale,
        await desk_of(session, pair),
        lambda get: get("pair-all-confirmed-desk", number=pair.id),
    )


async def _approve(manager: DialogManager, message: Message, order: str | None) -> None:
    pair_id = int(str(start_id(manager)))

    async def decide(session: AsyncSession, actor: Actor, now: Any) -> Pair:
        head = actor.membership(Role.HEAD)
        organisation = actor.organisation.id if actor.organisation else 0
        return await pairing.approve(
            session, pair_id, organisation, head.id if head else 0, order, now=now
        )

    pair = await _finish(manager, message, decide)
    if pair is not None:
        i18n: I18nContext = manager.middleware_data["i18n"]
        await message.answer(i18n.get("pair-approved-thanks", number=pair.id))
        session, _ = middleware(manager)
        default = i18n.core.default_locale or "ru"
        await announce_activation(session, manager.middleware_data["mail"], i18n, default, pair)


async def order_typed(message: Message, _: Any, manager: DialogManager, order: str) -> None:
    await _approve(manager, message, order)


async def without_order(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    if isinstance(query.message, Message):
        await _approve(manager, query.message, None)


async def reject_reason(message: Message, _: Any, manager: DialogManager, reason: str) -> None:
    pair_id = int(str(start_id(manager)))

    async def decide(session: AsyncSession, actor: Actor, now: Any) -> Pair:
        head = actor.membership(Role.HEAD)
        organisation = actor.organisation.id if actor.organisation else 0
        return await pairing.reject(
            session, pair_id, organisation, head.id if head else 0, reason, now=now
        )

    pair = await _finish(manager, message, decide)
    if pair is None:
        return
    i18n: I18nContext = manager.middleware_data["i18n"]
    await message.answer(i18n.get("pair-rejected-thanks", number=pair.id))
    session, _ = middleware(manager)
    mail: Mail = manager.middleware_data["mail"]
    shown = esc(pairing.clean_reason(reason))
    mentor, mentees = await participants(session, pair)
    default = i18n.core.default_locale or "ru"
    desk = await desk_of(session, pair)
    await tell(
        mail, i18n, default, desk, lambda g: g("pair-rejected-desk", number=pair.id, reason=shown)
    )
    others = [mentor, *mentees]
    await tell(mail, i18n, default, others, lambda g: g("pair-refused-others", number=pair.id))


# --- the pair starts ---------------------------------------------------------------------------


async def announce_activation(
    session: AsyncSession, mail: Mail, i18n: I18nContext, default_locale: str, pair: Pair
) -> None:
    """Both sides learn who their partner is and how to reach them; the mentor, the deadline
    for the programme (rules.programme_due)."""
    due = await lifecycle.programme_due_of(session, pair)
    mentor, mentees = await participants(session, pair)
    get = translator(i18n, mentor.language or default_locale)
    await send(
        mail,
        mentor,
        get(
            "pair-active-mentor",
            number=pair.id,
            count=len(mentees),
            mentees="\n".join(contact_line(get, mentee) for mentee in mentees),
            term=term_text(get, pair),
            due=format_date(due),
            days=rules.PROGRAMME_WRITING_DAYS,
        ),
    )
    for mentee in mentees:
        get = translator(i18n, mentee.language or default_locale)
        text = get(
            "pair-active-mentee",
            number=pair.id,
            mentor=contact_line(get, mentor),
            term=term_text(get, pair),
            due=format_date(due),
        )
        others = [m for m in mentees if m is not mentee]
        if others:
            text += "\n" + get("pair-group-with", names=_names(get, others))
        await send(mail, mentee, text)

    def to_desk(get: Translate) -> str:
        return get(
            "pair-active-desk",
            number=pair.id,
            mentor=full_name(mentor.full_name, get("pair-no-name")),
            mentees=_names(get, mentees),
            due=format_date(due),
        )

    await tell(mail, i18n, default_locale, await desk_of(session, pair), to_desk)


def dialogs() -> list[Dialog]:
    cancel = Cancel(Fl("pair-cancel"), id="pair_answer_cancel")
    reason = bounded_text(pairing.MAX_REASON)
    return [
        Dialog(
            Window(
                Fl("pair-ask-decline-reason"),
                *text_input("pair_decline_reason", decline_reason, reason),
                cancel,
                state=PairDecline.reason,
                getter=number_getter,
            )
        ),
        Dialog(
            Window(
                Fl("pair-ask-order"),
                *text_input("pair_approve_order", order_typed, bounded_text(pairing.MAX_ORDER)),
                Button(
                    Fl("pair-order-skip"), id="pair_approve_without_order", on_click=without_order
                ),
                cancel,
                state=PairApproval.order,
                getter=number_getter,
            ),
            Window(
                Fl("pair-ask-reject-reason"),
                *text_input("pair_reject_reason", reject_reason, reason),
                cancel,
                state=PairApproval.reject_reason,
                getter=number_getter,
            ),
        ),
    ]


def router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(confirmed, PairConfirmCb.filter())
    router.callback_query.register(
        _starts(PairDecline.reason, pair_to_answer), PairDeclineCb.filter()
    )
    router.callback_query.register(
        _starts(PairApproval.order, pair_to_approve), PairApproveCb.filter(), flags=HEAD
    )
    router.callback_query.register(
        _starts(PairApproval.reject_reason, pair_to_approve), PairRejectCb.filter(), flags=HEAD
    )
    return router
