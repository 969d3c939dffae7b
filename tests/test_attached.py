"""A row put into a session from memory behaves as a loaded one: no query, changes flushed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from models import User
from models.attached import attach_loaded
from tests.harness import statements

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


async def test_an_attached_row_is_clean_and_its_changes_are_flushed(
    sessionmaker: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> None:
    async with sessionmaker.begin() as session:
        session.add(User(id=7, telegram_id=501, language="ru", created_at=NOW))
    values = {
        "id": 7,
        "telegram_id": 501,
        "language": "ru",
        "active_organisation_id": None,
        "blocked_bot": False,
        "created_at": NOW,
    }
    with statements(engine) as seen:
        async with sessionmaker() as session:
            user = attach_loaded(session.sync_session, User, values)
            assert attach_loaded(session.sync_session, User, values) is user
            assert not session.dirty and user in session
            user.language = "en"
            await session.commit()
    assert [sql.split()[0] for sql in seen] == ["UPDATE"]
    async with sessionmaker() as session:
        assert await session.scalar(select(User.language).where(User.id == 7)) == "en"
