"""A pair's life from its card in /pairs: extend the term, replace the mentor, end early,
complete. One dialog (`PairLife`, started with `{"id": pair_id, "page": page}`): a reason the
Положение allows, what is needed (a date, a mentor), a confirmation; the step is kept in the
pair's history and told to the people concerned. "← К паре" goes back to the card.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram import Router
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Back, Button, Column, Select
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.mail import Mail
from bot.services import lifecycle, matching, rules
from bot.services.errors import UserFacingError
from bot.services.pair_members import contacts, participants
from bot.services.people import Actor
from bot.ui import button, error_text, format_date, keyboard
from handlers.dialog_kit import Fl, Gone, bounded_date, middleware, owned, start_id, text_input
from handlers.local_calendar import LocalCalendar
from handlers.pair_form import mentor_reasons
from handlers.pair_ui import Translate, contact_line, full_name, short_name, tell, term_text
from handlers.pairs import LifeCb, PairsCb, render_card
from handlers.roles import DESK
from models import Pair, PairStatus, Role

EXTEND_OPTIONS = ("1", "3", "6")  # months added to the current end, offered as buttons


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
    start = {"id": pair.id, "page": callback_data.page}
    await dialog_manager.start(state, start, mode=StartMode.RESET_STACK)


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
    return {
        "number": pair.id,
        "end": format_date(pair.ends_on),
        "reason": i18n.get(f"pair-reason-{reason}") if reason else "",
        "new_end": format_date(date.fromisoformat(new_end)) if new_end else "",
        "old": data.get("old", ""),
        "new": data.get("new", ""),
        "extension_reasons": _labelled(i18n, rules.EXTENSION_REASONS),
        "replacement_reasons": _labelled(i18n, rules.REPLACEMENT_REASONS),
        "early_reasons": _labelled(i18n, rules.EARLY_END_REASONS),
        "months": [
            (m, i18n.get("pairlife-extend-by", months=int(m), date=format_date(_plus(end, m))))
            for m in EXTEND_OPTIONS
        ],
        "earliest": end,
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

    return picked


async def _date_chosen(message: Message | None, manager: DialogManager, ends_on: date) -> None:
    """Any date may be typed or tapped; one out of the rules is explained, and asked again."""
    pair = await owned(manager, active_desk_pair, start_id(manager))
    current, i18n = _current_end(pair), _i18n(manager)
    problem = None
    if ends_on <= current:
        problem = i18n.get("pair-extend-not-later", end=format_date(current))
    elif ends_on > rules.add_months(current, rules.MAX_TERM_MONTHS):
        problem = i18n.get("pair-extend-too-far", months=rules.MAX_TERM_MONTHS)
    if problem is None:
        manager.dialog_data["ends_on"] = ends_on.isoformat()
        await manager.switch_to(PairLife.extend_confirm)
    elif message is not None:
        await message.answer(problem + "\n" + i18n.get("pairlife-extend-again"))
    elif isinstance(manager.event, CallbackQuery):
        await manager.event.answer(problem, show_alert=True)


async def date_typed(message: Message, _: Any, manager: DialogManager, ends_on: date) -> None:
    await _date_chosen(message, manager, ends_on)


async def date_tapped(_: Any, __: Any, manager: DialogManager, ends_on: date) -> None:
    await _date_chosen(None, manager, ends_on)


async def months_tapped(_: CallbackQuery, __: Any, manager: DialogManager, months: str) -> None:
    if months not in EXTEND_OPTIONS:
        raise Gone
    pair = await owned(manager, active_desk_pair, start_id(manager))
    await _date_chosen(None, manager, _plus(_current_end(pair), months))


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


async def _decide(query: CallbackQuery, manager: DialogManager, action: Any) -> None:
    """Do `action(session, actor, pair_id, now, mail, i18n, default)` -> the result's text."""
    session, actor = middleware(manager)
    data = manager.middleware_data
    try:
        result = await action(
            session, actor, start_id(manager), data["clock"].now(), data["mail"], _i18n(manager)
        )
    except UserFacingError as error:
        await query.answer(error_text(_i18n(manager), error), show_alert=True)
        await manager.done()
        return
    await _close_on(query, manager, result)


