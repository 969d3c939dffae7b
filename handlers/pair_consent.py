"""Consent and approval of a proposed pair: each participant confirms or declines with a reason,
then the head approves (optionally naming the order) or rejects. Everyone concerned is told.

Buttons carry only the pair's id; the services check that the pair is the person's own and is
still waiting for this very answer, so a second tap or an old button changes nothing.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
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


class AnswerCb(CallbackData, prefix="pans"):
    action: str  # yes, no
    pair_id: int


class HeadCb(CallbackData, prefix="phead"):
    action: str  # ok, no, skip (approve without the order's number)
    pair_id: int


class PairAnswer(StatesGroup):
    reason = State()  # data: pair_id


class HeadDecision(StatesGroup):
    order = State()  # data: pair_id
    reason = State()  # data: pair_id


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
                button(get("pair-confirm-yes"), AnswerCb(action="yes", pair_id=pair.id)),
                button(get("pair-confirm-no"), AnswerCb(action="no", pair_id=pair.id)),
            ]
        )
        await send(mail, person, text, markup)


async def _mine(session: AsyncSession, actor: Actor) -> list[int]:
    return await own_membership_ids(session, actor.user.id) if actor.user else []


async def _ask(
    query: CallbackQuery,
    state: FSMContext,
    step: State,
    pair: Pair,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Move the dialog to a typed step about the pair and ask for it below the buttons."""
    await state.set_state(step)
    await state.update_data(pair_id=pair.id)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(text, reply_markup=markup)


async def _refused(
    message: Message, state: FSMContext, i18n: I18nContext, error: UserFacingError
) -> None:
    """Say why; a reason too long or empty may be typed again, anything else ends the dialog."""
    await message.answer(error_text(i18n, error))
    if error.key not in ("error-text-too-long", "error-text-empty"):
        await state.clear()


