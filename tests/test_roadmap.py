"""/roadmap: the curator sets up the school year's roadmap from the template and edits a stage
(actions, a deadline on the calendar, the responsible person, done); the head sees where the year
stands and cannot change it; a mentor is refused; a stage reminder's buttons work for the
responsible person and the curator only; stale and forged buttons get the polite answer."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.reminder_buttons import RoadmapOpen, RoadmapStageDone
from bot.scheduler import JobContext
from bot.services import roadmap
from bot.services.clock import FrozenClock
from bot.services.errors import UserFacingError
from models import Membership, MembershipStatus, RoadmapStage, Role
from tests.flows import invite, join
from tests.harness import Harness, Person
from tests.pairs_fixture import Kindergarten, kindergarten_with_pair, membership_of

STALE = "Эта кнопка уже не действует"
APOLOGY = "что-то пошло не так"
HEAD_ANSWERS = [("text", "Иванова Мария Петровна"), ("tap", "Пропустить")]
TRAINING = "4. Отбор и обучение наставников"


async def stages(sessionmaker: async_sessionmaker[AsyncSession]) -> list[RoadmapStage]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(RoadmapStage).order_by(RoadmapStage.position)))


async def organisation_of(
    sessionmaker: async_sessionmaker[AsyncSession], garden: Kindergarten
) -> int:
    async with sessionmaker() as session:
        return (
            await membership_of(session, garden.mentor.telegram_id, Role.MENTOR)
        ).organisation_id


def widget_data(person: Person, label: str, widget_id: str) -> str:
    """A dialog button's callback with another widget's id: what a forged client would send."""
    intent, _ = person.callback_data(label).split("\x1d", 1)
    return f"{intent}\x1d{widget_id}"


async def test_the_curator_sets_up_the_year_and_edits_a_stage(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    curator = garden.curator
    screen = await curator.sends("/roadmap")
    assert screen is not None
    assert "Дорожная карта на 2026/27 учебный год" in screen.text
    assert "ещё не составлена" in screen.text
    set_up = curator.callback_data("Составить по шаблону")
    await curator.presses(set_up)
    assert curator.was_alerted("Дорожная карта составлена")
    await curator.presses(set_up)  # the double tap
    stored = await stages(sessionmaker)
    assert [s.code for s in stored] == list(roadmap.STAGES)
    assert {s.year for s in stored} == {2026}
    assert "установочные сессии" in (stored[3].actions or "")  # the template's, in Russian
    overview = curator.last_reply()
    assert overview is not None and "Выполнено этапов: <b>0 из 7</b>" in overview.text
    assert "▫️ 1. Подготовка условий" in overview.buttons

    card = await curator.taps(TRAINING)
    assert card is not None and "Этап 4 из 7" in card.text and "Срок не назначен" in card.text
    await curator.taps("Мероприятия")
    await curator.sends_sticker()
    assert "Здесь нужен текст" in curator.texts()[-2]
    await curator.sends("д" * 1501)
    assert "от 1 до 1\xa0500 знаков" in curator.texts()[-2]
    card = await curator.sends("Установочная сессия наставников; консультации по понедельникам")
    assert card is not None and "Мероприятия сохранены" in card.text
    assert "консультации по понедельникам" in card.text

    await curator.taps("Срок")
    calendar = curator.last_reply()
    assert calendar is not None and "с 01.09.2026 по 31.08.2027" in calendar.text
    await curator.presses(widget_data(curator, "09", "roadmap_deadline:9999999999"))
    assert curator.was_alerted(STALE)  # a forged day: the polite answer, the step stays
    assert "Ноябрь 2026" in str(calendar.markup)  # opens at today's month
    await curator.taps(">>")
    card = await curator.taps("09")
    assert card is not None and "Срок сохранён: 09.12.2026" in card.text
    assert "осталось 14 дней" in card.text

    await curator.taps("Ответственный")
    chooser = curator.last_reply()
    assert chooser is not None and "Смирнова Ольга Ивановна (наставник)" in chooser.buttons
    forged = curator.callback_data("Смирнова").rsplit(":", 1)[0] + ":999999"
    await curator.presses(forged)  # nobody of the organisation: refused on the server
    assert curator.was_alerted("только сотрудник организации")
    card = await curator.taps("Смирнова Ольга Ивановна")
    assert card is not None and "Ответственный: Смирнова Ольга Ивановна" in card.text

    await curator.taps("Этап выполнен")
    done_data = curator.callback_data("Снять отметку")
    assert "Этап отмечен выполненным" in (curator.last_reply() or card).text
    async with sessionmaker() as session:
        mentor = await membership_of(session, garden.mentor.telegram_id, Role.MENTOR)
        stage = await session.get(RoadmapStage, stored[3].id)
        assert stage is not None and stage.done_at == clock.now()
        assert stage.due_on == date(2026, 12, 9)
        assert stage.responsible_membership_id == mentor.id
        assert stage.actions == "Установочная сессия наставников; консультации по понедельникам"
    await curator.presses(done_data)
    await curator.presses(done_data)  # twice: taken back once, nothing more
    assert (await stages(sessionmaker))[3].done_at is None
    await curator.taps("Этап выполнен")
    overview = await curator.taps("К дорожной карте")
    assert overview is not None and "Выполнено этапов: <b>1 из 7</b>" in overview.text
    assert not [t for t in curator.texts() if "Отметил(а)" in t]  # not told of their own mark
    assert f"✅ {TRAINING}" in overview.buttons


async def test_the_template_has_the_seven_stages_of_the_seeds_in_their_order(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """Seeds 001 and 004: ... 5. pairs and groups and their programmes, 6. completing the
    programmes (May), 7. information support on the site and social networks (all year). A
    year set up by an earlier template keeps its stages and their names."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    curator = garden.curator
    await curator.sends("/roadmap")
    await curator.presses(curator.callback_data("Составить по шаблону"))
    overview = curator.last_reply()
    assert overview is not None
    assert [label for label in overview.buttons if label.startswith("▫️")][4:] == [
        "▫️ 5. Формирование пар и групп",
        "▫️ 6. Завершение программ",
        "▫️ 7. Информационная поддержка",
    ]
    card = await curator.taps("7. Информационная поддержка")
    assert card is not None and "Этап 7 из 7" in card.text
    assert "на сайте детского сада" in card.text
    stored = await stages(sessionmaker)
    assert "работа пар по программам" in (stored[4].actions or "")
    assert "круглый стол" in (stored[5].actions or "")

    organisation = await organisation_of(sessionmaker, garden)
    async with sessionmaker() as session, session.begin():
        for stage in await session.scalars(select(RoadmapStage)):
            await session.delete(stage)
        await session.flush()
        for position, code in enumerate((*roadmap.STAGES[:5], "work_in_pairs", "completion"), 1):
            session.add(
                RoadmapStage(
                    organisation_id=organisation,
                    year=2026,
                    position=position,
                    code=code,
                    updated_at=clock.now(),
                )
            )
    screen = await curator.sends("/roadmap")
    assert screen is not None
    assert "▫️ 6. Работа в парах" in screen.buttons and "▫️ 7. Завершение программ" in screen.buttons


