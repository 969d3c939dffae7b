"""Announcements and events from the desk (/broadcast), the answers to events, and /events.

The curator writes the text (or sends a photo or a document with a caption), for an event picks
the day on a calendar, the time and the place, chooses the audience, sees the message exactly as
it will arrive, and confirms. The messages go through the delivery queue; the same message then
shows the live report, redrawn by itself as the messages go (refresh_live_reports) and at a tap
of «Обновить». Recipients of an event answer «Приду» / «Не смогу».
"""

from __future__ import annotations

import asyncio
import logging
import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, ContentType, InlineKeyboardMarkup, Message
from aiogram_dialog import BgManagerFactory, Dialog, DialogManager, StartMode, Window
from aiogram_dialog.api.entities import MediaAttachment, MediaId
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import (
    Back,
    Button,
    Cancel,
    Column,
    ManagedMultiselect,
    Multiselect,
    Next,
    ScrollingGroup,
    SwitchTo,
)
from aiogram_dialog.widgets.media import DynamicMedia
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.mail import Mail
from bot.services import broadcasts, rules
from bot.services.broadcasts import Target, TargetKind
from bot.services.clock import Clock
from bot.services.people import Actor
from bot.services.questionnaires.campaigns import members
from bot.ui import button, esc, keyboard
from handlers.dialog_kit import (
    Bounded,
    Fl,
    Gone,
    LocalCalendar,
    bounded_text,
    choice,
    middleware,
    owned,
    start_id,
    text_input,
)
from handlers.roles import DESK
from models import Broadcast, BroadcastKind, Organisation, Role

ROLES = (Role.MENTOR, Role.MENTEE, Role.CURATOR, Role.HEAD, Role.PSYCHOLOGIST)
log = logging.getLogger(__name__)


class BroadcastDialog(StatesGroup):
    kind = State()
    text = State()
    day = State()
    time = State()
    place = State()
    audience = State()
    form = State()
    role = State()
    people = State()
    preview = State()
    report = State()


class EventAnswerCb(CallbackData, prefix="event_answer"):
    event_id: int
    coming: bool


# --- whose broadcast --------------------------------------------------------------------------


async def load_desk_broadcast(
    session: AsyncSession, actor: Actor, broadcast_id: int
) -> Broadcast | None:
    """A broadcast of the person's organisation, for those who may send them."""
    if actor.organisation is None or not may_broadcast(actor):
        return None
    return await broadcasts.in_organisation(session, actor.organisation.id, broadcast_id)


def may_broadcast(actor: Actor) -> bool:
    """Curators; the head too where the organisation allows it."""
    organisation = actor.organisation
    if organisation is None:
        return False
    return Role.CURATOR in actor.roles or (
        Role.HEAD in actor.roles and organisation.head_may_broadcast
    )


def _desk(manager: DialogManager) -> tuple[AsyncSession, Actor]:
    session, actor = middleware(manager)
    if not may_broadcast(actor):
        raise Gone
    return session, actor


# --- the steps ----------------------------------------------------------------------------------


async def kind_chosen(query: CallbackQuery, widget: Button, manager: DialogManager) -> None:
    manager.dialog_data["kind"] = (
        BroadcastKind.EVENT
        if widget.widget_id == "broadcast_event"
        else BroadcastKind.ANNOUNCEMENT
    )
    await manager.next()


async def text_typed(message: Message, _: Any, manager: DialogManager, text: str) -> None:
    formatted = message.html_text if message.text else text  # bold, links and the like kept
    if len(formatted) > broadcasts.TEXT_LIMIT:
        i18n: I18nContext = manager.middleware_data["i18n"]
        await message.answer(i18n.get("input-text-length", min=1, max=broadcasts.TEXT_LIMIT))
        return
    manager.dialog_data.update(text=formatted, file_id=None, file_kind=None)
    await _after_text(manager)


async def media_sent(message: Message, _: MessageInput, manager: DialogManager) -> None:
    """A photo or a document, its caption the text (a caption holds 1024 characters)."""
    caption = message.html_text if message.caption else ""
    if len(caption) > broadcasts.CAPTION_LIMIT:
        i18n: I18nContext = manager.middleware_data["i18n"]
        await message.answer(i18n.get("broadcast-caption-long", limit=broadcasts.CAPTION_LIMIT))
        return
    if message.photo:
        manager.dialog_data.update(file_kind="photo", file_id=message.photo[-1].file_id)
    elif message.document:
        manager.dialog_data.update(file_kind="document", file_id=message.document.file_id)
    manager.dialog_data["text"] = caption
    await _after_text(manager)


