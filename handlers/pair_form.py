"""/pair: the curator forms a pair or a group and sends it for consent, one dialog:

mentees (Multiselect, paged) -> mentor (ranked, with reasons) -> forms (Multiselect) -> start ->
end (Calendar, a button or a typed date) -> check and send. A mentee nobody can take now may be
handed to the psychologist instead. The rules are the services' (bot/services/pairing.py,
rules.py): each step asks them, and `pairing.propose` checks it all again.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command
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
from bot.services.pair_members import contacts
from bot.services.profile_form import COMPETENCIES
from bot.ui import error_text, format_date
from handlers.desk_dialogs import (
    desk_command,
    finish,
    organisation,
    pager,
    record_id,
    ticks,
    today,
    widget,
)
from handlers.dialog_kit import (
    Bounded,
    Fl,
    bounded_text,
    choice,
    date_input,
    polite,
    text_input,
)
from handlers.pair_consent import request_consents
from handlers.pair_ui import forms_text, full_name, short_name
from handlers.referrals import tell_psychologist
from handlers.roles import DESK
from models import Role

END_OPTIONS = (3, 6, 12)  # months, offered as buttons for the end of the term
DAY = Bounded(lambda text: datetime.strptime(text.strip(), "%d.%m.%Y").date(), "error-date")


class PairForm(StatesGroup):
    mentees = State()
    mentor = State()
    forms = State()
    start = State()
    end = State()
    confirm = State()
    referral_note = State()


def chosen_mentees(manager: DialogManager) -> list[int]:
    return [record_id(mentee) for mentee in widget(manager, "pair_mentees").get_checked()]


# --- mentees -----------------------------------------------------------------------------------


def _deadline_label(i18n: I18nContext, row: pairing.MenteeRow) -> str:
    if row.has_pair:
        return i18n.get("pair-mentee-has-mentor")
    if row.days_left is None:
        return i18n.get("pair-deadline-unknown")
    if row.days_left < 0:
        return i18n.get("pair-deadline-overdue", days=-row.days_left)
    return i18n.get("pair-deadline-left", days=row.days_left)


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


def area_label(i18n: I18nContext, area: str) -> str:
    """An area by its name: competencies and difficulties share codes, not all of them."""
    kind = "competencies" if area in COMPETENCIES else "difficulties"
    return i18n.get(f"opt-{kind}-{area}")


def mentor_reasons(i18n: I18nContext, match: matching.MentorMatch) -> str:
    lines = []
    if match.areas:
        areas = ", ".join(area_label(i18n, area) for area in match.areas)
        lines.append(i18n.get("pair-why-areas", areas=areas))
    if match.words:
        lines.append(i18n.get("pair-why-words", words=", ".join(match.words)))
    hours = match.hours_per_month if match.hours_per_month is not None else "—"
    return (
        "\n".join(lines or [i18n.get("pair-why-nothing")])
        + "\n"
        + i18n.get("pair-why-room", free=match.free_places, hours=hours)
    )


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
    no_name = i18n.get("pair-no-name")
    return {
        **await names_getter(dialog_manager, i18n),
        "ranked": "\n\n".join(
            f"{n}. <b>{full_name(m.full_name, no_name)}</b>\n{mentor_reasons(i18n, m)}"
            for n, m in enumerate(matches, start=1)
        ),
        "mentors": [
            (m.membership_id, f"{n}. {short_name(m.full_name, no_name)}")
            for n, m in enumerate(matches, start=1)
        ],
    }


@polite
async def mentor_chosen(_: CallbackQuery, __: Any, manager: DialogManager, item: str) -> None:
    session, _actor, organisation_id = organisation(manager)
    mentor_id = record_id(item)
    chosen = chosen_mentees(manager)
    await pairing.check_mentees(session, organisation_id, chosen)  # the button may be forged:
    await pairing.check_mentor(session, organisation_id, mentor_id, len(chosen))  # refused here
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
    return {
        "start": format_date(first),
        "low": rules.MIN_TERM_MONTHS,
        "high": rules.MAX_TERM_MONTHS,
        "ends": [
            (
                months,
                i18n.get(
                    "pair-end-after",
                    months=months,
                    date=format_date(rules.add_months(first, months)),
                ),
            )
            for months in END_OPTIONS
        ],
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


async def summary_getter(dialog_manager: DialogManager, i18n: I18nContext, **_: Any) -> dict:
    session, _actor, organisation_id = organisation(dialog_manager)
    data = dialog_manager.dialog_data
    chosen = chosen_mentees(dialog_manager)
    people = await contacts(session, [data["mentor"], *chosen])
    no_name = i18n.get("pair-no-name")
    summary = i18n.get(
        "pair-summary",
        mentor=full_name(people[data["mentor"]].full_name, no_name),
        mentees=", ".join(full_name(people[i].full_name, no_name) for i in chosen),
        forms=forms_text(i18n.get, data["forms"]),
        start=format_date(date.fromisoformat(data["starts_on"])),
        end=format_date(date.fromisoformat(data["ends_on"])),
        head=str(await pairing.has_head(session, organisation_id)).lower(),
    )
    return {"summary": summary}


@polite
async def send_proposal(query: CallbackQuery, __: Button, manager: DialogManager) -> None:
    session, actor, organisation_id = organisation(manager)
    data, i18n = manager.dialog_data, manager.middleware_data["i18n"]
    proposal = pairing.Proposal(
        mentor_id=data["mentor"],
        mentee_ids=chosen_mentees(manager),
        forms=data["forms"],
        starts_on=date.fromisoformat(data["starts_on"]),
        ends_on=date.fromisoformat(data["ends_on"]),
    )
    curator = actor.membership(Role.CURATOR) or actor.membership(Role.HEAD)
    pair = await pairing.propose(
        session,
        organisation_id,
        proposal,
        curator_membership_id=curator.id if curator else None,
        today=today(manager),
        now=manager.middleware_data["clock"].now(),
    )
    settings = manager.middleware_data["settings"]
    mail = manager.middleware_data["mail"]
    await request_consents(session, mail, i18n, settings.default_language, pair)
    await finish(query, manager, i18n.get("pair-proposed", number=pair.id))


async def cancelled(query: CallbackQuery, __: Button, manager: DialogManager) -> None:
    await finish(query, manager, manager.middleware_data["i18n"].get("pair-cancelled"))


# --- a mentee nobody can take now: to the psychologist -----------------------------------------


@polite
async def refer(event: Any, __: Any, manager: DialogManager, note: str | None = None) -> None:
    session, _actor, organisation_id = organisation(manager)
    data = manager.middleware_data
    i18n: I18nContext = data["i18n"]
    try:
        referred = await referrals.refer(
            session, organisation_id, chosen_mentees(manager), note, now=data["clock"].now()
        )
    except UserFacingError as error:
        if error.key.startswith("error-text"):
            raise  # a shorter note may follow
        await finish(event, manager, error_text(i18n, error))  # nothing to retry
        return
    psychologist = full_name(referred.psychologist.full_name, i18n.get("pair-no-name"))
    text = i18n.get("referral-done", psychologist=psychologist, count=len(referred.referrals))
    await tell_psychologist(
        session, data["mail"], i18n, data["settings"].default_language, referred
    )
    await finish(event, manager, text)


async def form_opened(start_data: Any, manager: DialogManager) -> None:
    """Opened from a mentee's bank card: that mentee is chosen (checked again at each step)."""
    mentees = start_data.get("mentees", []) if isinstance(start_data, dict) else []
    chosen = widget(manager, "pair_mentees")
    for mentee in mentees:
        await chosen.set_checked(str(mentee), True)


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(desk_command(PairForm.mentees), Command("pair"), flags=DESK)
    return router


