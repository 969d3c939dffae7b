"""Withdrawal of consent in a busy kindergarten, then a scan of every table of the schema.

The mentee (or the mentor) of a pair that has lived a whole programme withdraws: a plan with
an item about the mentee, a meeting with notes, a help thread both ways, both final reports,
an entry questionnaire with a typed answer, an event answered, a roadmap stage, an
announcement, another pair's plan and notes and a queued notice naming the mentee, and dialogs
left half-way with typed text (their own and others'). Afterwards no text, string or JSON
column of any table holds their name, phone, Telegram id or anything they typed or that was
written about them; the rows the statistics count stay, anonymous, and others' texts keep
what is not the person's."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import JSON, BigInteger, String, Text, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.mail import Mail
from bot.services import broadcasts
from bot.services.clock import FrozenClock
from bot.services.name_forms import name_forms
from models import (
    Activity,
    ActivityStatus,
    Broadcast,
    BroadcastKind,
    EventAnswer,
    FinalReport,
    Invitation,
    Meeting,
    Membership,
    MembershipStatus,
    Organisation,
    OutboxMessage,
    Programme,
    ProgrammeStatus,
    RoadmapStage,
    Role,
    SurveyAnswer,
    User,
)
from models.base import Base
from tests.flows import MENTEE_ANSWERS, found_organisation, invite, join, withdraw
from tests.harness import Harness, Person
from tests.pairs_fixture import (
    Kindergarten,
    active_pair,
    kindergarten_with_pair,
    membership_of,
    named,
    with_plan,
)
from tests.test_broadcasts import queue_broadcast
from tests.test_final_reports import sent_reports
from tests.test_survey_support import launch

MENTEE_NAME = "Петрова Анна Сергеевна"
MENTOR_NAME = "Смирнова Ольга Ивановна"
COLLEAGUE_NAME = "Кузнецова Дарья Олеговна"

# What each side typed, or what was written about them, in the order the story goes.
ABOUT_MENTEE = (
    MENTEE_NAME,
    "Петрова А. С.",  # the short form, in another pair's plan
    "+79123456789",
    "Как провести родительское собрание",  # her profile's main request
    "Посетить занятие Анны Сергеевны в средней группе",  # a plan item about her
    "Анна боится говорить с родителями",  # the meeting's notes
    "Дети не спят в тихий час, что делать?",  # her help request
    "Анна болела",  # the mentor's report on her
    "Анна освоила игровые технологии",
    "Анне пройти курсы",
    "Воспитатель после колледжа заочно",  # her typed answer to the entry questionnaire
    "Черновик: у Анны в группе 28 детей",  # her own dialog left half-way
    "Анна Сергеевна",  # in the colleague's meeting notes
    "Петровой Анны Сергеевны",  # in the roadmap
)
ABOUT_MENTOR = (
    MENTOR_NAME,
    "Победитель конкурса «Воспитатель года» 2019",  # her profile
    "Уложите их под колыбельную",  # her answer in the help thread
    "С Ольгой Ивановной было легко",  # the mentee's report on her
    "Ольга Ивановна лучшая",
    "Анна освоила игровые технологии",  # her own report
)
# Others' texts that name the mentee: they stay, with the marker in place of her name.
ABOUT_OTHERS = (
    "Открытое занятие ведёт —",  # the announcement
    "Программа для: —",  # the roadmap
    "Открытое занятие: —",  # the colleague's plan item
    "Пример для подражания: —",  # the colleague's meeting notes
)


@dataclass
class Busy:
    garden: Kindergarten
    colleague: Person
    organisation_id: int
    stage_id: int


async def busy_kindergarten(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> Busy:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    curator, mentor, mentee = garden.curator, garden.mentor, garden.mentee
    code = await invite(curator, "наставляемый")
    answers = named(MENTEE_ANSWERS, COLLEAGUE_NAME)
    answers[2], answers[8] = ("contact", "+79990001122"), ("text", "Игры с малышами")
    colleague = await join(app, code, 502, answers)
    colleague_pair = await active_pair(sessionmaker, clock, mentor, [colleague])
    now = clock.now()
    async with sessionmaker() as session, session.begin():
        own = await membership_of(session, mentee.telegram_id, Role.MENTEE)
        mentor_member = await membership_of(session, mentor.telegram_id, Role.MENTOR)
        organisation_id = own.organisation_id
        for pair_id, goal, item in (
            (garden.pair_id, "Уверенная работа с родителями", ABOUT_MENTEE[4]),
            (colleague_pair, "Освоить игры", "Открытое занятие: Петрова А. С."),
        ):
            programme = Programme(
                pair_id=pair_id,
                status=ProgrammeStatus.ACKNOWLEDGED,
                goal=goal,
                created_at=now,
                updated_at=now,
                submitted_at=now,
            )
            session.add(programme)
            await session.flush()
            session.add(
                Activity(
                    programme_id=programme.id,
                    position=1,
                    content=item,
                    due_on=date(2026, 12, 1),
                    status=ActivityStatus.OPEN,
                    created_at=now,
                )
            )
        session.add(
            Meeting(
                pair_id=colleague_pair,
                held_on=date(2026, 11, 24),
                format="online",
                duration_minutes=30,
                notes="Пример для подражания: Анна Сергеевна",  # as colleagues call her
                created_at=now,
            )
        )
        # The roadmap's fifth stage: the mentor is responsible for it, the text names the mentee.
        stage = RoadmapStage(
            organisation_id=organisation_id,
            year=2026,
            position=5,
            code="pairs",
            actions="Программа для: Петровой Анны Сергеевны",  # her name declined
            due_on=date(2027, 1, 20),
            responsible_membership_id=mentor_member.id,
            updated_at=now,
        )
        session.add(stage)
        await session.flush()
        stage_id = stage.id

    # A meeting, logged by the mentee with notes.
    await mentee.sends("/meeting")
    await mentee.taps("Сегодня")
    await mentee.taps("Очно")
    await mentee.taps("1. ")
    await mentee.taps("45 мин")
    await mentee.sends("Анна боится говорить с родителями")
    reply = await mentee.taps("Пропустить")
    assert reply is not None and "Встреча записана" in reply.text

    # A help thread, both ways.
    await mentee.sends("/sos")
    await mentee.sends("Дети не спят в тихий час, что делать?")
    await mentor.taps("Ответить")
    await mentor.sends("Уложите их под колыбельную")
    assert any("Уложите их под колыбельную" in text for text in mentee.texts())

    # The entry questionnaire, with a typed answer of her own.
    await launch(curator, "Входная диагностика", "Наставляемые")
    await mentee.taps("Начать")
    await mentee.sends("Воспитатель после колледжа заочно")

    # An event that names her; she is coming.
    async with sessionmaker() as session, session.begin():
        desk = await membership_of(session, curator.telegram_id, Role.CURATOR)
        target = broadcasts.Target(broadcasts.TargetKind.PAIRS)
        people = await broadcasts.target_recipients(session, organisation_id, target)
        event = await broadcasts.create(
            session,
            organisation_id=organisation_id,
            author_membership_id=desk.id,
            kind=BroadcastKind.EVENT,
            text=f"Открытое занятие ведёт {MENTEE_NAME}",
            target=target,
            recipients=people,
            now=now,
            event_at=now + timedelta(days=3),
            place="Музыкальный зал",
        )
        await queue_broadcast(session, event.id, people, now)
        assert await broadcasts.answer(session, event, own.id, True, now)  # «Приду»
    await app.deliver()

    # Dialogs left half-way: the mentee's with her own words, the mentor's and the curator's
    # naming her (and the mentor).
    for who, draft in (
        (mentee, "Черновик: у Анны в группе 28 детей"),
        (mentor, f"Черновик: {MENTEE_NAME} молодец"),
    ):
        await who.sends("/meeting")
        if who is mentor:
            await who.taps(MENTEE_NAME.split()[0])  # the mentor has two pairs
        await who.taps("Сегодня")
        await who.taps("Онлайн")
        await who.taps("1. ")
        await who.taps("30 мин")
        await who.sends(draft)
        assert "Следующие шаги" in who.last_reply().text  # type: ignore[union-attr]
    await curator.sends("/broadcast")
    await curator.taps("Объявление")
    await curator.sends(f"Поздравляем: {MENTEE_NAME} и {MENTOR_NAME}")

    # The pair completes and both write their final reports.
    await sent_reports(sessionmaker, garden, clock)
    await app.deliver()

    # A notice to the curator naming the mentee, still waiting in the queue.
    async with sessionmaker() as session, session.begin():
        mail = Mail(session, now + timedelta(days=30), "test:queued", organisation_id)
        await mail.send(curator.telegram_id, f"{MENTEE_NAME}: напоминание")
    for person in (curator, mentor, mentee, colleague):
        person.forget()
    return Busy(garden, colleague, organisation_id, stage_id)


UPDATE_ID = re.compile(r"update:\d+")


def holding(
    where: str, value: object, needles: tuple[str, ...], number: re.Pattern[str]
) -> list[str]:
    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    ids = UPDATE_ID.sub("update:", shown)  # a queued message's key names the update that made it
    found = [f"{where}: telegram id in {shown!r}"] if number.search(ids) else []
    return found + [f"{where}: {needle!r} in {shown!r}" for needle in needles if needle in shown]


async def columns_holding(
    sessionmaker: async_sessionmaker[AsyncSession], needles: tuple[str, ...], telegram_id: int
) -> list[str]:
    """Every text, string, JSON or big integer value of every table holding one of `needles`
    or the Telegram id (as a number, or inside a key such as the dialog store's)."""
    found: list[str] = []
    # Not inside a word: a random invitation code may hold the digits by chance.
    number = re.compile(rf"(?<![\w-]){telegram_id}(?![\w-])")
    async with sessionmaker() as session:
        for table in Base.metadata.sorted_tables:
            columns = [  # a big integer key is an update's id, never a person's
                c
                for c in table.columns
                if isinstance(c.type, String | Text | JSON | BigInteger)
                and not (isinstance(c.type, BigInteger) and c.primary_key)
            ]
            for row in await session.execute(select(*columns)) if columns else []:
                for column, value in zip(columns, row, strict=True):
                    where = f"{table.name}.{column.name}"
                    if isinstance(column.type, BigInteger):
                        found += [f"{where}: telegram id"] if value == telegram_id else []
                    elif value is not None:
                        found += holding(where, value, needles, number)
    return found


def document_texts(person: Person) -> str:
    """Every file the person was sent, as text (XLSX and DOCX unzipped)."""
    texts = []
    for sent in person.transcript:
        if sent.document is None:
            continue
        if sent.document.startswith(b"PK"):
            with zipfile.ZipFile(io.BytesIO(sent.document)) as archive:
                xml = [name for name in archive.namelist() if name.endswith(".xml")]
                texts += [archive.read(name).decode() for name in xml]
        else:
            texts.append(sent.document.decode())
    return "\n".join(texts)


@pytest.mark.parametrize("who", ["mentee", "mentor"])
async def test_withdrawal_leaves_nothing_of_the_person_in_any_table(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock, who: str
) -> None:
    busy = await busy_kindergarten(app, sessionmaker, clock)
    garden, curator = busy.garden, busy.garden.curator
    person = garden.mentee if who == "mentee" else garden.mentor
    needles = ABOUT_MENTEE if who == "mentee" else ABOUT_MENTOR
    before = await columns_holding(sessionmaker, needles, person.telegram_id)
    assert all(any(repr(needle) in line for line in before) for needle in needles)

    await withdraw(person)
    await app.deliver()
    assert await columns_holding(sessionmaker, needles, person.telegram_id) == []

    async with sessionmaker() as session:  # what the statistics count stays, anonymous
        withdrawn = await session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.status == MembershipStatus.WITHDRAWN)
        )
        assert withdrawn == 1
        assert await session.scalar(select(func.count()).select_from(FinalReport)) == 2
        assert await session.scalar(select(func.count()).select_from(Meeting)) == 2
        stage = await session.get(RoadmapStage, busy.stage_id)
        assert stage is not None and stage.due_on == date(2027, 1, 20)
        assert stage.responsible_membership_id is None if who == "mentor" else stage.actions
        answers = list(await session.scalars(select(SurveyAnswer)))  # the tap stays, anonymous
        typed = ABOUT_MENTEE[10] if who == "mentor" else None
        assert [(a.option, a.text) for a in answers] == [("other", typed)]
        coming = await session.scalar(select(func.count()).select_from(EventAnswer))
        assert coming == (0 if who == "mentee" else 1)  # her «Приду» goes with her
        event = await session.scalar(select(Broadcast))
        assert event is not None and event.place == "Музыкальный зал"
        report = await broadcasts.report(session, event)
        assert (report.sent, report.coming) == (3, 0 if who == "mentee" else 1)  # counts stay
    if who == "mentee":  # the colleague's pair goes on: others' texts keep all but her name
        kept = await columns_holding(sessionmaker, ABOUT_OTHERS, 0)
        assert all(any(repr(text) in line for line in kept) for text in ABOUT_OTHERS), kept

    # What the desk reads and exports afterwards names nobody who left.
    await curator.sends("/roadmap")
    await curator.sends("/pairs")
    await curator.taps(f"№ {garden.pair_id} ·")
    await curator.sends("/bank")
    await curator.sends("/events")
    await curator.sends("/export")
    await curator.taps("Всё в одном файле")
    await curator.sends("/report")
    await curator.taps("За этот учебный год")
    await curator.sends("/site")
    files = [sent.document_name for sent in curator.transcript if sent.document_name]
    assert len(files) == 4  # a book, a report, a page in two files
    assert files[1].startswith("Аналитический_отчёт_2026-2027_")
    seen = "\n".join(curator.texts()) + document_texts(curator)
    for needle in needles:
        assert needle not in seen, needle


