"""/pair: the curator forms a pair or a group and sends it for consent, one dialog: mentees ->
mentor (ranked, with reasons) -> forms -> start -> end -> check and send; or a mentee nobody can
take now, to the psychologist. Each step asks the rules (bot/services/pairing.py, rules.py), and
`pairing.propose` checks it all again."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram import F, Router
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import (
    Back,
    Button,
    Column,
    Group,
    ManagedMultiselect,
    Row,
    StubScroll,
    SwitchTo,
)
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext

from bot.services import matching, pairing, referrals, rules
from bot.services.errors import UserFacingError
from bot.services.lifecycle import curator_membership
from bot.services.pair_members import contacts
from bot.ui import error_text, format_date
from handlers.desk_dialogs import (
    desk_command,
    finish,
    organisation,
    pager,
    record_id,
    ticks,
    widget,
)
from handlers.dialog_kit import (
    Fl,
    bounded_text,
    choice,
    command_router,
    ctx,
    date_input,
    polite,
    text_input,
    today,
)
from handlers.pair_consent import request_consents
from handlers.pair_ui import DAY, forms_text, full_name, ranked_mentors, short_name
from handlers.referrals import tell_psychologist
from handlers.roles import CURATOR, only

END_OPTIONS = (3, 6, 12)  # months, offered as buttons for the end of the term


class PairForm(StatesGroup):
    mentees, mentor, forms = State(), State(), State()
    start, end, confirm = State(), State(), State()
    referral_note = State()  # a mentee nobody can take now: to the psychologist


def chosen_mentees(manager: DialogManager) -> list[int]:
    return [record_id(mentee) for mentee in widget(manager, "pair_mentees").get_checked()]


# --- mentees -----------------------------------------------------------------------------------


def _deadline_label(i18n: I18nContext, row: pairing.MenteeRow) -> str:
    days = row.days_left
    if row.has_pair:
        return i18n.get("pair-mentee-has-mentor")
    if row.had_mentor:  # the 30-day rule was met with an earlier pair
        return i18n.get("pair-mentee-had-mentor")
    if days is None:
        return i18n.get("pair-deadline-unknown")
    return i18n.get("pair-deadline-overdue" if days < 0 else "pair-deadline-left", days=abs(days))


async def mentees_getter(dialog_manager: DialogManager, i18n: I18nContext, **_: Any) -> dict:
    session, _actor, organisation_id = organisation(dialog_manager)
    number = await widget(dialog_manager, "pair_mentee_pages").get_page()
    page = await pairing.mentee_page(session, organisation_id, today(dialog_manager), number)
    no_name = i18n.get("pair-no-name")
    rows = [(row, _deadline_label(i18n, row)) for row in page.rows]
    return {
        "days": rules.MENTOR_APPROVAL_DAYS,
        "limit": rules.MAX_MENTEES_PER_MENTOR,
        "chosen": len(chosen_mentees(dialog_manager)),
        "page": page.page + 1,
        "pages": page.pages,
        "rows": "\n".join(f"• {full_name(r.full_name, no_name)} — {d}" for r, d in rows),
        "mentee_rows": [
            (r.membership_id, f"{short_name(r.full_name, no_name)} · {d}") for r, d in rows
        ],
    }


@polite
async def mentee_toggled(
    _: CallbackQuery, mentees: ManagedMultiselect[str], manager: DialogManager, item: str
) -> None:
    if not mentees.is_checked(item):
        return
    session, _actor, organisation_id = organisation(manager)
    try:
        pairing.check_group_size(len(mentees.get_checked()))
        await pairing.check_mentee(session, organisation_id, record_id(item))
    except UserFacingError:
        await mentees.set_checked(item, False)
        raise


@polite
async def mentees_chosen(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    session, _actor, organisation_id = organisation(manager)
    await pairing.check_mentees(session, organisation_id, chosen_mentees(manager))
    await manager.next()


# --- the mentor --------------------------------------------------------------------------------


async def names_getter(dialog_manager: DialogManager, i18n: I18nContext, **_: Any) -> dict:
    session, _actor, _organisation_id = organisation(dialog_manager)
    chosen = chosen_mentees(dialog_manager)
    people = await contacts(session, chosen)
    no_name = i18n.get("pair-no-name")
    names = ", ".join(full_name(people[i].full_name, no_name) for i in chosen if i in people)
    return {"mentees": names}


async def mentors_getter(dialog_manager: DialogManager, i18n: I18nContext, **_: Any) -> dict:
    session, _actor, organisation_id = organisation(dialog_manager)
    matches = await matching.rank_mentors(session, organisation_id, chosen_mentees(dialog_manager))
    return {**await names_getter(dialog_manager, i18n), **ranked_mentors(i18n, matches)}


@polite
async def mentor_chosen(_: CallbackQuery, __: Any, manager: DialogManager, item: str) -> None:
    session, _actor, organisation_id = organisation(manager)
    mentor_id = record_id(item)
    chosen = chosen_mentees(manager)
    await pairing.check_mentees(session, organisation_id, chosen)  # the button may be forged:
    await pairing.check_mentor(session, organisation_id, mentor_id, chosen)  # refused here
    manager.dialog_data["mentor"] = mentor_id
    forms = widget(manager, "pair_forms")
    await forms.reset_checked()
    await forms.set_checked("group" if len(chosen) > 1 else "traditional", True)
    await manager.next()


# --- forms and term ----------------------------------------------------------------------------


async def forms_getter(dialog_manager: DialogManager, i18n: I18nContext, **_: Any) -> dict:
    return {"forms": [(form, i18n.get(f"pair-form-{form}")) for form in rules.FORMS]}


@polite
async def forms_chosen(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    checked = widget(manager, "pair_forms").get_checked()
    manager.dialog_data["forms"] = pairing.check_forms(checked, len(chosen_mentees(manager)))
    await manager.next()


async def start_getter(dialog_manager: DialogManager, i18n: I18nContext, **_: Any) -> dict:
    first = today(dialog_manager)
    return {
        "forms": forms_text(i18n.get, dialog_manager.dialog_data.get("forms", [])),
        "date": format_date(first),
        "earliest": first,
        "latest": rules.add_months(first, rules.MAX_TERM_MONTHS),
    }


@polite
async def start_chosen(_: Any, __: Any, manager: DialogManager, day: date | None = None) -> None:
    """«Today», a day on the calendar or a typed date."""
    first = today(manager)
    day = day or first
    pairing.check_start(day, first)
    manager.dialog_data["starts_on"] = day.isoformat()
    await manager.next()


def _starts_on(manager: DialogManager) -> date:
    return date.fromisoformat(manager.dialog_data["starts_on"])


async def end_getter(dialog_manager: DialogManager, i18n: I18nContext, **_: Any) -> dict:
    first = _starts_on(dialog_manager)
    ends = ((months, format_date(rules.add_months(first, months))) for months in END_OPTIONS)
    return {
        "start": format_date(first),
        "low": rules.MIN_TERM_MONTHS,
        "high": rules.MAX_TERM_MONTHS,
        "ends": [(m, i18n.get("pair-end-after", months=m, date=day)) for m, day in ends],
        "earliest": rules.add_months(first, rules.MIN_TERM_MONTHS),
        "latest": rules.add_months(first, rules.MAX_TERM_MONTHS),
    }


@polite
async def end_chosen(_: Any, __: Any, manager: DialogManager, end: date | str) -> None:
    """A term button (months), a day on the calendar or a typed date."""
    first = _starts_on(manager)
    if not isinstance(end, date):
        if end not in {str(months) for months in END_OPTIONS}:
            raise UserFacingError("error-stale-button")
        end = rules.add_months(first, int(end))
    rules.check_term(first, end)
    manager.dialog_data["ends_on"] = end.isoformat()
    await manager.next()


# --- check and send ----------------------------------------------------------------------------


def _proposal(manager: DialogManager) -> pairing.Proposal:
    data = manager.dialog_data
    return pairing.Proposal(
        mentor_id=data["mentor"],
        mentee_ids=chosen_mentees(manager),
        forms=data["forms"],
        starts_on=date.fromisoformat(data["starts_on"]),
        ends_on=date.fromisoformat(data["ends_on"]),
    )


async def summary_getter(dialog_manager: DialogManager, i18n: I18nContext, **_: Any) -> dict:
    session, _actor, organisation_id = organisation(dialog_manager)
    proposal, no_name = _proposal(dialog_manager), i18n.get("pair-no-name")
    people = await contacts(session, [proposal.mentor_id, *proposal.mentee_ids])
    summary = i18n.get(
        "pair-summary",
        mentor=full_name(people[proposal.mentor_id].full_name, no_name),
        mentees=", ".join(full_name(people[i].full_name, no_name) for i in proposal.mentee_ids),
        forms=forms_text(i18n.get, proposal.forms),
        start=format_date(proposal.starts_on),
        end=format_date(proposal.ends_on),
        head=str(await pairing.has_head(session, organisation_id)).lower(),
    )
    return {"summary": summary}


@polite
async def send_proposal(query: CallbackQuery, __: Button, manager: DialogManager) -> None:
    c, organisation_id = ctx(manager), organisation(manager)[2]
    pair = await pairing.propose(
        c.session,
        organisation_id,
        _proposal(manager),
        curator_membership_id=curator_membership(c.actor),
        today=today(manager),
        now=c.clock.now(),
    )
    await request_consents(c.session, c.mail, c.i18n, pair)
    await finish(query, manager, c.i18n.get("pair-proposed", number=pair.id))


async def cancelled(query: CallbackQuery, __: Button, manager: DialogManager) -> None:
    await finish(query, manager, ctx(manager).i18n.get("pair-cancelled"))


CANCEL = Button(Fl("pair-cancel"), id="pair_cancel", on_click=cancelled)


# --- a mentee nobody can take now: to the psychologist -----------------------------------------


@polite
async def refer(event: Any, __: Any, manager: DialogManager, note: str | None = None) -> None:
    c, organisation_id = ctx(manager), organisation(manager)[2]
    mentees, now = chosen_mentees(manager), c.clock.now()
    try:
        referred = await referrals.refer(c.session, organisation_id, mentees, note, now=now)
    except UserFacingError as error:
        if error.key.startswith("error-text"):
            raise  # a shorter note may follow
        await finish(event, manager, error_text(c.i18n, error))  # nothing to retry
        return
    psychologist = full_name(referred.psychologist.full_name, c.i18n.get("pair-no-name"))
    count = len(referred.referrals)
    text = c.i18n.get("referral-done", psychologist=psychologist, count=count)
    await tell_psychologist(c.session, c.mail, c.i18n, c.settings.default_language, referred)
    await finish(event, manager, text)


async def form_opened(start_data: Any, manager: DialogManager) -> None:
    """Opened from a mentee's bank card: that mentee is chosen (checked again at each step)."""
    mentees = start_data.get("mentees", []) if isinstance(start_data, dict) else []
    chosen = widget(manager, "pair_mentees")
    for mentee in mentees:
        await chosen.set_checked(str(mentee), True)


