"""Joining the bank: invitation, consent, the profile dialog, and what is stored."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Consent, ConsentKind, Membership, Profile, Role, User
from tests.flows import MENTEE_ANSWERS, MENTOR_ANSWERS, answer, found_organisation, invite, join
from tests.harness import Harness


async def test_mentee_joins_with_consent_and_fills_profile(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    mentee = app.person(501)
    await mentee.sends(f"/start {code}")
    texts = mentee.texts()
    assert "Д/с" not in texts[0] and "Детский сад № 5" in texts[0]
    assert "Согласие на обработку персональных данных" in texts[1]
    assert "✅ Согласен(на)" in mentee.last_reply().buttons  # type: ignore[union-attr]
    async with sessionmaker() as session:  # nothing stored before consent
        assert (
            await session.scalar(
                select(func.count()).select_from(User).where(User.telegram_id == 501)
            )
            == 0
        )

    reply = await mentee.taps("Согласен")
    assert reply is not None and reply.text.startswith("<b>1/10</b>")
    await answer(mentee, MENTEE_ANSWERS)
    assert "Профиль заполнен" in mentee.last_reply().text  # type: ignore[union-attr]
    assert any("Петрова Анна Сергеевна" in text for text in curator.texts())

    async with sessionmaker() as session:
        profile = await session.scalar(select(Profile))
        assert profile is not None
        assert profile.full_name == "Петрова Анна Сергеевна"
        assert profile.phone == "+79123456789"
        assert profile.position == "educator"
        assert profile.mentee_category == "young_specialist"
        assert profile.difficulties == ["parents"]
        assert profile.started_on == date(2026, 9, 1)
        assert profile.completed_at is not None
        consent = await session.scalar(select(Consent))
        assert consent is not None and consent.kind == ConsentKind.PERSONAL_DATA
        assert consent.text_version.startswith("pd-")


async def test_mentor_gives_written_consent_to_be_appointed(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    curator = await found_organisation(app)
    code = await invite(curator, "наставник")
    mentor = await join(app, code, 601, MENTOR_ANSWERS)
    assert "Профиль заполнен" in mentor.last_reply().text  # type: ignore[union-attr]
    async with sessionmaker() as session:
        membership = await session.scalar(select(Membership).where(Membership.role == Role.MENTOR))
        assert membership is not None
        profile = await session.scalar(
            select(Profile).where(Profile.membership_id == membership.id)
        )
        assert profile is not None
        assert profile.phone is None and profile.skipped == ["phone"]
        assert profile.competencies == ["parents", "contests"]
        assert profile.hours_per_month == 8
        assert profile.mentor_consent_at is not None
        kinds = set(await session.scalars(select(Consent.kind)))
        assert kinds == {ConsentKind.PERSONAL_DATA, ConsentKind.MENTOR_APPOINTMENT}
