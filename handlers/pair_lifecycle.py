"""A pair's life from its card in /pairs: extend the term, replace the mentor, end early,
complete. One dialog (`PairLife`, started at `START[kind]` with `{"id": pair_id}`): a reason
the Положение allows, what is needed (a date, a mentor), a confirmation; the step is kept in the
pair's history and told to the people concerned. "← К паре" goes back to the card.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Data, Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Button, Column
from aiogram_dialog.widgets.text import Case, Format, Text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.final_report_text import invite_to_reports
from bot.services import deadlines, lifecycle, matching, rules
from bot.services.errors import UserFacingError
from bot.services.lifecycle import active_desk_pair, curator_membership
from bot.services.pair_members import contacts, participants
from bot.ui import MaybeId, RecordId, error_text, format_date
from handlers.dialog_kit import (
    Ctx,
    Fl,
    Gone,
    OutOfRange,
    choice,
    ctx,
    date_input,
    owned,
    say,
    start_id,
    today,
)
from handlers.pair_ui import (
    DAY,
    News,
    contacts_of,
    full_name,
    name_of,
    ranked_mentors,
    reason_named,
    term_text,
)
from handlers.roles import CURATOR, only
from models import Pair

EXTEND_OPTIONS = ("1", "3", "6")  # months added to the current end, offered as buttons


class LifeCb(CallbackData, prefix="plc"):
    """A step on a pair from a plain button (the pair's card in /pairs had them)."""

    action: str  # extend, replace, early, complete
    pair_id: RecordId
    code: str = ""  # these three: the shape of the buttons already sent
    value: MaybeId = 0
    page: MaybeId = 0


class PairLife(StatesGroup):
    extend, replace, early = State(), State(), State()  # the reason, for the kinds that need one
    new_end, mentor = State(), State()
    confirm = State()  # any kind's (dialog data: kind)


STEPS = {  # each kind's steps in order; the first is where the dialog starts
    "extend": (PairLife.extend, PairLife.new_end, PairLife.confirm),
    "replace": (PairLife.replace, PairLife.mentor, PairLife.confirm),
    "early": (PairLife.early, PairLife.confirm),
    "complete": (PairLife.confirm,),
}
START = {kind: steps[0] for kind, steps in STEPS.items()}
REASONS = {
    "extend": rules.EXTENSION_REASONS,
    "replace": rules.REPLACEMENT_REASONS,
    "early": rules.EARLY_END_REASONS,
}


async def life_tapped(
    query: CallbackQuery, callback_data: LifeCb, dialog_manager: DialogManager
) -> None:
    """A lifecycle button on the pair's card: the dialog takes the card's message."""
    state = START.get(callback_data.action)
    pair = await owned(dialog_manager, active_desk_pair, callback_data.pair_id)
    if state is None:
        raise Gone
    await dialog_manager.start(state, {"id": pair.id}, mode=StartMode.RESET_STACK)


async def _pair(manager: DialogManager) -> Pair:
    return await owned(manager, active_desk_pair, start_id(manager))


def _current_end(pair: Pair, manager: DialogManager) -> date:
    """The end the term is extended from: as lifecycle.extend takes it (today in the
    kindergarten's time zone for a pair stored without an end)."""
    return pair.ends_on or today(manager)


def _kind(manager: DialogManager) -> str:
    return str(manager.dialog_data.get("kind", "complete"))


async def started(_: Data, manager: DialogManager) -> None:
    state = manager.current_context().state
    manager.dialog_data["kind"] = next(kind for kind, first in START.items() if first == state)


async def pair_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """What every step shows: the pair (active, this desk's), the reason and the choice."""
    pair, c, data = await _pair(dialog_manager), ctx(dialog_manager), dialog_manager.dialog_data
    end, kind = _current_end(pair, dialog_manager), _kind(dialog_manager)
    reason, new_end = data.get("reason"), data.get("ends_on")
    done, total = (await deadlines.fulfilment(c.session, [pair.id])).get(pair.id, (0, 0))
    months = ((m, rules.add_months(end, int(m))) for m in EXTEND_OPTIONS)
    return {
        "kind": kind,
        "back": dialog_manager.current_context().state != STEPS[kind][0],
        "number": pair.id,
        "plan_done": done,
        "plan_total": total,
        "end": format_date(pair.ends_on),
        "reason": c.i18n.get(f"pair-reason-{reason}") if reason else "",
        "new_end": format_date(date.fromisoformat(new_end)) if new_end else "",
        "old": data.get("old", ""),
        "new": data.get("new", ""),
        "reasons": [(code, c.i18n.get(f"pair-reason-{code}")) for code in REASONS.get(kind, ())],
        "months": [
            (m, c.i18n.get("pairlife-extend-by", months=int(m), date=format_date(day)))
            for m, day in months
        ],
        "earliest": end + timedelta(days=1),
        "latest": rules.add_months(end, rules.MAX_TERM_MONTHS),
    }


# --- steps ---------------------------------------------------------------------------------


async def _next(manager: DialogManager, by: int = 1) -> None:
    """The kind's next step (or, `by=-1`, the one before)."""
    steps = STEPS[_kind(manager)]
    await manager.switch_to(steps[max(steps.index(manager.current_context().state) + by, 0)])


async def back(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    await _next(manager, -1)


async def reason_picked(_: CallbackQuery, __: Any, manager: DialogManager, reason: str) -> None:
    if reason not in REASONS.get(_kind(manager), ()):  # a forged or outdated button
        raise Gone
    manager.dialog_data["reason"] = reason
    await _next(manager)
    calendar = manager.find("pair_extend_calendar")
    if calendar is not None:  # it opens on the month the term ends
        calendar.set_offset(_current_end(await _pair(manager), manager))


async def date_chosen(event: Any, _: Any, manager: DialogManager, ends_on: date) -> None:
    """A day typed, tapped or some months on: one the rules refuse is explained, asked again."""
    i18n = ctx(manager).i18n
    try:
        lifecycle.check_new_end(_current_end(await _pair(manager), manager), ends_on)
    except UserFacingError as error:
        again = "\n" + i18n.get("pairlife-extend-again") if isinstance(event, Message) else ""
        await say(event, manager, error_text(i18n, error) + again)
        return
    manager.dialog_data["ends_on"] = ends_on.isoformat()
    await _next(manager)


async def months_tapped(query: CallbackQuery, _: Any, manager: DialogManager, months: str) -> None:
    if months not in EXTEND_OPTIONS:
        raise OutOfRange
    day = rules.add_months(_current_end(await _pair(manager), manager), int(months))
    await date_chosen(query, None, manager, day)


async def mentors_getter(dialog_manager: DialogManager, **kwargs: Any) -> dict[str, Any]:
    c, pair = ctx(dialog_manager), await _pair(dialog_manager)
    matches = await matching.replacement_mentors(c.session, pair)
    dialog_manager.dialog_data["offered"] = [m.membership_id for m in matches]
    ranked = ranked_mentors(c.i18n, matches)
    ranked["ranked"] = ranked["ranked"] or c.i18n.get("pairlife-no-mentors")
    return {**await pair_getter(dialog_manager, **kwargs), **ranked}


async def mentor_picked(_: CallbackQuery, __: Any, manager: DialogManager, item: str) -> None:
    if not item.isdigit() or int(item) not in manager.dialog_data.get("offered", []):
        raise OutOfRange
    c, pair = ctx(manager), await _pair(manager)
    old, new = pair.mentor_membership_id, int(item)
    people, no_name = await contacts(c.session, [old, new]), c.i18n.get("pair-no-name")
    manager.dialog_data.update(
        mentor_id=new,
        old=full_name(people[old].full_name, no_name),
        new=full_name(people[new].full_name, no_name),
    )
    await _next(manager)


# --- the decisions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """A confirmed step: the pair, the dialog's choices, the update's services."""

    c: Ctx
    pair_id: int
    data: dict[str, Any]

    @property
    def pair(self) -> tuple[AsyncSession, int, int]:  # a lifecycle service's first arguments
        organisation = self.c.actor.organisation
        return self.c.session, self.pair_id, organisation.id if organisation else 0

    @property
    def by(self) -> dict[str, Any]:  # and its last: who decides, when
        return {"actor_membership_id": curator_membership(self.c.actor), "now": self.c.clock.now()}

    @property
    def news(self) -> News:
        return News(self.c.mail, self.c.i18n)


async def extend(d: Decision) -> str:
    ends_on, reason = date.fromisoformat(d.data["ends_on"]), d.data["reason"]
    pair = await lifecycle.extend(*d.pair, ends_on=ends_on, reason=reason, **d.by)
    mentor, mentees = await participants(d.c.session, pair)
    why, end = reason_named(reason), format_date(pair.ends_on)
    told: dict[str, Any] = {"number": pair.id, "end": end}
    await d.news.tell([mentor, *mentees], "pairlife-extended-told", reason=why, **told)
    return d.c.i18n.get("pairlife-extended", reason=why(d.c.i18n.get), **told)


async def replace(d: Decision) -> str:
    new_mentor_id, reason = int(d.data.get("mentor_id", 0)), d.data["reason"]
    replaced = await lifecycle.replace_mentor(
        *d.pair, new_mentor_id=new_mentor_id, reason=reason, **d.by
    )
    pair, old_id, session, news = replaced.pair, replaced.old_mentor_id, d.c.session, d.news
    old = (await contacts(session, [old_id]))[old_id]
    mentor, mentees = await participants(session, pair)
    why, number = reason_named(reason), pair.id
    await news.tell([old], "pairlife-replaced-old", number=number, reason=why)
    await news.tell(
        [mentor],
        "pairlife-replaced-new",
        number=number,
        count=len(mentees),
        mentees=contacts_of(mentees),
        term=lambda get: term_text(get, pair),
    )
    partner = contacts_of([mentor])
    await news.tell(mentees, "pairlife-replaced-mentee", number=number, mentor=partner, reason=why)
    names = {"old": name_of(old)(d.c.i18n.get), "new": name_of(mentor)(d.c.i18n.get)}
    return d.c.i18n.get("pairlife-replaced", number=number, **names)


async def end(d: Decision, completed: bool) -> str:
    reason = lifecycle.COMPLETION_REASON if completed else d.data["reason"]
    key = "pairlife-completed" if completed else "pairlife-ended-early"
    pair = await lifecycle.end(*d.pair, completed=completed, reason=reason, **d.by)
    mentor, mentees = await participants(d.c.session, pair)
    why, c = reason_named(reason), d.c
    await d.news.tell([mentor, *mentees], f"{key}-told", number=pair.id, reason=why)
    await invite_to_reports(c.session, c.mail, c.i18n, pair.id)  # the final reports
    return c.i18n.get(key, number=pair.id, reason=why(c.i18n.get))


DECIDE: dict[str, Callable[[Decision], Awaitable[str]]] = {
    "extend": extend,
    "replace": replace,
    "early": partial(end, completed=False),
    "complete": partial(end, completed=True),
}


async def confirmed(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    """The step is taken, the people concerned told, the outcome shown on the card."""
    c, pair_id = ctx(manager), int(str(start_id(manager)))
    try:
        result = await DECIDE[_kind(manager)](Decision(c, pair_id, manager.dialog_data))
    except UserFacingError as error:
        await query.answer(error_text(c.i18n, error), show_alert=True)
        await manager.done()
        return
    await _close_on(query, manager, result)


async def _close_on(query: CallbackQuery, manager: DialogManager, text: str | None) -> None:
    """Close the dialog: the pair's card beneath it (/pairs) shows `text` above a button to
    the card, or the card itself; opened by a plain button, the message keeps `text`."""
    await manager.done({"id": start_id(manager), "notice": text})
    if not manager.has_context() and text and isinstance(query.message, Message):
        await query.message.edit_text(text)


async def to_card(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    await _close_on(query, manager, None)


# --- the dialog ----------------------------------------------------------------------------


def _step(state: State, text: Text, *widgets: Any, getter: Any = pair_getter) -> Window:
    """A step about the pair: its text, what it did of its plan, its widgets, back, the card."""
    return Window(
        text,
        Fl("pairlife-plan-fulfilment", when="plan_total"),
        *widgets,
        Button(Fl("pair-back"), "pair_life_back", back, when="back"),
        Button(Fl("pairlife-back"), id="pair_card_back", on_click=to_card),
        state=state,
        getter=getter,
    )


def dialogs() -> list[Dialog]:
    reasons = [
        _step(
            START[kind],
            Fl(f"pairlife-{kind}-why"),
            Column(choice(f"pair_{kind}_reason", "reasons", reason_picked)),
        )
        for kind in REASONS
    ]
    yes = Case({kind: Fl(f"pairlife-yes-{kind}") for kind in STEPS}, selector="kind")
    new_end = _step(
        PairLife.new_end,
        Fl("pairlife-extend-until"),
        Column(choice("pair_extend_months", "months", months_tapped)),
        *date_input("pair_extend", date_chosen, DAY),
    )
    mentor = _step(
        PairLife.mentor,
        Fl("pairlife-replace-pick"),
        Format("\n{ranked}"),
        Column(choice("pair_replace_mentor", "mentors", mentor_picked)),
        getter=mentors_getter,
    )
    confirm = _step(
        PairLife.confirm,
        Case({kind: Fl(f"pairlife-{kind}-confirm") for kind in STEPS}, selector="kind"),
        Button(yes, "pair_life_confirm", confirmed),
    )
    return [only(CURATOR, Dialog(*reasons, new_end, mentor, confirm, on_start=started))]


def router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(life_tapped, LifeCb.filter(), flags=CURATOR)
    return router