def router() -> Router:
    return command_router(__name__, "pair", desk_command(PairForm.mentees), CURATOR)


def _step(state: State, getter: Any, *widgets: Any) -> Window:
    """A step after the first: its widgets, then back and cancel."""
    return Window(
        *widgets,
        Row(Back(Fl("pair-back"), id="pair_back"), CANCEL),
        state=state,
        getter=getter,
    )


def dialogs() -> list[Dialog]:
    windows = [
        Window(
            Fl("pair-pick-mentees"),
            Format("\n{rows}", when="rows"),
            Fl("pair-no-mentees", when=~F["rows"]),
            StubScroll("pair_mentee_pages", pages="pages"),
            Column(ticks("pair_mentees", "mentee_rows", mentee_toggled)),
            pager("pair_mentee_pages"),
            Button(
                Fl("pair-next"), id="pair_mentees_done", on_click=mentees_chosen, when="chosen"
            ),
            CANCEL,
            state=PairForm.mentees,
            getter=mentees_getter,
        ),
        _step(
            PairForm.mentor,
            mentors_getter,
            Fl("pair-pick-mentor", when="mentors"),
            Format("\n{ranked}", when="mentors"),
            Fl("pair-no-mentors", when=~F["mentors"]),
            Column(choice("pair_mentor", "mentors", mentor_chosen)),
            SwitchTo(Fl("pair-refer"), id="pair_refer", state=PairForm.referral_note),
        ),
        _step(
            PairForm.forms,
            forms_getter,
            Fl("pair-pick-forms"),
            Group(ticks("pair_forms", "forms", offered=lambda form: form in rules.FORMS), width=2),
            Button(Fl("pair-done"), id="pair_forms_done", on_click=forms_chosen),
        ),
        _step(
            PairForm.start,
            start_getter,
            Fl("pair-forms-chosen"),
            Fl("pair-ask-start"),
            Button(Fl("pair-start-today"), id="pair_start_today", on_click=start_chosen),
            *date_input("pair_start", start_chosen, DAY),
        ),
        _step(
            PairForm.end,
            end_getter,
            Fl("pair-ask-end"),
            Row(choice("pair_end_after", "ends", end_chosen)),
            *date_input("pair_end", end_chosen, DAY),
        ),
        _step(
            PairForm.confirm,
            summary_getter,
            Format("{summary}"),
            Button(Fl("pair-send"), id="pair_send", on_click=send_proposal),
        ),
        Window(
            Fl("referral-ask-note"),
            Button(Fl("referral-no-note"), id="referral_without_note", on_click=refer),
            *text_input("referral_note", refer, bounded_text(referrals.MAX_NOTE)),
            Row(SwitchTo(Fl("pair-back"), id="referral_back", state=PairForm.mentor), CANCEL),
            state=PairForm.referral_note,
            getter=names_getter,
        ),
    ]
    return [only(CURATOR, Dialog(*windows, on_start=form_opened))]
