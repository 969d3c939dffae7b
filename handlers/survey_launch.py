"""Launching a questionnaire from /surveys (aiogram-dialog): which one, to whom, by when (a
calendar in the person's language, a few quick terms, or a typed date), then send it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Back, Button, Cancel, Column, Row, StubScroll, SwitchTo

from bot.services.errors import UserFacingError
from bot.services.questionnaires import campaigns
from bot.services.questionnaires.answering import parse_day
from bot.services.questionnaires.campaigns import LONGEST_DEADLINE_DAYS, Audience, AudienceKind
from bot.survey_invite import send_survey_invitations
from bot.survey_report import audience_text
from bot.ui import esc, format_day
from handlers.desk_dialogs import pager, ticks, widget
from handlers.dialog_kit import (
    Fl,
    Gone,
    LocalCalendar,
    OutOfRange,
    bounded_text,
    buttons_only,
    choice,
    polite,
    safe_id,
    text_input,
    today,
)
from handlers.roles import CURATOR, only
from handlers.survey_desk import SurveyCard, SurveyLaunch, desk_of
from models import Role

PEOPLE_PAGE = 8
PAGES = "launch_people_pages"
DEADLINE_DAYS = ("3", "7", "14")
AUDIENCE_ROLES = (Role.MENTEE, Role.MENTOR, Role.CURATOR, Role.HEAD, Role.PSYCHOLOGIST)


def deadline_bounds(manager: DialogManager) -> tuple[date, date]:
    """Days from tomorrow to the longest term, in the organisation's time zone."""
    first = today(manager)
    return first + timedelta(days=1), first + timedelta(LONGEST_DEADLINE_DAYS - 1)


def audience_of(data: dict[str, Any]) -> Audience:
    kind = AudienceKind(str(data["audience"]))
    role = Role(str(data["role"])) if data.get("role") else None
    return Audience(kind, role=role, membership_ids=tuple(data.get("people") or ()))


# --- getters ---------------------------------------------------------------------------------


def chosen_questionnaire(manager: DialogManager) -> Any:
    chosen = {q.id: q for q in campaigns.launchable()}.get(manager.dialog_data.get("code", ""))
    if chosen is None:
        raise Gone
    return chosen


async def launch_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """What every step offers alike: the questionnaires and the quick terms (no query)."""
    i18n = desk_of(dialog_manager, runs=True)[1]
    return {
        "questionnaires": [(q.id, q.title.get(i18n.locale)) for q in campaigns.launchable()],
        "terms": [(n, i18n.get("survey-deadline-days", days=int(n))) for n in DEADLINE_DAYS],
    }


async def audience_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    organisation, i18n = desk_of(dialog_manager, runs=True)
    session = dialog_manager.middleware_data["session"]
    by_role, pairs = await campaigns.audience_sizes(session, organisation.id, AUDIENCE_ROLES)
    choices = [
        (role.value, i18n.get("survey-audience-role", role=role, count=count))
        for role, count in by_role.items()
    ]
    choices.insert(2, ("pairs", i18n.get("survey-audience-pairs", count=pairs)))
    choices.append(("people", i18n.get("survey-audience-people")))
    title = esc(chosen_questionnaire(dialog_manager).title.get(i18n.locale))
    return {"title": title, "audiences": choices}


async def people_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    organisation, i18n = desk_of(dialog_manager, runs=True)
    session = dialog_manager.middleware_data["session"]
    ticked, scroll = widget(dialog_manager, "launch_person"), widget(dialog_manager, PAGES)
    checked = [safe_id(item) for item in ticked.get_checked()]
    known = await campaigns.active_member_ids(session, organisation.id, checked)
    chosen = [item for item in checked if item in known]
    dialog_manager.dialog_data["people"] = chosen
    page = await scroll.get_page()
    everyone, pages = await campaigns.members_page(session, organisation.id, page, PEOPLE_PAGE)

    def label(member: campaigns.Member) -> str:
        name, role = member.name or i18n.get("survey-no-name"), i18n.get(f"role-{member.role}")
        return i18n.get("survey-person-button", name=name, role=role)

    people = [(m.membership_id, label(m)) for m in everyone]
    return {
        "people": people,
        "count": len(chosen),
        "page": min(page, pages - 1) + 1,
        "pages": pages,
    }


async def confirm_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    organisation, i18n = desk_of(dialog_manager, runs=True)
    data = dialog_manager.dialog_data
    audience = audience_of(data)
    session = dialog_manager.middleware_data["session"]
    reached = await campaigns.audience_members(session, organisation.id, audience)
    return {
        "title": esc(chosen_questionnaire(dialog_manager).title.get(i18n.locale)),
        "audience": audience_text(i18n, audience.kind, audience.role),
        "count": len(reached),
        "due": format_day(datetime.fromisoformat(data["deadline"]), organisation.timezone),
    }


# --- steps -----------------------------------------------------------------------------------