async def _after_text(manager: DialogManager) -> None:
    if manager.dialog_data.get("kind") == BroadcastKind.EVENT:
        await manager.switch_to(BroadcastDialog.day)
    else:
        await manager.switch_to(BroadcastDialog.audience)


def _today(manager: DialogManager) -> date:
    _, actor = middleware(manager)
    clock: Clock = manager.middleware_data["clock"]
    return clock.today(actor.organisation.timezone if actor.organisation else "UTC")


def event_days(manager: DialogManager) -> tuple[date, date]:
    today = _today(manager)
    return today, today + broadcasts.LONGEST_AHEAD


async def day_chosen(_: Any, __: Any, manager: DialogManager, day: date) -> None:
    manager.dialog_data["day"] = day.isoformat()
    await manager.next()


def _parse_time(text: str) -> str:
    value = text.strip().replace(".", ":").replace(" ", "")
    moment = time.fromisoformat(value if len(value) > 2 else f"{value}:00")
    return moment.strftime("%H:%M")


TIME = Bounded(_parse_time, "broadcast-time-wrong")


async def time_typed(message: Message, _: Any, manager: DialogManager, value: str) -> None:
    manager.dialog_data["time"] = value
    if manager.dialog_data.get("moving"):  # a new day and time for an event already sent
        await _move(manager)
        return
    await manager.next()


async def place_typed(message: Message, _: Any, manager: DialogManager, place: str) -> None:
    manager.dialog_data["place"] = place
    await manager.switch_to(BroadcastDialog.audience)


# The audiences a button chooses at once (the others open a step: a form, a role, people).
AUDIENCES: dict[str, tuple[TargetKind, Role | None]] = {
    "everyone": (TargetKind.EVERYONE, None),
    "mentors": (TargetKind.ROLE, Role.MENTOR),
    "mentees": (TargetKind.ROLE, Role.MENTEE),
    "pairs": (TargetKind.PAIRS, None),
}


async def audience_chosen(query: CallbackQuery, widget: Button, manager: DialogManager) -> None:
    kind, role = AUDIENCES[str(widget.widget_id).removeprefix("audience_")]
    manager.dialog_data["target"] = {"kind": kind, "role": role}
    await manager.switch_to(BroadcastDialog.preview)


async def form_chosen(_: CallbackQuery, __: Any, manager: DialogManager, form: str) -> None:
    if form not in rules.FORMS:
        raise Gone
    manager.dialog_data["target"] = {"kind": TargetKind.FORM, "form": form}
    await manager.switch_to(BroadcastDialog.preview)


async def role_chosen(_: CallbackQuery, __: Any, manager: DialogManager, role: str) -> None:
    if role not in {str(r) for r in ROLES}:
        raise Gone
    manager.dialog_data["target"] = {"kind": TargetKind.ROLE, "role": role}
    await manager.switch_to(BroadcastDialog.preview)


