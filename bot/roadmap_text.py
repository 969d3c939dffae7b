"""The yearly roadmap in the reader's words (handlers/roadmap.py shows them): a stage's name,
button, state and card, where the year stands, and the curators told of a stage done or the
year approved (through the queue, in their language)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.mail import Mail
from bot.reminder_buttons import RoadmapOpen
from bot.services import roadmap
from bot.services.people import Actor
from bot.ui import button, esc, format_date, format_day, keyboard
from models import RoadmapStage


def years_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def stage_name(i18n: I18nContext, stage: RoadmapStage) -> str:
    return i18n.get(f"deadline-stage-{stage.code}")


def stage_button(i18n: I18nContext, stage: RoadmapStage, day: date) -> str:
    state, name = roadmap.state_of(stage, day), stage_name(i18n, stage)
    due = stage.due_on.strftime("%d.%m") if stage.due_on else ""
    return i18n.get(f"roadmap-stage-{state}", position=stage.position, name=name, due=due)


def member_label(i18n: I18nContext, member: roadmap.Member) -> str:
    role = i18n.get(f"role-{member.role}")
    if member.name:
        return i18n.get("roadmap-member", name=member.name, role=role)
    return i18n.get("roadmap-member-unnamed", role=role)


def approval_line(i18n: I18nContext, approved: datetime | None, timezone: str) -> str:
    if approved is None:
        return i18n.get("roadmap-not-approved")
    return i18n.get("roadmap-approved", date=format_day(approved, timezone))


def progress_lines(i18n: I18nContext, stages: list[RoadmapStage], day: date) -> list[str]:
    """Done of all, the next deadline, the overdue stages."""
    done = roadmap.progress(stages, day)
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


@dataclass(frozen=True)
class Overview:
    """The year as a person sees it: `own`, only their stages; `edits`, theirs to change."""

    year: int
    stages: list[RoadmapStage]
    day: date
    approved: datetime | None
    timezone: str
    own: bool
    edits: bool


def year_overview(i18n: I18nContext, seen: Overview) -> str:
    """The year's title, where it stands, and whether the head approved it."""
    own, stages = seen.own, seen.stages
    title = "roadmap-mine-title" if own else "roadmap-title"
    lines = [i18n.get(title, years=years_label(seen.year))]
    if not stages:
        empty = "roadmap-not-set-up-curator" if seen.edits else "roadmap-not-set-up-head"
        lines += ["", i18n.get("roadmap-mine-empty" if own else empty)]
    else:
        lines += ["", *progress_lines(i18n, stages, seen.day)]
    if stages and not own:
        lines += ["", approval_line(i18n, seen.approved, seen.timezone)]
        if not seen.edits:
            lines.append(i18n.get("roadmap-read-only"))
    return "\n".join(lines)


def state_line(i18n: I18nContext, stage: RoadmapStage, day: date, timezone: str) -> str:
    state = roadmap.state_of(stage, day)
    if state == roadmap.DONE:
        assert stage.done_at is not None
        return i18n.get("roadmap-state-done", date=format_day(stage.done_at, timezone))
    if stage.due_on is None:
        return i18n.get("roadmap-state-open")
    days = (stage.due_on - day).days
    return i18n.get(f"roadmap-state-{state}", due=format_date(stage.due_on), days=days)


def actions_text(i18n: I18nContext, stage: RoadmapStage) -> str:
    return esc(stage.actions) if stage.actions else i18n.get("roadmap-actions-none")


def stage_card(
    i18n: I18nContext,
    stage: RoadmapStage,
    responsible: roadmap.Member | None,
    day: date,
    timezone: str,
) -> list[str]:
    """A stage as its card shows it: which, its year and state, who answers for it, what to do."""
    name, total = stage_name(i18n, stage), len(roadmap.STAGES)
    return [
        i18n.get("roadmap-stage-title", position=stage.position, total=total, name=name),
        i18n.get("roadmap-stage-year", years=years_label(stage.year)),
        state_line(i18n, stage, day, timezone),
        i18n.get("roadmap-responsible", name=esc(member_label(i18n, responsible)))
        if responsible
        else i18n.get("roadmap-responsible-nobody"),
        "",
        i18n.get("roadmap-actions-title"),
        actions_text(i18n, stage),
    ]


async def tell_curators(
    session: AsyncSession,
    mail: Mail,
    i18n: I18nContext,
    actor: Actor,
    organisation_id: int,
    text: Callable[[I18nContext], str],
    key: str,
) -> None:
    """The curators (but `actor`, who acted) hear of it with a button to the roadmap: queued,
    in their language, in working hours, once per `key`."""
    for curator in await roadmap.curators(session, organisation_id):
        if curator.telegram_id == actor.telegram_id:
            continue
        with i18n.use_locale(curator.language or i18n.locale):
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


async def tell_done(
    session: AsyncSession,
    mail: Mail,
    i18n: I18nContext,
    actor: Actor,
    stage: RoadmapStage,
) -> None:
    """The curators hear that a stage is done, and who marked it (`actor`)."""
    assert stage.done_at is not None and actor.user is not None
    name = await roadmap.name_in(session, stage.organisation_id, actor.user.id)

    def text(i18n: I18nContext) -> str:
        who = esc(name) if name else i18n.get("roadmap-someone")
        return i18n.get("roadmap-done-notice", stage=stage_name(i18n, stage), name=who)

    key = f"roadmap-done:{stage.id}:{stage.done_at:%Y%m%d%H%M%S}"
    await tell_curators(session, mail, i18n, actor, stage.organisation_id, text, key)
