"""/roadmap: the organisation's yearly roadmap (one dialog, `Roadmap`).

The curator sets up the school year's roadmap from the 7-stage template (each stage's actions
filled in, in the curator's language), then opens a stage to write its actions, choose its
deadline on the calendar, choose who is responsible (anyone of the organisation) and mark it
done. The head sees where the year stands, read-only. A stage reminder's buttons
(bot/jobs/deadlines.py): «Этап выполнен» marks the stage done for its responsible person or a
curator; «Дорожная карта» opens this dialog, for a responsible person who is not at the desk
with only their own stages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.widgets.kbd import Button, Column, Row, SwitchTo
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.mail import Mail
from bot.reminder_buttons import RoadmapOpen, RoadmapStageDone
from bot.services import roadmap
from bot.services.clock import Clock
from bot.services.people import Actor
from bot.ui import button, esc, format_date, keyboard
from handlers.desk_dialogs import desk_command, widget
from handlers.dialog_kit import (
    Fl,
    Gone,
    LocalCalendar,
    OutOfRange,
    bounded_text,
    choice,
    owned,
    paged,
    polite,
    safe_id,
    text_input,
)
from handlers.roles import DESK
from models import MembershipStatus, RoadmapStage, Role

YEARS_BACK = 2  # earlier school years the desk may look at (and a year ahead, to plan it)
LARGEST_ID = 2**31  # ids are 32-bit integers on PostgreSQL: anything above is forged


class Roadmap(StatesGroup):
    year = State()
    stage = State()
    actions = State()
    deadline = State()
    responsible = State()


# --- who may do what: checked on every step, never from what the screen showed -------------------


def sees_all(actor: Actor) -> bool:
    """The curator, the head (and an administrator) see the whole roadmap."""
    return actor.organisation is not None and (actor.is_admin or actor.is_desk)


def may_edit(actor: Actor) -> bool:
    """Only the curator (or an administrator) changes it; the head reads."""
    return actor.organisation is not None and (
        actor.is_admin or actor.membership(Role.CURATOR) is not None
    )


def may_approve(actor: Actor) -> bool:
    """The head approves the roadmap (domain.md); the curator writes it."""
    return actor.organisation is not None and actor.membership(Role.HEAD) is not None


def my_memberships(actor: Actor) -> set[int]:
    return {m.id for m in actor.memberships if m.status == MembershipStatus.ACTIVE}


async def stage_to_see(session: AsyncSession, actor: Actor, stage_id: int) -> RoadmapStage | None:
    """A stage of the person's organisation, for the desk or the stage's responsible person."""
    if actor.organisation is None or not 0 < stage_id < LARGEST_ID:
        return None
    stage = await session.get(RoadmapStage, stage_id)
    if stage is None or stage.organisation_id != actor.organisation.id:
        return None
    if sees_all(actor) or stage.responsible_membership_id in my_memberships(actor):
        return stage
    return None


async def stage_to_edit(session: AsyncSession, actor: Actor, stage_id: int) -> RoadmapStage | None:
    stage = await stage_to_see(session, actor, stage_id)
    return stage if stage is not None and may_edit(actor) else None


async def stage_to_mark(session: AsyncSession, actor: Actor, stage_id: int) -> RoadmapStage | None:
    """The curator, or the person responsible for the stage, marks it done (not the head)."""
    stage = await stage_to_see(session, actor, stage_id)
    return stage if stage is not None and may_mark_stage(actor, stage) else None


def may_mark_stage(actor: Actor, stage: RoadmapStage) -> bool:
    """For a stage the person may see: the curator, or the stage's responsible person."""
    return may_edit(actor) or stage.responsible_membership_id in my_memberships(actor)


# --- what the screens show -----------------------------------------------------------------------


def _services(manager: DialogManager) -> tuple[AsyncSession, Actor, I18nContext, Clock]:
    data = manager.middleware_data
    return data["session"], data["actor"], data["i18n"], data["clock"]


