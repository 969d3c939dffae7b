"""/pair: the curator forms a pair or a group, step by step, and sends it for consent.

mentees (toggle, paged) -> mentor (ranked, with reasons) -> forms (toggle) -> start -> end ->
check and send. A mentee nobody can take now may be handed to the psychologist instead.
Each step re-checks on the server what the buttons name; the last one checks it all again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.mail import Mail
from bot.services import matching, pairing, referrals, rules
from bot.services.clock import Clock
from bot.services.errors import UserFacingError
from bot.services.pair_members import contacts
from bot.services.people import Actor
from bot.services.profile_form import COMPETENCIES
from bot.ui import button, error_text, format_date, keyboard
from handlers.pair_consent import request_consents
from handlers.pair_ui import forms_text, full_name, short_name
from handlers.referrals import tell_psychologist
from handlers.roles import DESK
from models import Role

END_OPTIONS = (3, 6, 12)  # months, offered as buttons for the end of the term


class PairForm(StatesGroup):
    # data: mentees (ids), page, mentor, forms, starts_on, ends_on (ISO dates)
    mentees = State()
    mentor = State()
    forms = State()
    start = State()
    end = State()
    confirm = State()
    referral_note = State()


class NewPairCb(CallbackData, prefix="pnew"):
    action: str  # toggle, page, next, back, mentor, form, forms_done, today, end, send, cancel,
    # refer, refer_skip
    id: int = 0
    page: int = 0
    code: str = ""


def _organisation_id(actor: Actor) -> int:
    if actor.organisation is None:
        raise UserFacingError("invite-no-organisation")
    return actor.organisation.id


def _today(actor: Actor, clock: Clock) -> date:
    return clock.today(actor.organisation.timezone if actor.organisation else "UTC")


async def _alert(query: CallbackQuery, text: str) -> None:
    await query.answer(text, show_alert=True)


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=markup)


# --- step 1: mentees ---------------------------------------------------------------------------


def _deadline_label(i18n: I18nContext, row: pairing.MenteeRow) -> str:
    if row.has_pair:
        return i18n.get("pair-mentee-has-mentor")
    if row.days_left is None:
        return i18n.get("pair-deadline-unknown")
    if row.days_left < 0:
        return i18n.get("pair-deadline-overdue", days=-row.days_left)
    return i18n.get("pair-deadline-left", days=row.days_left)


async def render_mentees(
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
    selected: list[int],
    number: int,
) -> tuple[str, InlineKeyboardMarkup]:
    organisation_id = _organisation_id(actor)
    page = await pairing.mentee_page(session, organisation_id, _today(actor, clock), number)
    text = i18n.get(
        "pair-pick-mentees",
        days=rules.MENTOR_APPROVAL_DAYS,
        limit=rules.MAX_MENTEES_PER_MENTOR,
        chosen=len(selected),
        page=page.page + 1,
        pages=page.pages,
    )
    if not page.rows:
        text += "\n\n" + i18n.get("pair-no-mentees")
    lines, rows = [], []
    for row in page.rows:
        deadline = _deadline_label(i18n, row)
        name = full_name(row.full_name, i18n.get("pair-no-name"))
        lines.append(f"• {name} — {deadline}")
        mark = "✅ " if row.membership_id in selected else ""
        label = f"{mark}{short_name(row.full_name, i18n.get('pair-no-name'))} · {deadline}"
        rows.append(
            [button(label, NewPairCb(action="toggle", id=row.membership_id, page=page.page))]
        )
    if lines:
        text += "\n\n" + "\n".join(lines)
    navigation = []
    if page.page > 0:
        navigation.append(button("◀", NewPairCb(action="page", page=page.page - 1)))
    if page.page + 1 < page.pages:
        navigation.append(button("▶", NewPairCb(action="page", page=page.page + 1)))
    rows.append(navigation)
    if selected:
        rows.append([button(i18n.get("pair-next"), NewPairCb(action="next"))])
    rows.append([button(i18n.get("pair-cancel"), NewPairCb(action="cancel"))])
    return text, keyboard(*rows)


async def pair_command(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    if actor.organisation is None:
        await message.answer(i18n.get("invite-no-organisation"))
        return
    await state.clear()
    await state.set_state(PairForm.mentees)
    await state.update_data(mentees=[], page=0)
    text, markup = await render_mentees(session, actor, clock, i18n, [], 0)
    await message.answer(text, reply_markup=markup)


async def mentees_page(
    query: CallbackQuery,
    callback_data: NewPairCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    data = await state.update_data(page=callback_data.page)
    text, markup = await render_mentees(
        session, actor, clock, i18n, data["mentees"], callback_data.page
    )
    await _edit(query, text, markup)


async def mentee_toggled(
    query: CallbackQuery,
    callback_data: NewPairCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    selected: list[int] = list((await state.get_data())["mentees"])
    mentee_id = callback_data.id
    if mentee_id in selected:
        selected.remove(mentee_id)
    else:
        try:
            pairing.check_group_size(len(selected) + 1)
            await pairing.check_mentee(session, _organisation_id(actor), mentee_id)
        except UserFacingError as error:
            await _alert(query, error_text(i18n, error))
            return
        selected.append(mentee_id)
    await state.update_data(mentees=selected)
    text, markup = await render_mentees(session, actor, clock, i18n, selected, callback_data.page)
    await _edit(query, text, markup)


# --- step 2: the mentor ------------------------------------------------------------------------


def area_label(i18n: I18nContext, area: str) -> str:
    """An area by its name: competencies and difficulties share codes, not all of them."""
    return (
        i18n.get(f"opt-competencies-{area}")
        if area in COMPETENCIES
        else i18n.get(f"opt-difficulties-{area}")
    )


def mentor_reasons(i18n: I18nContext, match: matching.MentorMatch) -> str:
    lines = []
    if match.areas:
        areas = ", ".join(area_label(i18n, area) for area in match.areas)
        lines.append(i18n.get("pair-why-areas", areas=areas))
    if match.words:
        lines.append(i18n.get("pair-why-words", words=", ".join(match.words)))
    if not lines:
        lines.append(i18n.get("pair-why-nothing"))
    lines.append(
        i18n.get(
            "pair-why-room",
            free=match.free_places,
            hours=match.hours_per_month if match.hours_per_month is not None else "—",
        )
    )
    return "\n".join(lines)


async def render_mentors(
    session: AsyncSession, actor: Actor, i18n: I18nContext, mentee_ids: list[int]
) -> tuple[str, InlineKeyboardMarkup]:
    organisation_id = _organisation_id(actor)
    mentees = await contacts(session, mentee_ids)
    names = ", ".join(
        full_name(mentees[i].full_name, i18n.get("pair-no-name")) for i in mentee_ids
    )
    matches = await matching.rank_mentors(session, organisation_id, mentee_ids)
    rows = []
    if matches:
        blocks = [i18n.get("pair-pick-mentor", mentees=names)]
        for number, match in enumerate(matches, start=1):
            name = full_name(match.full_name, i18n.get("pair-no-name"))
            blocks.append(f"{number}. <b>{name}</b>\n{mentor_reasons(i18n, match)}")
            label = f"{number}. {short_name(match.full_name, i18n.get('pair-no-name'))}"
            rows.append([button(label, NewPairCb(action="mentor", id=match.membership_id))])
        text = "\n\n".join(blocks)
    else:
        text = i18n.get("pair-no-mentors", mentees=names)
    rows.append([button(i18n.get("pair-refer"), NewPairCb(action="refer"))])
    rows.append(
        [
            button(i18n.get("pair-back"), NewPairCb(action="back")),
            button(i18n.get("pair-cancel"), NewPairCb(action="cancel")),
        ]
    )
    return text, keyboard(*rows)


async def mentees_chosen(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    selected: list[int] = (await state.get_data())["mentees"]
    try:
        await pairing.check_mentees(session, _organisation_id(actor), selected)
    except UserFacingError as error:
        await _alert(query, error_text(i18n, error))
        return
    await state.set_state(PairForm.mentor)
    text, markup = await render_mentors(session, actor, i18n, selected)
    await _edit(query, text, markup)


async def pair_from_bank_card(
    query: CallbackQuery,
    callback_data: NewPairCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    """«Подобрать наставника» on a mentee's card in /bank: straight to the ranked mentors."""
    selected = [callback_data.id]
    try:
        await pairing.check_mentees(session, _organisation_id(actor), selected)
    except UserFacingError as error:
        await _alert(query, error_text(i18n, error))
        return
    await query.answer()
    await state.clear()
    await state.set_state(PairForm.mentor)
    await state.update_data(mentees=selected, page=0)
    text, markup = await render_mentors(session, actor, i18n, selected)
    if isinstance(query.message, Message):
        await query.message.answer(text, reply_markup=markup)


