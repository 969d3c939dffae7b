"""What the programme, plan and meeting dialogs share: the actor's pairs, names, sending to
others, pages of at most one message, and the programme rendered.

`ProgCb(action="open", pair_id=...)` opens the programme for the mentor, a mentee or the curator;
`ProgrammeRead` is the programme as a document, paged.
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
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import programmes
from bot.services.pairs_read import (
    Participant,
    pairs_of_mentee,
    pairs_of_mentor,
    participants,
)
from bot.services.people import Actor
from bot.services.programme_access import member_ids, pair_to_read
from bot.ui import MESSAGE_LIMIT, MaybeId, RecordId, button, esc, format_date, format_day, keyboard
from handlers.dialog_kit import Ctx, ctx, owned, start_id
from models import (
    Activity,
    ActivityStatus,
    MembershipStatus,
    Pair,
    PairStatus,
    Programme,
    ProgrammeStatus,
    Role,
)

BUTTON_TEXT = 40


class ProgCb(CallbackData, prefix="prg"):
    """Buttons on messages (not dialogs): open, ack (acknowledge), changes (ask for changes).
    `activity_id` and `value` are unused, kept so buttons already sent still unpack."""

    action: str
    pair_id: RecordId
    activity_id: MaybeId = 0
    value: str = ""


# --- shared helpers ---------------------------------------------------------------------------


async def running_pairs(session: AsyncSession, actor: Actor, *, mentees_too: bool) -> list[Pair]:
    """The actor's active pairs: as the mentor, and as a mentee when asked."""
    found: dict[int, Pair] = {}
    for membership in actor.memberships:
        if membership.status != MembershipStatus.ACTIVE:
            continue
        if membership.role == Role.MENTOR:
            pairs = await pairs_of_mentor(session, membership.id, (PairStatus.ACTIVE,))
        elif membership.role == Role.MENTEE and mentees_too:
            pairs = await pairs_of_mentee(session, membership.id, (PairStatus.ACTIVE,))
        else:
            continue
        found.update((pair.id, pair) for pair in pairs)
    return [found[key] for key in sorted(found)]


def name_of(i18n: I18nContext, person: Participant | None) -> str:
    if person is None:
        return "—"
    return esc(person.full_name) if person.full_name else i18n.get("programme-someone")


def mentor_of(people: list[Participant]) -> Participant | None:
    return next((p for p in people if p.is_mentor), None)


def mentees_of(people: list[Participant]) -> list[Participant]:
    return [p for p in people if not p.is_mentor]


def short(text: str, limit: int = BUTTON_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def me_among(people: list[Participant], actor: Actor) -> Participant | None:
    mine = member_ids(actor)
    return next((p for p in people if p.membership_id in mine), None)


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


def paginate(blocks: list[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Blocks joined into messages of at most `limit` characters, split between blocks."""
    pages: list[str] = []
    current = ""
    for block in blocks:
        while len(block) > limit:  # only a pathological block: split at a space, never in a tag
            cut = max(block.rfind(" ", 0, limit), block.rfind("\n", 0, limit))
            cut = cut if cut > 0 else limit
            blocks_head, block = block[:cut], block[cut:].lstrip()
            if current:
                pages.append(current)
                current = ""
            pages.append(blocks_head)
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) > limit:
            pages.append(current)
            candidate = block
        current = candidate
    if current:
        pages.append(current)
    return pages or [""]


# --- rendering --------------------------------------------------------------------------------


def state_line(c: Ctx, pair: Pair, programme: Programme | None, activities: list[Activity]) -> str:
    """The programme's state in one line, with the 10-day rule while it is not yet written."""
    i18n, today = c.i18n, c.clock.today(c.actor.timezone)
    due = programmes.due_of(pair, programme, c.actor.timezone)
    days = (due - today).days
    late = "-overdue" if days < 0 else ""
    if programme is None:
        return i18n.get(f"programme-state-none{late}", due=format_date(due), days=abs(days))
    status = ProgrammeStatus(programme.status)
    if status in (ProgrammeStatus.DRAFT, ProgrammeStatus.CHANGES_REQUESTED):
        if programmes.is_written(programme):
            changes = status == ProgrammeStatus.CHANGES_REQUESTED
            return i18n.get("programme-state-changes" if changes else "programme-state-corrected")
        return i18n.get(f"programme-state-draft{late}", due=format_date(due), days=abs(days))
    if status == ProgrammeStatus.SUBMITTED:
        submitted = format_day(programme.submitted_at, c.actor.timezone)
        return i18n.get("programme-state-submitted", date=submitted)
    done = programmes.progress(activities, today)
    return i18n.get(
        "programme-state-acknowledged",
        date=format_day(programme.acknowledged_at, c.actor.timezone),
        done=done.done,
        total=done.total,
    )


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


def activity_mark(activity: Activity, today: date) -> str:
    if activity.status == ActivityStatus.DONE:
        return "✅"
    return "⚠️" if activity.due_on < today else "⬜"


def activity_button_text(activity: Activity, today: date) -> str:
    """A plan item as a button: mark, number, date and the start of its content."""
    return short(
        f"{activity_mark(activity, today)} {activity.position}. {activity.due_on:%d.%m} "
        f"{activity.content}",
        BUTTON_TEXT + 12,
    )


def activity_block(i18n: I18nContext, activity: Activity, today: date, timezone: str) -> str:
    lines = [
        i18n.get(
            "programme-activity-line",
            mark=activity_mark(activity, today),
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
    state = state_line(c, pair, programme, activities)
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


def ack_keyboard(i18n: I18nContext, pair_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [button(i18n.get("programme-ack"), ProgCb(action="ack", pair_id=pair_id))],
        [button(i18n.get("programme-ask-changes"), ProgCb(action="changes", pair_id=pair_id))],
    )


# --- the programme as a document ----------------------------------------------------------


class ProgrammeRead(StatesGroup):  # start data: {"id": pair_id, "back": bool}
    page = State()


async def reading(c: Ctx, pair: Pair, programme: Programme | None) -> tuple[bool, bool, bool]:
    """Is the actor the mentor; may they read the programme (the mentor at once, the others once
    it is written); may they answer it (a mentee, while it waits for them)."""
    is_mentor = pair.mentor_membership_id in member_ids(c.actor)
    readable = programme is not None and (is_mentor or programmes.is_written(programme))
    mine = set(member_ids(c.actor)) & set(await programmes.mentee_ids(c.session, pair.id))
    waiting = programme is not None and programme.status == ProgrammeStatus.SUBMITTED
    return is_mentor, readable, waiting and bool(mine)


async def read_getter(dialog_manager: DialogManager, **__: Any) -> dict[str, Any]:
    """The programme in pages for its mentor, a mentee, the curator or the head; the mentee's
    answer buttons while it waits for them."""
    c = ctx(dialog_manager)
    pair = await owned(dialog_manager, pair_to_read, start_id(dialog_manager))
    programme = await programmes.programme_of(c.session, pair.id)
    _is_mentor, readable, can_answer = await reading(c, pair, programme)
    back = bool(start_id(dialog_manager, "back"))
    if programme is None or not readable:
        text = c.i18n.get("programme-not-yet", state=state_line(c, pair, programme, []))
        return {"screen": text, "pages": 1, "can_answer": False, "back": back}
    pages = await render_for(c, pair, programme)
    page = await dialog_manager.find("programme_pages").get_page()  # type: ignore[union-attr]
    screen = pages[min(page, len(pages) - 1)]
    return {"screen": screen, "pages": len(pages), "can_answer": can_answer, "back": back}
