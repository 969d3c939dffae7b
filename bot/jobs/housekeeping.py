"""Clearing what is kept only for a while."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from bot.db import wal_checkpoint
from bot.jobs import JobContext
from bot.services import dialog_expiry
from models import ProcessedUpdate

# Telegram keeps an unconfirmed update for 24 hours, and retries a webhook for less: a few days
# of ids is more than any re-delivery needs.
PROCESSED_UPDATES_KEPT = timedelta(days=3)


async def clear_old_update_ids(context: JobContext) -> None:
    cutoff = context.clock.now() - PROCESSED_UPDATES_KEPT
    async with context.sessionmaker.begin() as session:
        await session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < cutoff))


async def remove_idle_dialogs(context: JobContext) -> None:
    """Dialogs of people who are members nowhere, unchanged for as long as an invitation
    stays valid: see bot/services/dialog_expiry.py."""
    idle = timedelta(days=context.settings.invitation_days)
    async with context.sessionmaker() as session:
        removed = await dialog_expiry.remove_idle_dialogs(session, context.clock.now(), idle)
        await session.commit()
        if removed:  # a Telegram id and an invitation went: not to linger in the log
            await wal_checkpoint(session)