async def _close_on(query: CallbackQuery, manager: DialogManager, text: str | None) -> None:
    """Close the dialog; its message shows `text` with a button to the card, or the card."""
    pair_id, page = start_id(manager), start_id(manager, "page")
    session, actor = middleware(manager)
    i18n = _i18n(manager)
    await manager.done()
    if (
        manager.has_context()
        or not isinstance(pair_id, int)
        or not isinstance(query.message, Message)
    ):
        return  # the card is a dialog underneath: it shows itself
    page = page if isinstance(page, int) else 0
    if text is None:
        text, markup = await render_card(session, actor, i18n, pair_id, page)
    else:
        card = PairsCb(action="open", pair_id=pair_id, page=page)
        markup = keyboard([button(i18n.get("pairlife-back"), card)])
    await query.message.edit_text(text, reply_markup=markup)


def _org(actor: Actor) -> int:
    return actor.organisation.id if actor.organisation else 0


def _default(i18n: I18nContext) -> str:
    return i18n.core.default_locale or "ru"


async def extend_confirmed(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    reason = str(manager.dialog_data.get("reason"))
    ends_on = date.fromisoformat(str(manager.dialog_data.get("ends_on")))

    async def act(
        session: AsyncSession, actor: Actor, pair_id: int, now: Any, mail: Mail, i18n: I18nContext
    ) -> str:
        pair = await lifecycle.extend(
            session,
            pair_id,
            _org(actor),
            ends_on=ends_on,
            reason=reason,
            actor_membership_id=desk_membership(actor),
            now=now,
        )
        mentor, mentees = await participants(session, pair)
        end = format_date(pair.ends_on)
        await tell(
            mail,
            i18n,
            _default(i18n),
            [mentor, *mentees],
            lambda get: get(
                "pairlife-extended-told",
                number=pair.id,
                end=end,
                reason=get(f"pair-reason-{reason}"),
            ),
        )
        return i18n.get(
            "pairlife-extended", number=pair.id, end=end, reason=i18n.get(f"pair-reason-{reason}")
        )

    await _decide(query, manager, act)


async def replace_confirmed(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    reason = str(manager.dialog_data.get("reason"))
    new_mentor_id = int(manager.dialog_data.get("mentor_id", 0))

    async def act(
        session: AsyncSession, actor: Actor, pair_id: int, now: Any, mail: Mail, i18n: I18nContext
    ) -> str:
        replacement = await lifecycle.replace_mentor(
            session,
            pair_id,
            _org(actor),
            new_mentor_id=new_mentor_id,
            reason=reason,
            actor_membership_id=desk_membership(actor),
            now=now,
        )
        pair = replacement.pair
        old = (await contacts(session, [replacement.old_mentor_id]))[replacement.old_mentor_id]
        mentor, mentees = await participants(session, pair)
        default = _default(i18n)

        def why(get: Translate) -> str:
            return get(f"pair-reason-{reason}")

        await tell(
            mail,
            i18n,
            default,
            [old],
            lambda get: get("pairlife-replaced-old", number=pair.id, reason=why(get)),
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
                reason=why(get),
            ),
        )
        no_name = i18n.get("pair-no-name")
        return i18n.get(
            "pairlife-replaced",
            number=pair.id,
            old=full_name(old.full_name, no_name),
            new=full_name(mentor.full_name, no_name),
        )

    await _decide(query, manager, act)


async def end_confirmed(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    completed = button.widget_id == "pair_complete_confirm"
    reason = lifecycle.COMPLETION_REASON if completed else str(manager.dialog_data.get("reason"))

    async def act(
        session: AsyncSession, actor: Actor, pair_id: int, now: Any, mail: Mail, i18n: I18nContext
    ) -> str:
        pair = await lifecycle.end(
            session,
            pair_id,
            _org(actor),
            completed=completed,
            reason=reason,
            actor_membership_id=desk_membership(actor),
            now=now,
        )
        mentor, mentees = await participants(session, pair)

        def text(get: Translate, key: str) -> str:
            if completed:
                return get(f"pairlife-completed{key}", number=pair.id)
            why = get(f"pair-reason-{reason}")
            return get(f"pairlife-ended-early{key}", number=pair.id, reason=why)

        await tell(mail, i18n, _default(i18n), [mentor, *mentees], lambda g: text(g, "-told"))
        return text(i18n.get, "")

    await _decide(query, manager, act)


async def to_card(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    await _close_on(query, manager, None)


# --- the dialog ----------------------------------------------------------------------------


def _card() -> Button:
    return Button(Fl("pairlife-back"), id="pair_card_back", on_click=to_card)


def _reasons(widget_id: str, items: str, allowed: tuple[str, ...], then: State) -> Column:
    return Column(
        Select(
            Format("{item[1]}"),
            id=widget_id,
            item_id_getter=lambda item: item[0],
            items=items,
            on_click=reason_picked(allowed, then),
        )
    )


def _confirm(text: Fl, button: Button, state: State) -> Window:
    return Window(text, button, Back(Fl("pair-back")), _card(), state=state, getter=pair_getter)


def dialogs() -> list[Dialog]:
    return [
        Dialog(
            Window(
                Fl("pairlife-extend-why"),
                _reasons(
                    "pair_extend_reason",
                    "extension_reasons",
                    rules.EXTENSION_REASONS,
                    PairLife.extend_date,
                ),
                _card(),
                state=PairLife.extend_reason,
                getter=pair_getter,
            ),
            Window(
                Fl("pairlife-extend-until"),
                Column(
                    Select(
                        Format("{item[1]}"),
                        id="pair_extend_months",
                        item_id_getter=lambda item: item[0],
                        items="months",
                        on_click=months_tapped,
                    )
                ),
                LocalCalendar(id="pair_extend_calendar", on_click=date_tapped),
                *text_input(
                    "pair_extend_date",
                    date_typed,
                    bounded_date(date(2000, 1, 1), date(2100, 12, 31)),
                ),
                Back(Fl("pair-back")),
                _card(),
                state=PairLife.extend_date,
                getter=pair_getter,
            ),
            _confirm(
                Fl("pairlife-extend-confirm"),
                Button(
                    Fl("pairlife-yes-extend"), id="pair_extend_confirm", on_click=extend_confirmed
                ),
                PairLife.extend_confirm,
            ),
            Window(
                Fl("pairlife-replace-why"),
                _reasons(
                    "pair_replace_reason",
                    "replacement_reasons",
                    rules.REPLACEMENT_REASONS,
                    PairLife.replace_mentor,
                ),
                _card(),
                state=PairLife.replace_reason,
                getter=pair_getter,
            ),
            Window(
                Fl("pairlife-replace-pick"),
                Format("\n{offered}"),
                Column(
                    Select(
                        Format("{item[1]}"),
                        id="pair_replace_mentor",
                        item_id_getter=lambda item: item[0],
                        items="mentors",
                        on_click=mentor_picked,
                    )
                ),
                Back(Fl("pair-back")),
                _card(),
                state=PairLife.replace_mentor,
                getter=mentors_getter,
            ),
            _confirm(
                Fl("pairlife-replace-confirm"),
                Button(
                    Fl("pairlife-yes-replace"),
                    id="pair_replace_confirm",
                    on_click=replace_confirmed,
                ),
                PairLife.replace_confirm,
            ),
            Window(
                Fl("pairlife-early-why"),
                _reasons(
                    "pair_early_reason",
                    "early_reasons",
                    rules.EARLY_END_REASONS,
                    PairLife.early_confirm,
                ),
                _card(),
                state=PairLife.early_reason,
                getter=pair_getter,
            ),
            _confirm(
                Fl("pairlife-early-confirm"),
                Button(Fl("pairlife-yes-end"), id="pair_early_confirm", on_click=end_confirmed),
                PairLife.early_confirm,
            ),
            Window(
                Fl("pairlife-complete-confirm"),
                Button(
                    Fl("pairlife-yes-complete"), id="pair_complete_confirm", on_click=end_confirmed
                ),
                _card(),
                state=PairLife.complete_confirm,
                getter=pair_getter,
            ),
        )
    ]


def router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(life_tapped, LifeCb.filter(), flags=DESK)
    return router