async def on_questionnaire(
    query: CallbackQuery, _: Any, manager: DialogManager, code: str
) -> None:
    if code not in {q.id for q in campaigns.launchable()}:
        raise OutOfRange
    manager.dialog_data["code"] = code
    await manager.switch_to(SurveyLaunch.audience)


async def on_audience(query: CallbackQuery, _: Any, manager: DialogManager, value: str) -> None:
    roles = {role.value for role in AUDIENCE_ROLES}
    if value not in roles and value not in (AudienceKind.PAIRS, AudienceKind.PEOPLE):
        raise OutOfRange
    manager.dialog_data["audience"] = AudienceKind.ROLE if value in roles else value
    manager.dialog_data["role"] = value if value in roles else None
    people = value == AudienceKind.PEOPLE
    await manager.switch_to(SurveyLaunch.people if people else SurveyLaunch.deadline)


@polite
async def on_people_done(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    if not manager.dialog_data.get("people"):
        raise UserFacingError("survey-error-audience-empty")
    await manager.switch_to(SurveyLaunch.deadline)


@polite
async def on_day(_: Any, __: Any, manager: DialogManager, day: date) -> None:
    """A day tapped, typed or some days on; one the rules refuse is explained, asked again."""
    zone = desk_of(manager, runs=True)[0].timezone
    now = manager.middleware_data["clock"].now()
    deadline = campaigns.check_deadline(campaigns.deadline_at(day, zone), now)
    manager.dialog_data["deadline"] = deadline.isoformat()
    await manager.switch_to(SurveyLaunch.confirm)


async def on_term(query: CallbackQuery, widget: Any, manager: DialogManager, days: str) -> None:
    if days not in DEADLINE_DAYS:
        raise OutOfRange
    await on_day(query, widget, manager, today(manager) + timedelta(days=int(days)))


@polite
async def on_typed_day(message: Message, widget: Any, manager: DialogManager, text: str) -> None:
    day = parse_day(text, today(manager))
    await on_day(message, widget, manager, day)


@polite
async def on_go(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    organisation, i18n = desk_of(manager, runs=True)
    data = manager.middleware_data
    actor = data["actor"]
    curator = actor.membership(Role.CURATOR)
    campaign, responses = await campaigns.launch(
        data["session"],
        organisation_id=organisation.id,
        code=chosen_questionnaire(manager).id,
        audience=audience_of(manager.dialog_data),
        deadline=datetime.fromisoformat(manager.dialog_data["deadline"]),
        created_by_membership_id=curator.id if curator else None,
        now=data["clock"].now(),
    )
    delivered = await send_survey_invitations(
        data["mail"], i18n.core, responses, data["settings"].default_language
    )
    start = {"id": campaign.id, "count": len(responses), "delivered": delivered}
    await manager.start(SurveyCard.card, start, mode=StartMode.RESET_STACK)


def step(state: Any, *widgets: Any, getter: Any = None, typed: bool = False) -> Window:
    cancel = Cancel(Fl("survey-desk-cancel"), id="launch_cancel")
    rest = [] if typed else [buttons_only("survey-launch-use-buttons")]
    return Window(*widgets, cancel, *rest, state=state, getter=getter)


def launch_dialog() -> Dialog:
    return Dialog(
        step(
            SurveyLaunch.questionnaire,
            Fl("survey-launch-choose"),
            Column(choice("launch_questionnaire", "questionnaires", on_questionnaire)),
        ),
        step(
            SurveyLaunch.audience,
            Fl("survey-launch-audience"),
            Column(choice("launch_audience", "audiences", on_audience)),
            Back(Fl("survey-back"), id="launch_audience_back"),
            getter=audience_getter,
        ),
        step(
            SurveyLaunch.people,
            Fl("survey-launch-people"),
            StubScroll(PAGES, pages="pages"),
            Column(ticks("launch_person", "people")),
            pager(PAGES),
            Button(Fl("survey-done"), id="launch_people_done", on_click=on_people_done),
            Back(Fl("survey-back"), id="launch_people_back"),
            getter=people_getter,
        ),
        step(
            SurveyLaunch.deadline,
            Fl("survey-launch-deadline"),
            Row(choice("launch_term", "terms", on_term)),
            LocalCalendar("launch_deadline_day", on_day, deadline_bounds),
            *text_input("launch_deadline_typed", on_typed_day, bounded_text(40)),
            SwitchTo(Fl("survey-back"), id="launch_deadline_back", state=SurveyLaunch.audience),
            typed=True,
        ),
        step(
            SurveyLaunch.confirm,
            Fl("survey-launch-confirm"),
            Button(Fl("survey-launch-go"), id="launch_go", on_click=on_go),
            Back(Fl("survey-back"), id="launch_confirm_back"),
            getter=confirm_getter,
        ),
        getter=launch_getter,
    )


def router() -> Router:
    return Router(name=__name__)  # the dialog starts from the desk's list


def dialogs() -> list[Dialog]:
    return [only(CURATOR, launch_dialog())]  # the curator runs monitoring; the head reads
