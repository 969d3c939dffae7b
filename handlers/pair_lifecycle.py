"""A pair's life from its card in /pairs: extend the term, replace the mentor, end early,
complete. One dialog (`PairLife`, started with `{"id": pair_id}`): a reason the
Положение allows, what is needed (a date, a mentor), a confirmation; the step is kept in the
pair's history and told to the people concerned. "← К паре" goes back to the card.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Back, Button, Column
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import deadlines, lifecycle, matching, rules
from bot.services.errors import UserFacingError
from bot.services.pair_members import contacts, participants
from bot.services.people import Actor
from bot.ui import error_text, format_date
from handlers.dialog_kit import (
    Fl,
    Gone,
    LocalCalendar,
    bounded_date,
    choice,
    middleware,
    owned,
    start_id,
    text_input,
)
from handlers.final_report import invite_to_reports
from handlers.pair_consent import News, contacts_of, name_of, reason_named
from handlers.pair_form import mentor_reasons
from handlers.pair_ui import full_name, short_name, term_text
from handlers.roles import DESK
from models import Pair, PairStatus, Role

EXTEND_OPTIONS = ("1", "3", "6")  # months added to the current end, offered as buttons


class LifeCb(CallbackData, prefix="plc"):
    """A step on a pair from a plain button (the pair's card in /pairs had them)."""

    action: str  # extend, replace, early, complete
    pair_id: int
    code: str = ""  # these three: the shape of the buttons already sent
    value: int = 0
    page: int = 0


class PairLife(StatesGroup):
    extend_reason = State()
    extend_date = State()
    extend_confirm = State()
    replace_reason = State()
    replace_mentor = State()
    replace_confirm = State()
    early_reason = State()
    early_confirm = State()
    complete_confirm = State()


START = {
    "extend": PairLife.extend_reason,
    "replace": PairLife.replace_reason,
    "early": PairLife.early_reason,
    "complete": PairLife.complete_confirm,
}


def desk_membership(actor: Actor) -> int | None:
    membership = actor.membership(Role.CURATOR) or actor.membership(Role.HEAD)
    return membership.id if membership else None


async def desk_pair(session: AsyncSession, actor: Actor, pair_id: int) -> Pair | None:
    """The pair of the person's organisation, for its curator or head."""
    if actor.organisation is None or desk_membership(actor) is None:
        return None
    pair = await session.get(Pair, pair_id)
    return pair if pair is not None and pair.organisation_id == actor.organisation.id else None


async def active_desk_pair(session: AsyncSession, actor: Actor, pair_id: int) -> Pair | None:
    pair = await desk_pair(session, actor, pair_id)
    return pair if pair is not None and pair.status == PairStatus.ACTIVE else None


async def life_tapped(
    query: CallbackQuery, callback_data: LifeCb, dialog_manager: DialogManager
) -> None:
    """A lifecycle button on the pair's card: the dialog takes the card's message."""
    state = START.get(callback_data.action)
    pair = await owned(dialog_manager, active_desk_pair, callback_data.pair_id)
    if state is None:
        raise Gone
    await dialog_manager.start(state, {"id": pair.id}, mode=StartMode.RESET_STACK)


def _i18n(manager: DialogManager) -> I18nContext:
    i18n: I18nContext = manager.middleware_data["i18n"]
    return i18n


def _current_end(pair: Pair) -> date:
    return pair.ends_on or (pair.starts_on or date.today())


async def pair_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """What every step shows: the pair (active, this desk's), the reason and the choice."""
    pair = await owned(dialog_manager, active_desk_pair, start_id(dialog_manager))
    i18n, data = _i18n(dialog_manager), dialog_manager.dialog_data
    end = _current_end(pair)
    reason = data.get("reason")
    new_end = data.get("ends_on")
    session = middleware(dialog_manager)[0]
    done, total = (await deadlines.fulfilment(session, [pair.id])).get(pair.id, (0, 0))
    return {
        "number": pair.id,
        "plan_done": done,
        "plan_total": total,
        "end": format_date(pair.ends_on),
        "reason": i18n.get(f"pair-reason-{reason}") if reason else "",
        "new_end": format_date(date.fromisoformat(new_end)) if new_end else "",
        "old": data.get("old", ""),
        "new": data.get("new", ""),
        "extend_reasons": _labelled(i18n, rules.EXTENSION_REASONS),
        "replace_reasons": _labelled(i18n, rules.REPLACEMENT_REASONS),
        "early_reasons": _labelled(i18n, rules.EARLY_END_REASONS),
        "months": [
            (m, i18n.get("pairlife-extend-by", months=int(m), date=format_date(_plus(end, m))))
            for m in EXTEND_OPTIONS
        ],
        "earliest": end + timedelta(days=1),
        "latest": rules.add_months(end, rules.MAX_TERM_MONTHS),
    }


def _labelled(i18n: I18nContext, reasons: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(reason, i18n.get(f"pair-reason-{reason}")) for reason in reasons]


def _plus(end: date, months: str) -> date:
    return rules.add_months(end, int(months))


# --- steps ---------------------------------------------------------------------------------


def reason_picked(allowed: tuple[str, ...], then: State) -> Any:
    async def picked(_: CallbackQuery, __: Any, manager: DialogManager, reason: str) -> None:
        if reason not in allowed:  # a forged or outdated button
            raise Gone
        manager.dialog_data["reason"] = reason
        await manager.switch_to(then)
        calendar = manager.find("pair_extend_calendar")
        if calendar is not None:  # it opens on the month the term ends
            pair = await owned(manager, active_desk_pair, start_id(manager))
            calendar.set_offset(_current_end(pair))

    return picked


async def date_chosen(event: Any, _: Any, manager: DialogManager, ends_on: date) -> None:
    """A day typed, tapped or some months on: one the rules refuse is explained, asked again."""
    pair = await owned(manager, active_desk_pair, start_id(manager))
    current, i18n = _current_end(pair), _i18n(manager)
    if ends_on <= current:
        problem = i18n.get("pair-extend-not-later", end=format_date(current))
    elif ends_on > rules.add_months(current, rules.MAX_TERM_MONTHS):
        problem = i18n.get("pair-extend-too-far", months=rules.MAX_TERM_MONTHS)
    else:
        manager.dialog_data["ends_on"] = ends_on.isoformat()
        await manager.switch_to(PairLife.extend_confirm)
        return
    if isinstance(event, Message):
        await event.answer(problem + "\n" + i18n.get("pairlife-extend-again"))
    elif isinstance(event, CallbackQuery):
        await event.answer(problem, show_alert=True)


async def months_tapped(query: CallbackQuery, _: Any, manager: DialogManager, months: str) -> None:
    if months not in EXTEND_OPTIONS:
        raise Gone
    pair = await owned(manager, active_desk_pair, start_id(manager))
    await date_chosen(query, None, manager, _plus(_current_end(pair), months))


async def mentors_getter(dialog_manager: DialogManager, **kwargs: Any) -> dict[str, Any]:
    data = await pair_getter(dialog_manager, **kwargs)
    session, _ = middleware(dialog_manager)
    pair = await owned(dialog_manager, active_desk_pair, start_id(dialog_manager))
    _, mentees = await participants(session, pair)
    matches = await matching.rank_mentors(
        session,
        pair.organisation_id,
        [mentee.membership_id for mentee in mentees],
        exclude_mentor_id=pair.mentor_membership_id,
    )
    i18n = _i18n(dialog_manager)
    no_name = i18n.get("pair-no-name")
    blocks = [
        f"{n}. <b>{full_name(m.full_name, no_name)}</b>\n{mentor_reasons(i18n, m)}"
        for n, m in enumerate(matches, start=1)
    ]
    data["mentors"] = [
        (str(m.membership_id), f"{n}. {short_name(m.full_name, no_name)}")
        for n, m in enumerate(matches, start=1)
    ]
    data["offered"] = "\n\n".join(blocks) or i18n.get("pairlife-no-mentors")
    dialog_manager.dialog_data["offered"] = [m.membership_id for m in matches]
    return data


async def mentor_picked(_: CallbackQuery, __: Any, manager: DialogManager, item: str) -> None:
    if not item.isdigit() or int(item) not in manager.dialog_data.get("offered", []):
        raise Gone
    session, ___ = middleware(manager)
    pair = await owned(manager, active_desk_pair, start_id(manager))
    people = await contacts(session, [pair.mentor_membership_id, int(item)])
    no_name = _i18n(manager).get("pair-no-name")
    manager.dialog_data.update(
        mentor_id=int(item),
        old=full_name(people[pair.mentor_membership_id].full_name, no_name),
        new=full_name(people[int(item)].full_name, no_name),
    )
    await manager.switch_to(PairLife.replace_confirm)


# --- the decisions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """What a confirmed step needs: the pair's id and who, when, in which organisation."""

    session: AsyncSession
    pair_id: int
    organisation_id: int
    by: dict[str, Any]  # actor_membership_id, now: the service's keywords
    news: News
    i18n: I18nContext


async def _decide(query: CallbackQuery, manager: DialogManager, action: Any) -> None:
    """`action(decision)` changes the pair, tells people and returns what to show."""
    session, actor = middleware(manager)
    data, i18n = manager.middleware_data, _i18n(manager)
    by = {"actor_membership_id": desk_membership(actor), "now": data["clock"].now()}
    organisation = actor.organisation.id if actor.organisation else 0
    decision = Decision(
        session, int(str(start_id(manager))), organisation, by, News.of(manager), i18n
    )
    try:
        result = await action(decision)
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        await manager.done()
        return
    await _close_on(query, manager, result)


async def _close_on(query: CallbackQuery, manager: DialogManager, text: str | None) -> None:
    """Close the dialog: the pair's card beneath it (/pairs) shows `text` above a button to
    the card, or the card itself; opened by a plain button, the message keeps `text`."""
    await manager.done({"id": start_id(manager), "notice": text})
    if not manager.has_context() and text and isinstance(query.message, Message):
        await query.message.edit_text(text)


async def extend_confirmed(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    reason = str(manager.dialog_data.get("reason"))
    ends_on = date.fromisoformat(str(manager.dialog_data.get("ends_on")))

    async def act(d: Decision) -> str:
        pair = await lifecycle.extend(
            d.session, d.pair_id, d.organisation_id, ends_on=ends_on, reason=reason, **d.by
        )
        mentor, mentees = await participants(d.session, pair)
        told: dict[str, Any] = {"end": format_date(pair.ends_on), "reason": reason_named(reason)}
        await d.news.tell([mentor, *mentees], "pairlife-extended-told", number=pair.id, **told)
        told["reason"] = told["reason"](d.i18n.get)
        return d.i18n.get("pairlife-extended", number=pair.id, **told)

    await _decide(query, manager, act)


async def replace_confirmed(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    reason = str(manager.dialog_data.get("reason"))
    new_mentor_id = int(manager.dialog_data.get("mentor_id", 0))

    async def act(d: Decision) -> str:
        replacement = await lifecycle.replace_mentor(
            d.session,
            d.pair_id,
            d.organisation_id,
            new_mentor_id=new_mentor_id,
            reason=reason,
            **d.by,
        )
        pair, old_id = replacement.pair, replacement.old_mentor_id
        old = (await contacts(d.session, [old_id]))[old_id]
        mentor, mentees = await participants(d.session, pair)
        why, term = reason_named(reason), lambda get: term_text(get, pair)
        await d.news.tell([old], "pairlife-replaced-old", number=pair.id, reason=why)
        await d.news.tell(
            [mentor],
            "pairlife-replaced-new",
            number=pair.id,
            count=len(mentees),
            mentees=contacts_of(mentees),
            term=term,
        )
        partner = contacts_of([mentor])
        await d.news.tell(
            mentees, "pairlife-replaced-mentee", number=pair.id, mentor=partner, reason=why
        )
        names = {"old": name_of(old)(d.i18n.get), "new": name_of(mentor)(d.i18n.get)}
        return d.i18n.get("pairlife-replaced", number=pair.id, **names)

    await _decide(query, manager, act)


async def ended(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    completed = button.widget_id == "pair_complete_confirm"
    reason = lifecycle.COMPLETION_REASON if completed else str(manager.dialog_data.get("reason"))
    key = "pairlife-completed" if completed else "pairlife-ended-early"

    async def act(d: Decision) -> str:
        pair = await lifecycle.end(
            d.session, d.pair_id, d.organisation_id, completed=completed, reason=reason, **d.by
        )
        mentor, mentees = await participants(d.session, pair)
        why = reason_named(reason)
        await d.news.tell([mentor, *mentees], f"{key}-told", number=pair.id, reason=why)
        await invite_to_reports(d.session, d.news.mail, d.i18n, pair.id)  # the final reports
        return d.i18n.get(key, number=pair.id, reason=why(d.i18n.get))

    await _decide(query, manager, act)


async def to_card(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    await _close_on(query, manager, None)


# --- the dialog ----------------------------------------------------------------------------


def _card() -> Button:
    return Button(Fl("pairlife-back"), id="pair_card_back", on_click=to_card)


def _pick(widget_id: str, items: str, on_click: Any) -> Column:
    """A button for each of `items` (id, label), one a row."""
    return Column(choice(widget_id, items, on_click))


def _step(key: str, *widgets: Any, state: State, back: bool = True, getter: Any = None) -> Window:
    """A step about the pair: its text and widgets, back (unless the first), the card."""
    more = [Back(Fl("pair-back"))] if back else []
    plan = Fl("pairlife-plan-fulfilment", when="plan_total")  # what the pair did of its plan
    return Window(
        Fl(key), plan, *widgets, *more, _card(), state=state, getter=getter or pair_getter
    )


def _flow(kind: str, allowed: tuple[str, ...], middle: list[Window], on_yes: Any) -> list[Window]:
    """A reason the rules allow, the steps in `middle`, a confirmation."""
    why, yes = getattr(PairLife, f"{kind}_reason"), getattr(PairLife, f"{kind}_confirm")
    then = middle[0].get_state() if middle else yes
    picked = _pick(f"pair_{kind}_reason", f"{kind}_reasons", reason_picked(allowed, then))
    button = Button(Fl(f"pairlife-yes-{kind}"), id=f"pair_{kind}_confirm", on_click=on_yes)
    return [
        _step(f"pairlife-{kind}-why", picked, state=why, back=False),
        *middle,
        _step(f"pairlife-{kind}-confirm", button, state=yes),
    ]


def dialogs() -> list[Dialog]:
    any_date = bounded_date(date(2000, 1, 1), date(2100, 12, 31))  # the rules' bounds: above
    new_end = _step(
        "pairlife-extend-until",
        _pick("pair_extend_months", "months", months_tapped),
        LocalCalendar("pair_extend_calendar", date_chosen),
        *text_input("pair_extend_date", date_chosen, any_date),
        state=PairLife.extend_date,
    )
    mentor = _step(
        "pairlife-replace-pick",
        Format("\n{offered}"),
        _pick("pair_replace_mentor", "mentors", mentor_picked),
        state=PairLife.replace_mentor,
        getter=mentors_getter,
    )
    complete = Button(Fl("pairlife-yes-complete"), id="pair_complete_confirm", on_click=ended)
    return [
        Dialog(
            *_flow("extend", rules.EXTENSION_REASONS, [new_end], extend_confirmed),
            *_flow("replace", rules.REPLACEMENT_REASONS, [mentor], replace_confirmed),
            *_flow("early", rules.EARLY_END_REASONS, [], ended),
            _step(
                "pairlife-complete-confirm", complete, state=PairLife.complete_confirm, back=False
            ),
        )
    ]


def router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(life_tapped, LifeCb.filter(), flags=DESK)
    return router