async def confirmed(
    query: CallbackQuery,
    callback_data: AnswerCb,
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
    except UserFacingError as error:
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


async def decline_tapped(
    query: CallbackQuery,
    callback_data: AnswerCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    try:
        pair = await pairing.check_can_answer(
            session, callback_data.pair_id, await _mine(session, actor)
        )
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    await _ask(
        query, state, PairAnswer.reason, pair, i18n.get("pair-ask-decline-reason", number=pair.id)
    )


async def decline_reason(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    pair_id = (await state.get_data())["pair_id"]
    mine = await _mine(session, actor)
    try:
        pair = await pairing.decline(session, pair_id, mine, message.text or "", now=clock.now())
    except UserFacingError as error:
        await _refused(message, state, i18n, error)
        return
    await state.clear()
    await message.answer(i18n.get("pair-declined-thanks", number=pair.id))
    mentor, mentees = await participants(session, pair)
    who = next(p for p in [mentor, *mentees] if p.membership_id in mine)
    reason = pair_reason(message.text or "")

    def to_desk(get: Translate) -> str:
        return get(
            "pair-declined-desk",
            number=pair.id,
            name=full_name(who.full_name, get("pair-no-name")),
            role=get(f"role-{Role.MENTOR if who is mentor else Role.MENTEE}"),
            reason=reason,
        )

    default = settings.default_language
    await tell(mail, i18n, default, await desk_of(session, pair), to_desk)
    others = [p for p in [mentor, *mentees] if p is not who]
    await tell(mail, i18n, default, others, lambda get: get("pair-refused-others", number=pair.id))


def pair_reason(text: str) -> str:
    return esc(pairing.clean_reason(text))


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
                button(get("pair-approve"), HeadCb(action="ok", pair_id=pair.id)),
                button(get("pair-reject"), HeadCb(action="no", pair_id=pair.id)),
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


async def _head_pair(
    query: CallbackQuery,
    callback_data: HeadCb,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> Pair | None:
    if actor.organisation is None:
        await query.answer(i18n.get("error-not-found"), show_alert=True)
        return None
    try:
        return await pairing.awaiting_pair(session, callback_data.pair_id, actor.organisation.id)
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return None


async def approve_tapped(
    query: CallbackQuery,
    callback_data: HeadCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    pair = await _head_pair(query, callback_data, session, actor, i18n)
    if pair is None:
        return
    await _ask(
        query,
        state,
        HeadDecision.order,
        pair,
        i18n.get("pair-ask-order", number=pair.id),
        keyboard([button(i18n.get("pair-order-skip"), HeadCb(action="skip", pair_id=pair.id))]),
    )


async def _approve(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
    pair_id: int,
    order: str | None,
) -> None:
    head = actor.membership(Role.HEAD)
    if actor.organisation is None or head is None:
        await message.answer(i18n.get("error-not-allowed"))
        return
    try:
        pair = await pairing.approve(
            session, pair_id, actor.organisation.id, head.id, order, now=clock.now()
        )
    except UserFacingError as error:
        await _refused(message, state, i18n, error)
        return
    await state.clear()
    await message.answer(i18n.get("pair-approved-thanks", number=pair.id))
    await announce_activation(session, mail, i18n, settings.default_language, pair)


async def approve_without_order(
    query: CallbackQuery,
    callback_data: HeadCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    if await _head_pair(query, callback_data, session, actor, i18n) is None:
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await _approve(
            query.message,
            state,
            session,
            actor,
            clock,
            mail,
            settings,
            i18n,
            callback_data.pair_id,
            None,
        )


async def order_typed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    pair_id = (await state.get_data())["pair_id"]
    await _approve(
        message, state, session, actor, clock, mail, settings, i18n, pair_id, message.text
    )


async def reject_tapped(
    query: CallbackQuery,
    callback_data: HeadCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    pair = await _head_pair(query, callback_data, session, actor, i18n)
    if pair is None:
        return
    await _ask(
        query, state, HeadDecision.reason, pair, i18n.get("pair-ask-reject-reason", number=pair.id)
    )


async def reject_reason(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    pair_id = (await state.get_data())["pair_id"]
    head = actor.membership(Role.HEAD)
    if actor.organisation is None or head is None:
        await state.clear()
        await message.answer(i18n.get("error-not-allowed"))
        return
    try:
        pair = await pairing.reject(
            session, pair_id, actor.organisation.id, head.id, message.text or "", now=clock.now()
        )
    except UserFacingError as error:
        await _refused(message, state, i18n, error)
        return
    await state.clear()
    await message.answer(i18n.get("pair-rejected-thanks", number=pair.id))
    reason = pair_reason(message.text or "")
    mentor, mentees = await participants(session, pair)
    default = settings.default_language
    await tell(
        mail,
        i18n,
        default,
        await desk_of(session, pair),
        lambda get: get("pair-rejected-desk", number=pair.id, reason=reason),
    )
    await tell(
        mail,
        i18n,
        default,
        [mentor, *mentees],
        lambda get: get("pair-refused-others", number=pair.id),
    )


async def expected_text(message: Message, i18n: I18nContext) -> None:
    key = "form-unknown-command" if (message.text or "").startswith("/") else "error-expected-text"
    await message.answer(i18n.get(key))


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


def router() -> Router:
    router = Router(name=__name__)
    # Every message handler here is a step of the dialog: other states skip the router.
    router.message.filter(StateFilter(PairAnswer, HeadDecision))
    router.callback_query.register(confirmed, AnswerCb.filter(F.action == "yes"))
    router.callback_query.register(decline_tapped, AnswerCb.filter(F.action == "no"))
    router.message.register(decline_reason, PairAnswer.reason, F.text, ~F.text.startswith("/"))
    router.callback_query.register(approve_tapped, HeadCb.filter(F.action == "ok"), flags=HEAD)
    router.callback_query.register(
        approve_without_order, HeadCb.filter(F.action == "skip"), flags=HEAD
    )
    router.message.register(
        order_typed, HeadDecision.order, F.text, ~F.text.startswith("/"), flags=HEAD
    )
    router.callback_query.register(reject_tapped, HeadCb.filter(F.action == "no"), flags=HEAD)
    router.message.register(
        reject_reason, HeadDecision.reason, F.text, ~F.text.startswith("/"), flags=HEAD
    )
    router.message.register(expected_text, PairAnswer.reason)
    router.message.register(expected_text, HeadDecision.order)
    router.message.register(expected_text, HeadDecision.reason)
    return router
