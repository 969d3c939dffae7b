"""Deletion after the programme: free texts of a programme ended longer ago than the retention
period, and of help threads closed as long ago, are made impersonal once; recent ones stay."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.scheduler import JobContext
from bot.services.clock import FrozenClock
from models import HelpMessage, HelpRequest, HelpStatus, Meeting, Pair, PairEvent, PairStatus
from tests.harness import Harness
from tests.test_help import cast


async def test_old_programmes_and_threads_are_made_impersonal_once(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    people = await cast(app, sessionmaker)
    await people.mentee.sends("/sos")
    await people.mentee.sends("Ребёнок плачет весь день")
    async with sessionmaker.begin() as session:
        pair = await session.scalar(select(Pair))
        assert pair is not None
        pair.status, pair.ended_at = PairStatus.COMPLETED, clock.now()
        session.add(
            PairEvent(
                pair_id=pair.id, kind="completed", note="Всё выполнено", created_at=clock.now()
            )
        )
        session.add(
            Meeting(
                pair_id=pair.id,
                held_on=date(2026, 11, 20),
                format="online",
                duration_minutes=30,
                notes="Обсудили адаптацию Кати",
                created_at=clock.now(),
            )
        )
        request = await session.scalar(select(HelpRequest))
        assert request is not None
        request.status, request.closed_at = HelpStatus.CLOSED, clock.now()
    context = JobContext(app.bot, sessionmaker, clock, app.i18n_core(), settings)

    clock.advance(days=settings.retention_days - 1)  # not yet
    await app.run_jobs(context)
    assert "Обсудили адаптацию Кати" in await texts(sessionmaker)

    clock.advance(days=2)
    await app.run_jobs(context)
    kept = await texts(sessionmaker)
    assert not {"Обсудили адаптацию Кати", "Всё выполнено", "Ребёнок плачет весь день"} & kept
    async with sessionmaker() as session:  # the figures stay
        meeting = await session.scalar(select(Meeting))
        assert meeting is not None and meeting.duration_minutes == 30
        pair = await session.scalar(select(Pair))
        assert pair is not None and pair.status == PairStatus.COMPLETED


async def texts(sessionmaker: async_sessionmaker[AsyncSession]) -> set[str]:
    async with sessionmaker() as session:
        found = set(await session.scalars(select(Meeting.notes)))
        found |= set(await session.scalars(select(PairEvent.note)))
        found |= set(await session.scalars(select(HelpMessage.text)))
    return {value for value in found if value}


def test_retention_is_a_setting_with_a_default() -> None:
    settings = Settings(_env_file=None, bot_token="123456:TEST-token-abcdefghijklmnopqrstuvwxyz")
    assert settings.retention_days == 1095