async def people_done(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    chosen = manager.find("broadcast_people")
    if not isinstance(chosen, ManagedMultiselect):
        raise Gone
    ids = [int(item) for item in chosen.get_checked()]
    if not ids:
        i18n: I18nContext = manager.middleware_data["i18n"]
        await query.answer(i18n.get("broadcast-people-none"), show_alert=True)
        return
    manager.dialog_data["target"] = {"kind": TargetKind.PEOPLE, "ids": ids}
    await manager.switch_to(BroadcastDialog.preview)


def _target(manager: DialogManager) -> Target:
    raw = manager.dialog_data.get("target") or {}
    return Target(
        TargetKind(raw.get("kind", TargetKind.EVERYONE)),
        Role(raw["role"]) if raw.get("role") else None,
        raw.get("form"),
        tuple(int(item) for item in raw.get("ids", [])),
    )


def _event_at(manager: DialogManager) -> datetime | None:
    day, moment = manager.dialog_data.get("day"), manager.dialog_data.get("time")
    if manager.dialog_data.get("kind") != BroadcastKind.EVENT or not day or not moment:
        return None
    _, actor = middleware(manager)
    zone = ZoneInfo(actor.organisation.timezone if actor.organisation else "UTC")
    local = datetime.combine(date.fromisoformat(day), time.fromisoformat(moment), zone)
    return local.astimezone(UTC)


@dataclass(frozen=True)
class Draft:
    organisation: Organisation
    text: str
    event_at: datetime | None
    place: str | None

    def message(self, texts: Callable[..., str]) -> str:
        """The message as each recipient gets it, in the language of `texts` (the curator's
        formatting kept)."""
        head = texts("broadcast-message-head", organisation=esc(self.organisation.name))
        lines = [head, self.text]
        if self.event_at is not None:
            zone = ZoneInfo(self.organisation.timezone)
            when = self.event_at.astimezone(zone).strftime("%d.%m.%Y %H:%M")
            place = esc(self.place or "—")
            lines.append(texts("broadcast-message-event", when=when, place=place))
        return "\n\n".join(line for line in lines if line)


def _draft(manager: DialogManager, organisation: Organisation) -> Draft:
    data = manager.dialog_data
    return Draft(organisation, data.get("text", ""), _event_at(manager), data.get("place"))


def answer_buttons(core: Any, locale: str, event_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [
            button(
                core.get("broadcast-coming", locale), EventAnswerCb(event_id=event_id, coming=True)
            ),
            button(
                core.get("broadcast-not-coming", locale),
                EventAnswerCb(event_id=event_id, coming=False),
            ),
        ]
    )


async def send_confirmed(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    session, actor = _desk(manager)
    organisation = actor.organisation
    assert organisation is not None
    data = manager.dialog_data
    i18n: I18nContext = manager.middleware_data["i18n"]
    clock: Clock = manager.middleware_data["clock"]
    mail: Mail = manager.middleware_data["mail"]
    if data.get("broadcast_id"):  # a double tap: it went already
        await manager.switch_to(BroadcastDialog.report)
        return
    target = _target(manager)
    people = await broadcasts.target_recipients(session, organisation.id, target)
    if not people:
        await query.answer(i18n.get("broadcast-nobody"), show_alert=True)
        return
    author = actor.membership(Role.CURATOR) or actor.membership(Role.HEAD)
    event_at = _event_at(manager)
    kind = BroadcastKind(data["kind"])
    broadcast = await broadcasts.create(
        session,
        organisation_id=organisation.id,
        author_membership_id=author.id if author else None,
        kind=kind,
        text=data["text"],
        target=target,
        recipients=people,
        now=clock.now(),
        file_kind=data.get("file_kind"),
        file_id=data.get("file_id"),
        event_at=event_at,
        place=data.get("place"),
    )
    core, draft = i18n.core, _draft(manager, organisation)
    messages = []
    for person in people:
        locale = person.language or i18n.locale
        text = draft.message(lambda key, locale=locale, **args: core.get(key, locale, **args))
        markup = (
            answer_buttons(core, locale, broadcast.id) if kind == BroadcastKind.EVENT else None
        )
        messages.append(
            mail.outgoing(
                person.telegram_id,
                text,
                markup,
                key=broadcasts.message_key(broadcast.id, person.membership_id),
                purpose="broadcast",
                urgent=False,
                kind=data.get("file_kind") or "text",
                file_id=data.get("file_id"),
            )
        )
    await mail.send_many(messages, organisation.id)
    # The report shown next redraws itself as the messages go (see refresh_live_reports).
    broadcast.report_chat_id = manager.middleware_data["event_chat"].id
    data["broadcast_id"] = broadcast.id
    await manager.switch_to(BroadcastDialog.report)


async def _open_event(manager: DialogManager) -> tuple[AsyncSession, Actor, Broadcast]:
    session, actor = _desk(manager)
    broadcast = await owned(manager, load_desk_broadcast, _report_id(manager))
    if broadcast.kind != BroadcastKind.EVENT or broadcast.cancelled_at is not None:
        raise Gone
    return session, actor, broadcast


async def _tell_change(
    manager: DialogManager, broadcast: Broadcast, told: list[broadcasts.Recipient], change: str
) -> None:
    """Everyone the event reached who has not declined hears that it is cancelled or moved."""
    _, actor = middleware(manager)
    mail: Mail = manager.middleware_data["mail"]
    i18n: I18nContext = manager.middleware_data["i18n"]
    zone = ZoneInfo(actor.organisation.timezone if actor.organisation else "UTC")
    when = (
        broadcast.event_at.astimezone(zone).strftime("%d.%m.%Y %H:%M")
        if broadcast.event_at
        else "—"
    )
    for person in told:
        text = i18n.core.get(
            f"broadcast-{change}",
            person.language or i18n.locale,
            when=when,
            place=esc(broadcast.place or "—"),
            text=esc(broadcast.text[:200]),
        )
        key = broadcasts.change_key(broadcast, change, person.membership_id)
        await mail.send(person.telegram_id, text, key=key, purpose="broadcast")


async def cancel_event(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    session, _actor, broadcast = await _open_event(manager)
    clock: Clock = manager.middleware_data["clock"]
    told = await broadcasts.cancel(session, broadcast, clock.now())
    await _tell_change(manager, broadcast, told, "cancelled")


async def start_move(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    await _open_event(manager)
    manager.dialog_data.update(moving=True, kind=BroadcastKind.EVENT)
    await manager.switch_to(BroadcastDialog.day)


async def _move(manager: DialogManager) -> None:
    session, _actor, broadcast = await _open_event(manager)
    event_at = _event_at(manager)
    if event_at is None:
        raise Gone
    told = await broadcasts.move(session, broadcast, event_at, None)
    manager.dialog_data["moving"] = False
    await _tell_change(manager, broadcast, told, "moved")
    await manager.switch_to(BroadcastDialog.report)


# --- the live report ------------------------------------------------------------------------

LIVE_FOR = timedelta(days=1)  # how long after sending a report still redraws itself
REFRESH_SECONDS = 5.0  # at most one redraw of a report this often (Telegram's limits)


async def refresh_live_reports(
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    dialogs_bg: BgManagerFactory,
    shown: dict[int, broadcasts.Report],
) -> int:
    """One pass: each report whose counts changed since it was last drawn (`shown`, updated
    here) is redrawn where its author sees it; returns how many. The counts are read in a
    transaction of their own, closed before anything is sent. The redraw is aiogram-dialog's
    background update of the author's dialog (it goes through the middlewares like any
    update): the window on top is drawn again, so the report shows its new counts, and any
    other window the author has moved on to stays as it was (Telegram: "not modified")."""
    async with sessionmaker() as session:
        live = await broadcasts.live_reports(session, clock.now() - LIVE_FOR)
    redrawn = 0
    for item in live:
        if shown.get(item.broadcast_id) == item.report:
            continue
        shown[item.broadcast_id] = item.report
        await dialogs_bg.bg(bot, item.chat_id, item.chat_id).update({})
        redrawn += 1
    for gone in shown.keys() - {item.broadcast_id for item in live}:  # older than LIVE_FOR
        del shown[gone]
    return redrawn


async def keep_reports_live(
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    dialogs_bg: BgManagerFactory,
    stop: asyncio.Event,
) -> None:
    """refresh_live_reports every REFRESH_SECONDS until `stop` is set (bot/app.py runs it)."""
    shown: dict[int, broadcasts.Report] = {}
    while not stop.is_set():
        try:
            await refresh_live_reports(bot, sessionmaker, clock, dialogs_bg, shown)
        except Exception:  # the database, say: the next pass tries again
            log.exception("could not refresh the broadcasts' live reports")
        try:
            async with asyncio.timeout(REFRESH_SECONDS):
                await stop.wait()
        except TimeoutError:
            pass


def _report_id(manager: DialogManager) -> object:
    return manager.dialog_data.get("broadcast_id") or start_id(manager)


# --- what each step shows ------------------------------------------------------------------------


async def preview_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    session, actor = _desk(dialog_manager)
    organisation = actor.organisation
    assert organisation is not None
    data = dialog_manager.dialog_data
    i18n: I18nContext = dialog_manager.middleware_data["i18n"]
    people = await broadcasts.target_recipients(session, organisation.id, _target(dialog_manager))
    text = _draft(dialog_manager, organisation).message(i18n.get)
    media = None
    if data.get("file_id"):
        kind = ContentType.PHOTO if data.get("file_kind") == "photo" else ContentType.DOCUMENT
        media = MediaAttachment(kind, file_id=MediaId(data["file_id"]))
    return {
        "message": text,
        "count": len(people),
        "media": media,
        "event": data.get("kind") == BroadcastKind.EVENT,
    }


async def report_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    session, _actor = _desk(dialog_manager)
    broadcast = await owned(dialog_manager, load_desk_broadcast, _report_id(dialog_manager))
    report = await broadcasts.report(session, broadcast)
    return {
        "sent": report.sent,
        "queued": report.queued,
        "failed": report.failed,
        "unreachable": report.unreachable,
        "coming": report.coming,
        "not_coming": report.not_coming,
        "recipients": broadcast.recipients,
        "event": broadcast.kind == BroadcastKind.EVENT,
        "open_event": broadcast.kind == BroadcastKind.EVENT and broadcast.cancelled_at is None,
        "cancelled": broadcast.cancelled_at is not None,
    }


async def forms_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n: I18nContext = dialog_manager.middleware_data["i18n"]
    return {"forms": [(form, i18n.get(f"pair-form-{form}")) for form in rules.FORMS]}


async def roles_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n: I18nContext = dialog_manager.middleware_data["i18n"]
    return {"roles": [(str(role), i18n.get(f"role-{role}")) for role in ROLES]}


async def people_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    session, actor = _desk(dialog_manager)
    assert actor.organisation is not None
    i18n: I18nContext = dialog_manager.middleware_data["i18n"]
    everyone = await members(session, actor.organisation.id)
    return {
        "people": [
            (str(m.membership_id), f"{m.name or '—'} ({i18n.get(f'role-{m.role}')})")
            for m in everyone
        ]
    }


# --- answers to events and the list of events ---------------------------------------------------


async def event_answered(
    query: CallbackQuery,
    callback_data: EventAnswerCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    event = (
        await broadcasts.in_organisation(session, actor.organisation.id, callback_data.event_id)
        if actor.organisation is not None and 0 < callback_data.event_id < 2**62
        else None
    )
    invited = set(broadcasts.members_of(event)) if event else set()
    mine = [m.id for m in actor.memberships if m.id in invited]
    if (
        event is None
        or not mine
        or not await broadcasts.answer(session, event, mine[0], callback_data.coming, clock.now())
    ):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    key = "broadcast-answer-coming" if callback_data.coming else "broadcast-answer-not-coming"
    await query.answer(i18n.get(key))


async def events_command(
    message: Message, session: AsyncSession, actor: Actor, clock: Clock, i18n: I18nContext
) -> None:
    organisation = actor.organisation
    if organisation is None:
        await message.answer(i18n.get("broadcast-events-none"))
        return
    mine = {m.id for m in actor.memberships}
    events = [
        event
        for event in await broadcasts.upcoming(session, organisation.id, clock.now())
        if actor.is_desk or mine & set(broadcasts.members_of(event))
    ]
    if not events:
        await message.answer(i18n.get("broadcast-events-none"))
        return
    zone = ZoneInfo(organisation.timezone)
    lines = [i18n.get("broadcast-events-head")]
    for event in events:
        assert event.event_at is not None
        lines.append(
            i18n.get(
                "broadcast-events-line",
                when=event.event_at.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
                place=esc(event.place or "—"),
                text=esc(event.text[:120]),
            )
        )
    await message.answer("\n\n".join(lines))


async def broadcast_command(
    message: Message, dialog_manager: DialogManager, actor: Actor, i18n: I18nContext
) -> None:
    if not may_broadcast(actor):
        await message.answer(i18n.get("broadcast-head-not-allowed"))
        return
    await dialog_manager.start(BroadcastDialog.kind, mode=StartMode.RESET_STACK)


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(broadcast_command, Command("broadcast"), flags=DESK)
    router.message.register(events_command, Command("events"))
    router.callback_query.register(event_answered, EventAnswerCb.filter())
    return router


def audience_choice(state: State, name: str, on_click: Any, getter: Any) -> Window:
    """One choice of the audience (a form of mentoring, a role): a list, and back."""
    return Window(
        Fl(f"broadcast-{name}"),
        Column(choice(f"broadcast_{name}", f"{name}s", on_click)),
        SwitchTo(
            Fl("broadcast-back"), id=f"broadcast_{name}_back", state=BroadcastDialog.audience
        ),
        state=state,
        getter=getter,
    )


def dialogs() -> list[Dialog]:
    cancel = Cancel(Fl("broadcast-cancel"), id="broadcast_close")
    back = Back(Fl("broadcast-back"), id="broadcast_back")
    return [
        Dialog(
            Window(
                Fl("broadcast-kind"),
                Button(
                    Fl("broadcast-kind-announcement"),
                    id="broadcast_announcement",
                    on_click=kind_chosen,
                ),
                Button(Fl("broadcast-kind-event"), id="broadcast_event", on_click=kind_chosen),
                cancel,
                state=BroadcastDialog.kind,
            ),
            Window(
                Fl("broadcast-text", limit=broadcasts.TEXT_LIMIT),
                MessageInput(media_sent, content_types=[ContentType.PHOTO, ContentType.DOCUMENT]),
                *text_input("broadcast_text", text_typed, bounded_text(broadcasts.TEXT_LIMIT)),
                back,
                cancel,
                state=BroadcastDialog.text,
            ),
            Window(
                Fl("broadcast-day"),
                LocalCalendar("broadcast_day", day_chosen, event_days),
                SwitchTo(
                    Fl("broadcast-back"), id="broadcast_day_back", state=BroadcastDialog.text
                ),
                cancel,
                state=BroadcastDialog.day,
            ),
            Window(
                Fl("broadcast-time"),
                *text_input("broadcast_time", time_typed, TIME),
                back,
                cancel,
                state=BroadcastDialog.time,
            ),
            Window(
                Fl("broadcast-place"),
                *text_input("broadcast_place", place_typed, bounded_text(300)),
                Next(Fl("broadcast-skip"), id="broadcast_place_skip"),
                back,
                cancel,
                state=BroadcastDialog.place,
            ),
            Window(
                Fl("broadcast-audience"),
                Column(
                    *[
                        Button(
                            Fl(f"broadcast-audience-{name}"),
                            id=f"audience_{name}",
                            on_click=audience_chosen,
                        )
                        for name in AUDIENCES
                    ],
                    *[
                        SwitchTo(
                            Fl(f"broadcast-audience-{name}"), id=f"audience_{name}", state=state
                        )
                        for name, state in (
                            ("form", BroadcastDialog.form),
                            ("role", BroadcastDialog.role),
                            ("people", BroadcastDialog.people),
                        )
                    ],
                ),
                cancel,
                state=BroadcastDialog.audience,
            ),
            audience_choice(BroadcastDialog.form, "form", form_chosen, forms_getter),
            audience_choice(BroadcastDialog.role, "role", role_chosen, roles_getter),
            Window(
                Fl("broadcast-people"),
                ScrollingGroup(
                    Multiselect(
                        Format("✅ {item[1]}"),
                        Format("▫️ {item[1]}"),
                        id="broadcast_people",
                        item_id_getter=operator.itemgetter(0),
                        items="people",
                    ),
                    id="broadcast_people_pages",
                    width=1,
                    height=8,
                ),
                Button(
                    Fl("broadcast-people-done"), id="broadcast_people_done", on_click=people_done
                ),
                SwitchTo(
                    Fl("broadcast-back"),
                    id="broadcast_people_back",
                    state=BroadcastDialog.audience,
                ),
                state=BroadcastDialog.people,
                getter=people_getter,
            ),
            Window(
                DynamicMedia("media", when="media"),
                Fl("broadcast-preview"),
                Format("{message}"),
                Fl("broadcast-preview-buttons", when="event"),
                Button(Fl("broadcast-send"), id="broadcast_send", on_click=send_confirmed),
                SwitchTo(
                    Fl("broadcast-back"),
                    id="broadcast_preview_back",
                    state=BroadcastDialog.audience,
                ),
                cancel,
                state=BroadcastDialog.preview,
                getter=preview_getter,
            ),
            Window(
                Fl("broadcast-report"),
                Fl("broadcast-report-event", when="event"),
                Fl("broadcast-report-cancelled", when="cancelled"),
                Button(Fl("broadcast-refresh"), id="broadcast_refresh"),
                Button(
                    Fl("broadcast-move-event"),
                    id="broadcast_move_event",
                    on_click=start_move,
                    when="open_event",
                ),
                Button(
                    Fl("broadcast-cancel-event"),
                    id="broadcast_cancel_event",
                    on_click=cancel_event,
                    when="open_event",
                ),
                Cancel(Fl("broadcast-close"), id="broadcast_report_close"),
                state=BroadcastDialog.report,
                getter=report_getter,
            ),
        )
    ]
