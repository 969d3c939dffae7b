"""Deletion after the programme: see bot/services/retention.py."""

from __future__ import annotations

from datetime import timedelta

from bot.db import wal_checkpoint
from bot.jobs import JobContext
from bot.services import privacy, retention


async def make_old_programmes_impersonal(context: JobContext) -> None:
    async with context.sessionmaker() as session:
        retention_period = timedelta(days=context.settings.retention_days)
        await retention.make_impersonal(session, context.clock.now(), retention_period)
        await session.commit()
        if session.info.pop(privacy.CHECKPOINT, False):
            await wal_checkpoint(session)
