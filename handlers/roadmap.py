"""/roadmap: the organisation's yearly roadmap. The curator sets up the school year from the
7-stage template, then opens a stage to write its actions, choose its deadline and who is
responsible, and mark it done; the head sees the year and approves it. A stage reminder's
«Этап выполнен» marks it done; «Дорожная карта» opens the dialog (a responsible person outside
the desk sees their own stages). Who may do what: bot/services/roadmap_access.py."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column, Row, StubScroll, SwitchTo
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext

from bot.reminder_buttons import RoadmapOpen, RoadmapStageDone
from bot.roadmap_text import (
    Overview,
    actions_text,
    member_label,
    stage_button,
    stage_card,
    stage_name,
    tell_curators,
    tell_done,
    year_overview,
    years_label,
)
from bot.services import roadmap
from bot.services.errors import UserFacingError
from bot.services.plan_access import member_ids
from bot.services.roadmap_access import (
    is_responsible,
    may_approve,
    may_edit,
    may_mark_stage,
    sees_all,
    stage_to_edit,
    stage_to_mark,
    stage_to_see,
)
from bot.ui import error_text, esc, format_date, keyboard
from handlers.desk_dialogs import desk_command, organisation, pager, widget
from handlers.dialog_kit import (
    Fl,
    Gone,
    Loader,
    LocalCalendar,
    OutOfRange,
    bounded_text,
    choice,
    ctx,
    open_below,
    owned,
    polite,
    safe_id,
    start_id,
    text_input,
    today,
)
from handlers.roles import DESK
from models import LARGEST_ID, RoadmapStage, Role

PEOPLE_PAGE = 8  # people a page when choosing who is responsible


class Roadmap(StatesGroup):
    year, stage = State(), State()
    actions, deadline, responsible = State(), State(), State()  # a stage's, by the curator


# --- what the screens show -----------------------------------------------------------------------


def year_of(manager: DialogManager) -> int:
    year = manager.dialog_data.get("year")
    return year if isinstance(year, int) else roadmap.school_year(today(manager))


def mine(manager: DialogManager) -> bool:
    """Only the person's own stages (a responsible person, from a reminder), in this year."""
    return bool(start_id(manager, "mine"))


async def year_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    c, day, year = ctx(dialog_manager), today(dialog_manager), year_of(dialog_manager)
    own, edits, org = mine(dialog_manager), may_edit(c.actor), organisation(dialog_manager)[2]
    stages = [
        stage
        for stage in await roadmap.stages_of(c.session, org, year)
        if not own or is_responsible(c.actor, stage)
    ]
    approved = await roadmap.approved_at(c.session, org, year, stages)
    seen = Overview(year, stages, day, approved, c.actor.timezone, own, edits)
    offered = roadmap.years_offered(day)
    return {
        "overview": year_overview(c.i18n, seen),
        "stages": [(stage.id, stage_button(c.i18n, stage, day)) for stage in stages],
        "may_set_up": edits and not stages and not own,
        "may_approve": may_approve(c.actor) and bool(stages) and approved is None and not own,
        "has_previous": not own and year - 1 in offered,
        "has_next": not own and year + 1 in offered,
        "previous": c.i18n.get("roadmap-year-previous", years=years_label(year - 1)),
        "next": c.i18n.get("roadmap-year-next", years=years_label(year + 1)),
    }


async def the_stage(
    manager: DialogManager, load: Loader[RoadmapStage] = stage_to_see
) -> RoadmapStage:
    return await owned(manager, load, manager.dialog_data.get("stage_id"))


async def stage_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    c, stage = ctx(dialog_manager), await the_stage(dialog_manager)
    responsible = await roadmap.member(
        c.session, stage.organisation_id, stage.responsible_membership_id
    )
    notice = dialog_manager.dialog_data.get("notice")
    lines = [notice, ""] if notice else []
    lines += stage_card(c.i18n, stage, responsible, today(dialog_manager), c.actor.timezone)
    marks = may_mark_stage(c.actor, stage)  # the stage is one the person may see (the_stage)
    return {
        "card": "\n".join(lines),
        "may_edit": may_edit(c.actor),
        "may_mark_done": marks and stage.done_at is None,
        "may_mark_not_done": marks and stage.done_at is not None,
    }