def test_a_name_is_found_in_every_case_whole_and_with_initials() -> None:
    forms = name_forms(MENTEE_NAME)
    assert {MENTEE_NAME, "Петрова А. С.", "Петрова А.С.", "А. С. Петрова"} <= forms
    assert {"Петровой Анны Сергеевны", "Петрову Анну", "Анне Сергеевне", "Петровой А.С."} <= forms
    assert {"Петровой", "Анна", "Петров Анн"}.isdisjoint(forms)  # a word alone is not a name
    male = name_forms("Иванов Илья Петрович")
    assert {"Иванову Илье Петровичу", "Ивановым И. П.", "Ильи Петровича"} <= male
    assert "Ивановой И. П." not in male  # his patronymic tells his gender
    assert name_forms("Петрова") == {"Петрова"}
    assert name_forms(None) == name_forms("  ") == set()


async def test_before_consent_nothing_of_the_person_is_kept(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Someone who opens a link, writes about themselves and declines leaves no trace."""
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    guest = app.person(777)
    await guest.sends("/start")
    await guest.sends(f"/start {code}")
    await guest.sends("Иванова Ирина, 89001112233")
    assert "Согласен" in str(guest.last_reply().buttons)  # type: ignore[union-attr]
    reply = await guest.taps("Не согласен")
    assert reply is not None
    await guest.sends("Иванова Ирина ещё раз")
    assert await columns_holding(sessionmaker, ("Иванова", "89001112233"), 777) == []


async def test_withdrawal_in_one_kindergarten_keeps_what_another_sends(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """A teacher of two kindergartens withdraws in the second: the first one's message to
    her, still in the queue, goes out all the same, and its notice of her joining keeps her
    name; the second one's forgets her. Then the curator of both withdraws in the second."""
    admin = await found_organisation(app)
    teacher = await join(app, await invite(admin, "наставляемый"), 501, MENTEE_ANSWERS)
    await admin.sends("/neworg")
    await admin.sends("Детский сад № 7")
    await admin.sends("Д/с № 7")
    await admin.taps("Омск")
    await admin.taps("Я сам")
    await join(app, await invite(admin, "наставляемый"), 501, MENTEE_ANSWERS)
    async with sessionmaker() as session, session.begin():
        first = await session.scalar(select(Organisation.id).order_by(Organisation.id))
        assert first is not None
        mail = Mail(session, clock.now() + timedelta(days=1), "test:first", first)
        await mail.send(teacher.telegram_id, "Анкета из сада № 5 ждёт вас")
    await teacher.sends("/privacy")
    assert "Детский сад № 7" in teacher.texts()[-1]
    await withdraw(teacher)
    async with sessionmaker() as session:
        rows = list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    queued = [row for row in rows if row.chat_id == teacher.telegram_id]
    assert [(row.text, row.organisation_id) for row in queued] == [
        ("Анкета из сада № 5 ждёт вас", first)
    ]
    joined = [row.text for row in rows if row.text and MENTEE_NAME in row.text]
    assert len(joined) == 1 and "Д/с № 5" in joined[0]
    clock.advance(days=1)
    await app.deliver()
    assert teacher.texts()[-1] == "Анкета из сада № 5 ждёт вас"

    # The curator of both withdraws in the second too: the links she made there are no
    # longer tied to her account; the first one's still are.
    await withdraw(admin)
    async with sessionmaker() as session:
        made = (
            await session.execute(
                select(Invitation.organisation_id, User.telegram_id)
                .outerjoin(User, User.id == Invitation.created_by_user_id)
                .order_by(Invitation.id)
            )
        ).all()
    assert [(organisation, by == admin.telegram_id) for organisation, by in made] == [
        (first, True),
        (first + 1, False),
    ]


TEMPLATE_ITEM = "Диагностическая беседа: затруднения и интересы"
SHARED_REMINDER = f"Петрова А. С., срок пункта «{TEMPLATE_ITEM}»: 01.12.2026"


async def test_withdrawal_spares_others_messages_that_share_only_common_words(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """Both pairs follow the same template: a reminder to the colleague of the item both
    plans share is not a quote of the mentee who withdraws, nor is the colleague's short name
    (hers too), and it still goes out; one of her own item does not."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    answers = named(MENTEE_ANSWERS, "Петрова Алла Степановна")
    answers[2], answers[8] = ("contact", "+79990001122"), ("text", "Игры с малышами")
    colleague = await join(app, await invite(garden.curator, "наставляемый"), 502, answers)
    colleague_pair = await active_pair(sessionmaker, clock, garden.mentor, [colleague])
    now = clock.now()
    async with sessionmaker() as session, session.begin():
        for pair_id, own in ((garden.pair_id, ABOUT_MENTEE[4]), (colleague_pair, None)):
            programme = Programme(
                pair_id=pair_id,
                status=ProgrammeStatus.ACKNOWLEDGED,
                created_at=now,
                updated_at=now,
            )
            session.add(programme)
            await session.flush()
            for position, content in enumerate(filter(None, (TEMPLATE_ITEM, own)), start=1):
                session.add(
                    Activity(
                        programme_id=programme.id,
                        position=position,
                        content=content,
                        due_on=date(2026, 12, 1),
                        status=ActivityStatus.OPEN,
                        created_at=now,
                    )
                )
        organisation = await session.scalar(select(Organisation.id))
        mail = Mail(session, now + timedelta(days=1), "test:reminders", organisation)
        await mail.send(colleague.telegram_id, SHARED_REMINDER)
        await mail.send(garden.mentor.telegram_id, f"Срок пункта «{ABOUT_MENTEE[4]}»")
    await withdraw(garden.mentee)
    async with sessionmaker() as session:
        texts = {
            row.chat_id: row.text
            for row in await session.scalars(
                select(OutboxMessage).where(OutboxMessage.key.startswith("test:reminders"))
            )
        }
    # The colleague's reminder of the shared item stays; the one quoting her plan, still
    # queued, is gone (emptied, it would go out as an empty message).
    assert texts == {colleague.telegram_id: SHARED_REMINDER}
    clock.advance(days=1)
    await app.deliver()
    assert colleague.texts()[-1] == SHARED_REMINDER


async def test_a_person_with_hundreds_of_texts_can_withdraw(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """1,100 plan items of her own: every one is searched for in the queued messages (SQLite
    refuses an expression of over 1,000 terms, so the search goes in parts), and the one
    quoting an item is gone."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    items = [
        (f"Пункт плана номер {n}: наблюдение за группой", date(2027, 1, 15)) for n in range(1100)
    ]
    await with_plan(sessionmaker, garden, clock.now(), items)
    async with sessionmaker() as session, session.begin():
        organisation = await session.scalar(select(Organisation.id))
        mail = Mail(session, clock.now(), "test:many", organisation)
        await mail.send(garden.mentor.telegram_id, f"Срок: «{items[1050][0]}»")
    await withdraw(garden.mentee)
    async with sessionmaker() as session:
        quoting = await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.key == "test:many")
        )
        left = await session.scalar(
            select(func.count()).select_from(Activity).where(Activity.content.contains("группой"))
        )
    assert quoting == 0 and left == 0
