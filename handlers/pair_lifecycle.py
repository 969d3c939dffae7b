"""Lifecycle of an active pair from its card in /pairs: extend the term, replace the mentor, end
early, complete. Each step asks for its reason (rules.*_REASONS), is kept in the pair's history
and told to the people concerned. The services re-check the pair, so a second tap or an old
button gets a clear answer and changes nothing.
"""

from __future__ import annotations

from datetime import date

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.mail import Mail
from bot.services import lifecycle, matching, pairing, rules
from bot.services.clock import Clock
from bot.services.errors import UserFacingError
from bot.services.pair_members import contacts, participants
from bot.services.people import Actor
from bot.ui import button, error_text, format_date, keyboard
from handlers.pair_form import mentor_reasons
from handlers.pair_ui import Translate, contact_line, full_name, short_name, tell, term_text
from handlers.pairs import LifeCb, PairsCb
from handlers.roles import DESK
from models import Pair, PairStatus, Role

EXTEND_OPTIONS = (1, 3, 6)  # months added to the current end, offered as buttons
DATE_PROBLEMS = ("pair-extend-not-later", "pair-extend-too-far")


class LifeForm(StatesGroup):
    extend_date = State()  # data: pair_id, reason, page


def _actor_membership(actor: Actor) -> int | None:
    membership = actor.membership(Role.CURATOR) or actor.membership(Role.HEAD)
    return membership.id if membership else None


def _organisation_id(actor: Actor) -> int:
    if actor.organisation is None:
        raise UserFacingError("error-not-found")
    return actor.organisation.id


async def _active(
    query: CallbackQuery, session: AsyncSession, actor: Actor, i18n: I18nContext, pair_id: int
) -> Pair | None:
    """The organisation's active pair named by the button, or a polite alert."""
    try:
        pair = (await pairing.desk_pair(session, pair_id, _organisation_id(actor))).pair
        if pair.status != PairStatus.ACTIVE:
            raise UserFacingError("pair-not-active")
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return None
    return pair


async def _active_with_reason(
    query: CallbackQuery,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
    callback_data: LifeCb,
    reasons: tuple[str, ...],
) -> Pair | None:
    """As _active, and the button's reason must be one of `reasons` (an old button may not be)."""
    pair = await _active(query, session, actor, i18n, callback_data.pair_id)
    if pair is None:
        return None
    if callback_data.code not in reasons:
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return None
    return pair


def _back(i18n: I18nContext, pair_id: int, page: int) -> list[InlineKeyboardButton]:
    return [button(i18n.get("pairlife-back"), PairsCb(action="open", pair_id=pair_id, page=page))]


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=markup)


def _reasons_keyboard(
    i18n: I18nContext, action: str, reasons: tuple[str, ...], pair_id: int, page: int
) -> InlineKeyboardMarkup:
    """A button a reason (each leads to `action`), then back to the pair's card."""
    rows = [
        [
            button(
                i18n.get(f"pair-reason-{reason}"),
                LifeCb(action=action, pair_id=pair_id, code=reason, page=page),
            )
        ]
        for reason in reasons
    ]
    return keyboard(*rows, _back(i18n, pair_id, page))


def _confirm_keyboard(i18n: I18nContext, yes_key: str, yes: LifeCb) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get(yes_key), yes)], _back(i18n, yes.pair_id, yes.page))


# --- extend the term ---------------------------------------------------------------------------