def _today(manager: DialogManager) -> date:
    _, actor, _, clock = _services(manager)
    if actor.organisation is None:
        raise Gone
    return clock.today(actor.organisation.timezone)


def years_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def year_of(manager: DialogManager) -> int:
    year = manager.dialog_data.get("year")
    return year if isinstance(year, int) else roadmap.school_year(_today(manager))


def stage_name(i18n: I18nContext, stage: RoadmapStage) -> str:
    return i18n.get(f"deadline-stage-{stage.code}")


def stage_button(i18n: I18nContext, stage: RoadmapStage, today: date) -> str:
    state = roadmap.state_of(stage, today)
    due = stage.due_on.strftime("%d.%m") if stage.due_on else ""
    name = stage_name(i18n, stage)
    return i18n.get(f"roadmap-stage-{state}", position=stage.position, name=name, due=due)


def member_label(i18n: I18nContext, member: roadmap.Member) -> str:
    role = i18n.get(f"role-{member.role}")
    if member.name:
        return i18n.get("roadmap-member", name=member.name, role=role)
    return i18n.get("roadmap-member-unnamed", role=role)


async def opened(start_data: Any, manager: DialogManager) -> None:
    start = start_data if isinstance(start_data, dict) else {}
    manager.dialog_data["year"] = roadmap.school_year(_today(manager))
    manager.dialog_data["mine"] = bool(start.get("mine"))


async def year_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    session, actor, i18n, _clock = _services(dialog_manager)
    today, year = _today(dialog_manager), year_of(dialog_manager)
    assert actor.organisation is not None  # _today made sure
    mine = bool(dialog_manager.dialog_data.get("mine"))
    rows = await roadmap.stages_of(session, actor.organisation.id, year)
    if mine:
        rows = [r for r in rows if r.stage.responsible_membership_id in my_memberships(actor)]
    stages = [row.stage for row in rows]
    title = "roadmap-mine-title" if mine else "roadmap-title"
    lines = [i18n.get(title, years=years_label(year))]
    if not stages:
        empty = "roadmap-not-set-up-curator" if may_edit(actor) else "roadmap-not-set-up-head"
        lines += ["", i18n.get("roadmap-mine-empty" if mine else empty)]
    else:
        lines += ["", *progress_lines(i18n, stages, today)]
    approved = await roadmap.approved_at(session, actor.organisation.id, year, stages)
    if stages and not mine:
        lines += ["", approval_line(i18n, approved, actor.organisation.timezone)]
        if not may_edit(actor):
            lines.append(i18n.get("roadmap-read-only"))
    current = roadmap.school_year(today)
    return {
        "overview": "\n".join(lines),
        "stages": [(stage.id, stage_button(i18n, stage, today)) for stage in stages],
        "may_set_up": may_edit(actor) and not stages and not mine,
        "may_approve": may_approve(actor) and bool(stages) and approved is None and not mine,
        "has_previous": not mine and year > current - YEARS_BACK,
        "has_next": not mine and year < current + 1,
        "previous": i18n.get("roadmap-year-previous", years=years_label(year - 1)),
        "next": i18n.get("roadmap-year-next", years=years_label(year + 1)),
    }


def approval_line(i18n: I18nContext, approved: datetime | None, timezone: str) -> str:
    if approved is None:
        return i18n.get("roadmap-not-approved")
    day = approved.astimezone(ZoneInfo(timezone)).date()
    return i18n.get("roadmap-approved", date=format_date(day))


def progress_lines(i18n: I18nContext, stages: list[RoadmapStage], today: date) -> list[str]:
    """Done of all, the next deadline, the overdue stages."""
    done = roadmap.progress(stages, today)
    lines = [i18n.get("roadmap-progress", done=done.done, total=done.total)]
    if done.next_due is not None:
        stage = done.next_due
        name = stage_name(i18n, stage)
        lines.append(i18n.get("roadmap-next-due", due=format_date(stage.due_on), stage=name))
    elif done.done < done.total:
        lines.append(i18n.get("roadmap-no-next-due"))
    if done.overdue:
        names = ", ".join(f"«{stage_name(i18n, stage)}»" for stage in done.overdue)
        lines.append(i18n.get("roadmap-overdue", stages=names))
    return lines


