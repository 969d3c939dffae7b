"""Joining the bank: invitation, consent, the profile dialog, and what is stored; and the new
organisation dialog before it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.services.clock import FrozenClock
from models import Consent, ConsentKind, Membership, Organisation, Profile, Role, User
from tests.conftest import ADMIN_ID
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


async def test_consent_double_tap_cancel_and_a_stale_button_join_once(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    person = app.person(501)
    await person.sends(f"/start {code}")
    agree = person.callback_data("Согласен")
    await person.sends("/cancel")
    await person.presses(agree)  # after /cancel the consent screen is gone
    assert person.was_alerted("Эта кнопка уже не действует.")
    await person.presses(agree.rsplit("\x1d", 1)[0] + "\x1dconsent_forged")
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Profile)) == 0
    await person.sends(f"/start {code}")
    agree = person.callback_data("Согласен")
    await person.presses(agree)
    await person.presses(agree)  # a double tap: joined once, the form goes on
    assert person.texts()[-1].startswith("<b>1/10</b>")
    async with sessionmaker() as session:
        memberships = select(func.count()).select_from(Membership)
        assert await session.scalar(memberships.where(Membership.role == Role.MENTEE)) == 1


async def test_consent_waits_for_a_tap_and_survives_a_restart(
    app: Harness,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    person = app.person(501)
    await person.sends(f"/start {code}")
    await person.sends("/start")  # a plain /start while the consent waits: the consent again
    assert "ответьте на согласие" in person.last_reply().text  # type: ignore[union-attr]
    assert "✅ Согласен(на)" in person.last_reply().buttons  # type: ignore[union-attr]
    restarted = Harness(create_dispatcher(settings, sessionmaker, clock=clock), app.session)
    await restarted.start()
    same_person = restarted.person(501)
    reply = await same_person.taps("Согласен")
    assert reply is not None and reply.text.startswith("<b>1/10</b>")


async def test_new_organisation_bounds_what_is_typed_goes_back_and_resumes(
    app: Harness,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    admin = app.person(ADMIN_ID, name="Админ")
    await admin.sends("/neworg")
    await admin.sends("Д" * 301)
    assert "от 1 до 300 знаков" in admin.texts()[-2]
    await admin.sends_sticker()
    assert "нужен текст" in admin.texts()[-2]
    await admin.sends("Детский сад № 7")
    await admin.taps("Назад")
    assert "Полное название" in admin.last_reply().text  # type: ignore[union-attr]
    await admin.sends("МБДОУ «Детский сад № 7»")
    await admin.sends("Д/с № 7")
    await admin.sends("Mars/Olympus")
    assert "Не знаю такого часового пояса" in admin.texts()[-2]
    moscow = admin.callback_data("Москва")
    await admin.presses(moscow.rsplit(":", 1)[0] + ":99")  # no such zone among the buttons
    assert admin.was_alerted("уже не действует")
    restarted = Harness(create_dispatcher(settings, sessionmaker, clock=clock), app.session)
    await restarted.start()
    admin_again = restarted.person(ADMIN_ID, name="Админ")
    await admin_again.sends("Asia/Novosibirsk")  # typed, any known zone
    await admin_again.taps("Я сам")
    async with sessionmaker() as session:
        organisation = await session.scalar(select(Organisation))
        assert organisation is not None and organisation.name == "МБДОУ «Детский сад № 7»"
        assert organisation.timezone == "Asia/Novosibirsk"
    await admin_again.presses(moscow)  # the dialog is over: its buttons are out of date
    assert admin_again.was_alerted("уже не действует")
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Organisation)) == 1
