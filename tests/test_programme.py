"""The personalised programme: written from a template or from scratch, edited from the phone,
submitted, sent back with a comment, resubmitted and acknowledged; who may touch it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.services import programme_templates, programmes, rules
from bot.services.clock import FrozenClock
from bot.services.pages import page_bounds, paginate
from handlers.programme_view import ProgCb
from models import Activity, ActivityStatus, Pair, PairEvent, Programme, ProgrammeStatus
from tests.flows import MENTEE_ANSWERS, MENTOR_ANSWERS, invite, join
from tests.harness import Harness
from tests.pairs_fixture import TERM_END, TERM_START, active_pair, kindergarten_with_pair, named


async def stored_programme(
    sessionmaker: async_sessionmaker[AsyncSession], pair_id: int
) -> tuple[Programme, list[Activity]]:
    async with sessionmaker() as session:
        programme = await programmes.programme_of(session, pair_id)
        assert programme is not None
        return programme, await programmes.activities_of(session, programme.id)


# --- templates and pure rules ------------------------------------------------------------------


def test_there_are_at_least_four_kindergarten_templates_in_both_languages() -> None:
    templates = programme_templates.TEMPLATES
    assert len(templates) >= 4
    assert {"first_year", "parents_meeting", "new_technology", "contest"} <= {
        t.code for t in templates
    }
    for template in templates:
        for text in (template.title, template.goal, template.tasks, template.form):
            assert text.ru and text.en and text.ru != text.en
        shares = [row.at for row in template.activities]
        assert shares == sorted(shares) and shares[0] >= 0 and shares[-1] <= 1
        assert len(template.activities) >= 5


def test_template_dates_spread_inside_what_is_left_of_the_term() -> None:
    pair = Pair(starts_on=date(2026, 9, 1), ends_on=date(2027, 5, 31))
    today = date(2026, 10, 1)
    assert programmes.spread_due(pair, today, 0.0) == today  # nothing due in the past
    assert programmes.spread_due(pair, today, 1.0) == date(2027, 5, 31)
    middle = programmes.spread_due(pair, today, 0.5)
    assert today < middle < date(2027, 5, 31)


def test_pages_never_exceed_one_telegram_message() -> None:
    blocks = [f"<b>{n}.</b> " + "слово " * 120 for n in range(40)]
    pages = paginate(blocks)
    assert len(pages) > 1
    assert all(len(page) <= 4096 for page in pages)
    assert "".join(pages).count("<b>") == 40  # every block whole, on one page
    long = paginate(["x" * 5000 + " end"])  # one overlong block is cut, nothing lost
    assert [len(page) for page in long] == [4096, 908] and long[-1].endswith(" end")


def test_a_page_past_the_end_of_a_shorter_list_is_its_last() -> None:
    assert page_bounds(0, 3, 8) == (1, 0)  # an empty list still has its (empty) page
    assert page_bounds(17, 1, 8) == (3, 1)
    assert page_bounds(16, 5, 8) == (2, 1)  # the list got shorter since it was shown
    assert page_bounds(16, -1, 8) == (2, 0)  # a forged page number


# --- writing from a template, submitting, changes, acknowledging -------------------------------


async def test_from_template_then_changes_requested_resubmitted_and_acknowledged(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    reply = await k.mentor.sends("/programme")
    assert reply is not None
    # the 10-day rule, shown to the mentor: approved on 25.11, write by 05.12
    assert "написать до 05.12.2026 (осталось 10 дней)" in reply.text
    assert "Родительское собрание" in reply.buttons and "📝 С чистого листа" in reply.buttons

    reply = await k.mentor.taps("Родительское собрание")
    assert reply is not None and "отправить наставляемому до 05.12.2026" in reply.text
    programme, activities = await stored_programme(sessionmaker, k.pair_id)
    assert programme.template == "parents_meeting"
    assert programme.status == ProgrammeStatus.DRAFT
    assert programme.due_on == date(2026, 12, 5) == rules.programme_due(TERM_START)
    assert programme.goal and "родительское собрание" in programme.goal
    assert len(activities) == len(programme_templates.PARENTS_MEETING.activities)
    dates = [a.due_on for a in activities]
    assert dates == sorted(dates) and dates[0] == TERM_START and dates[-1] == TERM_END

    submit = k.mentor.callback_data("Отправить наставляемому")
    await k.mentor.taps("Отправить наставляемому")
    assert "Программа отправлена наставляемому" in k.mentor.texts()[-1]
    assert "написал(а) для вас программу" in k.mentee.texts()[0]
    assert "<b>Цель</b>" in k.mentee.texts()[1]
    assert k.mentee.last_reply().buttons == [  # type: ignore[union-attr]
        "✅ Ознакомлен(а)",
        "✏️ Попросить изменения",
    ]
    await k.mentor.presses(submit)  # the same button again (a second tap): nothing new
    assert k.mentor.was_alerted("уже у наставляемого")
    assert len(k.mentee.texts()) == 2  # the intro and one page, not sent again

    old_ack = k.mentee.callback_data("Ознакомлен")
    await k.mentee.taps("Попросить изменения")
    reply = await k.mentee.sends("Добавьте, пожалуйста, онлайн-собрание <в декабре>")
    assert reply is not None and "Отправлено наставнику" in reply.text
    notice = k.mentor.last_reply()
    assert notice is not None and "Петрова Анна Сергеевна просит изменить программу" in notice.text
    assert "онлайн-собрание &lt;в декабре&gt;" in notice.text  # what people type is escaped
    programme, _ = await stored_programme(sessionmaker, k.pair_id)
    assert programme.status == ProgrammeStatus.CHANGES_REQUESTED
    assert programme.change_request == "Добавьте, пожалуйста, онлайн-собрание <в декабре>"

    await k.mentee.presses(old_ack)  # the old button: the programme is not waiting now
    assert k.mentee.was_alerted("наставник её дорабатывает")

    reply = await k.mentor.taps("Открыть программу")
    assert reply is not None and "Просьба наставляемого" in reply.text
    assert "наставляемый попросил изменения" in reply.text
    await k.mentor.taps("Цель")
    reply = await k.mentor.sends("Провести родительское собрание в группе, очно и онлайн.")
    assert reply is not None and "Сохранено: Цель" in k.mentor.texts()[-2]
    await k.mentor.taps("Отправить наставляемому")

    await k.mentee.sends("/plan")
    reply = await k.mentee.taps("Ознакомлен")
    assert reply is not None and "Спасибо" in reply.text
    assert "ознакомился(лась) с программой. Программа согласована" in k.mentor.texts()[-1]
    await k.mentee.taps("Ознакомлен")  # a second tap on another copy of the button
    assert k.mentee.was_alerted("уже ознакомились")

    programme, _ = await stored_programme(sessionmaker, k.pair_id)
    assert programme.status == ProgrammeStatus.ACKNOWLEDGED
    assert programme.goal == "Провести родительское собрание в группе, очно и онлайн."
    assert programme.acknowledged_at is not None and programme.change_request is None
    async with sessionmaker() as session:
        kinds = list(
            await session.scalars(
                select(PairEvent.kind).where(PairEvent.pair_id == k.pair_id).order_by(PairEvent.id)
            )
        )
    assert kinds == [
        programmes.EVENT_SUBMITTED,
        programmes.EVENT_CHANGES,
        programmes.EVENT_SUBMITTED,
        programmes.EVENT_ACKNOWLEDGED,
    ]

    # the curator of the organisation can open it read-only and sees its state
    await k.curator.sends("/start")  # a message to press the button under
    await k.curator.presses(ProgCb(action="open", pair_id=k.pair_id).pack())
    text = k.curator.texts()[-1]
    assert "согласована 25.11.2026, выполнено 0 из 11" in text
    assert "<b>Цель</b>" in text and k.curator.last_reply().buttons == []  # type: ignore[union-attr]


async def test_group_programme_is_agreed_when_every_mentee_has_read_it(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock, mentees=2)
    await k.mentor.sends("/programme")
    await k.mentor.taps("Подготовка к конкурсу")
    await k.mentor.taps("Отправить наставляемому")
    assert "наставляемым. Я сообщу, когда все ознакомятся" in k.mentor.texts()[-1]
    await k.mentees[0].taps("Ознакомлен")
    assert k.mentor.texts()[-1] == "✅ Петрова Анна Сергеевна ознакомился(лась) с программой."
    programme, _ = await stored_programme(sessionmaker, k.pair_id)
    assert programme.status == ProgrammeStatus.SUBMITTED
    await k.mentees[1].taps("Ознакомлен")
    assert "Программа согласована" in k.mentor.texts()[-1]
    programme, _ = await stored_programme(sessionmaker, k.pair_id)
    assert programme.status == ProgrammeStatus.ACKNOWLEDGED


# --- writing from scratch and the calendar plan ------------------------------------------------


async def test_from_scratch_with_activities_added_edited_moved_and_removed(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    mentor = k.mentor
    await mentor.sends("/programme")
    reply = await mentor.taps("С чистого листа")
    assert reply is not None and "✏️ Цель" in reply.buttons
    await mentor.taps("Отправить наставляемому")
    assert mentor.was_alerted("Сначала заполните цель")

    for label, text in (
        ("Цель", "Освоить работу с родителями"),
        ("Задачи", "1. Изучить формы собраний.\n2. Провести собрание."),
        ("Планируемые результаты", "Проведено собрание, оформлен протокол."),
        ("Форма наставничества", "Традиционная"),
    ):
        await mentor.taps(label)
        reply = await mentor.sends(text)
        assert reply is not None and f"✅ {label}" in reply.buttons
    await mentor.taps("Отправить наставляемому")
    assert mentor.was_alerted("хотя бы один пункт")

    await mentor.taps("Пункт плана")
    reply = await mentor.sends("Посетить собрание наставника")
    assert reply is not None and "с 25.11.2026 по 25.05.2027" in reply.text
    reply = await mentor.sends("01.06.2027")  # after the term ends
    assert reply is not None and "в пределах срока наставничества" in reply.text
    await mentor.sends("31.02.2027")  # no such day: the answer, then the step again
    assert "Такой даты нет" in mentor.texts()[-2] and "шаг 2 из 3" in mentor.texts()[-1]
    await mentor.sends_sticker()
    assert "Здесь нужен текст" in mentor.texts()[-2]
    await mentor.sends("15.12.2026")
    reply = await mentor.sends("Разобран сценарий")
    assert reply is not None and "Пункт 1 добавлен: 15.12.2026" in reply.text
    for content, day in (("Написать сценарий", "10.01.2027"), ("Провести собрание", "01.02.2027")):
        await mentor.taps("Ещё пункт")
        await mentor.sends(content)
        await mentor.sends(day)
        await mentor.sends("Готово")

    reply = await mentor.taps("План (3)")
    assert reply is not None and len(reply.buttons) == 5
    await mentor.taps("3. 01.02")
    reply = await mentor.taps("⬆️")
    assert reply is not None and "Пункт 2 из 3" in reply.text and mentor.was_alerted("пункт 2")
    await mentor.taps("⬆️")
    reply = await mentor.taps("⬆️")  # already first
    assert mentor.was_alerted("Дальше двигать некуда")
    _, activities = await stored_programme(sessionmaker, k.pair_id)
    assert [a.content for a in activities] == [
        "Провести собрание",
        "Посетить собрание наставника",
        "Написать сценарий",
    ]
    assert [a.position for a in activities] == [1, 2, 3]

    await mentor.taps("📅 Срок")
    reply = await mentor.sends("20.11.2026")  # before the term starts
    assert reply is not None and "с 25.11.2026 по 25.05.2027" in reply.text
    reply = await mentor.sends("20.02.2027")
    assert reply is not None and "Сохранено" in reply.text and "20.02.2027" in reply.text
    await mentor.taps("Содержание")
    await mentor.sends("x" * 501)
    assert "Слишком длинно: 501 символ, а можно не больше 500" in mentor.texts()[-2]
    await mentor.sends("Провести собрание в группе")
    reply = await mentor.taps("Ожидаемый результат")  # the same text step, the other field
    assert reply is not None and "Какой ожидаемый результат? (до 300 символов)" in reply.text
    await mentor.sends("y" * 301)
    assert "можно не больше 300" in mentor.texts()[-2]
    reply = await mentor.sends("Протокол собрания")
    assert reply is not None and "Сохранено" in reply.text and "Протокол собрания" in reply.text

    await mentor.taps("К плану")
    await mentor.taps("2. 15.12")
    reply = await mentor.taps("Удалить")
    assert (
        reply is not None and "Удалить пункт плана «Посетить собрание наставника»?" in reply.text
    )
    confirm = mentor.callback_data("Да, удалить")
    reply = await mentor.taps("Да, удалить")
    assert reply is not None and mentor.was_alerted("Пункт удалён")
    _, activities = await stored_programme(sessionmaker, k.pair_id)
    assert [(a.position, a.content, a.due_on) for a in activities] == [
        (1, "Провести собрание в группе", date(2027, 2, 20)),
        (2, "Написать сценарий", date(2027, 1, 10)),
    ]
    await mentor.presses(confirm)  # a second tap: nothing more
    assert mentor.was_alerted("кнопка уже не действует")
    assert len((await stored_programme(sessionmaker, k.pair_id))[1]) == 2

    await mentor.sends("/programme")
    await mentor.taps("Отправить наставляемому")
    programme, _ = await stored_programme(sessionmaker, k.pair_id)
    assert programme.status == ProgrammeStatus.SUBMITTED and programme.template is None


async def test_editing_a_sent_programme_sends_it_back_to_a_draft(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    await k.mentor.sends("/programme")
    await k.mentor.taps("Первый год")
    await k.mentor.taps("Отправить наставляемому")
    await k.mentee.taps("Ознакомлен")
    reply = await k.mentor.sends("/programme")
    assert reply is not None and "Отправить наставляемому" not in reply.buttons
    await k.mentor.taps("Пункт плана")
    await k.mentor.sends("Дополнительная консультация")
    await k.mentor.sends("01.03.2027")
    await k.mentor.sends("Вопросы сняты")
    reply = await k.mentor.taps("К программе")
    assert reply is not None and "исправляется после отправки" in reply.text
    assert "📨 Отправить наставляемому" in reply.buttons
    programme, _ = await stored_programme(sessionmaker, k.pair_id)
    assert programme.status == ProgrammeStatus.DRAFT


async def test_a_long_programme_reaches_the_mentee_in_pages(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    await k.mentor.sends("/programme")
    await k.mentor.taps("Новая образовательная технология")
    programme, _ = await stored_programme(sessionmaker, k.pair_id)
    async with sessionmaker() as session, session.begin():
        for number in range(25):
            session.add(
                Activity(
                    programme_id=programme.id,
                    position=100 + number,
                    content=f"Занятие {number}: " + "игровые приёмы " * 30,
                    due_on=date(2027, 3, 1),
                    expected_result="Конспект & анализ",
                    status=ActivityStatus.OPEN,
                    created_at=clock.now(),
                )
            )
    await k.mentor.sends("/programme")
    await k.mentor.taps("Отправить наставляемому")
    pages = k.mentee.texts()[1:]
    assert len(pages) >= 3
    assert all(len(page) <= 4096 for page in pages)
    assert "Конспект &amp; анализ" in pages[-1]
    assert k.mentee.transcript[1].buttons == []  # the buttons come with the last page only
    assert "✅ Ознакомлен(а)" in k.mentee.last_reply().buttons  # type: ignore[union-attr]


async def test_the_ten_day_rule_is_marked_when_overdue(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    clock.advance(days=12)
    reply = await k.mentor.sends("/programme")
    assert reply is not None
    assert "⚠️ программа не написана: срок истёк 05.12.2026 (просрочено на 2 дня)" in reply.text
    await k.mentor.taps("С чистого листа")
    reply = k.mentor.last_reply()
    assert reply is not None and "⚠️ черновик: срок написания истёк 05.12.2026" in reply.text
    reply = await k.mentee.sends("/plan")
    assert reply is not None and "Наставник ещё пишет программу" in reply.text


# --- who may do what ---------------------------------------------------------------------------


async def test_a_mentee_cannot_edit_and_a_mentor_reaches_only_own_pairs(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    await k.mentor.sends("/programme")
    await k.mentor.taps("Первый год")
    programme, activities = await stored_programme(sessionmaker, k.pair_id)

    goal = k.mentor.callback_data("Цель")
    submit = k.mentor.callback_data("Отправить наставляемому")
    await k.mentor.taps("План (")
    await k.mentor.taps("1. ")
    delete = k.mentor.callback_data("Удалить")

    reply = await k.mentee.sends("/programme")
    assert reply is not None and "недоступно в вашей роли" in reply.text
    for forged in (goal, submit, delete):  # the mentor's screen's buttons, pressed by the mentee
        await k.mentee.presses(forged)
        assert k.mentee.alerts()[-1].startswith("Эта кнопка уже не действует"), forged
    reply = await k.mentee.sends("/plan")  # a draft never sent is not shown to the mentee
    assert reply is not None and "Наставник ещё пишет программу" in reply.text

    # a second mentor with a pair of their own in the same kindergarten
    other_mentor = await join(app, await invite(k.curator, "наставник"), 602, MENTOR_ANSWERS)
    other_mentee = await join(
        app,
        await invite(k.curator, "наставляемый"),
        503,
        named(MENTEE_ANSWERS, "Орлова Мария Ивановна"),
    )
    await active_pair(sessionmaker, clock, other_mentor, [other_mentee])
    await other_mentor.sends("/programme")  # their own dialog is open
    for forged in (ProgCb(action="open", pair_id=k.pair_id).pack(), goal, submit, delete):
        other_mentor.harness.session.calls.clear()
        await other_mentor.presses(forged)
        assert other_mentor.was_alerted("кнопка уже не действует"), forged
    for action in ("ack", "changes"):
        await other_mentee.presses(ProgCb(action=action, pair_id=k.pair_id).pack())
        assert other_mentee.alerts()[-1].startswith("Эта кнопка уже не действует")
    async with sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).select_from(Activity).where(Activity.programme_id == programme.id)
        )
        assert count == len(activities)
        stored = await session.get(Programme, programme.id)
        assert stored is not None and stored.status == ProgrammeStatus.DRAFT


async def test_a_mentor_with_several_pairs_picks_one(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    second = await join(
        app,
        await invite(k.curator, "наставляемый"),
        503,
        named(MENTEE_ANSWERS, "Орлова Мария Ивановна"),
    )
    second_pair = await active_pair(sessionmaker, clock, k.mentor, [second])
    reply = await k.mentor.sends("/programme")
    assert reply is not None and "Выберите пару" in reply.text
    assert reply.buttons == ["Петрова Анна Сергеевна", "Орлова Мария Ивановна"]
    reply = await k.mentor.taps("Орлова")
    assert reply is not None and "Наставляемый: Орлова Мария Ивановна" in reply.text
    await k.mentor.taps("Новый педагог в коллективе")
    async with sessionmaker() as session:
        assert await programmes.programme_of(session, second_pair) is not None
        assert await programmes.programme_of(session, k.pair_id) is None


async def test_bad_input_in_the_programme_dialog(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    await k.mentor.sends("/programme")
    template = k.mentor.callback_data("Первый год")
    assert "programme_template:first_year" in template
    await k.mentor.taps("С чистого листа")
    await k.mentor.taps("Цель")
    await k.mentor.sends_photo()
    assert "Здесь нужен текст" in k.mentor.texts()[-2]
    await k.mentor.sends("ц" * 1001)
    assert "Слишком длинно" in k.mentor.texts()[-2]
    assert "не больше 1\xa0000" in k.mentor.texts()[-2]  # Fluent groups thousands
    await k.mentor.sends("   ")
    assert "Ответ пустой" in k.mentor.texts()[-2] and "Цель" in k.mentor.texts()[-1]
    reply = await k.mentor.sends("/cancel")
    assert reply is not None and "Вы вышли из диалога" in reply.text
    reply = await k.mentor.sends("Просто текст")  # no longer in the dialog
    programme, _ = await stored_programme(sessionmaker, k.pair_id)
    assert programme.goal is None
    await k.mentor.sends("/programme")
    await k.mentor.taps("Цель")
    reply = await k.mentor.sends("/plan")  # another command in the middle: it simply runs
    assert reply is not None and "План наставничества" in reply.text
    await k.mentor.sends("/programme")
    goal = k.mentor.callback_data("Цель")
    await k.mentor.presses(template)  # the old screen's button: out of date
    assert k.mentor.was_alerted("кнопка уже не действует")
    await k.mentor.presses(goal.replace("programme_field:goal", "programme_template:contest"))
    assert k.mentor.was_alerted("программа уже есть")
    await k.mentor.presses(goal.replace("goal", "status"))  # a forged field
    assert k.mentor.was_alerted("кнопка уже не действует")
    await k.mentor.presses(goal.replace("goal", "x" * 60))
    assert len(k.mentor.alerts()) == 4
    assert not [text for text in k.mentor.texts() if "что-то пошло не так" in text]


async def test_every_template_fills_a_complete_programme(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    for template in programme_templates.TEMPLATES:
        await k.mentor.sends("/programme")
        await k.mentor.taps(template.title.ru)
        async with sessionmaker() as session, session.begin():
            programme = await programmes.programme_of(session, k.pair_id)
            assert programme is not None and programme.template == template.code
            assert await programmes.missing_parts(session, programme) == []
            for activity in await programmes.activities_of(session, programme.id):
                rules.check_inside_term(activity.due_on, TERM_START, TERM_END)
            await session.delete(programme)  # room for the next template


async def test_a_mentee_who_blocked_the_bot_still_finds_the_programme_in_plan(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    await k.mentor.sends("/programme")
    await k.mentor.taps("Новая образовательная технология")
    app.session.blocked.add(k.mentee.telegram_id)
    await k.mentor.taps("Отправить наставляемому")
    assert "Программа отправлена" in k.mentor.texts()[-1]  # the step succeeds all the same
    assert k.mentee.texts() == []
    # The sender learns that the mentee blocked the bot: the curator is told, once.
    unreachable = [text for text in k.curator.texts() if "Не удаётся доставить" in text]
    assert unreachable == [
        "Не удаётся доставить сообщения: Петрова Анна Сергеевна (наставляемый) "
        "заблокировал(а) бота. Напишите человеку другим способом."
    ]
    programme, _ = await stored_programme(sessionmaker, k.pair_id)
    assert programme.status == ProgrammeStatus.SUBMITTED

    app.session.blocked.clear()  # back again: /plan has the programme and the buttons
    reply = await k.mentee.sends("/plan")
    assert reply is not None and "отправлена наставляемому 25.11.2026" in reply.text
    await k.mentee.taps("Ознакомлен")
    programme, _ = await stored_programme(sessionmaker, k.pair_id)
    assert programme.status == ProgrammeStatus.ACKNOWLEDGED


# --- the dialogs: paging, the calendar, Back, /cancel, a restart, stale and forged buttons -------


async def test_plan_items_page_dates_come_from_a_russian_calendar_and_a_restart_continues(
    app: Harness,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    mentor = k.mentor
    await mentor.sends("/programme")
    await mentor.taps("Родительское собрание")  # 11 items: two pages of the plan
    reply = await mentor.taps("План (11)")
    assert reply is not None and "1. 25.11" in reply.buttons[0] and "9. " not in reply.text
    shown = len(mentor.transcript)
    reply = await mentor.taps(">")  # the next page, in place
    assert reply is not None and any("11. 25.05" in label for label in reply.buttons)
    assert len(mentor.transcript) == shown

    await mentor.taps("Пункт плана")
    reply = await mentor.sends("Экскурсия по саду")
    assert reply is not None and "шаг 2 из 3" in reply.text
    assert "🗓 Ноябрь 2026" in reply.buttons and "Пн" in reply.buttons
    reply = await mentor.taps("« Назад")  # Back: the first step again
    assert reply is not None and "шаг 1 из 3" in reply.text
    await mentor.sends("Экскурсия по саду")
    day = mentor.callback_data("Декабрь 2026 >>")
    forged = (
        day.split("\x1d")[0]
        + "\x1dprogramme_new_due_calendar:"
        + str(int((date(2030, 1, 1) - date(1970, 1, 1)).total_seconds()))
    )
    await mentor.presses(forged)  # a date after the term, from a forged button
    assert mentor.was_alerted("в пределах срока наставничества: с 25.11.2026 по 25.05.2027")
    await mentor.taps("Декабрь 2026 >>")
    reply = await mentor.taps("15")
    assert reply is not None and "шаг 3 из 3" in reply.text

    # the bot restarts: the dialog goes on where it was
    again = Harness(create_dispatcher(settings, sessionmaker, clock=clock), app.session)
    await again.start()
    reply = await again.person(mentor.telegram_id).sends("Знают группу")
    assert reply is not None and "Пункт 12 добавлен: 15.12.2026 — Экскурсия по саду" in reply.text
    _, activities = await stored_programme(sessionmaker, k.pair_id)
    assert (activities[-1].due_on, activities[-1].expected_result) == (
        date(2026, 12, 15),
        "Знают группу",
    )


async def test_an_item_card_after_cancel_and_a_second_mentor_change_nothing(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    mentor = k.mentor
    await mentor.sends("/programme")
    await mentor.taps("Первый год")
    await mentor.taps("План (")
    reply = await mentor.taps("2. ")
    assert reply is not None and "Пункт 2 из" in reply.text
    down = mentor.callback_data("⬇️")
    await mentor.taps("📅 Срок")
    reply = await mentor.sends("01.01.2030")
    assert "в пределах срока наставничества" in mentor.texts()[-2]
    reply = await mentor.taps("К пункту")  # Back to the card, nothing changed
    assert reply is not None and "Пункт 2 из" in reply.text
    before = [
        (a.id, a.position, a.due_on) for a in (await stored_programme(sessionmaker, k.pair_id))[1]
    ]
    await mentor.sends("/cancel")
    await mentor.presses(down)  # the card is gone: a stale button
    assert mentor.alerts()[-1].startswith("Эта кнопка уже не действует")
    after = [
        (a.id, a.position, a.due_on) for a in (await stored_programme(sessionmaker, k.pair_id))[1]
    ]
    assert after == before


async def test_the_mentee_reads_in_pages_and_comments_from_the_programme_dialog(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    await k.mentor.sends("/programme")
    await k.mentor.taps("Новая образовательная технология")
    programme, _ = await stored_programme(sessionmaker, k.pair_id)
    async with sessionmaker() as session, session.begin():
        for number in range(25):
            session.add(
                Activity(
                    programme_id=programme.id,
                    position=100 + number,
                    content=f"Занятие {number}: " + "игровые приёмы " * 30,
                    due_on=date(2027, 3, 1),
                    status=ActivityStatus.OPEN,
                    created_at=clock.now(),
                )
            )
    await k.mentor.sends("/programme")
    await k.mentor.taps("Отправить наставляемому")
    mentee = k.mentee
    await mentee.sends("/start")
    await mentee.presses(ProgCb(action="open", pair_id=k.pair_id).pack())
    reply = mentee.last_reply()
    assert reply is not None and "<b>Цель</b>" in reply.text and "2" in reply.buttons
    reply = await mentee.taps("2")
    assert reply is not None and "Занятие" in reply.text and "<b>Цель</b>" not in reply.text
    await mentee.taps("Попросить изменения")
    await mentee.sends("ы" * 1001)
    assert "Слишком длинно" in mentee.texts()[-2]
    reply = await mentee.taps("« Назад")  # back to the programme, still waiting
    assert reply is not None and "✅ Ознакомлен(а)" in reply.buttons
    await mentee.taps("Попросить изменения")
    reply = await mentee.sends("Меньше занятий, пожалуйста")
    assert "Отправлено наставнику" in mentee.texts()[-2]
    assert reply is not None and "✅ Ознакомлен(а)" not in reply.buttons  # no longer waiting
    programme, _ = await stored_programme(sessionmaker, k.pair_id)
    assert programme.status == ProgrammeStatus.CHANGES_REQUESTED
    assert "Меньше занятий" in k.mentor.texts()[-1]


async def test_the_mentor_reads_the_whole_programme_and_the_mentee_agrees_in_the_dialog(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    k = await kindergarten_with_pair(app, sessionmaker, clock)
    await k.mentor.sends("/programme")
    await k.mentor.taps("Первый год")
    reply = await k.mentor.taps("Вся программа")
    assert reply is not None and "<b>Цель</b>" in reply.text
    assert reply.buttons == ["« К программе"]
    shown = len(k.mentor.transcript)
    await k.mentor.taps("« К программе")  # back to the menu, in place: no new message
    assert len(k.mentor.transcript) == shown
    assert any("📨 Отправить наставляемому" in sent.buttons for sent in k.mentor.transcript)
    await k.mentor.taps("Отправить наставляемому")
    await k.mentee.sends("/start")
    await k.mentee.presses(ProgCb(action="open", pair_id=k.pair_id).pack())
    acknowledge = k.mentee.callback_data("Ознакомлен")
    reply = await k.mentee.taps("Ознакомлен")
    assert reply is not None and "Спасибо" in reply.text
    await k.mentee.presses(acknowledge)  # a double tap: the dialog is closed
    assert k.mentee.alerts()[-1].startswith("Эта кнопка уже не действует")
    assert "Программа согласована" in k.mentor.texts()[-1]
    programme, _ = await stored_programme(sessionmaker, k.pair_id)
    assert programme.status == ProgrammeStatus.ACKNOWLEDGED
