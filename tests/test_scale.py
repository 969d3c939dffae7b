"""A region's curator with hundreds of people: every screen stays as cheap as in a small
kindergarten. Two organisations are put straight into the database (tests/scale_fixture.py), one
six times the other; the same steps are taken in each, and each step (one update) must run the
same number of SQL statements at both sizes (no query per person, pair or record; the dialog
store's, which are per person, aside) and fit Telegram's limits (the recording session refuses
what Telegram refuses; the update then fails and the person gets the apology)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from tests.harness import Harness, Person, statements
from tests.scale_fixture import Big, big_organisation

SMALL, LARGE = 40, 240  # bank members; at 240 the 60 mentors' ratings overflow one message
APOLOGY = "что-то пошло не так"

Step = tuple[str, str, Callable[[Person], Awaitable[object]]]


def command(text: str) -> Callable[[Person], Awaitable[object]]:
    return lambda person: person.sends(text)


def tap(label: str) -> Callable[[Person], Awaitable[object]]:
    return lambda person: person.taps(label)


async def typed_broadcast(person: Person) -> object:
    return await person.sends("Семинар наставников в четверг")


# (who, what, the step): who is curator, head, psychologist, mentor or mentee.
STEPS: list[Step] = [
    ("curator", "/bank", command("/bank")),
    ("curator", "/bank ▶", tap("▶")),
    ("curator", "/bank filter: no pair", tap("Без пары")),
    ("curator", "/bank a card", tap("Петрова")),
    ("curator", "/pairs", command("/pairs")),
    ("curator", "/pairs ▶", tap("▶")),
    ("curator", "/pairs a card", tap("№")),
    ("curator", "/pair", command("/pair")),
    ("curator", "/pair ▶", tap("▶")),
    ("curator", "/pair a mentee ticked", tap("Петрова")),
    ("curator", "/pair ranked mentors", tap("Далее")),
    ("curator", "/overdue", command("/overdue")),
    ("curator", "/ratings", command("/ratings")),
    ("curator", "/delivery", command("/delivery")),
    ("curator", "/events", command("/events")),
    ("curator", "/requests", command("/requests")),
    ("curator", "/invites", command("/invites")),
    ("curator", "/surveys", command("/surveys")),
    ("curator", "/surveys a campaign", tap("Влияние программы")),
    ("curator", "/surveys results", tap("Итоги")),
    ("curator", "/roadmap", command("/roadmap")),
    ("curator", "/roadmap a stage", tap("Подготовка условий")),
    ("curator", "/roadmap responsible", tap("Ответственный")),
    ("curator", "/roadmap responsible ▶", tap("▶")),
    ("curator", "/broadcast", command("/broadcast")),
    ("curator", "/broadcast announcement", tap("Объявление")),
    ("curator", "/broadcast text", typed_broadcast),
    ("curator", "/broadcast people", tap("Выбрать людей")),
    ("curator", "/broadcast people ▶", tap("▶")),
    ("curator", "/broadcast a person ticked", tap("Петрова")),
    ("curator", "/broadcast back to audiences", tap("Назад")),
    ("curator", "/broadcast to mentors", tap("Наставникам")),
    ("curator", "/surveys again", command("/surveys")),
    ("curator", "/surveys launch", tap("Запустить анкету")),
    ("curator", "/surveys a questionnaire", tap("Входная диагностика")),
    ("curator", "/surveys people", tap("Выбрать людей")),
    ("curator", "/surveys people ▶", tap("▶")),
    ("curator", "/surveys a person ticked", tap("Петрова")),
    ("head", "/bank", command("/bank")),
    ("head", "/pairs", command("/pairs")),
    ("head", "/ratings", command("/ratings")),
    ("psychologist", "/support", command("/support")),
    ("psychologist", "/support ▶", tap("▶")),
    ("psychologist", "/requests", command("/requests")),
    ("mentor", "/requests", command("/requests")),
    ("mentor", "/events", command("/events")),
    ("mentee", "/plan", command("/plan")),
    ("mentee", "/survey", command("/survey")),
    ("mentee", "/events", command("/events")),
]


async def walk(
    app: Harness, engine: AsyncEngine, big: Big, caplog: pytest.LogCaptureFixture
) -> dict[str, int | None]:
    """Each step's statements, checking that the step was answered without an apology; None
    for a step whose dialog drew the id of one below it and was started (and drawn) again, a
    chance of about one start in a hundred (bot/dialog_manager.py), not the organisation's."""
    people = {
        "curator": app.person(big.curator),
        "head": app.person(big.head),
        "psychologist": app.person(big.psychologist),
        "mentor": app.person(big.mentor),
        "mentee": app.person(big.mentee),
    }
    counts: dict[str, int | None] = {}
    for who, what, step in STEPS:
        person = people[who]
        before = len(person.transcript)
        caplog.clear()
        with statements(engine) as seen:
            await step(person)
        shown = [sent.text for sent in person.transcript[before:]] or person.texts()[-1:]
        assert not any(APOLOGY in text for text in shown), f"{who} {what} at {big.size}"
        # The dialog store's own reads and writes follow the person's stack of dialogs (how
        # many are open, which the library closes), one record each, never the organisation.
        counts[f"{who} {what}"] = len([sql for sql in seen if "fsm_records" not in sql])
        errors = [r.getMessage() for r in caplog.records if r.name == "nastavnik.errors"]
        assert errors == [], f"{who} {what} at {big.size}"
        if any(record.name == "bot.dialog_manager" for record in caplog.records):
            counts[f"{who} {what}"] = None
    return counts


