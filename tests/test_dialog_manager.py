"""The dialog manager: a dialog opened on top of another has an id of its own."""

from __future__ import annotations

import pytest
from aiogram_dialog.api.entities import stack
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Profile
from tests.harness import Harness
from tests.test_privacy_and_profile import joined_mentee


async def test_a_dialog_opened_on_top_of_one_with_the_same_id_is_opened_again(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """aiogram-dialog's ids are the second and one of 100 numbers: two dialogs opened within a
    second share one once in a hundred times. Here the field's dialog gets the card's id first;
    it must close back to the card with the answer saved, not a stale-button answer."""
    _, mentee = await joined_mentee(app)
    made: list[str] = []

    def colliding() -> str:  # the second dialog is first given the first one's id
        made.append(made[0] if len(made) == 1 else f"id{len(made)}")
        return made[-1]

    monkeypatch.setattr(stack, "new_id", colliding)
    await mentee.sends("/profile")
    await mentee.taps("Изменить")
    shown = len(mentee.transcript)
    await mentee.taps("Стаж")
    assert len(mentee.transcript) == shown + 1  # the field's question, once
    reply = await mentee.sends("2")
    assert reply is not None and "<b>Стаж, лет:</b> 2" in reply.text
    assert made == ["id0", "id0", "id2"]  # the field's dialog was opened again, with a new id
    async with sessionmaker() as session:
        profile = await session.scalar(select(Profile).order_by(Profile.id.desc()))
        assert profile is not None and profile.experience_years == 2