async def back_to_mentees(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    await state.set_state(PairForm.mentees)
    data = await state.get_data()
    text, markup = await render_mentees(session, actor, clock, i18n, data["mentees"], data["page"])
    await _edit(query, text, markup)


def render_forms(i18n: I18nContext, chosen: list[str]) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [
        button(
            ("✅ " if form in chosen else "") + i18n.get(f"pair-form-{form}"),
            NewPairCb(action="form", code=form),
        )
        for form in rules.FORMS
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([button(i18n.get("pair-done"), NewPairCb(action="forms_done"))])
    rows.append([button(i18n.get("pair-cancel"), NewPairCb(action="cancel"))])
    return i18n.get("pair-pick-forms"), keyboard(*rows)


async def mentor_chosen(
    query: CallbackQuery,
    callback_data: NewPairCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    selected: list[int] = (await state.get_data())["mentees"]
    try:  # the button may be forged: a mentor at capacity or without consent is refused here
        await pairing.check_mentees(session, _organisation_id(actor), selected)
        await pairing.check_mentor(
            session, _organisation_id(actor), callback_data.id, len(selected)
        )
    except UserFacingError as error:
        await _alert(query, error_text(i18n, error))
        return
    forms = ["group"] if len(selected) > 1 else ["traditional"]
    await state.update_data(mentor=callback_data.id, forms=forms)
    await state.set_state(PairForm.forms)
    text, markup = render_forms(i18n, forms)
    await _edit(query, text, markup)


# --- step 3: forms -----------------------------------------------------------------------------


async def form_toggled(
    query: CallbackQuery, callback_data: NewPairCb, state: FSMContext, i18n: I18nContext
) -> None:
    if callback_data.code not in rules.FORMS:
        await _alert(query, i18n.get("error-stale-button"))
        return
    forms: list[str] = list((await state.get_data())["forms"])
    if callback_data.code in forms:
        forms.remove(callback_data.code)
    else:
        forms.append(callback_data.code)
    await state.update_data(forms=forms)
    text, markup = render_forms(i18n, forms)
    await _edit(query, text, markup)


def _start_keyboard(i18n: I18nContext, today: date) -> InlineKeyboardMarkup:
    return keyboard(
        [button(i18n.get("pair-start-today", date=format_date(today)), NewPairCb(action="today"))],
        [button(i18n.get("pair-cancel"), NewPairCb(action="cancel"))],
    )


async def forms_chosen(
    query: CallbackQuery, state: FSMContext, actor: Actor, clock: Clock, i18n: I18nContext
) -> None:
    data = await state.get_data()
    try:
        forms = pairing.check_forms(data["forms"], len(data["mentees"]))
    except UserFacingError as error:
        await _alert(query, error_text(i18n, error))
        return
    await state.update_data(forms=forms)
    await state.set_state(PairForm.start)
    await _edit(query, i18n.get("pair-forms-chosen", forms=forms_text(i18n.get, forms)), None)
    if isinstance(query.message, Message):
        await query.message.answer(
            i18n.get("pair-ask-start"), reply_markup=_start_keyboard(i18n, _today(actor, clock))
        )


# --- steps 4 and 5: the term -------------------------------------------------------------------


def _end_keyboard(i18n: I18nContext, starts_on: date) -> InlineKeyboardMarkup:
    return keyboard(
        [
            button(
                i18n.get(
                    "pair-end-after",
                    months=months,
                    date=format_date(rules.add_months(starts_on, months)),
                ),
                NewPairCb(action="end", id=months),
            )
            for months in END_OPTIONS
        ],
        [button(i18n.get("pair-cancel"), NewPairCb(action="cancel"))],
    )


async def _start_chosen(
    message: Message, state: FSMContext, starts_on: date, today: date, i18n: I18nContext
) -> None:
    try:
        pairing.check_start(starts_on, today)
    except UserFacingError as error:
        await message.answer(error_text(i18n, error) + "\n" + i18n.get("pair-ask-start"))
        return
    await state.update_data(starts_on=starts_on.isoformat())
    await state.set_state(PairForm.end)
    await message.answer(
        i18n.get(
            "pair-ask-end",
            start=format_date(starts_on),
            low=rules.MIN_TERM_MONTHS,
            high=rules.MAX_TERM_MONTHS,
        ),
        reply_markup=_end_keyboard(i18n, starts_on),
    )


async def start_today(
    query: CallbackQuery, state: FSMContext, actor: Actor, clock: Clock, i18n: I18nContext
) -> None:
    if not isinstance(query.message, Message):
        await _alert(query, i18n.get("error-stale-button"))
        return
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    today = _today(actor, clock)
    await _start_chosen(query.message, state, today, today, i18n)


async def start_typed(
    message: Message, state: FSMContext, actor: Actor, clock: Clock, i18n: I18nContext
) -> None:
    try:
        starts_on = pairing.parse_date(message.text or "")
    except UserFacingError as error:
        await message.answer(
            error_text(i18n, error) + "\n" + i18n.get("pair-ask-start"),
            reply_markup=_start_keyboard(i18n, _today(actor, clock)),
        )
        return
    await _start_chosen(message, state, starts_on, _today(actor, clock), i18n)


async def _end_chosen(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    ends_on: date,
    i18n: I18nContext,
) -> None:
    data = await state.get_data()
    starts_on = date.fromisoformat(data["starts_on"])
    try:
        rules.check_term(starts_on, ends_on)
    except UserFacingError as error:
        await message.answer(error_text(i18n, error), reply_markup=_end_keyboard(i18n, starts_on))
        return
    await state.update_data(ends_on=ends_on.isoformat())
    await state.set_state(PairForm.confirm)
    await message.answer(
        await _summary(session, actor, i18n, data, starts_on, ends_on),
        reply_markup=keyboard(
            [button(i18n.get("pair-send"), NewPairCb(action="send"))],
            [button(i18n.get("pair-cancel"), NewPairCb(action="cancel"))],
        ),
    )


async def _summary(
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
    data: dict[str, Any],
    starts_on: date,
    ends_on: date,
) -> str:
    people = await contacts(session, [data["mentor"], *data["mentees"]])
    no_name = i18n.get("pair-no-name")
    mentees = ", ".join(full_name(people[i].full_name, no_name) for i in data["mentees"])
    head = await pairing.has_head(session, _organisation_id(actor))
    return i18n.get(
        "pair-summary",
        mentor=full_name(people[data["mentor"]].full_name, no_name),
        mentees=mentees,
        forms=forms_text(i18n.get, data["forms"]),
        start=format_date(starts_on),
        end=format_date(ends_on),
        head=str(head).lower(),
    )


async def end_tapped(
    query: CallbackQuery,
    callback_data: NewPairCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    if callback_data.id not in END_OPTIONS or not isinstance(query.message, Message):
        await _alert(query, i18n.get("error-stale-button"))
        return
    starts_on = date.fromisoformat((await state.get_data())["starts_on"])
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    ends_on = rules.add_months(starts_on, callback_data.id)
    await _end_chosen(query.message, state, session, actor, ends_on, i18n)


async def end_typed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    starts_on = date.fromisoformat((await state.get_data())["starts_on"])
    try:
        ends_on = pairing.parse_date(message.text or "")
    except UserFacingError as error:
        await message.answer(error_text(i18n, error), reply_markup=_end_keyboard(i18n, starts_on))
        return
    await _end_chosen(message, state, session, actor, ends_on, i18n)


# --- step 6: send ------------------------------------------------------------------------------


async def send_proposal(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    data = await state.get_data()
    proposal = pairing.Proposal(
        mentor_id=data["mentor"],
        mentee_ids=data["mentees"],
        forms=data["forms"],
        starts_on=date.fromisoformat(data["starts_on"]),
        ends_on=date.fromisoformat(data["ends_on"]),
    )
    curator = actor.membership(Role.CURATOR) or actor.membership(Role.HEAD)
    try:
        pair = await pairing.propose(
            session,
            _organisation_id(actor),
            proposal,
            curator_membership_id=curator.id if curator else None,
            today=_today(actor, clock),
            now=clock.now(),
        )
    except UserFacingError as error:
        await _alert(query, error_text(i18n, error))
        return
    await state.clear()
    await _edit(query, i18n.get("pair-proposed", number=pair.id), None)
    await request_consents(session, mail, i18n, settings.default_language, pair)


async def cancel_pair(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    current = await state.get_state()
    if current is None or not current.startswith(PairForm.__name__):
        await _alert(query, i18n.get("error-stale-button"))
        return
    await state.clear()
    await _edit(query, i18n.get("pair-cancelled"), None)


# --- a mentee nobody can take now: to the psychologist -----------------------------------------


async def refer_asked(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    selected: list[int] = (await state.get_data())["mentees"]
    people = await contacts(session, selected)
    names = ", ".join(
        full_name(people[i].full_name, i18n.get("pair-no-name")) for i in selected if i in people
    )
    await state.set_state(PairForm.referral_note)
    await _edit(
        query,
        i18n.get("referral-ask-note", mentees=names),
        keyboard(
            [button(i18n.get("referral-no-note"), NewPairCb(action="refer_skip"))],
            [button(i18n.get("pair-cancel"), NewPairCb(action="cancel"))],
        ),
    )


async def _refer(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
    note: str | None,
) -> None:
    selected: list[int] = (await state.get_data())["mentees"]
    try:
        referred = await referrals.refer(
            session, _organisation_id(actor), selected, note, now=clock.now()
        )
    except UserFacingError as error:
        await message.answer(error_text(i18n, error))
        if error.key not in ("error-text-too-long", "error-text-empty"):
            await state.clear()  # nothing to retry; a shorter note may follow the others
        return
    await state.clear()
    await message.answer(
        i18n.get(
            "referral-done",
            psychologist=full_name(referred.psychologist.full_name, i18n.get("pair-no-name")),
            count=len(referred.referrals),
        )
    )
    await tell_psychologist(session, mail, i18n, settings.default_language, referred)


async def refer_without_note(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    if not isinstance(query.message, Message):
        await _alert(query, i18n.get("error-stale-button"))
        return
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    await _refer(query.message, state, session, actor, clock, mail, settings, i18n, None)


async def refer_with_note(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    await _refer(message, state, session, actor, clock, mail, settings, i18n, message.text)


# --- anything else while the dialog waits for text ---------------------------------------------


async def expected_a_tap(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("pair-expected-tap"))


async def expected_text(message: Message, i18n: I18nContext) -> None:
    key = "form-unknown-command" if (message.text or "").startswith("/") else "error-expected-text"
    await message.answer(i18n.get(key))


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(pair_command, Command("pair"), flags=DESK)
    router.callback_query.register(
        mentees_page, PairForm.mentees, NewPairCb.filter(F.action == "page"), flags=DESK
    )
    router.callback_query.register(
        mentee_toggled, PairForm.mentees, NewPairCb.filter(F.action == "toggle"), flags=DESK
    )
    router.callback_query.register(
        mentees_chosen, PairForm.mentees, NewPairCb.filter(F.action == "next"), flags=DESK
    )
    router.callback_query.register(
        pair_from_bank_card, NewPairCb.filter(F.action == "from_card"), flags=DESK
    )
    router.callback_query.register(
        back_to_mentees, PairForm.mentor, NewPairCb.filter(F.action == "back"), flags=DESK
    )
    router.callback_query.register(
        mentor_chosen, PairForm.mentor, NewPairCb.filter(F.action == "mentor"), flags=DESK
    )
    router.callback_query.register(
        form_toggled, PairForm.forms, NewPairCb.filter(F.action == "form"), flags=DESK
    )
    router.callback_query.register(
        forms_chosen, PairForm.forms, NewPairCb.filter(F.action == "forms_done"), flags=DESK
    )
    router.callback_query.register(
        start_today, PairForm.start, NewPairCb.filter(F.action == "today"), flags=DESK
    )
    router.callback_query.register(
        end_tapped, PairForm.end, NewPairCb.filter(F.action == "end"), flags=DESK
    )
    router.callback_query.register(
        send_proposal, PairForm.confirm, NewPairCb.filter(F.action == "send"), flags=DESK
    )
    router.callback_query.register(cancel_pair, NewPairCb.filter(F.action == "cancel"), flags=DESK)
    router.callback_query.register(
        refer_asked, PairForm.mentor, NewPairCb.filter(F.action == "refer"), flags=DESK
    )
    router.callback_query.register(
        refer_without_note,
        PairForm.referral_note,
        NewPairCb.filter(F.action == "refer_skip"),
        flags=DESK,
    )
    # The pair form's typed steps, on a router of their own: other states skip it.
    form = Router(name=f"{__name__}.form")
    form.message.filter(StateFilter(PairForm))
    form.message.register(start_typed, PairForm.start, F.text, ~F.text.startswith("/"), flags=DESK)
    form.message.register(end_typed, PairForm.end, F.text, ~F.text.startswith("/"), flags=DESK)
    form.message.register(
        refer_with_note, PairForm.referral_note, F.text, ~F.text.startswith("/"), flags=DESK
    )
    form.message.register(expected_a_tap, PairForm.mentees)
    form.message.register(expected_a_tap, PairForm.mentor)
    form.message.register(expected_a_tap, PairForm.forms)
    form.message.register(expected_a_tap, PairForm.confirm)
    form.message.register(expected_text, PairForm.start)
    form.message.register(expected_text, PairForm.end)
    form.message.register(expected_text, PairForm.referral_note)
    router.include_router(form)
    return router