async def test_the_head_sees_where_the_year_stands_and_cannot_change_it(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    head = await join(app, await invite(garden.curator, "заведующ"), 701, HEAD_ANSWERS)
    head.forget()
    screen = await head.sends("/roadmap")
    assert screen is not None and "Её составляет куратор" in screen.text
    assert not any("Составить" in label for label in screen.buttons)
    organisation = await organisation_of(sessionmaker, garden)
    async with sessionmaker() as session, session.begin():
        made = await roadmap.set_up(session, organisation, 2026, clock.now())
        roadmap.mark_done(made[0], True, clock.now())
        roadmap.set_deadline(made[1], date(2026, 11, 20), clock.now())
        roadmap.set_deadline(made[3], date(2026, 12, 9), clock.now())
    screen = await head.sends("/roadmap")
    assert screen is not None
    assert "Выполнено этапов: <b>1 из 7</b>" in screen.text
    assert "Ближайший срок: 09.12.2026, «Отбор и обучение наставников»" in screen.text
    assert "Просрочено: «Формирование банка наставляемых»" in screen.text
    assert "Изменять дорожную карту может куратор" in screen.text
    card = await head.taps(TRAINING)
    assert card is not None and card.buttons == ["← К дорожной карте"]
    for widget in ("roadmap_stage_deadline", "roadmap_stage_done", "roadmap_stage_actions"):
        head.transcript.append(card)  # the forged press comes from the card
        await head.presses(widget_data(head, "К дорожной карте", widget), card)
        assert head.was_alerted(STALE)
    after = await stages(sessionmaker)
    assert after[3].due_on == date(2026, 12, 9) and after[3].done_at is None


async def test_a_mentor_or_mentee_is_refused(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    for person in (garden.mentor, garden.mentee):
        reply = await person.sends("/roadmap")
        assert reply is not None and "недоступно в вашей роли" in reply.text


async def test_the_reminder_buttons_work_for_the_responsible_person_only(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    organisation = await organisation_of(sessionmaker, garden)
    async with sessionmaker() as session, session.begin():
        mentor = await membership_of(session, garden.mentor.telegram_id, Role.MENTOR)
        made = await roadmap.set_up(session, organisation, 2026, clock.now())
        roadmap.set_deadline(made[3], date(2026, 12, 2), clock.now())  # 7 days ahead
        await roadmap.set_responsible(session, made[3], mentor.id, clock.now())
        stage_id = made[3].id
    await app.run_jobs(JobContext(app.bot, sessionmaker, clock, app.i18n_core(), settings))
    reminder = garden.mentor.last_reply()
    assert reminder is not None and "Отбор и обучение наставников" in reminder.text
    assert reminder.buttons == ["✅ Этап выполнен", "🗺 Дорожная карта"]
    done = RoadmapStageDone(stage_id=stage_id).pack()
    assert garden.mentor.callback_data("Этап выполнен") == done

    await garden.mentee.presses(done)  # not theirs
    assert garden.mentee.was_alerted("ответственный за него или куратор")
    for forged in ("999999", "9" * 25, "-1", "0"):
        await garden.mentee.presses(f"roadmap_stage_done:{forged}")
    await garden.mentee.presses("roadmap_stage_done:x")  # no such button at all
    assert (await stages(sessionmaker))[3].done_at is None

    await garden.mentor.taps("Этап выполнен")
    assert garden.mentor.was_alerted("«Отбор и обучение наставников» отмечен выполненным")
    assert reminder.buttons == ["🗺 Дорожная карта"]  # the button left the message
    await garden.mentor.presses(done, reminder)  # the double tap
    assert garden.mentor.was_alerted("уже отмечен выполненным")
    assert (await stages(sessionmaker))[3].done_at is not None
    told = [t for t in garden.curator.texts() if "выполнен. Отметил(а)" in t]
    assert told == [
        "✅ Этап дорожной карты «Отбор и обучение наставников» выполнен."
        " Отметил(а): Смирнова Ольга Ивановна."
    ]

    own = await garden.mentor.taps("Дорожная карта")
    assert own is not None and own is not reminder  # a new message; the reminder stays
    assert "Ваши этапы дорожной карты, 2026/27" in own.text
    assert own.buttons == [f"✅ {TRAINING}"]
    card = await garden.mentor.taps(TRAINING)
    assert card is not None and card.buttons == ["↩️ Снять отметку", "← К дорожной карте"]

    open_data = RoadmapOpen(organisation_id=organisation).pack()
    await garden.mentee.presses(open_data)
    assert garden.mentee.was_alerted("открыта куратору, заведующему и ответственным")
    await garden.mentee.presses(RoadmapOpen(organisation_id=organisation + 1).pack())
    await garden.mentee.presses(f"roadmap_open:{'9' * 25}")
    assert garden.mentee.alerts().count(STALE + ". Откройте нужный раздел заново.") >= 6
    await garden.curator.presses(open_data)
    whole = garden.curator.last_reply()
    assert whole is not None and "Дорожная карта на 2026/27 учебный год" in whole.text
    assert len(whole.buttons) == 7 + 2  # the stages, the years before and after
    for person in (garden.curator, garden.mentor, garden.mentee):
        assert not [text for text in person.texts() + person.alerts() if APOLOGY in text]


async def test_the_curator_marks_a_stage_done_from_the_reminder(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    organisation = await organisation_of(sessionmaker, garden)
    async with sessionmaker() as session, session.begin():
        made = await roadmap.set_up(session, organisation, 2026, clock.now())
        stage_id = made[0].id
    await garden.curator.presses(RoadmapStageDone(stage_id=stage_id).pack())
    assert garden.curator.was_alerted("«Подготовка условий» отмечен выполненным")
    assert (await stages(sessionmaker))[0].done_at is not None


async def test_the_roadmap_service(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """School years, states and progress; who may be responsible and who may mark done."""
    assert roadmap.school_year(date(2026, 8, 31)) == 2025
    assert roadmap.school_year(date(2026, 9, 1)) == 2026
    assert roadmap.year_bounds(2026) == (date(2026, 9, 1), date(2027, 8, 31))
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    organisation = await organisation_of(sessionmaker, garden)
    today = date(2026, 11, 25)
    async with sessionmaker() as session, session.begin():
        mentor = await membership_of(session, garden.mentor.telegram_id, Role.MENTOR)
        mentee = await membership_of(session, garden.mentee.telegram_id, Role.MENTEE)
        made = await roadmap.set_up(
            session, organisation, 2026, clock.now(), {"preparation": "Приказ"}
        )
        assert made[0].actions == "Приказ" and made[1].actions is None
        roadmap.set_deadline(made[1], date(2026, 11, 1), clock.now())
        roadmap.set_deadline(made[2], date(2026, 12, 1), clock.now())
        roadmap.set_deadline(made[3], date(2026, 11, 30), clock.now())
        roadmap.mark_done(made[0], True, clock.now())
        try:
            roadmap.set_deadline(made[4], date(2027, 9, 1), clock.now())
            raise AssertionError("a deadline past the school year was taken")
        except UserFacingError as error:
            assert error.key == "input-date-range"
        try:
            roadmap.set_actions(made[4], "  ", clock.now())
            raise AssertionError("empty actions were taken")
        except UserFacingError as error:
            assert error.key == "input-text-length"
        await roadmap.set_responsible(session, made[2], mentor.id, clock.now())
        states = [roadmap.state_of(stage, today) for stage in made]
        assert states[:4] == [roadmap.DONE, roadmap.OVERDUE, roadmap.DUE, roadmap.DUE]
        assert states[4] == roadmap.OPEN
        progress = roadmap.progress(made, today)
        assert (progress.done, progress.total) == (1, 7)
        assert progress.next_due is made[3] and progress.overdue == [made[1]]
        rows = await roadmap.stages_of(session, organisation, 2026)
        assert [stage.position for stage in rows] == list(range(1, 8))
        responsible = [
            await roadmap.member(session, organisation, stage.responsible_membership_id)
            for stage in rows[2:4]
        ]
        assert responsible == [
            roadmap.Member(mentor.id, Role.MENTOR, "Смирнова Ольга Ивановна"),
            None,
        ]
        people = await roadmap.members(session, organisation)
        assert {m.membership_id for m in people} >= {mentor.id, mentee.id}
        mentor_user = (await session.get(Membership, mentor.id)).user_id  # type: ignore[union-attr]
        mentee_user = (await session.get(Membership, mentee.id)).user_id  # type: ignore[union-attr]
        assert await roadmap.may_mark(session, made[2], mentor_user)
        assert not await roadmap.may_mark(session, made[2], mentee_user)
        assert await roadmap.is_responsible_for_any(session, organisation, {mentor.id})
        assert not await roadmap.is_responsible_for_any(session, organisation, {mentee.id})
        # Someone who withdrew consent can no longer be made responsible, nor shows as such.
        withdrawn = await session.get(Membership, mentee.id)
        assert withdrawn is not None
        withdrawn.status = MembershipStatus.WITHDRAWN
        withdrawn.withdrawn_at = clock.now()
        await session.flush()
        try:
            await roadmap.set_responsible(session, made[4], mentee.id, clock.now())
            raise AssertionError("a withdrawn member was made responsible")
        except UserFacingError as error:
            assert error.key == "deadline-roadmap-not-a-member"
        assert mentee.id not in {
            m.membership_id for m in await roadmap.members(session, organisation)
        }


async def test_a_restart_or_cancel_in_the_middle_loses_nothing(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    organisation = await organisation_of(sessionmaker, garden)
    async with sessionmaker() as session, session.begin():
        await roadmap.set_up(session, organisation, 2026, clock.now(), {"pairs": "Было"})
    await garden.curator.sends("/roadmap")
    await garden.curator.taps("5. Формирование пар")
    await garden.curator.taps("Мероприятия")
    await garden.curator.sends("/cancel")
    await garden.curator.sends("Не мероприятия, просто текст")
    assert (await stages(sessionmaker))[4].actions == "Было"  # /cancel left the step

    await garden.curator.sends("/roadmap")
    await garden.curator.taps("5. Формирование пар")
    await garden.curator.taps("Мероприятия")
    second = Harness(create_dispatcher(settings, sessionmaker, clock=clock), app.session)
    await second.start()
    card = await second.person(garden.curator.telegram_id).sends("Приказ о парах до 15 декабря")
    assert card is not None and "Мероприятия сохранены" in card.text
    assert (await stages(sessionmaker))[4].actions == "Приказ о парах до 15 декабря"


async def test_the_head_approves_the_roadmap_and_a_change_asks_again(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """The head approves the year's roadmap (domain.md); the curators are told through the
    queue; a change of a stage's plan withdraws the approval, a done mark does not."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    head = await join(app, await invite(garden.curator, "заведующ"), 701, HEAD_ANSWERS)
    curator = garden.curator
    await curator.sends("/roadmap")
    await curator.taps("Составить по шаблону")
    overview = curator.last_reply()
    assert overview is not None and "Не утверждена заведующим" in overview.text
    assert not any("Утвердить" in label for label in overview.buttons)  # not the curator's
    forged = widget_data(curator, TRAINING, "roadmap_approve")
    await curator.presses(forged)
    assert curator.was_alerted(STALE)

    head.forget()
    curator.forget()
    screen = await head.sends("/roadmap")
    assert screen is not None and "Не утверждена заведующим" in screen.text
    approve = head.callback_data("Утвердить дорожную карту")
    await head.presses(approve)
    await head.presses(approve)  # the double tap approves once
    assert head.was_alerted("Дорожная карта утверждена")
    screen = head.last_reply()
    assert screen is not None and "Утверждена заведующим 25.11.2026" in screen.text
    assert not any("Утвердить" in label for label in screen.buttons)
    await app.deliver()
    told = [t for t in curator.texts() if "утвердил дорожную карту" in t]
    assert told == ["✅ Заведующий утвердил дорожную карту наставничества на 2026/27 учебный год."]

    organisation = await organisation_of(sessionmaker, garden)
    clock.advance(minutes=5)
    async with sessionmaker() as session, session.begin():
        made = await roadmap.set_up(session, organisation, 2026, clock.now())
        roadmap.mark_done(made[0], True, clock.now())  # progress: still approved
    screen = await head.sends("/roadmap")
    assert screen is not None and "Утверждена заведующим" in screen.text
    async with sessionmaker() as session, session.begin():
        made = await roadmap.set_up(session, organisation, 2026, clock.now())
        roadmap.set_deadline(made[1], date(2026, 12, 20), clock.now())  # the plan changed
    screen = await head.sends("/roadmap")
    assert screen is not None and "Не утверждена заведующим" in screen.text
    assert "✅ Утвердить дорожную карту" in screen.buttons
