"""Clearing what is kept only for a while."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from bot.jobs import JobContext
from models import ProcessedUpdate

# Telegram keeps an unconfirmed update for 24 hours, and retries a webhook for less: a few days
# of ids is more than any re-delivery needs.
PROCESSED_UPDATES_KEPT = timedelta(days=3)


async def clear_old_update_ids(context: JobContext) -> None:
    cutoff = context.clock.now() - PROCESSED_UPDATES_KEPT
    async with context.sessionmaker.begin() as session:
        await session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < cutoff))