async def test_every_screen_costs_the_same_in_a_region_as_in_a_kindergarten(
    app: Harness,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR, logger="nastavnik.errors")
    caplog.set_level(logging.DEBUG, logger="bot.dialog_manager")
    small = await big_organisation(sessionmaker, SMALL, clock.now(), base=1_000_000)
    large = await big_organisation(sessionmaker, LARGE, clock.now(), base=2_000_000)
    at_small = await walk(app, engine, small, caplog)
    at_large = await walk(app, engine, large, caplog)
    grown = {step: (at_small[step], at_large[step]) for step in at_small}
    compared = {step: n for step, n in grown.items() if None not in n}
    assert len(compared) > len(STEPS) - 5  # a redrawn step or two at most
    assert {step: n for step, n in compared.items() if n[0] != n[1]} == {}


async def test_ratings_delivery_and_the_responsible_person_are_read_a_page_at_a_time(
    app: Harness,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    """60 mentors: the ratings a page at a time, every one reachable; 33 people who blocked
    the bot: /delivery names the first 30 and counts the rest; a broadcast that failed is
    named as one; who is responsible for a roadmap stage, and the people to tick for a
    broadcast or a questionnaire: 8 a page, read by the page (the whole organisation was read,
    for each step of editing a stage, for each tick); the psychologist's referrals, 5 a page
    read by the page."""
    big = await big_organisation(sessionmaker, LARGE, clock.now(), base=2_000_000)
    curator = app.person(big.curator)
    reply = await curator.sends("/ratings")
    assert reply is not None and "Рейтинг наставников" in reply.text
    assert "\n1. " in reply.text and "\n20. " in reply.text and "\n21. " not in reply.text
    for _ in range(2):
        reply = await curator.taps("▶")
    assert reply is not None and "\n41. " in reply.text and "\n60. " in reply.text
    assert "▶" not in reply.buttons and "◀" in reply.buttons

    reply = await curator.sends("/delivery")
    assert reply is not None and "Недоступны (заблокировали бота): 33" in reply.text
    assert reply.text.count("\n• Смирнова") + reply.text.count("\n• Петрова") == 30
    assert "…и ещё 3" in reply.text and "• рассылка: " in reply.text

    await curator.sends("/roadmap")
    await curator.taps("Подготовка условий")
    with statements(engine) as seen:
        chooser = await curator.taps("Ответственный")
    assert chooser is not None and "Кто отвечает за этап" in chooser.text
    people = [label for label in chooser.buttons if "(" in label]
    assert len(people) == 8 and "▶" in chooser.buttons
    paged = [sql for sql in seen if "row_number" in sql.lower() and "LIMIT" in sql]
    assert len(paged) == 1, seen
    await curator.taps("К этапу")
    with statements(engine) as seen:
        await curator.taps("Мероприятия")  # another step of the stage reads nobody
    assert not [sql for sql in seen if "row_number" in sql.lower()]

    await curator.sends("/broadcast")
    await curator.taps("Объявление")
    await curator.sends("Семинар наставников в четверг")
    with statements(engine) as seen:
        picker = await curator.taps("Выбрать людей")
    assert picker is not None and "▶" in picker.buttons
    assert len([label for label in picker.buttons if "(" in label]) == 8
    assert [sql for sql in seen if "FROM memberships" in sql and "LIMIT" in sql], seen
    await curator.sends("/surveys")
    await curator.taps("Запустить анкету")
    await curator.taps("Входная диагностика")
    with statements(engine) as seen:
        picker = await curator.taps("Выбрать людей")
    assert picker is not None and "Стр. 1/" in picker.text and "▶" in picker.buttons
    assert [sql for sql in seen if "FROM memberships" in sql and "LIMIT" in sql], seen

    psychologist = app.person(big.psychologist)
    with statements(engine) as seen:
        support = await psychologist.sends("/support")
    assert support is not None and "▶" in support.buttons
    assert len([label for label in support.buttons if "Поддержка оказана" in label]) == 5
    assert [sql for sql in seen if "FROM support_referrals" in sql and "LIMIT" in sql], seen
