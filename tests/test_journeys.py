"""The main journeys walked as people on a phone would, for what a walk in Russian and in English
turned up: a member opening their own link again, the words of a new invitation, what a mentee is
asked to do about an overdue item, and the curator told when a pair's final reports are in."""

from __future__ import annotations

from datetime import timedelta

from aiogram.types import ReplyKeyboardRemove
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.services.clock import FrozenClock
from models import FinalReport, HelpRequest, Invitation, Membership, Organisation
from tests.flows import MENTEE_ANSWERS, found_organisation, invite, join, send_mentee_report
from tests.harness import Harness
from tests.pairs_fixture import kindergarten_with_pair, with_plan
from tests.test_deadlines import context_of


async def memberships(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(Membership)) or 0


async def test_a_member_opening_their_used_up_or_expired_link_is_welcomed_as_a_member(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """The link for one person, used by that person: tapping it again in the chat's history
    must not say «everyone this link was meant for has joined, ask for a new one»."""
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый", "1 человек")
    mentee = await join(app, code, 501, MENTEE_ANSWERS)
    reply = await mentee.sends(f"/start {code}")
    assert reply is not None and "Вы уже участник: МБДОУ «Детский сад № 5»" in reply.text
    assert "/help" in reply.text and "уже вошли все" not in reply.text
    clock.advance(days=15)  # and later, when the link has expired
    reply = await mentee.sends(f"/start {code}")
    assert reply is not None and "Вы уже участник" in reply.text
    # A stranger with the same link is still told it is used up; nobody was added.
    reply = await app.person(502).sends(f"/start {code}")
    assert reply is not None and "Срок этого приглашения истёк" in reply.text
    async with sessionmaker() as session:
        invitation = await session.scalar(select(Invitation))
        assert invitation is not None and invitation.used_count == 1
    assert await memberships(sessionmaker) == 2  # the curator and the mentee


async def test_a_member_of_another_role_opening_a_revoked_link_hears_it_is_revoked(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Only one's own role counts as home: a mentee given a mentor's revoked link is told so."""
    curator = await found_organisation(app)
    used_up = await invite(curator, "наставляемый", "1 человек")
    mentee = await join(app, used_up, 501, MENTEE_ANSWERS)
    code = await invite(curator, "наставник")  # the only link left in /invites
    await curator.sends("/invites")
    await curator.taps("Отозвать № 1")
    reply = await mentee.sends(f"/start {code}")
    assert reply is not None and "отозвано куратором" in reply.text
    assert await memberships(sessionmaker) == 2


async def test_a_new_invitation_says_how_many_may_join_in_a_plain_sentence(app: Harness) -> None:
    curator = await found_organisation(app)
    await invite(curator, "наставник")
    said = curator.texts()[-1]
    assert "войти смогут сколько угодно человек" in said and "Без ограничения" not in said
    await invite(curator, "наставляемый", "5 человек")
    assert "войти смогут 5 человек." in curator.texts()[-1]
    await invite(curator, "наставляемый", "1 человек")
    assert "войти сможет 1 человек." in curator.texts()[-1]
    await curator.sends("/language")
    await curator.taps("English")
    await invite(curator, "mentor", "No limit")
    said = curator.texts()[-1]
    assert "for any number of people." in said and "No limit" not in said
    await invite(curator, "mentee", "1 person")
    assert "for 1 person." in curator.texts()[-1]


async def test_an_overdue_item_asks_the_mentee_nothing_only_the_mentor_can_do(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    """The mentee's reminder has only «📋 Plan»: it must not tell them to mark the item done or
    move it (the mentor's buttons), and it comes in the mentee's own language."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    mentor, mentee = garden.mentor, garden.mentee
    await mentee.sends("/language")
    await mentee.taps("English")
    due = clock.today("Europe/Moscow") + timedelta(days=1)
    await with_plan(sessionmaker, garden, clock.now(), [("Прочитать книгу", due)])
    context = context_of(app, sessionmaker, clock, settings)
    clock.advance(days=2)  # Friday, in working hours: the day after the item was due
    await app.run_jobs(context)
    to_mentor, to_mentee = mentor.last_reply(), mentee.last_reply()
    assert to_mentor is not None and "просрочен" in to_mentor.text
    assert "Отметьте выполнение или перенесите дату" in to_mentor.text
    assert to_mentor.buttons == ["✅ Выполнено", "📅 Перенести", "📋 План"]
    assert to_mentee is not None and "is overdue" in to_mentee.text
    assert "Your mentor can mark it done or move the date." in to_mentee.text
    assert "Mark it done" not in to_mentee.text and to_mentee.buttons == ["📋 Plan"]


async def test_the_curator_is_told_once_when_every_final_report_of_a_pair_is_in(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """Both write their final reports and the curator reads them: the curator hears, in the
    curator's language, when the last one is in (not on each), and finds them where it says."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    curator, mentor, mentee = garden.curator, garden.mentor, garden.mentee
    await curator.sends("/pairs")
    await curator.taps(f"№ {garden.pair_id}")
    await curator.taps("Завершить: программа выполнена")
    await curator.taps("Да, программа выполнена")
    await curator.sends("/language")
    await curator.taps("English")
    curator.forget()
    await mentor.taps("Заполнить отчёт")
    await mentor.taps("Далее")
    await mentor.sends("Научилась вести собрания")
    await mentor.sends("Продолжать")
    await mentor.taps("Отправить отчёт")
    assert "отправлен" in mentor.texts()[-1]
    assert curator.texts() == []  # one report of two: nothing to read as a whole yet
    await send_mentee_report(mentee, "Хорошо")
    assert curator.texts() == [
        f"📝 All final reports on pair No. {garden.pair_id} are in."
        " To read them: /pairs → the pair → “📝 Reports”."
    ]
    await curator.sends("/pairs")
    await curator.taps(f"No. {garden.pair_id}")
    shown = await curator.taps("📝 Reports")
    assert shown is not None and "Научилась вести собрания" in shown.text
    assert "Хорошо" in shown.text
    async with sessionmaker() as session:
        sent = await session.scalars(select(FinalReport.submitted_at))
        assert all(moment is not None for moment in sent)


async def test_the_need_help_button_left_after_withdrawing_answers_and_goes_away(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Telegram keeps a reply keyboard until the bot removes it: a mentee who withdrew still
    has «🆘 Нужна помощь» under the keyboard. A tap must not be «not understood»: it says who
    asks for help here and takes the button away, storing nothing."""
    curator = await found_organisation(app)
    mentee = await join(app, await invite(curator, "наставляемый"), 501, MENTEE_ANSWERS)
    await mentee.sends("/help")
    assert mentee.last_reply() is not None and mentee.last_reply().buttons == ["🆘 Нужна помощь"]  # type: ignore[union-attr]
    await mentee.sends("/privacy")
    await mentee.taps("Отозвать согласие")
    await mentee.taps("Да, отозвать")
    reply = await mentee.sends("🆘 Нужна помощь")
    assert reply is not None and reply.text == "Попросить помощь через /sos могут наставляемые."
    assert isinstance(reply.markup, ReplyKeyboardRemove)
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(HelpRequest)) == 0


async def test_the_new_organisations_time_zone_is_named_as_its_button_was(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """«Москва» tapped: the confirmation says «Москва (МСК)», not «Europe/Moscow»; a zone
    typed by its tz name (one no button offers) is named as typed."""
    admin = await found_organisation(app)
    [created] = [text for text in admin.texts() if "Организация создана" in text]
    assert "часовой пояс Москва (МСК)" in created and "Europe/Moscow" not in created
    await admin.sends("/neworg")
    await admin.sends("МБДОУ «Детский сад № 7»")
    await admin.sends("Д/с № 7")
    await admin.sends("Europe/Berlin")
    await admin.taps("Я сам")
    assert "часовой пояс Europe/Berlin" in admin.texts()[-2]
    async with sessionmaker() as session:
        zones = set(await session.scalars(select(Organisation.timezone)))
    assert zones == {"Europe/Moscow", "Europe/Berlin"}


async def test_stats_says_a_passed_30_day_deadline_in_words_not_as_a_negative_count(
    app: Harness,
) -> None:
    """/stats lists the mentees without a mentor as /pair does: «срок прошёл 55 дней назад»,
    not «(-55 дней)»; in English «overdue by 55 days»."""
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    await join(app, code, 501, MENTEE_ANSWERS)  # started 01.09.2026: a mentor due by 01.10
    late = [*MENTEE_ANSWERS[:6], ("text", "20.11.2026"), *MENTEE_ANSWERS[7:]]  # due by 20.12
    await join(app, code, 502, [("text", "Орлова Вера Павловна"), *late[1:]])
    reply = await curator.sends("/stats")
    assert reply is not None
    assert "наставник нужен до 01.10.2026 (срок прошёл 55 дней назад)" in reply.text
    assert "наставник нужен до 20.12.2026 (осталось 25 дней)" in reply.text
    assert "-55" not in reply.text
    await curator.sends("/language")
    await curator.taps("English")
    reply = await curator.sends("/stats")
    assert reply is not None and "a mentor is due by 01.10.2026 (overdue by 55 days)" in reply.text
    assert "due by 20.12.2026 (25 days left)" in reply.text
