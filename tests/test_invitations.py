"""Invitations: deep links per role, expiry, use limits, revocation, and who may make them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.services.clock import FrozenClock
from models import Invitation, Membership
from tests.flows import MENTEE_ANSWERS, answer, found_organisation, invite, join
from tests.harness import Harness


async def test_invitation_link_has_unguessable_code_and_expires_in_14_days(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    assert len(code) >= 16
    assert "до 09.12.2026 12:00" in curator.last_reply().text  # type: ignore[union-attr]
    async with sessionmaker() as session:
        invitation = await session.scalar(select(Invitation).where(Invitation.code == code))
        assert invitation is not None
        assert invitation.expires_at - clock.now() == timedelta(days=14)
        assert invitation.max_uses is None


async def test_start_without_code_explains_how_to_get_one(app: Harness) -> None:
    stranger = app.person(900)
    reply = await stranger.sends("/start")
    assert reply is not None and "ссылка-приглашение" in reply.text


async def test_unknown_code_is_refused(app: Harness) -> None:
    reply = await app.person(900).sends("/start AAAAAAAAAAAAAAAAAAAA")
    assert reply is not None and "Такого приглашения нет" in reply.text


async def test_expired_code_says_so(app: Harness, clock: FrozenClock) -> None:
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    clock.advance(days=15)
    reply = await app.person(900).sends(f"/start {code}")
    assert reply is not None and "Срок этого приглашения истёк" in reply.text


async def test_revoked_code_says_so(app: Harness) -> None:
    curator = await found_organisation(app)
    code = await invite(curator, "наставник")
    listing = await curator.sends("/invites")
    assert listing is not None and code in listing.text
    await curator.taps("Отозвать № 1")
    assert any("Приглашение отозвано" in alert for alert in curator.alerts())
    reply = await app.person(900).sends(f"/start {code}")
    assert reply is not None and "отозвано куратором" in reply.text
    assert "Действующих приглашений нет" in (await curator.sends("/invites")).text  # type: ignore[union-attr]


async def test_use_limit_stops_the_second_person(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый", "1 человек")
    await join(app, code, 501, MENTEE_ANSWERS[:1])
    reply = await app.person(502).sends(f"/start {code}")
    assert reply is not None and "уже вошли все" in reply.text
    async with sessionmaker() as session:
        invitation = await session.scalar(select(Invitation))
        assert invitation is not None and invitation.used_count == 1
        assert len(list(await session.scalars(select(Membership)))) == 2  # curator and mentee


async def test_code_that_lapses_while_reading_consent_stores_nothing(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    person = app.person(501)
    await person.sends(f"/start {code}")
    clock.advance(days=15)
    reply = await person.taps("Согласен")
    assert reply is not None and "перестало действовать" in reply.text
    async with sessionmaker() as session:
        assert len(list(await session.scalars(select(Membership)))) == 1  # only the curator


async def test_mentee_cannot_invite_or_forge_an_invitation(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    mentee = await join(app, code, 501, MENTEE_ANSWERS)
    reply = await mentee.sends("/invite")
    assert reply is not None and "недоступно в вашей роли" in reply.text
    await curator.sends("/invite")
    await curator.taps("куратор")
    forged = curator.callback_data("Без ограничения")  # the curator's button, sent by the mentee
    await mentee.presses(forged)
    assert mentee.was_alerted("Эта кнопка уже не действует.")
    await mentee.presses("inv:limit:curator:0:0")  # what a tampered client could send
    assert len(mentee.alerts()) == 2
    async with sessionmaker() as session:
        assert len(list(await session.scalars(select(Invitation)))) == 1


async def test_invitation_dialog_goes_back_and_refuses_a_forged_limit(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    curator = await found_organisation(app)
    await curator.sends("/invite")
    shown = len(curator.transcript)
    await curator.taps("наставник")
    await curator.taps("Назад")
    assert len(curator.transcript) == shown  # one message, edited in place
    assert "Кого пригласить" in curator.texts()[-1]
    await curator.taps("наставляемый")
    limit = curator.callback_data("Без ограничения")
    await curator.presses(limit.rsplit(":", 1)[0] + ":99")  # no such limit
    assert curator.was_alerted("уже не действует")
    await curator.sends("/cancel")
    await curator.presses(limit)  # the screen is gone after /cancel
    assert len(curator.alerts()) == 2
    async with sessionmaker() as session:
        assert list(await session.scalars(select(Invitation))) == []


async def test_revoking_another_organisations_invitation_is_refused(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    admin = await found_organisation(app)
    await invite(admin, "наставник")
    async with sessionmaker() as session:
        first_invitation = await session.scalar(select(Invitation))
        assert first_invitation is not None
    # A second kindergarten whose curator comes by a link the administrator hands over.
    await admin.sends("/neworg")
    await admin.sends("Детский сад № 7")
    await admin.sends("Д/с № 7")
    await admin.taps("Омск")
    reply = await admin.taps("Назначу по ссылке")
    assert reply is not None and "куратор" in reply.text
    code = reply.text.split("?start=")[1].split()[0]
    other_curator = app.person(300)
    await other_curator.sends(f"/start {code}")
    await other_curator.taps("Согласен")
    await other_curator.sends("Кузнецова Вера Павловна")
    await answer(other_curator, [("tap", "Пропустить")])
    await invite(other_curator, "наставник")
    await other_curator.sends("/invites")
    revoke_own = other_curator.callback_data("Отозвать № 1")
    await other_curator.presses(revoke_own.rsplit(":", 1)[0] + f":{first_invitation.id}")
    assert other_curator.was_alerted("уже не действует")
    async with sessionmaker() as session:
        invitation = await session.get(Invitation, first_invitation.id)
        assert invitation is not None and invitation.revoked_at is None


async def test_invitations_are_listed_a_page_at_a_time_and_the_list_survives_a_restart(
    app: Harness,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    curator = await found_organisation(app)
    for _ in range(7):
        await invite(curator, "наставляемый")
    listing = await curator.sends("/invites")
    assert listing is not None and "Отозвать № 5" in listing.buttons
    assert "Отозвать № 6" not in listing.buttons and "\n5. " in listing.text
    assert "\n6. " not in listing.text
    restarted = Harness(create_dispatcher(settings, sessionmaker, clock=clock), app.session)
    await restarted.start()
    same = restarted.person(curator.telegram_id, name="Админ")
    await same.taps(">")  # the next page
    page = same.last_reply()
    assert page is not None and "Отозвать № 7" in page.buttons and "\n7. " in page.text
    assert "\n5. " not in page.text
    seventh = page.text.split("\n7. ")[1].split("?start=")[1].split()[0]
    revoke_last = same.callback_data("Отозвать № 7")
    await same.presses(revoke_last)
    await same.presses(revoke_last)  # a double tap: revoked once, then out of date
    assert "Приглашение отозвано" in same.alerts()[-2] and "уже не действует" in same.alerts()[-1]
    async with sessionmaker() as session:
        revoked = await session.scalar(select(Invitation).where(Invitation.code == seventh))
        assert revoked is not None and revoked.revoked_at is not None
