"""The curator's campaigns: audiences, live completion, reminders, and who may do what."""

from __future__ import annotations

from datetime import date, timedelta

from aiogram_dialog.widgets.kbd.calendar_kbd import raw_from_date
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.services.clock import FrozenClock
from bot.services.questionnaires import campaigns
from bot.services.questionnaires.campaigns import Audience, AudienceKind
from models import OutboxMessage, Pair, PairMentee, Role, SurveyCampaign, SurveyResponse, User
from tests.harness import Harness, Person
from tests.test_deadlines import Watch, context_of, moscow, run_until
from tests.test_survey_support import answer, kindergarten, launch, make_pair

ENTRY = "Входная диагностика"


ENTRY_ANSWERS = [  # the mentee's entry questionnaire, answered whole
    ("tap", "Молодой специалист"),
    ("text", "01.09.2026"),
    ("tap", "Документация"),
    ("tap", "Готово"),
    ("tap", "3"),
    ("text", "Планирование"),
    ("tap", "Нет"),
    ("tap", "Переписка"),
    ("tap", "Готово"),
    ("text", "Увереннее планировать"),
    ("tap", "Пропустить"),
    ("tap", "Отправить"),
]


async def responses(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(SurveyResponse)) or 0)


async def test_campaign_completion_and_reminders(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten(app, mentees=3)
    curator = garden.curator
    first, second, third = garden.mentees
    await launch(curator, ENTRY, "Наставляемые (3)")
    # the first finishes, the second starts, the third does nothing
    await first.taps("Начать")
    await answer(first, ENTRY_ANSWERS)
    await second.taps("Начать")
    await second.taps("Молодой специалист")

    await curator.sends("/surveys")
    assert "Входная диагностика наставляемого: 1/3, до 02.12.2026" in (
        curator.last_reply().buttons  # type: ignore[union-attr]
    )
    card = await curator.taps("Входная диагностика наставляемого: 1/3")
    assert card is not None
    assert "Ответили: <b>1 из 3</b>" in card.text
    assert "Начали, но не закончили: 1" in card.text and "Ещё не начинали: 1" in card.text
    who = await curator.taps("Кто ответил")
    assert who is not None
    assert "✅ Петрова Анна Сергеевна · наставляемый" in who.text
    assert "⏳ Иванова Мария Петровна" in who.text
    assert "▫️ Сидорова Елена Ивановна" in who.text

    for person in garden.mentees:
        person.forget()
    await curator.taps("Напомнить")
    assert "Напоминание поставлено в очередь: 2 из 2" in curator.last_reply().text  # type: ignore[union-attr]
    assert first.texts() == []  # those who finished are left alone
    reminder = second.last_reply()
    assert reminder is not None and "Напоминание: анкета «Входная диагностика" in reminder.text
    assert reminder.buttons == ["Продолжить"]
    assert third.last_reply().buttons == ["Начать"]  # type: ignore[union-attr]

    await curator.taps("Напомнить")  # again at once: refused, nobody disturbed
    assert curator.was_alerted("Напоминание уже отправляли недавно")
    assert len(third.texts()) == 1
    clock.advance(days=1)
    await curator.taps("Напомнить")
    assert len(third.texts()) == 2

    await second.taps("Продолжить")  # the reminder's button resumes where it stopped
    assert second.last_reply().text.startswith("<b>2/9</b>")  # type: ignore[union-attr]

    clock.advance(days=7)  # the deadline has passed
    await curator.taps("Напомнить")
    assert curator.was_alerted("Напоминать некому")
    await curator.sends("/surveys")
    card = await curator.taps("Входная диагностика наставляемого")
    assert card is not None and "Срок истёк без ответа: 2" in card.text


async def test_audience_of_active_pairs_and_of_named_people(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await kindergarten(app, mentees=3)
    curator = garden.curator
    await make_pair(sessionmaker)
    async with sessionmaker() as session:  # only the first mentee stays in the pair
        pair = await session.scalar(select(Pair))
        assert pair is not None
        rows = (
            await session.scalars(select(PairMentee).order_by(PairMentee.mentee_membership_id))
        ).all()
        for row in rows[1:]:
            await session.delete(row)
        await session.commit()

    await launch(curator, "Качество программы — наставляемый", "Участники активных пар (2)")
    assert "Анкета запущена: 2 человека" in curator.last_reply().text  # type: ignore[union-attr]
    assert garden.mentor.last_reply().buttons == ["Начать"]  # type: ignore[union-attr]
    assert garden.mentees[2].last_reply().buttons != ["Начать"]  # type: ignore[union-attr]

    await curator.sends("/surveys")
    await curator.taps("Запустить анкету")
    await curator.taps("Анкета куратора")
    reply = await curator.taps("Выбрать людей")
    assert reply is not None and "Выбрано: 0" in reply.text
    await curator.taps("Готово")
    assert curator.was_alerted("Некому отправить")
    await curator.taps("Сидорова Елена Ивановна")
    reply = await curator.taps("Смирнова Ольга Ивановна")
    assert reply is not None and "Выбрано: 2" in reply.text
    assert "✅ Сидорова Елена Ивановна · наставляемый" in reply.buttons
    await curator.taps("Готово")
    await curator.sends("31.02.2027")  # the deadline typed: a date that does not exist
    assert "Такой даты нет" in curator.texts()[-2]
    await curator.sends("01.11.2026")  # in the past
    assert "Срок должен быть позже сегодняшнего дня" in curator.texts()[-2]
    reply = await curator.sends("15.12.2026")
    assert reply is not None
    assert (
        "Кому: выбранные люди — 2 человека" in reply.text and "Срок: до 15.12.2026" in reply.text
    )
    await curator.taps("🚀 Запустить")
    assert garden.mentees[2].last_reply().buttons == ["Начать"]  # type: ignore[union-attr]
    async with sessionmaker() as session:
        campaign = await session.scalar(select(SurveyCampaign).order_by(SurveyCampaign.id.desc()))
        assert campaign is not None and campaign.audience == {
            "kind": "people",
            "role": None,
            "count": 2,
        }


async def test_launch_can_be_cancelled_and_stale_steps_change_nothing(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await kindergarten(app, mentees=1)
    curator = garden.curator
    await curator.sends("/surveys")
    await curator.taps("Запустить анкету")
    await curator.taps(ENTRY)
    await curator.sends("Наставляемые")  # typed, not tapped: the answer, then the step again
    assert "Выберите вариант кнопкой выше" in curator.texts()[-2]
    assert "Кому отправить?" in curator.texts()[-1]
    forged = curator.callback_data("Наставляемые").rsplit(":", 1)[0] + ":nobody"
    await curator.presses(forged)  # an audience no button offers
    assert curator.alerts()[-1].startswith("Эта кнопка уже не действует")
    assert "Кому отправить?" in curator.texts()[-1]  # the step stays
    await curator.taps("Наставляемые")
    await curator.taps("◀ Назад")  # from the deadline back to the audience
    assert "Кому отправить?" in curator.texts()[-1]
    await curator.taps("Наставляемые")
    go_on = curator.callback_data("Неделя")
    await curator.taps("Отмена")
    assert "Анкеты и мониторинг" in curator.texts()[-1]
    await curator.presses(go_on)  # a step of the cancelled launch
    assert curator.alerts()[-1].startswith("Эта кнопка уже не действует")
    await curator.sends("/cancel")
    assert await responses(sessionmaker) == 0
    assert not [text for text in curator.texts() if "что-то пошло не так" in text]


async def test_deadline_on_the_calendar_in_russian_and_a_restart_mid_launch(
    app: Harness,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    garden = await kindergarten(app, mentees=1)
    curator = garden.curator
    await curator.sends("/surveys")
    await curator.taps("Запустить анкету")
    await curator.taps(ENTRY)
    reply = await curator.taps("Наставляемые")
    assert reply is not None
    assert "🗓 Ноябрь 2026" in reply.buttons and "Пн" in reply.buttons
    assert "25" not in reply.buttons  # from tomorrow on
    tomorrow = next(
        str(button.callback_data)
        for row in reply.markup.inline_keyboard  # type: ignore[union-attr]
        for button in row
        if button.text == "26"
    )
    yesterday = tomorrow.replace(
        str(raw_from_date(date(2026, 11, 26))), str(raw_from_date(date(2026, 11, 24)))
    )
    await curator.presses(yesterday)  # forged
    assert curator.was_alerted("кнопка уже не действует")
    far = tomorrow.replace(
        str(raw_from_date(date(2026, 11, 26))), str(raw_from_date(date(2030, 1, 1)))
    )
    alerts = len(curator.alerts())
    await curator.presses(far)
    assert curator.alerts()[alerts:] == [
        "Эта кнопка уже не действует. Откройте нужный раздел заново."
    ]
    await curator.taps("Декабрь 2026 >>")
    restarted = Harness(create_dispatcher(settings, sessionmaker, clock=clock), app.session)
    await restarted.start()
    same = restarted.person(curator.telegram_id)
    reply = await same.taps("10")
    assert reply is not None and "Срок: до 10.12.2026" in reply.text
    await same.taps("🚀 Запустить")
    assert "Анкета запущена: 1 человек" in same.texts()[-1]
    async with sessionmaker() as session:
        campaign = await session.scalar(select(SurveyCampaign))
        assert campaign is not None and campaign.deadline is not None


async def test_people_without_the_desk_cannot_run_campaigns(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await kindergarten(app, mentees=1)
    await launch(garden.curator, ENTRY, "Наставляемые")
    mentee = garden.mentees[0]
    reply = await mentee.sends("/surveys")
    assert reply is not None and "недоступно в вашей роли" in reply.text
    card = [garden.curator.callback_data(label) for label in ("Кто ответил", "Напомнить")]
    for data in card:  # the curator's screen: not in the mentee's dialogs
        await mentee.presses(data)
    assert [a for a in mentee.alerts() if "уже не действует" in a] != []
    assert "Кто ответил" not in " ".join(mentee.texts())


async def test_a_curator_cannot_open_another_kindergartens_campaign(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await kindergarten(app, mentees=1)
    admin = garden.curator
    await launch(admin, ENTRY, "Наставляемые")
    buttons = ("Кто ответил", "Напомнить", "Итоги", "График", "Выгрузка XLSX")
    card = [admin.callback_data(label) for label in buttons]
    await admin.sends("/neworg")
    await admin.sends("Детский сад № 7")
    await admin.sends("Д/с № 7")
    await admin.taps("Омск")
    await admin.taps("Я сам")  # now the administrator works in the second kindergarten
    seen = len(admin.texts())
    for data in card:  # the first kindergarten's campaign: refused, nothing shown
        await admin.presses(data)
    assert len([a for a in admin.alerts() if "уже не действует" in a]) >= 5
    assert len(admin.texts()) == seen
    await admin.sends("/surveys")
    assert "Кампаний пока нет" in admin.texts()[-1]


async def test_invitation_to_a_person_who_blocked_the_bot(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await kindergarten(app, mentees=2)
    app.session.blocked.add(garden.mentees[1].telegram_id)
    await launch(garden.curator, ENTRY, "Наставляемые")
    texts = garden.curator.texts()
    assert any("приглашений в очереди на отправку: 2" in text for text in texts)
    # The sender found out: the person is marked, and the curator told.
    assert any("заблокировал(а) бота" in text for text in texts)
    async with sessionmaker() as session:
        blocked = await session.scalar(
            select(User).where(User.telegram_id == garden.mentees[1].telegram_id)
        )
        assert blocked is not None and blocked.blocked_bot
    app.session.blocked.clear()
    reply = await garden.mentees[1].sends("/survey")  # /survey still finds it
    assert reply is not None and "Входная диагностика наставляемого" in reply.text
    async with sessionmaker() as session:  # and writing to the bot made them reachable again
        user = await session.scalar(
            select(User).where(User.telegram_id == garden.mentees[1].telegram_id)
        )
        assert user is not None and not user.blocked_bot


async def test_the_desk_pages_campaigns_and_a_card_goes_back_to_the_list(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten(app, mentees=1)
    curator = garden.curator
    await launch(curator, ENTRY, "Наставляемые")
    async with sessionmaker() as session:
        first = await session.scalar(select(SurveyCampaign))
        assert first is not None
        for _ in range(6):  # seven in all: two pages of six
            await campaigns.launch(
                session,
                organisation_id=first.organisation_id,
                code="mentor_candidate",
                audience=Audience(AudienceKind.ROLE, role=Role.MENTOR),
                deadline=clock.now() + timedelta(days=5),
                created_by_membership_id=None,
                now=clock.now(),
            )
        await session.commit()
    reply = await curator.sends("/surveys")
    assert reply is not None and "(стр. 1/2)" in reply.text
    assert not any("Входная диагностика" in label for label in reply.buttons)
    assert "▶" in reply.buttons and "◀" not in reply.buttons
    reply = await curator.taps("▶")
    assert reply is not None and "(стр. 2/2)" in reply.text
    assert "◀" in reply.buttons and "▶" not in reply.buttons
    shown = len(curator.transcript)
    card = await curator.taps("Входная диагностика наставляемого: 0/1")
    assert card is not None and "Ответили: <b>0 из 1</b>" in card.text
    reply = await curator.taps("К списку")
    assert reply is not None and "Анкеты и мониторинг" in reply.text
    assert len(curator.transcript) == shown  # one message, edited in place


async def launch_until(curator: Person, audience: str, day: str) -> None:
    """The entry questionnaire launched with its deadline typed."""
    await curator.sends("/surveys")
    await curator.taps("Запустить анкету")
    await curator.taps(ENTRY)
    await curator.taps(audience)
    await curator.sends(day)
    await curator.taps("🚀 Запустить")


async def test_a_questionnaire_answered_over_the_weekend_is_not_reminded_on_monday(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    """Due on Tuesday 08.12: its «3 days left» is decided on Saturday and waits for Monday's
    working hours. The first mentee answers on Sunday: on Monday she hears nothing of it, the
    second (still to answer) is reminded that it is due tomorrow, and the first's reminder is
    kept as dropped."""
    garden = await kindergarten(app, mentees=2)
    first, second = garden.mentees
    await launch_until(garden.curator, "Наставляемые (2)", "08.12.2026")
    watch = Watch(clock, [first, second])
    context = context_of(app, sessionmaker, clock, settings)
    await run_until(app, context, clock, watch, moscow(date(2026, 12, 6), 12))  # Sunday noon
    assert watch.of(first, "Анкету нужно заполнить") == []  # waiting in the queue
    await first.taps("Начать")
    await answer(first, ENTRY_ANSWERS)
    watch.look()
    await run_until(app, context, clock, watch, moscow(date(2026, 12, 8), 12))
    assert watch.of(first, "⏰") == []
    # On Monday the deadline is tomorrow: that is what she reads, once (the «3 days left»
    # held since Saturday is not read beside it).
    told = watch.of(second, "⏰")
    assert [(r.at.date(), r.sent.text[:30]) for r in told] == [
        (date(2026, 12, 7), "⏰ Завтра, 08.12.2026, срок анк")
    ]
    async with sessionmaker() as session:
        rows = (
            await session.execute(
                select(OutboxMessage.chat_id, OutboxMessage.state).where(
                    OutboxMessage.key.like("deadline:survey:%")
                )
            )
        ).all()
    assert sorted(state for chat, state in rows if chat == first.telegram_id) == ["dropped"]
    assert sorted(state for chat, state in rows if chat == second.telegram_id) == [
        "dropped",
        "sent",
    ]


async def test_a_questionnaire_reminder_read_on_its_last_day_says_today(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    """Due on Monday 07.12: «tomorrow is the day» is decided on Sunday and read on Monday, the
    last day itself: it says today, not tomorrow."""
    garden = await kindergarten(app, mentees=1)
    [mentee] = garden.mentees
    await launch_until(garden.curator, "Наставляемые (1)", "07.12.2026")
    watch = Watch(clock, [mentee])
    context = context_of(app, sessionmaker, clock, settings)
    await run_until(app, context, clock, watch, moscow(date(2026, 12, 8)))
    assert watch.of(mentee, "Завтра") == []
    [last] = watch.of(mentee, "срок анкеты")
    assert last.at.date() == date(2026, 12, 7) and "Сегодня, 07.12.2026" in last.sent.text


async def test_a_questionnaire_reminder_held_past_its_deadline_is_dropped(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    """Due on Sunday 06.12: «tomorrow is the day» is decided on Saturday; on Monday, when the
    working hours come, the time is up, and nobody is told «tomorrow, 06.12»."""
    garden = await kindergarten(app, mentees=1)
    [mentee] = garden.mentees
    await launch_until(garden.curator, "Наставляемые (1)", "06.12.2026")
    watch = Watch(clock, [mentee])
    context = context_of(app, sessionmaker, clock, settings)
    await run_until(app, context, clock, watch, moscow(date(2026, 12, 8), 12))
    assert [r.at.date() for r in watch.of(mentee, "⏰")] == [date(2026, 12, 3)]  # 3 days left
    assert watch.of(mentee, "Завтра") == []
    async with sessionmaker() as session:
        states = await session.scalars(
            select(OutboxMessage.state).where(OutboxMessage.key.like("deadline:survey:%:left1%"))
        )
        assert list(states) == ["dropped"]