async def edit_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The edit steps: the stage (the curator's to change) and what it holds now."""
    c, stage = ctx(dialog_manager), await the_stage(dialog_manager, stage_to_edit)
    first, last = roadmap.year_bounds(stage.year)
    return {
        "name": stage_name(c.i18n, stage),
        "limit": roadmap.ACTIONS_LIMIT,
        "current": actions_text(c.i18n, stage),
        "first": format_date(first),
        "last": format_date(last),
        "has_deadline": stage.due_on is not None,
        "has_responsible": stage.responsible_membership_id is not None,
    }


async def people_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """A page of the people who may be responsible, read by the page in SQL."""
    c, stage = ctx(dialog_manager), await the_stage(dialog_manager, stage_to_edit)
    number = await widget(dialog_manager, "roadmap_people").get_page()
    people, pages = await roadmap.members_page(
        c.session, stage.organisation_id, number, PEOPLE_PAGE
    )
    chosen, label = stage.responsible_membership_id, partial(member_label, c.i18n)
    return {
        "pages": pages,
        "people": [
            (m.membership_id, ("✅ " if m.membership_id == chosen else "") + label(m))
            for m in people
        ],
    }


# --- steps ---------------------------------------------------------------------------------------


async def set_up_tapped(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    c = ctx(manager)
    if not may_edit(c.actor) or mine(manager):
        raise Gone
    template = {code: c.i18n.get(f"roadmap-template-{code}") for code in roadmap.STAGES}
    year, now = year_of(manager), c.clock.now()
    await roadmap.set_up(c.session, organisation(manager)[2], year, now, template)
    await query.answer(c.i18n.get("roadmap-set-up-done"))


async def approve_tapped(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    """The head approves the year's roadmap as it stands; the curators are told."""
    c, year = ctx(manager), year_of(manager)
    head, org = c.actor.membership(Role.HEAD), organisation(manager)[2]
    if head is None or mine(manager):
        raise Gone
    if not await roadmap.approve(c.session, org, year, head.id, c.clock.now()):
        raise Gone  # nothing to approve, or approved already (a double tap)
    await query.answer(c.i18n.get("roadmap-approved-thanks"))
    key = f"roadmap-approved:{org}:{year}:{c.clock.now():%Y%m%d%H%M%S}"

    def notice(i18n: I18nContext) -> str:
        return i18n.get("roadmap-approved-notice", years=years_label(year))

    await tell_curators(c.session, c.mail, c.i18n, c.actor, org, notice, key)


def year_button(delta: int, name: str) -> Button:
    """The year before or after (`previous`, `next`), within the years offered."""

    async def on_click(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
        year = year_of(manager) + delta
        if mine(manager) or year not in roadmap.years_offered(today(manager)):
            raise OutOfRange
        manager.dialog_data["year"] = year

    return Button(Format(f"{{{name}}}"), f"roadmap_year_{name}", on_click, when=f"has_{name}")


async def stage_opened(_: CallbackQuery, __: Any, manager: DialogManager, stage_id: int) -> None:
    stage = await owned(manager, stage_to_see, stage_id)
    manager.dialog_data.update(stage_id=stage.id, year=stage.year)
    manager.dialog_data.pop("notice", None)
    await manager.switch_to(Roadmap.stage)


def edit_button(name: str, step: State) -> Button:
    """«Мероприятия», «Срок», «Ответственный»: the curator's step to change that."""

    async def on_click(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
        stage = await the_stage(manager, stage_to_edit)
        if step == Roadmap.deadline:  # the calendar opens at the deadline, or at today
            first, last = roadmap.year_bounds(stage.year)
            shown = stage.due_on or min(max(today(manager), first), last)
            widget(manager, "roadmap_deadline").set_offset(shown)
        await manager.switch_to(step)

    return Button(Fl(f"roadmap-edit-{name}"), f"roadmap_stage_{name}", on_click, when="may_edit")


async def changed(manager: DialogManager, key: str, **args: Any) -> None:
    """Back to the stage's card, which says what was saved."""
    manager.dialog_data["notice"] = ctx(manager).i18n.get(key, **args)
    await manager.switch_to(Roadmap.stage)


async def actions_typed(_: Message, __: Any, manager: DialogManager, actions: str) -> None:
    stage = await the_stage(manager, stage_to_edit)
    roadmap.set_actions(stage, actions, ctx(manager).clock.now())
    await changed(manager, "roadmap-saved-actions")


@polite
async def deadline_chosen(_: Any, __: Any, manager: DialogManager, day: date | None) -> None:
    stage = await the_stage(manager, stage_to_edit)
    roadmap.set_deadline(stage, day, ctx(manager).clock.now())
    key = "roadmap-saved-deadline" if day else "roadmap-saved-no-deadline"
    await changed(manager, key, due=format_date(day))


@polite
async def responsible_chosen(_: Any, __: Any, manager: DialogManager, chosen: int | None) -> None:
    c, stage = ctx(manager), await the_stage(manager, stage_to_edit)
    if chosen is not None and not 0 < chosen <= LARGEST_ID:
        raise Gone
    await roadmap.set_responsible(c.session, stage, chosen, c.clock.now())
    if chosen is None:
        await changed(manager, "roadmap-saved-nobody")
        return
    member = await roadmap.member(c.session, stage.organisation_id, chosen)
    name = esc(member_label(c.i18n, member)) if member else "—"
    await changed(manager, "roadmap-saved-responsible", name=name)


def none_button(chosen: Any, key: str, when: str) -> Button:
    """«Без срока», «Без ответственного»: the step's handler, with nothing chosen."""

    async def on_click(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
        await chosen(query, button, manager, None)

    return Button(Fl(key), key.replace("-", "_"), on_click, when=when)  # roadmap_no_deadline


def mark_button(done: bool) -> Button:
    """Mark the stage done, or take the mark back; a second tap changes nothing."""

    async def on_click(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
        c, stage = ctx(manager), await the_stage(manager, stage_to_mark)
        if (stage.done_at is not None) == done:
            return
        roadmap.mark_done(stage, done, c.clock.now())
        notice = "roadmap-marked-done" if done else "roadmap-marked-not-done"
        manager.dialog_data["notice"] = c.i18n.get(notice)
        if done:
            await tell_done(c.session, c.mail, c.i18n, c.actor, stage)

    which = "done" if done else "not_done"
    key = f"roadmap-mark-{which}".replace("_", "-")
    return Button(Fl(key), f"roadmap_stage_{which}", on_click, when=f"may_mark_{which}")


# --- the reminder's buttons ----------------------------------------------------------------------


async def stage_done_tapped(
    query: CallbackQuery, callback_data: RoadmapStageDone, dialog_manager: DialogManager
) -> None:
    """«Этап выполнен» on a reminder: for the responsible person or a curator of its
    organisation (whichever organisation they work in now); the button then leaves the
    message. Anyone else, a stage gone or a forged id: a polite answer, nothing changes."""
    c, user = ctx(dialog_manager), ctx(dialog_manager).actor.user
    try:
        stage = await roadmap.mark_by(
            c.session, callback_data.stage_id, user.id if user else None, c.clock.now()
        )
    except UserFacingError as error:  # gone, not theirs, or done already
        await query.answer(error_text(c.i18n, error), show_alert=True)
        return
    await query.answer(c.i18n.get("roadmap-done-thanks", name=stage_name(c.i18n, stage)))
    await tell_done(c.session, c.mail, c.i18n, c.actor, stage)
    message = query.message
    if isinstance(message, Message) and message.reply_markup is not None:
        rows = message.reply_markup.inline_keyboard
        kept = [[b for b in row if b.callback_data != query.data] for row in rows]
        await message.edit_reply_markup(reply_markup=keyboard(*kept))


async def roadmap_open_tapped(
    query: CallbackQuery, callback_data: RoadmapOpen, dialog_manager: DialogManager
) -> None:
    """«Дорожная карта» on a reminder: the whole roadmap for the desk, their own stages for a
    responsible person; in the organisation the reminder is about (the one they work in)."""
    c, org = ctx(dialog_manager), callback_data.organisation_id
    if c.actor.organisation is None or c.actor.organisation.id != org:
        await query.answer(c.i18n.get("error-stale-button"), show_alert=True)
    elif sees_all(c.actor):
        await open_below(query, dialog_manager, Roadmap.year)
    elif await roadmap.is_responsible_for_any(c.session, org, set(member_ids(c.actor))):
        await open_below(query, dialog_manager, Roadmap.year, {"mine": True})
    else:
        await query.answer(c.i18n.get("roadmap-not-allowed"), show_alert=True)


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(desk_command(Roadmap.year), Command("roadmap"), flags=DESK)
    router.callback_query.register(stage_done_tapped, RoadmapStageDone.filter())
    router.callback_query.register(roadmap_open_tapped, RoadmapOpen.filter())
    return router


def dialogs() -> list[Dialog]:
    to_stage = SwitchTo(Fl("roadmap-back-to-stage"), "roadmap_edit_back", Roadmap.stage)
    actions = text_input("roadmap_actions", actions_typed, bounded_text(roadmap.ACTIONS_LIMIT))
    people = choice("roadmap_responsible", "people", responsible_chosen, safe_id)

    def bounds(manager: DialogManager) -> tuple[date, date]:
        return roadmap.year_bounds(year_of(manager))

    def edit(state: State, *widgets: Any) -> Window:
        """A step changing the stage, back to it when done (or by «К этапу»)."""
        return Window(*widgets, to_stage, state=state, getter=edit_getter)

    return [
        Dialog(
            Window(
                Format("{overview}"),
                Button(Fl("roadmap-set-up"), "roadmap_set_up", set_up_tapped, when="may_set_up"),
                Button(
                    Fl("roadmap-approve"), "roadmap_approve", approve_tapped, when="may_approve"
                ),
                Column(choice("roadmap_stage", "stages", stage_opened, safe_id)),
                Row(year_button(-1, "previous"), year_button(1, "next")),
                state=Roadmap.year,
                getter=year_getter,
            ),
            Window(
                Format("{card}"),
                Row(
                    edit_button("actions", Roadmap.actions),
                    edit_button("deadline", Roadmap.deadline),
                ),
                edit_button("responsible", Roadmap.responsible),
                mark_button(True),
                mark_button(False),
                SwitchTo(Fl("roadmap-back"), "roadmap_stage_back", Roadmap.year),
                state=Roadmap.stage,
                getter=stage_getter,
            ),
            edit(Roadmap.actions, Fl("roadmap-ask-actions"), Format("{current}"), *actions),
            edit(
                Roadmap.deadline,
                Fl("roadmap-ask-deadline"),
                LocalCalendar("roadmap_deadline", deadline_chosen, bounds),
                none_button(deadline_chosen, "roadmap-no-deadline", "has_deadline"),
            ),
            Window(
                Fl("roadmap-ask-responsible"),
                StubScroll("roadmap_people", pages="pages"),
                Column(people),
                pager("roadmap_people"),
                none_button(responsible_chosen, "roadmap-nobody", "has_responsible"),
                to_stage,
                state=Roadmap.responsible,
                getter=[edit_getter, people_getter],
            ),
        )
    ]
