"""Deletion after the programme: the free texts kept only for an ended programme (and closed help
threads) are made impersonal once the retention period has passed.

What stays is what the statistics and the Положение's documents need in figures: the pair, its
dates and status, the plan's items (marked) and their marks, the meetings' dates and lengths.
Each pair and thread is done once (a `sent_reminders` row records it).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import privacy
from models import HelpMessage, HelpRequest, HelpStatus, Pair, PairStatus, SentReminder

KIND_PAIR = "retention-pair"
KIND_HELP = "retention-help"
BATCH = 200  # a pass does at most this many of each, so one tick stays short
ENDED = (PairStatus.COMPLETED, PairStatus.ENDED_EARLY, PairStatus.REFUSED)


def _not_done(kind: str, subject: object) -> object:
    return ~exists().where(SentReminder.kind == kind, SentReminder.subject_id == subject)


async def make_impersonal(session: AsyncSession, now: datetime, retention: timedelta) -> int:
    """One pass: pairs ended and threads closed before `now - retention`; how many were done."""
    cutoff = now - retention
    pair_ids = list(
        await session.scalars(
            select(Pair.id)
            .where(
                Pair.status.in_(ENDED),
                Pair.ended_at < cutoff,
                _not_done(KIND_PAIR, Pair.id),  # type: ignore[arg-type]
            )
            .order_by(Pair.id)
            .limit(BATCH)
        )
    )
    if pair_ids:
        await privacy.erase_pair_texts(session, pair_ids)
    thread_ids = list(
        await session.scalars(
            select(HelpRequest.id)
            .where(
                HelpRequest.status == HelpStatus.CLOSED,
                HelpRequest.closed_at < cutoff,
                _not_done(KIND_HELP, HelpRequest.id),  # type: ignore[arg-type]
            )
            .order_by(HelpRequest.id)
            .limit(BATCH)
        )
    )
    if thread_ids:
        await session.execute(
            update(HelpMessage)
            .where(HelpMessage.request_id.in_(thread_ids))
            .values(text=None, file_id=None, delivery_error=None)
        )
    for kind, ids in ((KIND_PAIR, pair_ids), (KIND_HELP, thread_ids)):
        session.add_all(
            SentReminder(kind=kind, subject_id=subject, stage="done", sent_at=now)
            for subject in ids
        )
    if pair_ids or thread_ids:
        session.info[privacy.CHECKPOINT] = True
    return len(pair_ids) + len(thread_ids)