def dialogs() -> list[Dialog]:
    back_or_cancel = Row(
        Back(Fl("pair-back"), id="pair_back"),
        Button(Fl("pair-cancel"), id="pair_cancel", on_click=cancelled),
    )
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
            Button(Fl("pair-cancel"), id="pair_cancel", on_click=cancelled),
            state=PairForm.mentees,
            getter=mentees_getter,
        ),
        Window(
            Fl("pair-pick-mentor", when="mentors"),
            Format("\n{ranked}", when="mentors"),
            Fl("pair-no-mentors", when=~F["mentors"]),
            Column(choice("pair_mentor", "mentors", mentor_chosen)),
            SwitchTo(Fl("pair-refer"), id="pair_refer", state=PairForm.referral_note),
            back_or_cancel,
            state=PairForm.mentor,
            getter=mentors_getter,
        ),
        Window(
            Fl("pair-pick-forms"),
            Group(ticks("pair_forms", "forms"), width=2),
            Button(Fl("pair-done"), id="pair_forms_done", on_click=forms_chosen),
            back_or_cancel,
            state=PairForm.forms,
            getter=forms_getter,
        ),
        Window(
            Fl("pair-forms-chosen"),
            Fl("pair-ask-start"),
            Button(Fl("pair-start-today"), id="pair_start_today", on_click=start_chosen),
            *date_input("pair_start", start_chosen, DAY),
            back_or_cancel,
            state=PairForm.start,
            getter=start_getter,
        ),
        Window(
            Fl("pair-ask-end"),
            Row(choice("pair_end_after", "ends", end_chosen)),
            *date_input("pair_end", end_chosen, DAY),
            back_or_cancel,
            state=PairForm.end,
            getter=end_getter,
        ),
        Window(
            Format("{summary}"),
            Button(Fl("pair-send"), id="pair_send", on_click=send_proposal),
            back_or_cancel,
            state=PairForm.confirm,
            getter=summary_getter,
        ),
        Window(
            Fl("referral-ask-note"),
            Button(Fl("referral-no-note"), id="referral_without_note", on_click=refer),
            *text_input("referral_note", refer, bounded_text(referrals.MAX_NOTE)),
            Row(
                SwitchTo(Fl("pair-back"), id="referral_back", state=PairForm.mentor),
                Button(Fl("pair-cancel"), id="pair_cancel", on_click=cancelled),
            ),
            state=PairForm.referral_note,
            getter=names_getter,
        ),
    ]
    return [Dialog(*windows, on_start=form_opened)]
