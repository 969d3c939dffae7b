"""Periodic jobs: each decides from the database what is due, so nothing is sent twice.

A job marks what it has done in the same transaction as it decides, so a restart, a second tick
or a slow run cannot repeat a reminder. Tests call `run_jobs` directly with a frozen clock.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiogram import Bot
from aiogram_i18n.cores import BaseCore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.services.clock import Clock

log = logging.getLogger(__name__)
TICK_SECONDS = 60


@dataclass(frozen=True)
class JobContext:
    bot: Bot
    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Clock
    core: BaseCore[object]
    settings: Settings


Job = Callable[[JobContext], Awaitable[None]]
JOBS: list[Job] = []


def job(function: Job) -> Job:
    """Register a periodic job (import its module in `bot.jobs`)."""
    JOBS.append(function)
    return function


async def run_jobs(context: JobContext) -> None:
    import bot.jobs  # noqa: F401  - registers the jobs

    for function in JOBS:
        try:
            await function(context)
        except Exception:  # one failing job must not stop the others
            log.exception("job %s failed", function.__name__)


def create_scheduler(context: JobContext) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        run_jobs,
        "interval",
        seconds=TICK_SECONDS,
        args=[context],
        id="nastavnik-jobs",
        max_instances=1,
        coalesce=True,
    )
    return scheduler
