"""/broadcast: announcements and events from the desk; /events; the answers to events.

The curator writes the text (or sends a photo or a document with a caption), for an event picks
its day, time and place (a dialog on the stack, also used to move it), the audience, sees the
message as it will arrive and confirms. The queue sends it, and the report redraws itself as the
messages go (bot/live_reports.py). Recipients of an event answer «Приду» / «Не смогу».
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from aiogram import F, Router
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, ContentType, Message
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.api.entities import MediaAttachment, MediaId
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import (
    Back,
    Button,
    Cancel,
    Column,
    Group,
    Next,
    StubScroll,
    SwitchTo,
)
from aiogram_dialog.widgets.media import DynamicMedia
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcast_messages import (
    EventAnswerCb,
    events_text,
    message_text,
    send_broadcast,
    tell_change,
)
from bot.services import broadcasts, rules
from bot.services.broadcasts import Target, TargetKind, may_broadcast
from bot.services.clock import Clock
from bot.services.people import Actor
from bot.services.questionnaires.campaigns import members_page
from bot.ui import CAPTION_LIMIT, MESSAGE_LIMIT, shown_length
from handlers.desk_dialogs import pager, ticks, widget
from handlers.dialog_kit import (
    Bounded,
    Fl,
    Gone,
    LocalCalendar,
    OutOfRange,
    bounded_text,
    commands_router,
    ctx,
    middleware,
    owned,
    safe_id,
    say,
    start_id,
    text_input,
    today,
)
from handlers.join import choose
from handlers.roles import DESK, only
from models import Broadcast, BroadcastKind, Organisation, Role

ROLES = (Role.MENTOR, Role.MENTEE, Role.CURATOR, Role.HEAD, Role.PSYCHOLOGIST)


class BroadcastDialog(StatesGroup):
    # audience: and, by `picking` in the dialog's data, a form, a role or people
    kind, text, audience, preview, report = State(), State(), State(), State(), State()


class EventTime(StatesGroup):  # on the stack: an event's day, time and place, or its new time
    day, time, place = State(), State(), State()


def _desk(manager: DialogManager) -> tuple[AsyncSession, Actor, Organisation]:
    session, actor = middleware(manager)
    if actor.organisation is None or not may_broadcast(actor):
        raise Gone
    return session, actor, actor.organisation


# --- the message ---------------------------------------------------------------------------------


async def kind_chosen(query: CallbackQuery, widget: Button, manager: DialogManager) -> None:
    manager.dialog_data["kind"] = BroadcastKind(str(widget.widget_id).removeprefix("broadcast_"))


async def text_typed(message: Message, _: Any, manager: DialogManager, text: str) -> None:
    formatted = message.html_text if message.text else text  # bold, links and the like kept
    if shown_length(formatted) > broadcasts.TEXT_LIMIT:  # as Telegram counts: what it shows
        limit = broadcasts.TEXT_LIMIT
        await say(message, manager, ctx(manager).i18n.get("input-text-length", min=1, max=limit))
        return
    manager.dialog_data.update(text=formatted, file_id=None, file_kind=None)
    await _after_text(manager)


async def media_sent(message: Message, _: MessageInput, manager: DialogManager) -> None:
    """A photo or a document, its caption the text (a caption holds 1024 characters)."""
    caption = message.html_text if message.caption else ""
    if shown_length(caption) > broadcasts.OWN_CAPTION_LIMIT:
        limit = broadcasts.OWN_CAPTION_LIMIT
        await say(message, manager, ctx(manager).i18n.get("broadcast-caption-long", limit=limit))
        return
    if message.photo:
        manager.dialog_data.update(file_kind="photo", file_id=message.photo[-1].file_id)
    elif message.document:
        manager.dialog_data.update(file_kind="document", file_id=message.document.file_id)
    manager.dialog_data["text"] = caption
    await _after_text(manager)


async def _after_text(manager: DialogManager) -> None:
    if manager.dialog_data.get("kind") == BroadcastKind.EVENT:
        await manager.start(EventTime.day)
    else:
        await manager.switch_to(BroadcastDialog.audience)


# --- an event's day, time and place (a dialog on the stack) --------------------------------------


def event_days(manager: DialogManager) -> tuple[date, date]:
    first = today(manager)
    return first, first + broadcasts.LONGEST_AHEAD


async def day_chosen(_: Any, __: Any, manager: DialogManager, day: date) -> None:
    manager.dialog_data["day"] = day.isoformat()
    await manager.next()


TIME = Bounded(broadcasts.parse_time, "broadcast-time-wrong")


async def time_typed(message: Message, _: Any, manager: DialogManager, value: str) -> None:
    manager.dialog_data["time"] = value
    if start_id(manager, "moving"):  # a new day and time for an event already sent
        await manager.done(manager.dialog_data)
    else:
        await manager.next()


async def placed(event: Any, _: Any, manager: DialogManager, place: str | None = None) -> None:
    """The place typed, or skipped."""
    await manager.done({**manager.dialog_data, "place": place})


async def close_all(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    """«Отмена» on the event's steps closes the whole broadcast, as on its other steps."""
    await manager.reset_stack()


