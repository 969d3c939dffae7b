"""Every button of every screen, tapped twice: no double tap, stale button or value out of range
reaches the error handler. Each person of a kindergarten with a pair (curator, mentor, mentee)
opens each command of their menu and taps, breadth first, every button that appears, twice,
then the same buttons once more after /cancel (stale), then forged values in their callbacks."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.commands import commands_for
from bot.services.clock import FrozenClock
from models import Role
from tests.harness import Harness, Person, Sent
from tests.pairs_fixture import kindergarten_with_pair

APOLOGY = "что-то пошло не так"
TAPS_PER_PERSON = 160  # bounds the walk; each button is tapped twice
# Not tapped: they end the walk for the person (their data erased) or leave the organisation.
ENDS_THE_WALK = ("Отозвать согласие", "Да, отозвать", "Покинуть")


def buttons(sent: Sent) -> list[tuple[str, str]]:
    markup = sent.markup
    rows = getattr(markup, "inline_keyboard", None) or []
    return [
        (button.text, button.callback_data)
        for row in rows
        for button in row
        if button.callback_data
    ]


async def walk(person: Person, command: str, tapped: set[str], budget: list[int]) -> list[str]:
    """Open the command's screen and tap each new button twice, breadth first."""
    await person.sends(f"/{command}")
    found: list[str] = []
    queue: list[tuple[Sent, str, str]] = []

    def collect() -> None:
        for sent in person.transcript:
            for label, data in buttons(sent):
                if data not in tapped and not any(end in label for end in ENDS_THE_WALK):
                    tapped.add(data)
                    queue.append((sent, label, data))

    collect()
    while queue and budget[0] > 0:
        sent, _label, data = queue.pop(0)
        await person.presses(data, sent)
        await person.presses(data, sent)  # the double tap
        budget[0] -= 1
        found.append(data)
        collect()
    return found


async def forged(person: Person, data: list[str]) -> None:
    """Values no screen offered: ids past the integer range, a month that does not exist."""
    for original in data[:40]:
        prefix = original.rsplit(":", 1)[0] if ":" in original else original
        for tail in ("9" * 25, "-1", "9999-12", "x"):
            await person.presses(f"{prefix}:{tail}"[:64])


@pytest.mark.parametrize("role", [Role.CURATOR, Role.MENTOR, Role.MENTEE])
async def test_every_button_twice_then_stale_then_forged(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    caplog: pytest.LogCaptureFixture,
    role: Role,
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    person = {Role.CURATOR: garden.curator, Role.MENTOR: garden.mentor}.get(role, garden.mentee)
    caplog.set_level(logging.ERROR, logger="nastavnik.errors")
    tapped: set[str] = set()
    budget = [TAPS_PER_PERSON]
    walked: list[str] = []
    skip = {"cancel", "privacy"}  # /cancel is used between walks; /privacy's buttons erase
    for command in commands_for({role}, is_admin=False):
        if command not in skip:
            walked += await walk(person, command, tapped, budget)
            await person.sends("/cancel")
    assert len(walked) > 10, "the walk found too few buttons to mean anything"
    for data in walked:  # every button again, now out of date
        await person.presses(data)
    await forged(person, walked)
    apologies = [text for text in person.texts() if APOLOGY in text]
    failures = [
        record.getMessage() for record in caplog.records if record.name == "nastavnik.errors"
    ]
    assert apologies == [] and failures == [], failures[:5]
