"""Periodic jobs: each decides from the database what is due, so nothing is sent twice.

A job marks what it has done in the same transaction as it decides, so a restart, a second tick
or a slow run cannot repeat a reminder. Tests call `run_jobs` directly with a frozen clock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.jobs import (
    JobContext,
    deadlines,
    events,
    help_escalation,
    housekeeping,
    retention,
    survey_invitations,
)
from models.base import dialect_of

__all__ = ["JOBS", "JobContext", "create_scheduler", "run_jobs"]

log = logging.getLogger(__name__)
TICK_SECONDS = 60
LOCK = 0x6E617374  # the advisory lock's key: "nast"

Job = Callable[[JobContext], Awaitable[None]]
JOBS: tuple[Job, ...] = (
    # Escalation of unanswered requests for help.
    help_escalation.escalate_unanswered_help,
    # Every deadline reminder: the 10-day and 30-day rules, plan items, the programme's end,
    # the final reports, the roadmap, the year's prompts and questionnaire campaigns.
    deadlines.send_deadline_reminders,
    # Stage-2 questionnaires of new and ended pairs.
    survey_invitations.deliver_stage2_invitations,
    # Ids of handled updates older than a few days.
    housekeeping.clear_old_update_ids,
    # Dialogs of people who are members nowhere (a guest who never consented, a former
    # member), unchanged for as long as an invitation stays valid.
    housekeeping.remove_idle_dialogs,
    # Free texts of programmes ended longer ago than the retention period.
    retention.make_old_programmes_impersonal,
    # The desk's events: the day before and an hour before, to those coming.
    events.remind_of_events,
)


async def run_jobs(context: JobContext) -> None:
    """One pass of every job; with several processes on one PostgreSQL database, only one of
    them makes a pass at a time (the others skip this tick), so nothing is decided twice."""
    async with context.sessionmaker() as session, one_pass_at_a_time(session) as ours:
        if not ours:
            log.info("another process is running the periodic jobs; this tick is skipped")
            return
        for function in JOBS:
            try:
                await function(context)
            except Exception:  # one failing job must not stop the others
                log.exception("job %s failed", function.__name__)


@asynccontextmanager
async def one_pass_at_a_time(session: AsyncSession) -> AsyncIterator[bool]:
    """A PostgreSQL advisory lock held on this session's connection for the pass. SQLite has
    one process (the README says so), so there it is always ours."""
    if dialect_of(session) != "postgresql":
        yield True
        return
    ours = bool(await session.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK}))
    try:
        yield ours
    finally:
        if ours:
            await session.scalar(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK})


def create_scheduler(context: JobContext, running: asyncio.Lock) -> AsyncIOScheduler:
    """Every job once a tick; `running` is held during a pass, so a stop can wait for it
    instead of cancelling it halfway (APScheduler cancels a coroutine job on shutdown)."""

    async def tick() -> None:
        async with running:
            await run_jobs(context)

    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        tick,
        "interval",
        seconds=TICK_SECONDS,
        id="nastavnik-jobs",
        max_instances=1,
        coalesce=True,
    )
    return scheduler
