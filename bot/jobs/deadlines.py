"""Deadline reminders: who is told what, with which buttons. What is due is decided in
bot/services/deadlines.py; each reminder is queued (bot/mail.py, not urgent: it waits for the
organisation's working hours, days and holidays) and marked sent in one transaction, with an
idempotency key per what, whom, due date and stage, so it goes out once across ticks and
restarts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.jobs import JobContext
from bot.mail import Mail
from bot.reminder_buttons import (
    ActivityDone,
    ActivityMove,
    PairComplete,
    PairEndEarly,
    PairExtend,
    PlanOpen,
    ReportOpen,
    RoadmapOpen,
    RoadmapStageDone,
)
from bot.services import deadlines, stale_reminders
from bot.services.deadlines import Due, Person
from bot.services.outbox import WorkingHours
from bot.ui import button, esc, format_date, keyboard

Render = Callable[[str], str]
Buttons = Callable[[Render], InlineKeyboardMarkup | None]


async def send_deadline_reminders(context: JobContext) -> None:
    """Every reminder due now, queued and marked sent in one transaction."""
    now = context.clock.now()
    hours: dict[int, WorkingHours | None] = {}  # each organisation's read once per pass
    async with context.sessionmaker.begin() as session:
        for item in await deadlines.due(session, now):
            if not await deadlines.mark_sent(session, item, now):
                continue  # another process queued it meanwhile
            origin = f"deadline:{item.kind}:{item.subject_id}:{item.stage}"
            mail = Mail(session, now, origin, item.organisation_id, hours_of=hours)
            await _send(context, mail, item)


async def _tell(
    context: JobContext,
    mail: Mail,
    item: Due,
    people: list[Person],
    key: str,
    arguments: dict[str, Any],
    buttons: Buttons | None = None,
) -> None:
    """`key` to each person in their language, with the buttons in it; once per chat; all in
    one statement."""
    seen: set[int] = set()
    messages = []
    for person in people:
        if person.telegram_id in seen:
            continue
        seen.add(person.telegram_id)
        locale = person.language or context.settings.default_language

        def text(name: str, locale: str = locale, **more: Any) -> str:
            return str(context.core.get(name, locale, **more))

        messages.append(
            mail.outgoing(
                person.telegram_id,
                text(key, **arguments),
                buttons(text) if buttons else None,
                purpose="reminder",
                urgent=False,
                key=stale_reminders.key(item, person.telegram_id),
            )
        )
    if messages:
        await mail.send_many(messages, item.organisation_id)


def _names(people: list[Person]) -> str:
    return ", ".join(esc(p.full_name or "—") for p in people) or "—"


async def _send(context: JobContext, mail: Mail, item: Due) -> None:
    # Days left as of the day the reminder is read: one decided on a Saturday waits for
    # Monday's working hours, and "3 days left" would then be one too many.
    read_on = await mail.read_on(item.organisation_id) or item.today
    common = {"due": format_date(item.due), "days": max((item.due - read_on).days, 0)}
    mentors = [p for p in item.people if p.is_mentor]
    mentees = [p for p in item.people if not p.is_mentor]
    if item.kind == deadlines.PROGRAMME:
        arguments = {"mentees": _names(mentees), **common}
        await _tell(context, mail, item, mentors, f"reminder-programme-{item.step}", arguments)
        if item.step == "overdue":
            arguments["mentor"] = _names(mentors)
            await _tell(
                context, mail, item, item.desk, "reminder-programme-overdue-desk", arguments
            )
    elif item.kind == deadlines.MENTOR_DEADLINE:
        arguments = {"mentee": esc(item.details.get("mentee") or "—"), **common}
        # A pair proposed but not approved yet: the desk hears it waits, not "find a mentor".
        key = f"reminder-mentor-{'pending-' if item.details.get('pending') else ''}{item.step}"
        await _tell(context, mail, item, item.desk, key, arguments)
    elif item.kind == deadlines.ACTIVITY:
        await _activity(context, mail, item, common)
    elif item.kind in (deadlines.TERM_SOON, deadlines.TERM_END):
        await _term(context, mail, item, common)
    elif item.kind == deadlines.REPORT:
        await _report(context, mail, item, common)
    elif item.kind == deadlines.ROADMAP:
        await _roadmap(context, mail, item, common)
    elif item.kind == deadlines.YEAR:
        await _tell(context, mail, item, item.desk, f"deadline-year-{item.step}", {})
    elif item.kind == deadlines.SURVEY:
        await _tell(context, mail, item, item.people, f"deadline-survey-{item.step}", common)


def _plan_row(text: Render, pair: int) -> list[InlineKeyboardButton]:
    return [button(text("deadline-button-plan"), PlanOpen(pair_id=pair))]


def _plan(pair: int) -> Buttons:
    """Only the button to the pair's plan."""
    return lambda text: keyboard(_plan_row(text, pair))