async def event_timed(start_data: Any, result: Any, manager: DialogManager) -> None:
    """The event's day, time and place chosen (or «Назад» from the calendar: `result` None)."""
    if isinstance(result, dict):
        manager.dialog_data.update(result)  # the day, the time, and the place of a new event
        if isinstance(start_data, dict) and start_data.get("moving"):
            await _change(manager, "moved")
        else:
            await manager.switch_to(BroadcastDialog.audience)


# --- the audience --------------------------------------------------------------------------------

# The audiences a button chooses at once (the others show a list: a form, a role, people).
AUDIENCES: dict[str, tuple[TargetKind, Role | None]] = {
    "everyone": (TargetKind.EVERYONE, None),
    "mentors": (TargetKind.ROLE, Role.MENTOR),
    "mentees": (TargetKind.ROLE, Role.MENTEE),
    "pairs": (TargetKind.PAIRS, None),
}
PICKS = ("form", "role", "people")
PEOPLE_PAGE = 8  # people a page to tick


async def _aim(manager: DialogManager, **target: Any) -> None:
    manager.dialog_data.update(target=target, picking=None)
    await manager.switch_to(BroadcastDialog.preview)


async def audience_chosen(query: CallbackQuery, widget: Button, manager: DialogManager) -> None:
    """An audience at once, or a list of forms, roles or people in place of the audiences
    (and «Назад» from the list: the audiences again)."""
    name = str(widget.widget_id).removeprefix("audience_")
    if name in AUDIENCES:
        kind, role = AUDIENCES[name]
        await _aim(manager, kind=kind, role=role)
    else:
        manager.dialog_data["picking"] = name if name in PICKS else None


async def option_chosen(_: CallbackQuery, __: Any, manager: DialogManager, item: str) -> None:
    picking = manager.dialog_data.get("picking")
    if picking == "form" and item in rules.FORMS:
        await _aim(manager, kind=TargetKind.FORM, form=item)
    elif picking == "role" and item in ROLES:
        await _aim(manager, kind=TargetKind.ROLE, role=item)
    else:
        raise OutOfRange


