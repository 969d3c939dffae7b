"""Roles and ownership, as someone who should not may try them: a curator whose role went
while a desk dialog stayed open, a member whose membership was revoked pressing an old button,
the head trying what only the curator changes, a curator of one kindergarten and a person of two
pressing another's buttons. Each refusal is the one polite answer and changes nothing stored."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import Column, Table, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.broadcast_messages import EventAnswerCb
from bot.config import Settings
from bot.reminder_buttons import ActivityDone, PairComplete, PairEndEarly, PlanOpen, ReportOpen
from bot.scheduler import JobContext
from bot.services.clock import FrozenClock
from handlers.pair_lifecycle import LifeCb
from handlers.programme_view import ProgCb
from models import (
    Base,
    Membership,
    Organisation,
    Pair,
    PairMentee,
    PairStatus,
    Role,
    User,
)
from tests.flows import MENTEE_ANSWERS, MENTOR_ANSWERS, found_organisation, invite, join
from tests.harness import Harness, Person
from tests.pairs_fixture import Kindergarten, kindergarten_with_pair, named, with_plan
from tests.pairs_flows import STAFF_ANSWERS, forged
from tests.test_broadcasts import event_for_pairs

NOT_ALLOWED = "Это действие недоступно в вашей роли."
STALE = "Эта кнопка уже не действует. Откройте нужный раздел заново."
# What an update may write without doing anything: its id, the dialog's place, the queue.
BOOKKEEPING = {"processed_updates", "fsm_records", "outbox", "app_state"}

Stored = dict[str, list[tuple[Any, ...]]]


async def stored(sessionmaker: async_sessionmaker[AsyncSession]) -> Stored:
    """Every row of every table but the bookkeeping (and the signature of the command menu last
    set, which a refusal brings up to date), to compare before and after."""
    async with sessionmaker() as session:
        return {
            table.name: sorted(
                map(tuple, (await session.execute(select(*kept(table)))).all()), key=repr
            )
            for table in Base.metadata.sorted_tables
            if table.name not in BOOKKEEPING
        }


def kept(table: Table) -> list[Column[Any]]:
    return [column for column in table.columns if column.name != "menu_signature"]


async def set_memberships(engine: AsyncEngine, telegram_id: int, status: str) -> None:
    """As an administrator's console would: the person's memberships revoked or restored."""
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "UPDATE memberships SET status = :status WHERE user_id ="
                " (SELECT id FROM users WHERE telegram_id = :telegram_id)"
            ),
            {"status": status, "telegram_id": telegram_id},
        )


async def refused(person: Person, data: str, answer: str) -> None:
    """The press gets `answer` as an alert and nothing on screen."""
    person.forget()
    await person.presses(data)
    assert person.alerts()[-1] == answer, (data, person.alerts()[-1])
    assert person.texts() == [], (data, person.texts())


async def test_a_curator_whose_role_went_cannot_go_on_in_a_desk_dialog_left_open(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    engine: AsyncEngine,
) -> None:
    """The role is checked at each tap of a desk dialog, not only at its command: a curator
    revoked while /pair, /bank and /settings stood open forms no pair, reads no card and
    changes no setting (before, /pair went on and the bank showed a person's card)."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    curator = await join(app, await invite(garden.curator, "куратор"), 700, STAFF_ANSWERS)
    await join(
        app,
        await invite(garden.curator, "наставляемый"),
        502,
        named(MENTEE_ANSWERS, "Кузнецова Дарья Олеговна"),
    )
    wanted = {
        "/pair": ("Кузнецова",),
        "/bank": ("Кузнецова", "Наставники"),
        "/settings": ("объявления от заведующего", "Рабочие дни"),
    }
    for command, labels in wanted.items():
        screen = await curator.sends(command)
        assert screen is not None
        offered = buttons(screen)
        await set_memberships(engine, 700, "withdrawn")
        before = await stored(sessionmaker)
        for label in labels:
            curator.forget()
            await curator.presses(next(d for shown, d in offered if label in shown), screen)
            assert curator.alerts()[-1] == NOT_ALLOWED, (command, label)
            assert curator.texts() == [], (command, label)  # no card, no next step
        await curator.sends("Кузнецова")  # a typed answer to the open dialog
        assert curator.texts()[-1] == NOT_ALLOWED
        assert await stored(sessionmaker) == before
        await set_memberships(engine, 700, "active")
    # The same person back in the role goes on as before.
    await set_memberships(engine, 700, "active")
    await curator.sends("/bank")
    card = await curator.taps("Кузнецова")
    assert card is not None and "Карточка" in card.text


def buttons(sent: Any) -> list[tuple[str, str]]:
    rows = getattr(sent.markup, "inline_keyboard", None) or []
    return [(b.text, b.callback_data) for row in rows for b in row if b.callback_data]


async def test_a_revoked_member_answers_no_event_and_sees_none(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    engine: AsyncEngine,
) -> None:
    """A membership withdrawn or revoked grants nothing: its old «Приду» button records no
    answer and /events lists nothing (before, both went by every membership the person had)."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    async with sessionmaker() as session, session.begin():
        curator = await session.scalar(select(Membership).where(Membership.role == Role.CURATOR))
        assert curator is not None
        event, _people = await event_for_pairs(session, curator, clock)
        await session.flush()
        event_id = event.id
    mentee, mentor = garden.mentee, garden.mentor
    reply = await mentor.sends("/events")
    assert reply is not None and "Педсовет" in reply.text
    await set_memberships(engine, mentee.telegram_id, "withdrawn")
    before = await stored(sessionmaker)
    await refused(mentee, EventAnswerCb(event_id=event_id, coming=True).pack(), STALE)
    reply = await mentee.sends("/events")
    assert reply is not None and "Педсовет" not in reply.text
    assert await stored(sessionmaker) == before


async def test_the_head_reads_the_pairs_and_settings_and_the_curator_changes_them(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    """The head approves and reads; forming a pair, its term, its end and the organisation's
    settings are the curator's. Before, the head could form a pair (and then approve it), end
    one early, and switch on «the head sends broadcasts» for themselves."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    head = await join(app, await invite(garden.curator, "заведующ"), 300, STAFF_ANSWERS)
    await join(
        app,
        await invite(garden.curator, "наставляемый"),
        502,
        named(MENTEE_ANSWERS, "Кузнецова Дарья Олеговна"),
    )
    before = await stored(sessionmaker)
    head.forget()
    await head.sends("/pair")
    assert head.texts() == [NOT_ALLOWED]
    card = await head.sends("/pairs")
    card = await head.taps(f"№ {garden.pair_id}")
    assert card is not None and "Смирнова Ольга Ивановна" in card.text  # the head reads it
    assert not [label for label, _ in buttons(card) if "Продлить" in label or "Заверш" in label]
    pair = garden.pair_id
    for data in (
        LifeCb(action="early", pair_id=pair).pack(),
        LifeCb(action="extend", pair_id=pair).pack(),
    ):
        await refused(head, data, NOT_ALLOWED)
    for data in (PairComplete(pair_id=pair).pack(), PairEndEarly(pair_id=pair).pack()):
        await refused(head, data, STALE)
    await head.sends("/bank")
    bank_card = await head.taps("Кузнецова")
    assert bank_card is not None and "Карточка" in bank_card.text
    assert "Подобрать наставника" not in bank_card.buttons
    settings = await head.sends("/settings")
    assert settings is not None and "Заведующий тоже отправляет объявления" in settings.text
    assert [label for label, _ in buttons(settings)] == ["Закрыть"]
    await head.presses(forged(head, "Закрыть", "org_setting", "head_may_broadcast"))
    assert head.alerts()[-1] == STALE
    await head.sends("/broadcast")
    assert "Объявления отправляет куратор" in head.texts()[-1]
    # The head reads the desk's files too: the banks and journals, the report, the page.
    await head.sends("/export")
    await head.taps("Всё в одном файле")
    await head.sends("/report")
    await head.taps("За этот учебный год")
    await head.sends("/site")
    files = [sent for sent in head.transcript if sent.document_name]
    kinds = [(sent.document_name or "").rsplit(".")[-1] for sent in files]
    assert kinds == ["xlsx", "docx", "html", "md"]
    mentees = load_workbook(io.BytesIO(files[0].document or b""))["Банк наставляемых"]
    assert "Кузнецова Дарья Олеговна" in [cell.value for cell in mentees["B"]]
    assert await stored(sessionmaker) == before
    async with sessionmaker() as session:
        organisation = (await session.scalars(select(Organisation))).one()
        assert not organisation.head_may_broadcast
        assert (await session.get(Pair, pair)).status == PairStatus.ACTIVE  # type: ignore[union-attr]


async def kindergarten_b(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> tuple[Person, int, int]:
    """A second kindergarten (the administrator founds it) whose active pair, with a plan item,
    has the first one's mentor (601) for its mentor and a mentee 502 of its own. Returns the
    mentor of both, the pair's and the item's ids."""
    admin = await found_organisation(app)
    mentee_b = await join(
        app,
        await invite(admin, "наставляемый"),
        502,
        named(MENTEE_ANSWERS, "Кузнецова Дарья Олеговна"),
    )
    both = await join(app, await invite(admin, "наставник"), 601, MENTOR_ANSWERS)
    async with sessionmaker() as session, session.begin():
        ids = {}
        for telegram_id in (601, 502):
            ids[telegram_id], organisation_id = (
                await session.execute(
                    select(Membership.id, Membership.organisation_id)
                    .join(User, User.id == Membership.user_id)
                    .where(User.telegram_id == telegram_id)
                    .order_by(Membership.id.desc())
                )
            ).first()  # type: ignore[misc]
        pair = Pair(
            organisation_id=organisation_id,
            mentor_membership_id=ids[601],
            status=PairStatus.ACTIVE,
            forms=["traditional"],
            starts_on=date(2026, 11, 25),
            ends_on=date(2027, 5, 25),
            approved_at=clock.now(),
            activated_at=clock.now(),
            created_at=clock.now(),
        )
        session.add(pair)
        await session.flush()
        session.add(PairMentee(pair_id=pair.id, mentee_membership_id=ids[502]))
        pair_id = pair.id
    garden = Kindergarten(admin, both, [mentee_b], pair_id)
    [item] = await with_plan(sessionmaker, garden, clock.now(), [("Чужое", date(2026, 12, 6))])
    return both, pair_id, item


async def switch(person: Person) -> None:
    """/org, and the organisation not chosen now (the two have the same name)."""
    screen = await person.sends("/org")
    assert screen is not None
    other = next(data for label, data in buttons(screen) if not label.startswith("•"))
    await person.presses(other, screen)
    assert "Теперь вы работаете" in person.texts()[-1]


async def test_nobody_acts_on_another_kindergartens_pair(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    """A curator and the head of kindergarten A and a mentee of A's pair pressing B's pair
    buttons, and the mentor of a pair in each acting in A on B's plan: each refused, nothing
    stored; the same mentor, switched to B, opens the item's «Выполнено»."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    curator_a = await join(app, await invite(garden.curator, "куратор"), 700, STAFF_ANSWERS)
    head_a = await join(app, await invite(garden.curator, "заведующ"), 300, STAFF_ANSWERS)
    both, pair_b, item_b = await kindergarten_b(app, sessionmaker, clock)
    await switch(both)  # back in the first kindergarten
    before = await stored(sessionmaker)
    for person in (curator_a, head_a, both, garden.mentee):
        for data in (
            LifeCb(action="early", pair_id=pair_b).pack(),
            PairComplete(pair_id=pair_b).pack(),
            PlanOpen(pair_id=pair_b).pack(),
            ProgCb(action="open", pair_id=pair_b).pack(),
            ProgCb(action="ack", pair_id=pair_b).pack(),
            ReportOpen(pair_id=pair_b).pack(),
            ActivityDone(activity_id=item_b).pack(),
            f"pair_approve:{pair_b}",
        ):
            person.forget()
            await person.presses(data)
            assert person.alerts()[-1] in (STALE, NOT_ALLOWED), (person.telegram_id, data)
            assert person.texts() == [], (person.telegram_id, data)
    assert await stored(sessionmaker) == before
    await switch(both)  # to the second
    await both.presses(ActivityDone(activity_id=item_b).pack())
    assert "Чужое" in both.texts()[-1]  # the item's own flow, in B


async def test_a_head_without_a_curator_is_told_the_term_ended_and_who_decides(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    engine: AsyncEngine,
    settings: Settings,
) -> None:
    """Where the organisation has no curator (the one it had left), the term's end reaches the
    head, who reads: no buttons that would be refused, the plan, and a word to invite one."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    head = await join(app, await invite(garden.curator, "заведующ"), 300, STAFF_ANSWERS)
    await with_plan(
        sessionmaker, garden, clock.now(), [("Беседа", date(2026, 11, 26))], date(2026, 11, 27)
    )
    await set_memberships(engine, garden.curator.telegram_id, "withdrawn")
    clock.moment = datetime(2026, 11, 27, 9, tzinfo=UTC)  # 12:00 in Moscow, the last day
    await app.run_jobs(JobContext(app.bot, sessionmaker, clock, app.i18n_core(), settings))
    [told] = [sent for sent in head.transcript if "истёк 27.11.2026" in sent.text]
    assert "пригласите куратора" in told.text
    assert told.buttons == ["📋 План"]