async def _activity(context: JobContext, mail: Mail, item: Due, common: dict[str, Any]) -> None:
    activity, pair = item.subject_id, item.details["pair_id"]

    def buttons(text: Render) -> InlineKeyboardMarkup:
        return keyboard(
            [
                button(text("deadline-button-done"), ActivityDone(activity_id=activity)),
                button(text("deadline-button-move"), ActivityMove(activity_id=activity)),
            ],
            _plan_row(text, pair),
        )

    # Only the mentor marks an item done or moves it; the mentee gets the plan.
    arguments = {"content": esc(item.details["content"]), **common}
    key = f"deadline-activity-{item.step}"
    mentors = [person for person in item.people if person.is_mentor]
    mentees = [person for person in item.people if not person.is_mentor]
    await _tell(context, mail, item, mentors, key, arguments, buttons)
    # The mentee is not asked to do what only the mentor's buttons do.
    told = "deadline-activity-late-mentee" if item.step == "late" else key
    await _tell(context, mail, item, mentees, told, arguments, _plan(pair))


async def _term(context: JobContext, mail: Mail, item: Due, common: dict[str, Any]) -> None:
    pair = item.details["pair_id"]
    done, total = item.details["fulfilment"]
    arguments = {"done": done, "total": total, **common}

    if item.kind == deadlines.TERM_SOON:
        arguments["names"] = _names(item.people)
        plan = _plan(pair)
        await _tell(context, mail, item, item.people, "deadline-term-soon", arguments, plan)
        await _tell(context, mail, item, item.desk, "deadline-term-soon", arguments, plan)
        return

    def decide(text: Render) -> InlineKeyboardMarkup:
        return keyboard(
            [button(text("deadline-button-complete"), PairComplete(pair_id=pair))],
            [
                button(text("deadline-button-extend"), PairExtend(pair_id=pair)),
                button(text("deadline-button-end-early"), PairEndEarly(pair_id=pair)),
            ],
            _plan_row(text, pair),
        )

    arguments["names"] = ", ".join(esc(name or "—") for name in item.details["names"]) or "—"
    key = "deadline-term-end" if item.step == "w0" else "deadline-term-end-again"
    curators = [person for person in item.desk if person.is_curator]
    await _tell(context, mail, item, curators, key, arguments, decide)
    heads = [person for person in item.desk if not person.is_curator]  # no curator: they read
    await _tell(context, mail, item, heads, f"{key}-head", arguments, _plan(pair))


async def _report(context: JobContext, mail: Mail, item: Due, common: dict[str, Any]) -> None:
    pair = item.details["pair_id"]
    arguments = {**common, "due": format_date(item.details["report_due"])}
    if item.step == "late":
        arguments["names"] = _names(item.people)
        await _tell(context, mail, item, item.desk, "deadline-report-late", arguments)
        return

    def report(text: Render) -> InlineKeyboardMarkup:
        return keyboard([button(text("deadline-button-report"), ReportOpen(pair_id=pair))])

    await _tell(context, mail, item, item.people, "deadline-report-reminder", arguments, report)


async def _roadmap(context: JobContext, mail: Mail, item: Due, common: dict[str, Any]) -> None:
    stage, organisation = item.subject_id, item.organisation_id
    code = item.details["code"]

    def buttons(text: Render) -> InlineKeyboardMarkup:
        return keyboard(
            [button(text("deadline-button-stage-done"), RoadmapStageDone(stage_id=stage))],
            [button(text("deadline-button-roadmap"), RoadmapOpen(organisation_id=organisation))],
        )

    def name(locale: str) -> str:
        return str(context.core.get(f"deadline-stage-{code}", locale))

    for people, key in (
        (item.people, f"deadline-roadmap-{item.step}"),
        (item.desk if item.step == "late" else [], "deadline-roadmap-late-desk"),
    ):
        for person in people:
            locale = person.language or context.settings.default_language
            await _tell(
                context, mail, item, [person], key, {"stage": name(locale), **common}, buttons
            )