async def people_done(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    ticked = widget(manager, "broadcast_people").get_checked()
    ids = [number for number in map(safe_id, ticked) if number > 0]  # a forged tick: none
    if not ids:
        await say(query, manager, ctx(manager).i18n.get("broadcast-people-none"))
        return
    await _aim(manager, kind=TargetKind.PEOPLE, ids=ids)


async def audience_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    picking = dialog_manager.dialog_data.get("picking")
    i18n: I18nContext = dialog_manager.middleware_data["i18n"]
    options: list[tuple[str, str]] = []
    if picking == "form":
        options = [(form, i18n.get(f"pair-form-{form}")) for form in rules.FORMS]
    elif picking == "role":
        options = [(str(role), i18n.get(f"role-{role}")) for role in ROLES]
    pages = 1
    if picking == "people":  # a page of the organisation's people, read by the page
        session, _actor, organisation = _desk(dialog_manager)
        page = await widget(dialog_manager, "broadcast_people_pages").get_page()
        people, pages = await members_page(session, organisation.id, page, PEOPLE_PAGE)
        options = [
            (str(m.membership_id), f"{m.name or '—'} ({i18n.get(f'role-{m.role}')})")
            for m in people
        ]
    return {
        "pages": pages,
        "prompt": i18n.get(f"broadcast-{picking or 'audience'}"),
        "options": options,
        "audiences": not picking,
        "listing": picking in ("form", "role"),
        "ticking": picking == "people",
    }


# --- the preview and the sending -----------------------------------------------------------------


def _event_at(manager: DialogManager) -> datetime | None:
    data = manager.dialog_data
    if data.get("kind") != BroadcastKind.EVENT or not data.get("day") or not data.get("time"):
        return None
    _, actor = middleware(manager)
    return broadcasts.local_moment(data["day"], data["time"], actor.timezone)


async def preview_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The message as it will arrive, in the curator's language, and by how many characters the
    preview passes Telegram's limit (a caption's with a file). The preview holds the message and
    a line or two about it, so when it fits, so does the message each person gets."""
    session, _actor, organisation = _desk(dialog_manager)
    data, i18n = dialog_manager.dialog_data, ctx(dialog_manager).i18n
    target = Target.from_data(data.get("target") or {})
    people = await broadcasts.target_recipients(session, organisation.id, target)
    event = data.get("kind") == BroadcastKind.EVENT
    text, event_at = data.get("text", ""), _event_at(dialog_manager)
    message = message_text(i18n.get, organisation, text, event_at, data.get("place"))
    shown = [i18n.get("broadcast-preview", count=len(people)), message]
    shown += [i18n.get("broadcast-preview-buttons")] if event else []
    limit = CAPTION_LIMIT if data.get("file_id") else MESSAGE_LIMIT
    over = shown_length("\n".join(shown)) - limit
    media = None
    if data.get("file_id") and over <= 0:
        kind = ContentType.PHOTO if data.get("file_kind") == "photo" else ContentType.DOCUMENT
        media = MediaAttachment(kind, file_id=MediaId(data["file_id"]))
    return {
        "people": people,
        "target": target,
        "message": message,
        "count": len(people),
        "media": media,
        "event": event,
        "fits": over <= 0,
        "over": over,
        "limit": limit,
    }


async def send_confirmed(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    session, actor, organisation = _desk(manager)
    the, data = ctx(manager), manager.dialog_data
    if data.get("broadcast_id"):  # a double tap: it went already
        await manager.switch_to(BroadcastDialog.report)
        return
    preview = await preview_getter(manager)
    people = preview["people"]
    if not people:
        await query.answer(the.i18n.get("broadcast-nobody"), show_alert=True)
        return
    if not preview["fits"]:
        raise OutOfRange  # a forged «Отправить» under a message too long to send
    author = actor.membership(Role.CURATOR) or actor.membership(Role.HEAD)
    broadcast = await broadcasts.create(
        session,
        organisation_id=organisation.id,
        author_membership_id=author.id if author else None,
        kind=BroadcastKind(data["kind"]),
        text=data["text"],
        target=preview["target"],
        recipients=people,
        now=the.clock.now(),
        file_kind=data.get("file_kind"),
        file_id=data.get("file_id"),
        event_at=_event_at(manager),
        place=data.get("place"),
    )
    await send_broadcast(the.mail, the.i18n.core, the.i18n.locale, broadcast, organisation, people)
    # The report shown next redraws itself as the messages go (bot/live_reports.py).
    broadcast.report_chat_id = manager.middleware_data["event_chat"].id
    data["broadcast_id"] = broadcast.id
    await manager.switch_to(BroadcastDialog.report)


# --- the report, and an event moved or cancelled -------------------------------------------------


async def _open_event(manager: DialogManager) -> Broadcast:
    broadcast_id = manager.dialog_data.get("broadcast_id")
    broadcast = await owned(manager, broadcasts.desk_broadcast, broadcast_id)
    if broadcast.kind != BroadcastKind.EVENT or broadcast.cancelled_at is not None:
        raise Gone
    return broadcast


async def _change(manager: DialogManager, change: str) -> None:
    """The event `cancelled`, or `moved` to the day and time chosen: whoever it reached and has
    not declined is told."""
    c, broadcast, event_at = ctx(manager), await _open_event(manager), _event_at(manager)
    if change == "cancelled":
        told = await broadcasts.cancel(c.session, broadcast, c.clock.now())
    elif event_at is not None:
        told = await broadcasts.move(c.session, broadcast, event_at, None)
    else:
        raise Gone
    await tell_change(
        c.mail, c.i18n.core, c.i18n.locale, broadcast, told, change, c.actor.timezone
    )


async def cancel_event(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    await _change(manager, "cancelled")


async def start_move(query: CallbackQuery, _: Button, manager: DialogManager) -> None:
    await _open_event(manager)
    await manager.start(EventTime.day, {"moving": True})


async def report_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    broadcast_id = dialog_manager.dialog_data.get("broadcast_id")
    broadcast = await owned(dialog_manager, broadcasts.desk_broadcast, broadcast_id)
    report = await broadcasts.report(ctx(dialog_manager).session, broadcast)
    event = broadcast.kind == BroadcastKind.EVENT
    return {
        **{name: getattr(report, name) for name in REPORTED},
        "recipients": broadcast.recipients,
        "event": event,
        "open_event": event and broadcast.cancelled_at is None,
        "cancelled": broadcast.cancelled_at is not None,
    }


REPORTED = ("sent", "queued", "failed", "unreachable", "coming", "not_coming")


# --- answers to events, the list of events, the command ------------------------------------------


async def event_answered(
    query: CallbackQuery,
    callback_data: EventAnswerCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    coming = callback_data.coming
    if not await broadcasts.answer_as(session, actor, callback_data.event_id, coming, clock.now()):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await query.answer(
        i18n.get("broadcast-answer-coming" if coming else "broadcast-answer-not-coming")
    )


async def events_command(
    message: Message, session: AsyncSession, actor: Actor, clock: Clock, i18n: I18nContext
) -> None:
    events = await broadcasts.visible(session, actor, clock.now())
    await message.answer(events_text(i18n.get, events, actor.timezone))


async def broadcast_command(
    message: Message, dialog_manager: DialogManager, actor: Actor, i18n: I18nContext
) -> None:
    if not may_broadcast(actor):
        await message.answer(i18n.get("broadcast-head-not-allowed"))
        return
    await dialog_manager.start(BroadcastDialog.kind, mode=StartMode.RESET_STACK)


def router() -> Router:
    router = commands_router(
        __name__, ("broadcast", broadcast_command, DESK), ("events", events_command, None)
    )
    router.callback_query.register(event_answered, EventAnswerCb.filter())
    return router


def dialogs() -> list[Dialog]:
    cancel = Cancel(Fl("broadcast-cancel"), id="broadcast_close")
    back = Back(Fl("broadcast-back"), id="broadcast_back")
    close = Button(Fl("broadcast-cancel"), "broadcast_close", close_all)
    kinds = [
        Next(Fl(f"broadcast-kind-{kind}"), f"broadcast_{kind}", on_click=kind_chosen)
        for kind in BroadcastKind
    ]
    audiences = [
        Button(Fl(f"broadcast-audience-{name}"), f"audience_{name}", audience_chosen)
        for name in (*AUDIENCES, *PICKS)
    ]
    people = ticks("broadcast_people", "options", None, "▫️ {item[1]}")
    event_buttons = [
        Button(Fl(f"broadcast-{name}-event"), f"broadcast_{name}_event", click, "open_event")
        for name, click in (("move", start_move), ("cancel", cancel_event))
    ]
    dialogs = [
        Dialog(
            Window(Fl("broadcast-kind"), *kinds, cancel, state=BroadcastDialog.kind),
            Window(
                Fl("broadcast-text", limit=broadcasts.TEXT_LIMIT),
                MessageInput(media_sent, content_types=[ContentType.PHOTO, ContentType.DOCUMENT]),
                *text_input("broadcast_text", text_typed, bounded_text(broadcasts.TEXT_LIMIT)),
                back,
                cancel,
                state=BroadcastDialog.text,
            ),
            Window(
                Format("{prompt}"),
                Column(*audiences, when="audiences"),
                choose("broadcast_pick", "options", option_chosen, when="listing"),
                Group(
                    StubScroll("broadcast_people_pages", pages="pages"),
                    Column(people),
                    pager("broadcast_people_pages"),
                    Button(Fl("broadcast-people-done"), "broadcast_people_done", people_done),
                    when="ticking",
                ),
                Button(Fl("broadcast-back"), "audience_back", audience_chosen, ~F["audiences"]),
                cancel,
                state=BroadcastDialog.audience,
                getter=audience_getter,
            ),
            Window(
                DynamicMedia("media", when="media"),
                Fl("broadcast-preview", when="fits"),
                Format("{message}", when="fits"),
                Fl("broadcast-preview-buttons", when=F["fits"] & F["event"]),
                Fl("broadcast-too-long", when=~F["fits"]),
                Button(Fl("broadcast-send"), "broadcast_send", send_confirmed, when="fits"),
                SwitchTo(
                    Fl("broadcast-shorten"),
                    "broadcast_shorten",
                    BroadcastDialog.text,
                    when=~F["fits"],
                ),
                Back(Fl("broadcast-back"), id="broadcast_preview_back"),
                cancel,
                state=BroadcastDialog.preview,
                getter=preview_getter,
            ),
            Window(
                Fl("broadcast-report"),
                Fl("broadcast-report-event", when="event"),
                Fl("broadcast-report-cancelled", when="cancelled"),
                Button(Fl("broadcast-refresh"), "broadcast_refresh"),
                *event_buttons,
                Cancel(Fl("broadcast-close"), id="broadcast_report_close"),
                state=BroadcastDialog.report,
                getter=report_getter,
            ),
            on_process_result=event_timed,
        ),
        Dialog(
            Window(
                Fl("broadcast-day"),
                LocalCalendar("broadcast_day", day_chosen, event_days),
                Cancel(Fl("broadcast-back"), id="broadcast_day_back"),
                close,
                state=EventTime.day,
            ),
            Window(
                Fl("broadcast-time"),
                *text_input("broadcast_time", time_typed, TIME),
                back,
                close,
                state=EventTime.time,
            ),
            Window(
                Fl("broadcast-place"),
                *text_input("broadcast_place", placed, bounded_text(300)),
                Button(Fl("broadcast-skip"), "broadcast_place_skip", placed),
                back,
                close,
                state=EventTime.place,
            ),
        ),
    ]
    return [only(DESK, dialog) for dialog in dialogs]
