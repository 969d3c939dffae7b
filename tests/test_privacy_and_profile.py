"""/profile editing, /privacy export and withdrawal with erasure, /language, /help."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.services.clock import FrozenClock
from models import Consent, Membership, MembershipStatus, Profile
from tests.flows import MENTEE_ANSWERS, found_organisation, invite, join
from tests.harness import Harness, Person
from tests.test_survey_support import kindergarten, launch


async def joined_mentee(app: Harness) -> tuple[Person, Person]:
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    return curator, await join(app, code, 501, MENTEE_ANSWERS)


async def test_profile_shows_the_bank_fields_and_edits_one(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    _, mentee = await joined_mentee(app)
    reply = await mentee.sends("/profile")
    assert reply is not None
    assert "<b>ФИО:</b> Петрова Анна Сергеевна" in reply.text
    assert "<b>Начало работы в организации:</b> 01.09.2026" in reply.text
    assert "<b>Затруднения:</b> Работа с родителями" in reply.text
    await mentee.taps("Изменить")
    await mentee.taps("Основной запрос")
    await mentee.sends("Адаптация детей <3 лет & родители")
    reply = mentee.last_reply()
    assert reply is not None and "Адаптация детей &lt;3 лет &amp; родители" in reply.text
    async with sessionmaker() as session:
        profile = await session.scalar(select(Profile).order_by(Profile.id.desc()))
        assert profile is not None
        assert profile.main_request == "Адаптация детей <3 лет & родители"


async def test_editing_a_field_of_another_role_is_refused(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    _, mentee = await joined_mentee(app)
    await mentee.sends("/profile")
    await mentee.taps("Изменить")
    request = mentee.callback_data("Основной запрос")
    await mentee.presses(request.rsplit(":", 1)[0] + ":hours_per_month")  # a mentor's field
    assert mentee.was_alerted("кнопка уже не действует")
    assert "Что изменить?" in mentee.last_reply().text  # type: ignore[union-attr]


async def test_profile_card_goes_back_resumes_after_a_restart_and_goes_stale_after_cancel(
    app: Harness,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    _, mentee = await joined_mentee(app)
    await mentee.sends("/profile")
    shown = len(mentee.transcript)
    await mentee.taps("Изменить")
    await mentee.taps("Назад")
    assert len(mentee.transcript) == shown  # one message, edited in place
    assert "<b>ФИО:</b>" in mentee.last_reply().text  # type: ignore[union-attr]
    await mentee.taps("Изменить")
    restarted = Harness(create_dispatcher(settings, sessionmaker, clock=clock), app.session)
    await restarted.start()
    same = restarted.person(501)
    await same.taps("Стаж")
    await same.sends("99")
    assert "целое число от 0 до 60" in same.texts()[-2]
    await same.sends("2")
    assert "<b>Стаж, лет:</b> 2" in same.last_reply().text  # type: ignore[union-attr]
    field = same.callback_data("Изменить")
    await same.sends("/cancel")
    await same.presses(field)
    assert same.was_alerted("кнопка уже не действует")
    async with sessionmaker() as session:
        profile = await session.scalar(select(Profile).order_by(Profile.id.desc()))
        assert profile is not None and profile.experience_years == 2


async def test_privacy_exports_own_data_as_a_file(app: Harness) -> None:
    _, mentee = await joined_mentee(app)
    reply = await mentee.sends("/privacy")
    assert reply is not None and "Согласие на обработку персональных данных дано" in reply.text
    await mentee.taps("Выгрузить")
    sent = [m for m in mentee.transcript if m.document is not None]
    assert [m.document_name for m in sent] == ["nastavnik-my-data.json", "nastavnik-my-data.txt"]
    exported = json.loads(sent[0].document or b"")
    assert "Петрова Анна Сергеевна" in (sent[1].document or b"").decode()
    assert exported["telegram_id"] == 501
    membership = exported["memberships"][0]
    assert membership["profile"]["full_name"] == "Петрова Анна Сергеевна"
    assert membership["consents"][0]["kind"] == "personal_data"


async def test_withdrawing_consent_erases_data_and_tells_the_curator(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    curator, mentee = await joined_mentee(app)
    await mentee.sends("/privacy")
    await mentee.taps("Отозвать согласие")
    reply = await mentee.taps("Нет, оставить")
    assert reply is not None and "остаётся как было" in reply.text
    await mentee.taps("Отозвать согласие")
    withdraw = mentee.callback_data("Да, отозвать")
    await mentee.presses(withdraw)
    reply = mentee.last_reply()
    assert reply is not None and "данные в организации" in reply.text
    await mentee.presses(withdraw)  # a double tap: the dialog is over
    assert mentee.was_alerted("кнопка уже не действует")
    assert "отозвал согласие" in curator.last_reply().text  # type: ignore[union-attr]
    assert "Петрова Анна Сергеевна" not in curator.last_reply().text  # type: ignore[union-attr]
    async with sessionmaker() as session:
        profile = await session.scalar(select(Profile).order_by(Profile.id.desc()))
        assert profile is not None and profile.anonymised_at is not None
        assert profile.full_name is None and profile.phone is None and profile.birth_year is None
        assert profile.mentee_category == "young_specialist"  # kept for statistics, not personal
        membership = await session.get(Membership, profile.membership_id)
        assert membership is not None and membership.status == MembershipStatus.WITHDRAWN
        consent = await session.scalar(
            select(Consent).where(Consent.membership_id == membership.id)
        )
        assert consent is not None and consent.withdrawn_at is not None
    reply = await mentee.sends("/profile")
    assert reply is not None and "не участник" in reply.text
    await mentee.sends("/bank")
    assert "недоступно" in mentee.last_reply().text  # type: ignore[union-attr]


async def test_privacy_shows_the_consent_text_and_a_stale_withdrawal_changes_nothing(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    _, mentee = await joined_mentee(app)
    await mentee.sends("/privacy")
    await mentee.taps("Текст согласия")
    assert "<b>Оператор:</b> МБДОУ" in mentee.last_reply().text  # type: ignore[union-attr]
    await mentee.taps("Назад")
    await mentee.taps("Отозвать согласие")
    withdraw = mentee.callback_data("Да, отозвать")
    await mentee.sends("/cancel")
    await mentee.presses(withdraw)
    assert mentee.was_alerted("кнопка уже не действует")
    async with sessionmaker() as session:
        membership = await session.scalar(select(Membership).where(Membership.role == "mentee"))
        assert membership is not None and membership.status == MembershipStatus.ACTIVE


async def test_withdrawn_person_can_come_back_with_a_new_link(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    curator, mentee = await joined_mentee(app)
    await mentee.sends("/privacy")
    await mentee.taps("Отозвать согласие")
    await mentee.taps("Да, отозвать")
    code = await invite(curator, "наставляемый")
    await mentee.sends(f"/start {code}")
    reply = await mentee.taps("Согласен")
    assert reply is not None and reply.text.startswith("<b>1/10</b>")
    async with sessionmaker() as session:
        consents = list(await session.scalars(select(Consent).order_by(Consent.id)))
        assert [consent.withdrawn_at is None for consent in consents] == [False, True]


async def test_language_switch_is_remembered(app: Harness) -> None:
    _, mentee = await joined_mentee(app)
    await mentee.sends("/language")
    reply = await mentee.taps("English")
    assert reply is not None and "English" in reply.text
    reply = await mentee.sends("/profile")
    assert reply is not None and "<b>Full name:</b>" in reply.text


async def test_english_telegram_user_reads_english(app: Harness) -> None:
    guest = app.person(777, language="en")
    reply = await guest.sends("/start")
    assert reply is not None and "invitation link" in reply.text


async def test_help_lists_what_the_role_can_do(app: Harness) -> None:
    curator, mentee = await joined_mentee(app)
    mentee_help = await mentee.sends("/help")
    curator_help = await curator.sends("/help")
    assert mentee_help is not None and curator_help is not None
    assert "/bank" not in mentee_help.text and "/privacy" in mentee_help.text
    assert "🆘 Нужна помощь" in mentee_help.buttons  # help is one tap away
    assert "/bank" in curator_help.text and "/invite" in curator_help.text


async def test_export_includes_own_questionnaire_answers(app: Harness) -> None:
    garden = await kindergarten(app, mentees=1)
    mentee = garden.mentees[0]
    await launch(garden.curator, "Входная диагностика", "Наставляемые (1)")
    await mentee.taps("Начать")
    await mentee.taps("Молодой специалист")
    await mentee.sends("/privacy")
    await mentee.taps("Выгрузить")
    sent = [m for m in mentee.transcript if m.document_name == "nastavnik-my-data.json"]
    assert sent and sent[-1].document is not None
    questionnaires = json.loads(sent[-1].document)["memberships"][0]["questionnaires"]
    assert questionnaires[0]["status"] != "submitted"
    assert {"option": "young_specialist"}.items() <= questionnaires[0]["answers"][0].items()