async def the_stage(manager: DialogManager, load: Any = stage_to_see) -> RoadmapStage:
    stage: RoadmapStage = await owned(manager, load, manager.dialog_data.get("stage_id"))
    return stage


async def stage_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    session, actor, i18n, _clock = _services(dialog_manager)
    stage, today = await the_stage(dialog_manager), _today(dialog_manager)
    rows = await roadmap.stages_of(session, stage.organisation_id, stage.year)
    responsible = next((r.responsible for r in rows if r.stage.id == stage.id), None)
    notice = dialog_manager.dialog_data.get("notice")
    lines = [notice, ""] if notice else []
    lines += [
        i18n.get(
            "roadmap-stage-title",
            position=stage.position,
            total=len(roadmap.STAGES),
            name=stage_name(i18n, stage),
        ),
        i18n.get("roadmap-stage-year", years=years_label(stage.year)),
        state_line(i18n, stage, today),
        i18n.get("roadmap-responsible", name=esc(member_label(i18n, responsible)))
        if responsible
        else i18n.get("roadmap-responsible-nobody"),
        "",
        i18n.get("roadmap-actions-title"),
        esc(stage.actions) if stage.actions else i18n.get("roadmap-actions-none"),
    ]
    is_done = stage.done_at is not None
    marks = may_mark_stage(actor, stage)  # the stage is one the person may see (the_stage)
    return {
        "card": "\n".join(lines),
        "may_edit": may_edit(actor),
        "may_mark_done": marks and not is_done,
        "may_mark_not_done": marks and is_done,
    }


def state_line(i18n: I18nContext, stage: RoadmapStage, today: date) -> str:
    state = roadmap.state_of(stage, today)
    if state == roadmap.DONE:
        assert stage.done_at is not None
        return i18n.get("roadmap-state-done", date=format_date(stage.done_at.date()))
    if stage.due_on is None:
        return i18n.get("roadmap-state-open")
    days = (stage.due_on - today).days
    return i18n.get(f"roadmap-state-{state}", due=format_date(stage.due_on), days=days)