async def extend_asked(
    query: CallbackQuery,
    callback_data: LifeCb,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    pair = await _active(query, session, actor, i18n, callback_data.pair_id)
    if pair is None:
        return
    await _edit(
        query,
        i18n.get("pairlife-extend-why", number=pair.id, end=format_date(pair.ends_on)),
        _reasons_keyboard(
            i18n, "ext_reason", rules.EXTENSION_REASONS, pair.id, callback_data.page
        ),
    )


async def extend_reason(
    query: CallbackQuery,
    callback_data: LifeCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    pair = await _active_with_reason(
        query, session, actor, i18n, callback_data, rules.EXTENSION_REASONS
    )
    if pair is None:
        return
    await state.set_state(LifeForm.extend_date)
    await state.update_data(pair_id=pair.id, reason=callback_data.code, page=callback_data.page)
    current = pair.ends_on or clock.today(actor.organisation.timezone)  # type: ignore[union-attr]
    options = [
        button(
            i18n.get(
                "pairlife-extend-by",
                months=months,
                date=format_date(rules.add_months(current, months)),
            ),
            LifeCb(
                action="ext_to",
                pair_id=pair.id,
                code=callback_data.code,
                value=months,
                page=callback_data.page,
            ),
        )
        for months in EXTEND_OPTIONS
    ]
    await _edit(
        query,
        i18n.get("pairlife-extend-until", number=pair.id, end=format_date(pair.ends_on)),
        keyboard(options, _back(i18n, pair.id, callback_data.page)),
    )


async def _extend(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
    pair_id: int,
    reason: str,
    ends_on: date,
) -> str | None:
    """Extend and tell; when refused, the reason to show (nothing is changed)."""
    try:
        pair = await lifecycle.extend(
            session,
            pair_id,
            _organisation_id(actor),
            ends_on=ends_on,
            reason=reason,
            actor_membership_id=_actor_membership(actor),
            now=clock.now(),
        )
    except UserFacingError as error:
        if error.key in DATE_PROBLEMS:  # another date may do
            return error_text(i18n, error) + "\n" + i18n.get("pairlife-extend-again")
        await state.clear()
        return error_text(i18n, error)
    await state.clear()
    await message.answer(
        i18n.get(
            "pairlife-extended",
            number=pair.id,
            end=format_date(pair.ends_on),
            reason=i18n.get(f"pair-reason-{reason}"),
        )
    )
    mentor, mentees = await participants(session, pair)
    await tell(
        mail,
        i18n,
        settings.default_language,
        [mentor, *mentees],
        lambda get: get(
            "pairlife-extended-told",
            number=pair.id,
            end=format_date(pair.ends_on),
            reason=get(f"pair-reason-{reason}"),
        ),
    )
    return None


async def extend_by(
    query: CallbackQuery,
    callback_data: LifeCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    pair = await _active(query, session, actor, i18n, callback_data.pair_id)
    if pair is None:
        return
    if callback_data.value not in EXTEND_OPTIONS or not isinstance(query.message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    current = pair.ends_on or clock.today(actor.organisation.timezone)  # type: ignore[union-attr]
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    refused = await _extend(
        query.message,
        state,
        session,
        actor,
        clock,
        mail,
        settings,
        i18n,
        pair.id,
        callback_data.code,
        rules.add_months(current, callback_data.value),
    )
    if refused:
        await query.message.answer(refused)


async def extend_typed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    data = await state.get_data()
    try:
        ends_on = pairing.parse_date(message.text or "")
    except UserFacingError as error:
        await message.answer(error_text(i18n, error) + "\n" + i18n.get("pairlife-extend-again"))
        return
    refused = await _extend(
        message,
        state,
        session,
        actor,
        clock,
        mail,
        settings,
        i18n,
        data["pair_id"],
        data["reason"],
        ends_on,
    )
    if refused:
        await message.answer(refused)


async def extend_expected_text(message: Message, i18n: I18nContext) -> None:
    key = "form-unknown-command" if (message.text or "").startswith("/") else "error-expected-text"
    await message.answer(i18n.get(key))


# --- replace the mentor ------------------------------------------------------------------------


async def replace_asked(
    query: CallbackQuery,
    callback_data: LifeCb,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    pair = await _active(query, session, actor, i18n, callback_data.pair_id)
    if pair is None:
        return
    await _edit(
        query,
        i18n.get("pairlife-replace-why", number=pair.id),
        _reasons_keyboard(
            i18n, "rep_reason", rules.REPLACEMENT_REASONS, pair.id, callback_data.page
        ),
    )


async def replace_reason(
    query: CallbackQuery,
    callback_data: LifeCb,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    pair = await _active_with_reason(
        query, session, actor, i18n, callback_data, rules.REPLACEMENT_REASONS
    )
    if pair is None:
        return
    _, mentees = await participants(session, pair)
    matches = await matching.rank_mentors(
        session,
        pair.organisation_id,
        [mentee.membership_id for mentee in mentees],
        exclude_mentor_id=pair.mentor_membership_id,
    )
    no_name = i18n.get("pair-no-name")
    blocks = [i18n.get("pairlife-replace-pick", number=pair.id)]
    rows = []
    for number, match in enumerate(matches, start=1):
        blocks.append(
            f"{number}. <b>{full_name(match.full_name, no_name)}</b>\n"
            + mentor_reasons(i18n, match)
        )
        rows.append(
            [
                button(
                    f"{number}. {short_name(match.full_name, no_name)}",
                    LifeCb(
                        action="rep_to",
                        pair_id=pair.id,
                        code=callback_data.code,
                        value=match.membership_id,
                        page=callback_data.page,
                    ),
                )
            ]
        )
    if not matches:
        blocks.append(i18n.get("pairlife-no-mentors"))
    await _edit(
        query, "\n\n".join(blocks), keyboard(*rows, _back(i18n, pair.id, callback_data.page))
    )


async def replace_to(
    query: CallbackQuery,
    callback_data: LifeCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    try:
        replacement = await lifecycle.replace_mentor(
            session,
            callback_data.pair_id,
            _organisation_id(actor),
            new_mentor_id=callback_data.value,
            reason=callback_data.code,
            actor_membership_id=_actor_membership(actor),
            now=clock.now(),
        )
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    pair = replacement.pair
    old = (await contacts(session, [replacement.old_mentor_id]))[replacement.old_mentor_id]
    mentor, mentees = await participants(session, pair)
    no_name = i18n.get("pair-no-name")
    await _edit(
        query,
        i18n.get(
            "pairlife-replaced",
            number=pair.id,
            old=full_name(old.full_name, no_name),
            new=full_name(mentor.full_name, no_name),
        ),
        keyboard(_back(i18n, pair.id, callback_data.page)),
    )
    default = settings.default_language

    def reason(get: Translate) -> str:
        return get(f"pair-reason-{callback_data.code}")

    await tell(
        mail,
        i18n,
        default,
        [old],
        lambda get: get("pairlife-replaced-old", number=pair.id, reason=reason(get)),
    )
    await tell(
        mail,
        i18n,
        default,
        [mentor],
        lambda get: get(
            "pairlife-replaced-new",
            number=pair.id,
            count=len(mentees),
            mentees="\n".join(contact_line(get, mentee) for mentee in mentees),
            term=term_text(get, pair),
        ),
    )
    await tell(
        mail,
        i18n,
        default,
        mentees,
        lambda get: get(
            "pairlife-replaced-mentee",
            number=pair.id,
            mentor=contact_line(get, mentor),
            reason=reason(get),
        ),
    )


# --- end early, complete -----------------------------------------------------------------------


async def early_asked(
    query: CallbackQuery,
    callback_data: LifeCb,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    pair = await _active(query, session, actor, i18n, callback_data.pair_id)
    if pair is None:
        return
    await _edit(
        query,
        i18n.get("pairlife-early-why", number=pair.id),
        _reasons_keyboard(
            i18n, "early_reason", rules.EARLY_END_REASONS, pair.id, callback_data.page
        ),
    )


async def early_reason(
    query: CallbackQuery,
    callback_data: LifeCb,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    pair = await _active_with_reason(
        query, session, actor, i18n, callback_data, rules.EARLY_END_REASONS
    )
    if pair is None:
        return
    await _edit(
        query,
        i18n.get(
            "pairlife-early-confirm",
            number=pair.id,
            reason=i18n.get(f"pair-reason-{callback_data.code}"),
        ),
        _confirm_keyboard(
            i18n,
            "pairlife-yes-end",
            LifeCb(
                action="early_yes",
                pair_id=pair.id,
                code=callback_data.code,
                page=callback_data.page,
            ),
        ),
    )


async def complete_asked(
    query: CallbackQuery,
    callback_data: LifeCb,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    pair = await _active(query, session, actor, i18n, callback_data.pair_id)
    if pair is None:
        return
    await _edit(
        query,
        i18n.get("pairlife-complete-confirm", number=pair.id),
        _confirm_keyboard(
            i18n,
            "pairlife-yes-complete",
            LifeCb(action="complete_yes", pair_id=pair.id, page=callback_data.page),
        ),
    )


async def end_confirmed(
    query: CallbackQuery,
    callback_data: LifeCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    completed = callback_data.action == "complete_yes"
    try:
        pair = await lifecycle.end(
            session,
            callback_data.pair_id,
            _organisation_id(actor),
            completed=completed,
            reason=lifecycle.COMPLETION_REASON if completed else callback_data.code,
            actor_membership_id=_actor_membership(actor),
            now=clock.now(),
        )
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    reason = pair.end_reason or ""
    await _edit(
        query,
        i18n.get("pairlife-completed", number=pair.id)
        if completed
        else i18n.get(
            "pairlife-ended-early", number=pair.id, reason=i18n.get(f"pair-reason-{reason}")
        ),
        keyboard(_back(i18n, pair.id, callback_data.page)),
    )
    mentor, mentees = await participants(session, pair)

    def render(get: Translate) -> str:
        if completed:
            return get("pairlife-completed-told", number=pair.id)
        return get(
            "pairlife-ended-early-told", number=pair.id, reason=get(f"pair-reason-{reason}")
        )

    await tell(mail, i18n, settings.default_language, [mentor, *mentees], render)


def router() -> Router:
    router = Router(name=__name__)
    # Every message handler here is a step of the dialog: other states skip the router.
    router.message.filter(StateFilter(LifeForm))
    router.callback_query.register(extend_asked, LifeCb.filter(F.action == "extend"), flags=DESK)
    router.callback_query.register(
        extend_reason, LifeCb.filter(F.action == "ext_reason"), flags=DESK
    )
    router.callback_query.register(extend_by, LifeCb.filter(F.action == "ext_to"), flags=DESK)
    router.message.register(
        extend_typed, LifeForm.extend_date, F.text, ~F.text.startswith("/"), flags=DESK
    )
    router.message.register(extend_expected_text, LifeForm.extend_date)
    router.callback_query.register(replace_asked, LifeCb.filter(F.action == "replace"), flags=DESK)
    router.callback_query.register(
        replace_reason, LifeCb.filter(F.action == "rep_reason"), flags=DESK
    )
    router.callback_query.register(replace_to, LifeCb.filter(F.action == "rep_to"), flags=DESK)
    router.callback_query.register(early_asked, LifeCb.filter(F.action == "early"), flags=DESK)
    router.callback_query.register(
        early_reason, LifeCb.filter(F.action == "early_reason"), flags=DESK
    )
    router.callback_query.register(
        complete_asked, LifeCb.filter(F.action == "complete"), flags=DESK
    )
    router.callback_query.register(
        end_confirmed, LifeCb.filter(F.action.in_({"early_yes", "complete_yes"})), flags=DESK
    )
    return router
