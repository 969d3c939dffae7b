"""What the programme, plan and meeting dialogs share: names, sending to others, the programme
rendered, and `ProgrammeRead`, the programme as a document, paged.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import date
from typing import Any

from aiogram.exceptions import TelegramBadRequest
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext

from bot.services import programmes
from bot.services.pages import BUTTON_TEXT, paginate, short
from bot.services.pairs_read import Participant, mentees_of, mentor_of, participants
from bot.services.programme_access import pair_to_read, reading
from bot.ui import MaybeId, RecordId, esc, format_date, format_day
from handlers.dialog_kit import Ctx, ctx, owned, start_id
from models import Activity, ActivityStatus, Pair, Programme, ProgrammeStatus


class ProgCb(CallbackData, prefix="prg"):
    """Buttons on messages (not dialogs): open, ack (acknowledge), changes (ask for changes).
    `activity_id` and `value` are unused, kept so buttons already sent still unpack."""

    action: str
    pair_id: RecordId
    activity_id: MaybeId = 0
    value: str = ""


def name_of(i18n: I18nContext, person: Participant | None) -> str:
    if person is None:
        return "—"
    return esc(person.full_name) if person.full_name else i18n.get("programme-someone")


def pair_label(i18n: I18nContext, people: list[Participant], ids: list[int]) -> str:
    """How a pair is named on a button: its mentees for the mentor, the mentor for a mentee."""
    mentor = mentor_of(people)
    if mentor is not None and mentor.membership_id in ids:
        names = [p.full_name or i18n.get("programme-someone") for p in mentees_of(people)]
        return short(", ".join(names))
    if mentor is None:
        return "—"
    return short(i18n.get("programme-pair-with-mentor", name=mentor.full_name or "—"), BUTTON_TEXT)


Render = Callable[[Participant], Awaitable[tuple[list[str], InlineKeyboardMarkup | None]]]


async def tell(
    c: Ctx, people: list[Participant], render: Render, note_to: Message | None = None
) -> None:
    """Each person gets the pages `render` makes in their language, queued with the update's
    changes, the buttons under the last page. With `note_to`, one who blocked the bot gets
    nothing and is named below it."""
    for person in people:
        if note_to is not None and await c.mail.is_blocked(person.telegram_id):
            name = name_of(c.i18n, person)
            await note_to.answer(c.i18n.get("programme-not-delivered", name=name))
            continue
        with c.i18n.use_locale(person.language or c.settings.default_language):
            pages, markup = await render(person)
        for index, page in enumerate(pages):
            last = index == len(pages) - 1
            await c.mail.send(
                person.telegram_id, page, markup if last else None, purpose="programme"
            )


async def close_with(query: CallbackQuery, text: str) -> None:
    """The tap did its work: its message loses the buttons and `text` answers below it."""
    await query.answer()
    if isinstance(query.message, Message):
        with suppress(TelegramBadRequest):  # gone or unchanged: the buttons matter no more
            await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(text)


# --- rendering --------------------------------------------------------------------------------


async def state_line(
    c: Ctx, pair: Pair, programme: Programme | None, activities: list[Activity]
) -> str:
    zone = c.actor.timezone
    sent = programme is not None and programme.status == ProgrammeStatus.SUBMITTED
    read = await programmes.read_by(c.session, pair.id) if sent else (0, 1)
    key, args = programmes.state_of(pair, programme, activities, c.clock.today(zone), zone, read)
    shown = {name: v if isinstance(v, int) else format_date(v) for name, v in args.items()}
    return c.i18n.get(key, **shown)


def header(
    i18n: I18nContext, pair: Pair, people: list[Participant], title: str | None = None
) -> str:
    mentees = mentees_of(people)
    names = ", ".join(name_of(i18n, p) for p in mentees) or "—"
    return "\n".join(
        [
            title or i18n.get("programme-title"),
            i18n.get("programme-mentees", count=len(mentees), names=names),
            i18n.get("programme-mentor", name=name_of(i18n, mentor_of(people))),
            i18n.get(
                "programme-term", start=format_date(pair.starts_on), end=format_date(pair.ends_on)
            ),
        ]
    )


def field_label(i18n: I18nContext, field: str) -> str:
    return i18n.get(f"programme-field-{field.replace('_', '-')}")


def activity_block(i18n: I18nContext, activity: Activity, today: date, timezone: str) -> str:
    lines = [
        i18n.get(
            "programme-activity-line",
            mark=programmes.activity_mark(activity, today),
            number=activity.position,
            date=format_date(activity.due_on),
            content=esc(activity.content),
        )
    ]
    if activity.expected_result:
        lines.append(i18n.get("programme-activity-expected", text=esc(activity.expected_result)))
    if activity.status == ActivityStatus.DONE and activity.result:
        lines.append(
            i18n.get(
                "programme-activity-result",
                date=format_day(activity.done_at, timezone),
                text=esc(activity.result),
            )
        )
    return "\n".join(lines)


async def item_card(c: Ctx, programme: Programme, activity: Activity) -> str:
    """A plan item on its own: its number of all, and the item as the programme shows it."""
    total = len(await programmes.activities_of(c.session, programme.id))
    card = c.i18n.get("programme-activity-card", number=activity.position, total=total)
    zone = c.actor.timezone
    return card + "\n" + activity_block(c.i18n, activity, c.clock.today(zone), zone)


def heading(c: Ctx, pair: Pair, people: list[Participant], state: str) -> str:
    """The programme's header and its state line."""
    return header(c.i18n, pair, people) + "\n" + c.i18n.get("programme-state", state=state)


async def render_for(c: Ctx, pair: Pair, programme: Programme) -> list[str]:
    """The programme as pages of at most one message each."""
    activities = await programmes.activities_of(c.session, programme.id)
    state = await state_line(c, pair, programme, activities)
    people = await participants(c.session, pair)
    blocks = [heading(c, pair, people, state)]
    for field in programmes.FIELDS:
        value = getattr(programme, field)
        blocks.append(f"<b>{field_label(c.i18n, field)}</b>\n{esc(value) if value else '—'}")
    blocks.append(c.i18n.get("programme-plan-title", count=len(activities)))
    zone = c.actor.timezone
    today = c.clock.today(zone)
    blocks.extend(activity_block(c.i18n, activity, today, zone) for activity in activities)
    if not activities:
        blocks.append(c.i18n.get("programme-plan-empty"))
    return paginate(blocks)


# --- the programme as a document ----------------------------------------------------------


class ProgrammeRead(StatesGroup):  # start data: {"id": pair_id, "back": bool}
    page = State()


async def read_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    """The programme in pages for its mentor, a mentee, the curator or the head; the mentee's
    answer buttons while it waits for them."""
    c = ctx(dialog_manager)
    pair = await owned(dialog_manager, pair_to_read, start_id(dialog_manager))
    programme = await programmes.programme_of(c.session, pair.id)
    _is_mentor, readable, can_answer = await reading(c.session, c.actor, pair, programme)
    back = bool(start_id(dialog_manager, "back"))
    if programme is None or not readable:
        text = c.i18n.get("programme-not-yet", state=await state_line(c, pair, programme, []))
        return {"screen": text, "pages": 1, "can_answer": False, "back": back}
    pages = await render_for(c, pair, programme)
    page = await dialog_manager.find("programme_pages").get_page()  # type: ignore[union-attr]
    screen = pages[min(page, len(pages) - 1)]
    return {"screen": screen, "pages": len(pages), "can_answer": can_answer, "back": back}