async def edit_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The edit steps: the stage (the curator's to change) and what it holds now."""
    session, _actor, i18n, _clock = _services(dialog_manager)
    stage = await the_stage(dialog_manager, stage_to_edit)
    first, last = roadmap.year_bounds(stage.year)
    people = await roadmap.members(session, stage.organisation_id)
    chosen = stage.responsible_membership_id
    return {
        "name": stage_name(i18n, stage),
        "limit": roadmap.ACTIONS_LIMIT,
        "current": esc(stage.actions) if stage.actions else i18n.get("roadmap-actions-none"),
        "first": format_date(first),
        "last": format_date(last),
        "has_deadline": stage.due_on is not None,
        "has_responsible": chosen is not None,
        "people": [
            (m.membership_id, ("✅ " if m.membership_id == chosen else "") + member_label(i18n, m))
            for m in people
        ],
    }


# --- steps ---------------------------------------------------------------------------------------


async def set_up_tapped(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    session, actor, i18n, clock = _services(manager)
    if not may_edit(actor) or manager.dialog_data.get("mine"):
        raise Gone
    assert actor.organisation is not None
    template = {code: i18n.get(f"roadmap-template-{code}") for code in roadmap.STAGES}
    await roadmap.set_up(session, actor.organisation.id, year_of(manager), clock.now(), template)
    await query.answer(i18n.get("roadmap-set-up-done"))


async def approve_tapped(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    """The head approves the year's roadmap as it stands; the curators are told."""
    session, actor, i18n, clock = _services(manager)
    head = actor.membership(Role.HEAD)
    if actor.organisation is None or head is None or manager.dialog_data.get("mine"):
        raise Gone
    year = year_of(manager)
    stages = [row.stage for row in await roadmap.stages_of(session, actor.organisation.id, year)]
    if not stages or await roadmap.approved_at(session, actor.organisation.id, year, stages):
        raise Gone  # nothing to approve, or approved already (a double tap)
    await roadmap.approve(session, actor.organisation.id, year, head.id, clock.now())
    await query.answer(i18n.get("roadmap-approved-thanks"))
    await tell_curators(
        session,
        actor,
        i18n,
        manager.middleware_data["mail"],
        actor.organisation.id,
        lambda i18n: i18n.get("roadmap-approved-notice", years=years_label(year)),
        f"roadmap-approved:{actor.organisation.id}:{year}:{clock.now():%Y%m%d%H%M%S}",
    )


def year_step(delta: int) -> Any:
    """The year before or after, within the years offered."""

    async def on_click(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
        current = roadmap.school_year(_today(manager))
        year = year_of(manager) + delta
        if manager.dialog_data.get("mine") or not current - YEARS_BACK <= year <= current + 1:
            raise OutOfRange
        manager.dialog_data["year"] = year

    return on_click


async def stage_opened(_: CallbackQuery, __: Any, manager: DialogManager, stage_id: int) -> None:
    stage = await owned(manager, stage_to_see, stage_id)
    manager.dialog_data.update(stage_id=stage.id, year=stage.year)
    manager.dialog_data.pop("notice", None)
    await manager.switch_to(Roadmap.stage)


def edit_step(step: State) -> Any:
    async def on_click(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
        stage = await the_stage(manager, stage_to_edit)
        if step == Roadmap.deadline:  # the calendar opens at the deadline, or at today
            first, last = roadmap.year_bounds(stage.year)
            shown = stage.due_on or min(max(_today(manager), first), last)
            widget(manager, "roadmap_deadline").set_offset(shown)
        await manager.switch_to(step)

    return on_click


async def back_to_stage(manager: DialogManager, notice: str) -> None:
    manager.dialog_data["notice"] = notice
    await manager.switch_to(Roadmap.stage)


async def actions_typed(_: Message, __: Any, manager: DialogManager, actions: str) -> None:
    _session, _actor, i18n, clock = _services(manager)
    stage = await the_stage(manager, stage_to_edit)
    roadmap.set_actions(stage, actions, clock.now())
    await back_to_stage(manager, i18n.get("roadmap-saved-actions"))


def deadline_bounds(manager: DialogManager) -> tuple[date, date]:
    return roadmap.year_bounds(year_of(manager))


@polite
async def deadline_chosen(_: Any, __: Any, manager: DialogManager, day: date) -> None:
    _session, _actor, i18n, clock = _services(manager)
    stage = await the_stage(manager, stage_to_edit)
    roadmap.set_deadline(stage, day, clock.now())
    await back_to_stage(manager, i18n.get("roadmap-saved-deadline", due=format_date(day)))


async def deadline_removed(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    _session, _actor, i18n, clock = _services(manager)
    stage = await the_stage(manager, stage_to_edit)
    roadmap.set_deadline(stage, None, clock.now())
    await back_to_stage(manager, i18n.get("roadmap-saved-no-deadline"))


@polite
async def responsible_chosen(_: Any, __: Any, manager: DialogManager, membership_id: int) -> None:
    session, _actor, i18n, clock = _services(manager)
    stage = await the_stage(manager, stage_to_edit)
    if not 0 < membership_id < LARGEST_ID:
        raise Gone
    await roadmap.set_responsible(session, stage, membership_id, clock.now())
    people = await roadmap.members(session, stage.organisation_id)
    chosen = next((m for m in people if m.membership_id == membership_id), None)
    name = esc(member_label(i18n, chosen)) if chosen else "—"
    await back_to_stage(manager, i18n.get("roadmap-saved-responsible", name=name))


async def responsible_removed(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    session, _actor, i18n, clock = _services(manager)
    stage = await the_stage(manager, stage_to_edit)
    await roadmap.set_responsible(session, stage, None, clock.now())
    await back_to_stage(manager, i18n.get("roadmap-saved-nobody"))


def marking(done: bool) -> Any:
    """Mark the stage done, or take the mark back; a second tap changes nothing."""

    async def on_click(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
        session, actor, i18n, clock = _services(manager)
        stage = await the_stage(manager, stage_to_mark)
        if (stage.done_at is not None) == done:
            return
        roadmap.mark_done(stage, done, clock.now())
        manager.dialog_data["notice"] = i18n.get(
            "roadmap-marked-done" if done else "roadmap-marked-not-done"
        )
        if done:
            await tell_done(session, actor, i18n, manager.middleware_data["mail"], stage)

    return on_click


async def tell_done(
    session: AsyncSession, actor: Actor, i18n: I18nContext, mail: Mail, stage: RoadmapStage
) -> None:
    """The curators hear that a stage is done, and who marked it."""
    assert stage.done_at is not None and actor.user is not None
    name = await roadmap.name_in(session, stage.organisation_id, actor.user.id)

    def text(i18n: I18nContext) -> str:
        return i18n.get(
            "roadmap-done-notice",
            stage=stage_name(i18n, stage),
            name=esc(name) if name else i18n.get("roadmap-someone"),
        )

    key = f"roadmap-done:{stage.id}:{stage.done_at:%Y%m%d%H%M%S}"
    await tell_curators(session, actor, i18n, mail, stage.organisation_id, text, key)


async def tell_curators(
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
    mail: Mail,
    organisation_id: int,
    text: Callable[[I18nContext], str],
    key: str,
) -> None:
    """The curators (but the one who acted) hear of it with a button to the roadmap: queued,
    in their language, in working hours, once per `key`."""
    default = i18n.locale
    for curator in await roadmap.curators(session, organisation_id):
        if curator.telegram_id == actor.telegram_id:
            continue
        with i18n.use_locale(curator.language or default):
            open_it = RoadmapOpen(organisation_id=organisation_id)
            markup = keyboard([button(i18n.get("deadline-button-roadmap"), open_it)])
            said = text(i18n)
        await mail.send(
            curator.telegram_id,
            said,
            markup,
            purpose="reminder",
            urgent=False,
            organisation_id=organisation_id,
            key=f"{key}:{curator.telegram_id}",
        )


# --- the reminder's buttons ----------------------------------------------------------------------


async def stage_done_tapped(
    query: CallbackQuery,
    callback_data: RoadmapStageDone,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
    mail: Mail,
) -> None:
    """«Этап выполнен» on a reminder: for the responsible person or a curator of its
    organisation (whichever organisation they work in now); the button then leaves the
    message. Anyone else, a stage gone or a forged id: a polite answer, nothing changes."""
    stage_id = callback_data.stage_id
    stage = await session.get(RoadmapStage, stage_id) if 0 < stage_id < LARGEST_ID else None
    if stage is None or actor.user is None:
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    if not await roadmap.may_mark(session, stage, actor.user.id):
        await query.answer(i18n.get("roadmap-not-yours"), show_alert=True)
        return
    if stage.done_at is not None:
        await query.answer(i18n.get("roadmap-already-done"), show_alert=True)
        return
    roadmap.mark_done(stage, True, clock.now())
    await query.answer(i18n.get("roadmap-done-thanks", name=stage_name(i18n, stage)))
    await tell_done(session, actor, i18n, mail, stage)
    message = query.message
    if isinstance(message, Message) and message.reply_markup is not None:
        rows = message.reply_markup.inline_keyboard
        kept = [[b for b in row if b.callback_data != query.data] for row in rows]
        await message.edit_reply_markup(reply_markup=keyboard(*kept))


async def roadmap_open_tapped(
    query: CallbackQuery,
    callback_data: RoadmapOpen,
    dialog_manager: DialogManager,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    """«Дорожная карта» on a reminder: the whole roadmap for the desk, their own stages for a
    responsible person; in the organisation the reminder is about (the one they work in)."""
    organisation = actor.organisation
    if organisation is None or organisation.id != callback_data.organisation_id:
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    start: dict[str, Any] | None = None
    if not sees_all(actor):
        if not await roadmap.is_responsible_for_any(
            session, organisation.id, my_memberships(actor)
        ):
            await query.answer(i18n.get("roadmap-not-allowed"), show_alert=True)
            return
        start = {"mine": True}
    await query.answer()
    # A new message: the reminder stays as it was.
    await dialog_manager.start(
        Roadmap.year, start, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND
    )


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(desk_command(Roadmap.year), Command("roadmap"), flags=DESK)
    router.callback_query.register(stage_done_tapped, RoadmapStageDone.filter())
    router.callback_query.register(roadmap_open_tapped, RoadmapOpen.filter())
    return router


def dialogs() -> list[Dialog]:
    to_stage = SwitchTo(Fl("roadmap-back-to-stage"), "roadmap_edit_back", Roadmap.stage)
    actions = text_input("roadmap_actions", actions_typed, bounded_text(roadmap.ACTIONS_LIMIT))
    return [
        Dialog(
            Window(
                Format("{overview}"),
                Button(Fl("roadmap-set-up"), "roadmap_set_up", set_up_tapped, when="may_set_up"),
                Button(
                    Fl("roadmap-approve"), "roadmap_approve", approve_tapped, when="may_approve"
                ),
                Column(choice("roadmap_stage", "stages", stage_opened, safe_id)),
                Row(
                    Button(
                        Format("{previous}"),
                        "roadmap_year_previous",
                        year_step(-1),
                        when="has_previous",
                    ),
                    Button(Format("{next}"), "roadmap_year_next", year_step(1), when="has_next"),
                ),
                state=Roadmap.year,
                getter=year_getter,
            ),
            Window(
                Format("{card}"),
                Row(
                    Button(
                        Fl("roadmap-edit-actions"),
                        "roadmap_stage_actions",
                        edit_step(Roadmap.actions),
                        when="may_edit",
                    ),
                    Button(
                        Fl("roadmap-edit-deadline"),
                        "roadmap_stage_deadline",
                        edit_step(Roadmap.deadline),
                        when="may_edit",
                    ),
                ),
                Button(
                    Fl("roadmap-edit-responsible"),
                    "roadmap_stage_responsible",
                    edit_step(Roadmap.responsible),
                    when="may_edit",
                ),
                Button(
                    Fl("roadmap-mark-done"),
                    "roadmap_stage_done",
                    marking(True),
                    when="may_mark_done",
                ),
                Button(
                    Fl("roadmap-mark-not-done"),
                    "roadmap_stage_not_done",
                    marking(False),
                    when="may_mark_not_done",
                ),
                SwitchTo(Fl("roadmap-back"), "roadmap_stage_back", Roadmap.year),
                state=Roadmap.stage,
                getter=stage_getter,
            ),
            Window(
                Fl("roadmap-ask-actions"),
                Format("{current}"),
                *actions,
                to_stage,
                state=Roadmap.actions,
                getter=edit_getter,
            ),
            Window(
                Fl("roadmap-ask-deadline"),
                LocalCalendar("roadmap_deadline", deadline_chosen, deadline_bounds),
                Button(
                    Fl("roadmap-no-deadline"),
                    "roadmap_no_deadline",
                    deadline_removed,
                    when="has_deadline",
                ),
                to_stage,
                state=Roadmap.deadline,
                getter=edit_getter,
            ),
            Window(
                Fl("roadmap-ask-responsible"),
                paged(
                    choice("roadmap_responsible", "people", responsible_chosen, safe_id),
                    "roadmap_people",
                ),
                Button(
                    Fl("roadmap-nobody"),
                    "roadmap_nobody",
                    responsible_removed,
                    when="has_responsible",
                ),
                to_stage,
                state=Roadmap.responsible,
                getter=edit_getter,
            ),
            on_start=opened,
        )
    ]
