"""Idle dialogs of people who are members nowhere: removed from the database store.

Someone who opened an invitation link and never consented, or whose membership is gone, would
otherwise keep a dialog record (their Telegram id in its key, the invitation in its data) for
ever. Once such a record has not changed for longer than an invitation stays valid, it serves
no one and goes. Members' records stay however old: a member resumes where they left off.
(With Redis the keys expire by themselves: see bot/app.py, create_storage.)
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Exists, delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import FsmRecord, Membership, MembershipStatus, User

BATCH = 500  # a pass removes at most this many records, so one tick stays short


def _a_member() -> Exists:
    """The record's chat is a person with an active membership somewhere."""
    return exists().where(
        User.telegram_id == FsmRecord.chat_id,
        Membership.user_id == User.id,
        Membership.status == MembershipStatus.ACTIVE,
    )


async def remove_idle_dialogs(session: AsyncSession, now: datetime, idle: timedelta) -> int:
    """One pass, one statement: the records unchanged since `now - idle` of chats whose person
    is a member nowhere. How many went. The condition on the time is checked again by the
    delete itself, so a record a step has just changed (a guest consenting this very moment,
    in another process) stays."""
    cutoff = now - idle
    idle_records = (
        select(FsmRecord.key)
        .where(FsmRecord.touched_at < cutoff, ~_a_member())
        .order_by(FsmRecord.touched_at)
        .limit(BATCH)
    )
    result = await session.execute(
        delete(FsmRecord)
        .where(FsmRecord.key.in_(idle_records.scalar_subquery()), FsmRecord.touched_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
