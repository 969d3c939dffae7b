"""Monitoring stage 2 runs itself: "before" when a pair starts, "after" when it ends, told once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.scheduler import JobContext
from bot.services.clock import FrozenClock
from models import SurveyResponse
from tests.harness import Harness
from tests.pairs_flows import Kindergarten, all_confirm, only_pair, propose


def job_context(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> JobContext:
    return JobContext(
        app.bot, sessionmaker, clock, app.dispatcher["i18n_middleware"].core, settings
    )


async def phases(sessionmaker: async_sessionmaker[AsyncSession]) -> list[tuple[str, bool]]:
    async with sessionmaker() as session:
        rows = await session.scalars(select(SurveyResponse).order_by(SurveyResponse.id))
        return [(response.phase, response.invited_at is not None) for response in rows]


async def test_before_on_activation_and_after_on_completion_each_told_once(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    garden = await Kindergarten.found(app)
    mentor = await garden.mentor(601)
    mentee = await garden.mentee(501, "Петрова Анна Сергеевна")
    await propose(garden.curator, ["Петрова"], "Смирнова")
    await all_confirm(mentor, mentee)
    assert await phases(sessionmaker) == [("before", False), ("before", False)]

    context = job_context(app, sessionmaker, clock, settings)
    await app.run_jobs(context)
    await app.run_jobs(context)  # a second tick tells nobody twice
    for person in (mentor, mentee):
        invitations = [text for text in person.texts() if "Вас ждёт анкета" in text]
        assert len(invitations) == 1 and "в начале программы" in invitations[0]
    assert await phases(sessionmaker) == [("before", True), ("before", True)]

    pair = await only_pair(sessionmaker)
    await garden.curator.sends("/pairs")
    await garden.curator.taps(f"№ {pair.id} ·")
    await garden.curator.taps("Завершить: программа выполнена")
    await garden.curator.taps("Да, программа выполнена")
    await app.run_jobs(context)
    assert "по итогам программы" in mentee.texts()[-1]
    assert "по итогам программы" in mentor.texts()[-1]
    assert sorted(await phases(sessionmaker))[-2:] == [("before", True), ("before", True)]
    assert [phase for phase, _ in await phases(sessionmaker)].count("after") == 2
