"""The two final reports as people write and read them: the invitation through the queue when the
curator completes a pair, the mentor's report with the plan's marks pre-filled, the mentee's with
the scale, the cards and the curator's reading screen, the mentor's view of the evaluation as the
organisation chooses; a forged, stale or foreign button, a double tap, an overlong text, a
sticker and /cancel each answered politely, with nothing stored twice or half."""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.reminder_buttons import ReportOpen
from bot.services import final_reports, lifecycle
from bot.services.clock import FrozenClock
from models import (
    Activity,
    ActivityStatus,
    FinalReport,
    Organisation,
    OutboxMessage,
    Pair,
    PairStatus,
    Programme,
    ProgrammeStatus,
    Role,
)
from tests.flows import MENTOR_ANSWERS, invite, join
from tests.harness import Harness, Person
from tests.pairs_fixture import (
    Kindergarten,
    active_pair,
    kindergarten_with_pair,
    membership_of,
)
from tests.test_every_button import APOLOGY, forged, walk
from tests.test_personal_data import dump

STALE = "кнопка уже не действует"
ITEMS = (
    # content, due, done at (None: open)
    ("Посетить занятие наставника", date(2026, 12, 1), datetime(2026, 11, 30, 10, tzinfo=UTC)),
    ("Провести открытое занятие", date(2026, 12, 10), datetime(2026, 12, 15, 10, tzinfo=UTC)),
    ("Выступить на педсовете", date(2027, 1, 20), None),
)


async def with_plan(
    sessionmaker: async_sessionmaker[AsyncSession], garden: Kindergarten
) -> list[int]:
    """A sent programme with an item done on time, one done late and one not done."""
    now = datetime(2026, 11, 25, 9, tzinfo=UTC)
    async with sessionmaker() as session, session.begin():
        programme = Programme(
            pair_id=garden.pair_id,
            status=ProgrammeStatus.ACKNOWLEDGED,
            goal="Адаптация в профессии",
            created_at=now,
            updated_at=now,
            submitted_at=now,
        )
        session.add(programme)
        await session.flush()
        items = [
            Activity(
                programme_id=programme.id,
                position=position,
                content=content,
                due_on=due,
                status=ActivityStatus.DONE if done else ActivityStatus.OPEN,
                done_at=done,
                created_at=now,
            )
            for position, (content, due, done) in enumerate(ITEMS, start=1)
        ]
        session.add_all(items)
        await session.flush()
        return [item.id for item in items]


async def refused(person: Person, data: str, fragment: str = STALE) -> bool:
    """The press is answered with `fragment` (the bot's alerts of every chat are counted)."""
    before = sum(fragment in alert for alert in person.alerts())
    await person.presses(data)
    return sum(fragment in alert for alert in person.alerts()) == before + 1


async def report_of(
    sessionmaker: async_sessionmaker[AsyncSession], person: Person, role: Role
) -> FinalReport:
    async with sessionmaker() as session:
        membership = await membership_of(session, person.telegram_id, role)
        report = await session.scalar(
            select(FinalReport).where(FinalReport.author_membership_id == membership.id)
        )
        assert report is not None
        return report


async def open_card(curator: Person, pair_id: int) -> None:
    await curator.sends("/pairs")
    await curator.taps(f"№ {pair_id} ·")


async def test_both_reports_from_the_invitation_to_the_cards(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    first, second, third = await with_plan(sessionmaker, garden)
    curator, mentor, mentee = garden.curator, garden.mentor, garden.mentee

    # The curator completes the pair: both are invited through the queue, each once.
    await open_card(curator, garden.pair_id)
    await curator.taps("Завершить: программа выполнена")
    await curator.taps("Да, программа выполнена")
    invitation = mentor.texts()[-1]
    assert "заполните итоговый отчёт наставника" in invitation and "05.12.2026" in invitation
    assert mentor.transcript[-1].buttons == ["📝 Заполнить отчёт"]
    assert "оцените работу наставника" in mentee.texts()[-1]
    async with sessionmaker() as session:
        keys = set(
            await session.scalars(
                select(OutboxMessage.key).where(OutboxMessage.key.like("final-report:%"))
            )
        )
        reports = list(await session.scalars(select(FinalReport).order_by(FinalReport.id)))
    assert keys == {f"final-report:{report.id}:invite" for report in reports} and len(keys) == 2

    # The mentor: the plan's marks come pre-filled; one changed, the item not done explained.
    reply = await mentor.taps("Заполнить отчёт")
    assert reply is not None and "Как выполнена программа" in reply.text
    assert "в срок — 1, с опозданием — 1, не выполнено — 1" in reply.text
    assert [b for b in reply.buttons if b[0].isdigit()] == [
        "1. ✅ Посетить занятие наставника",
        "2. ⏰ Провести открытое занятие",
        "3. ❌ Выступить на педсовете",
    ]
    await mentor.taps("2. ⏰")
    reply = await mentor.taps("Выполнен в срок")
    assert reply is not None and "в срок — 2, с опозданием — 0" in reply.text
    reply = await mentor.taps("Далее")  # the item not done has no reason yet: asked for one
    assert reply is not None and "«Выступить на педсовете» не выполнен" in reply.text
    await mentor.sends_sticker()  # the answer, then the step again below it
    assert "Здесь нужен текст" in mentor.texts()[-2] and "почему" in mentor.texts()[-1]
    await mentor.sends("Очень длинная причина. " * 30)
    assert "от 1 до 500 знаков" in mentor.texts()[-2]
    reply = await mentor.sends("Педсовет перенесли на февраль")
    assert reply is not None and "Результаты наставляемого" in reply.text
    reply = await mentor.taps("Назад")  # Back: the marks, as they were left
    assert reply is not None and "не выполнено — 1" in reply.text
    await mentor.taps("Далее")
    await mentor.sends("Я" * (final_reports.TEXT_LIMIT + 1))
    assert "от 1 до 2\xa0000 знаков" in mentor.texts()[-2]
    await mentor.sends("Провела открытое занятие, подготовила собрание")
    reply = await mentor.sends("Участвовать в конкурсе молодых педагогов")
    assert reply is not None and "Проверьте отчёт" in reply.text
    assert "Педсовет перенесли на февраль" in reply.text and "Провела открытое" in reply.text
    assert (await report_of(sessionmaker, mentor, Role.MENTOR)).submitted_at is None  # not yet
    submit = mentor.callback_data("Отправить отчёт")
    reply = await mentor.taps("Отправить отчёт")
    assert reply is not None and "отчёт по паре" in reply.text and "отправлен" in reply.text
    assert await refused(mentor, submit)  # a double tap
    report = await report_of(sessionmaker, mentor, Role.MENTOR)
    assert report.submitted_at is not None
    assert report.fulfilment == {
        str(first): {"mark": "done"},
        str(second): {"mark": "done"},
        str(third): {"mark": "not_done", "reason": "Педсовет перенесли на февраль"},
    }
    assert report.results == "Провела открытое занятие, подготовила собрание"
    assert report.recommendations == "Участвовать в конкурсе молодых педагогов"

    # The mentee: texts, one skipped, the scale one tap a criterion, a comment.
    await mentee.taps("Заполнить отчёт")
    await mentee.sends("Спокойно и по плану")
    reply = await mentee.sends("Открытые занятия наставника")
    assert reply is not None and "Чего не хватало" in reply.text
    reply = await mentee.taps("Пропустить")
    assert reply is not None and "(1 из 5)" in reply.text and "находил(а) время" in reply.text
    await mentee.sends("5")  # a typed number: the buttons, please
    assert "нажать кнопку" in mentee.texts()[-2]
    for score in ("5", "4"):
        await mentee.taps(score)
    reply = await mentee.taps("Назад")  # back to the second criterion, its score shown
    assert reply is not None and "(2 из 5)" in reply.text and "✔️ 4" in reply.buttons
    for score in ("3", "5", "4", "5"):
        reply = await mentee.taps(score)
    assert reply is not None and "Комментарий к оценке" in reply.text
    reply = await mentee.sends("Спасибо за поддержку!")
    assert reply is not None and "Средняя оценка: 4,4" in reply.text
    await mentee.taps("Отправить отчёт")
    report = await report_of(sessionmaker, mentee, Role.MENTEE)
    assert report.submitted_at is not None and report.missing is None
    assert report.evaluation == {
        "availability": 5,
        "competence": 3,
        "support": 5,
        "feedback": 4,
        "results": 5,
    }
    assert (report.how_it_went, report.helped, report.comment) == (
        "Спокойно и по плану",
        "Открытые занятия наставника",
        "Спасибо за поддержку!",
    )

    # The pair's card shows both, and the curator reads them whole.
    await open_card(curator, garden.pair_id)
    card = curator.texts()[-1]
    assert (
        "Итоговые отчёты" in card and "Смирнова О. И. (наставник) — отправлен 25.11.2026" in card
    )
    reply = await curator.taps("📝 Отчёты")
    assert reply is not None
    for fragment in ("Отчёт наставника", "Педсовет перенесли", "Оценка наставника", "4,4"):
        assert fragment in reply.text, fragment
    reply = await curator.taps("К паре")
    assert reply is not None and "Итоговые отчёты" in reply.text and "📝 Отчёты" in reply.buttons

    # The person's card: the bank for the curator, /profile for themselves.
    await curator.sends("/bank")
    await curator.taps("Петрова")
    reply = await curator.taps("📝 Отчёты")
    assert reply is not None and "Спокойно и по плану" in reply.text
    assert "Педсовет" not in reply.text  # only this person's report
    reply = await mentee.sends("/profile")
    assert reply is not None and f"Пара № {garden.pair_id} — отправлен" in reply.text

    # The mentor sees the evaluation only when the organisation shows mentors their ratings.
    reply = await mentor.sends("/final_report")
    assert reply is not None and "Отчёт наставника" in reply.text
    assert "Как вас оценил" not in reply.text and "Спасибо за поддержку" not in reply.text
    assert "Отправить" not in " ".join(reply.buttons)  # read, never sent again
    await curator.sends("/settings")
    await curator.taps("Включить: рейтинг для наставников")
    reply = await mentor.sends("/final_report")
    assert reply is not None and "Как вас оценил наставляемый" in reply.text
    assert "Спасибо за поддержку" in reply.text
    reply = await curator.sends("/ratings")  # a decimal comma on a Russian screen
    assert reply is not None
    assert re.search(r"оценка \d,\d,", reply.text), reply.text


async def test_foreign_forged_and_stale_buttons_and_cancel_keep_nothing(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    mentee = garden.mentee
    reply = await mentee.sends("/final_report")  # nothing yet: said politely
    assert reply is not None and "нет итоговых отчётов" in reply.text
    async with sessionmaker() as session, session.begin():
        pair = await session.get(Pair, garden.pair_id)
        assert pair is not None
        await lifecycle.complete(
            session, pair.id, pair.organisation_id, actor_membership_id=None, now=clock.now()
        )
        assert pair.status == PairStatus.COMPLETED

    # /cancel in the middle: nothing of what was typed is kept.
    await mentee.sends("/final_report")
    await mentee.sends("Половина ответа")
    await mentee.sends("/cancel")
    report = await report_of(sessionmaker, mentee, Role.MENTEE)
    assert report.how_it_went is None and report.submitted_at is None
    await mentee.presses(ReportOpen(pair_id=garden.pair_id).pack())
    reply = mentee.last_reply()
    assert reply is not None and "Как проходило наставничество" in reply.text
    assert "Половина ответа" not in reply.text

    # A forged pair id, and the curator (not a participant), get the polite answer.
    assert await refused(mentee, ReportOpen(pair_id=garden.pair_id + 1000).pack())
    # The curator (an administrator too: the flag grants no pair's role): not their report.
    assert await refused(
        garden.curator, ReportOpen(pair_id=garden.pair_id).pack(), "недоступно в вашей роли"
    )

    # The desk's reading screen is a button of the curator's own dialog: the mentee pressing
    # it gets the polite answer and reads nothing.
    await open_card(garden.curator, garden.pair_id)
    reports = garden.curator.callback_data("📝 Отчёты")
    assert await refused(mentee, reports)
    assert not any("Отчёт наставника" in text for text in mentee.texts())

    # A mentor of another organisation pressing this pair's button.
    await garden.curator.sends("/neworg")
    await garden.curator.sends("МБДОУ «Детский сад № 7»")
    await garden.curator.sends("Д/с № 7")
    await garden.curator.taps("Москва")
    await garden.curator.taps("Я сам")
    stranger = await join(app, await invite(garden.curator, "наставник"), 602, MENTOR_ANSWERS)
    assert await refused(stranger, ReportOpen(pair_id=garden.pair_id).pack())
    assert not any("Итоговый отчёт" in text for text in stranger.texts())
    async with sessionmaker() as session:
        sent = await session.scalar(
            select(func.count())
            .select_from(FinalReport)
            .where(FinalReport.submitted_at.is_not(None))
        )
        organisations = await session.scalar(select(func.count()).select_from(Organisation))
    assert sent == 0 and organisations == 2


async def sent_reports(
    sessionmaker: async_sessionmaker[AsyncSession], garden: Kindergarten, clock: FrozenClock
) -> None:
    """The pair completed and both reports sent, with texts by and about both people."""
    async with sessionmaker() as session, session.begin():
        pair = await session.get(Pair, garden.pair_id)
        assert pair is not None
        await lifecycle.complete(
            session, pair.id, pair.organisation_id, actor_membership_id=None, now=clock.now()
        )
        await session.flush()
        items = await final_reports.plan_items(session, pair)
        for report in await final_reports.reports_of_pair(session, pair.id):
            if report.role == final_reports.MENTOR:
                await final_reports.submit_mentor_report(
                    session,
                    report,
                    fulfilment={
                        str(item.activity_id): {"mark": "not_done", "reason": "Анна болела"}
                        for item in items
                    },
                    results="Анна освоила игровые технологии",
                    recommendations="Анне пройти курсы",
                    now=clock.now(),
                )
            else:
                await final_reports.submit_mentee_report(
                    session,
                    report,
                    how_it_went="С Ольгой Ивановной было легко",
                    helped="Разборы занятий",
                    missing="Времени",
                    evaluation={"support": 5},
                    comment="Ольга Ивановна лучшая",
                    now=clock.now(),
                )


REPORT_SECRETS = (
    "Анна болела",
    "Анна освоила игровые технологии",
    "Анне пройти курсы",
    "С Ольгой Ивановной было легко",
    "Разборы занятий",
    "Ольга Ивановна лучшая",
)


@pytest.mark.parametrize("who", ["mentee", "mentor"])
async def test_withdrawal_erases_the_reports_of_and_about_the_person(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock, who: str
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    await with_plan(sessionmaker, garden)
    await sent_reports(sessionmaker, garden, clock)
    person = garden.mentee if who == "mentee" else garden.mentor
    await person.sends("/privacy")
    await person.taps("Выгрузить")
    files = {m.document_name: m.document or b"" for m in person.transcript if m.document}
    readable = files["nastavnik-my-data.txt"].decode()
    assert "Итоговые отчёты" in readable  # the copy holds the report they wrote
    own = REPORT_SECRETS[3:] if who == "mentee" else REPORT_SECRETS[:3]
    assert all(secret in readable for secret in own)

    await person.sends("/privacy")
    await person.taps("Отозвать согласие")
    await person.taps("Да, отозвать")
    values = await dump(sessionmaker)
    for value in values:
        for secret in REPORT_SECRETS:  # theirs, and the other side's about them
            assert secret not in str(value), (secret, value)
    async with sessionmaker() as session:
        reports = list(await session.scalars(select(FinalReport)))
    assert len(reports) == 2  # the rows stay, emptied, for the statistics
    assert all(
        r.submitted_at is not None and not r.evaluation and not r.fulfilment for r in reports
    )


@pytest.mark.parametrize("role", [Role.MENTOR, Role.MENTEE])
async def test_every_report_button_twice_then_stale_then_forged(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    caplog: pytest.LogCaptureFixture,
    role: Role,
) -> None:
    """tests/test_every_button.py's walk over the report dialogs (the menus' walk meets no
    ended pair): no double tap, stale or forged button reaches the error handler."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    await with_plan(sessionmaker, garden)
    async with sessionmaker() as session, session.begin():
        pair = await session.get(Pair, garden.pair_id)
        assert pair is not None
        await lifecycle.complete(
            session, pair.id, pair.organisation_id, actor_membership_id=None, now=clock.now()
        )
    person = garden.mentor if role == Role.MENTOR else garden.mentee
    caplog.set_level(logging.ERROR, logger="nastavnik.errors")
    if role == Role.MENTEE:  # its first steps are typed: on to the buttons of the scale
        await person.sends("/final_report")
        await person.sends("Хорошо")
        await person.sends("Разборы занятий")
    walked = await walk(person, "help" if role == Role.MENTEE else "final_report", set(), [60])
    await person.sends("/cancel")
    assert len(walked) > 5
    for data in walked:
        await person.presses(data)
    await forged(person, walked)
    failures = [r.getMessage() for r in caplog.records if r.name == "nastavnik.errors"]
    assert [t for t in person.texts() if APOLOGY in t] == [] and failures == []
    report = await report_of(sessionmaker, person, role)
    if role == Role.MENTOR:  # nothing typed: nothing could be sent
        assert report.submitted_at is None and report.results is None
    else:  # typed answers, then every tap: sent once, whole
        assert report.submitted_at is not None and len(report.evaluation) == 5


async def test_several_reports_are_listed_open_first(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock, mentees=2)
    second = await active_pair(sessionmaker, clock, garden.mentor, [garden.mentees[1]])
    async with sessionmaker() as session, session.begin():
        for pair_id in (garden.pair_id, second):
            await lifecycle.complete(
                session, pair_id, garden_organisation(await session.get(Pair, pair_id)),
                actor_membership_id=None, now=clock.now(),
            )  # fmt: skip
    mentor = garden.mentor
    reply = await mentor.sends("/final_report")
    assert reply is not None and "Мои итоговые отчёты" in reply.text
    assert reply.buttons == [
        f"📝 Пара № {second} · заполнить до 05.12.2026",
        f"📝 Пара № {garden.pair_id} · заполнить до 05.12.2026",
        "Закрыть",
    ]
    reply = await mentor.taps(f"Пара № {garden.pair_id}")
    assert reply is not None and f"пара № {garden.pair_id}" in reply.text
    assert "Как выполнена программа" in reply.text
    await mentor.sends("/final_report")  # another's report id in the list's button
    pick = mentor.callback_data(f"Пара № {second}")
    theirs = await report_of(sessionmaker, garden.mentee, Role.MENTEE)  # a mentee's report
    forged_pick = pick.rsplit(":", 1)[0] + f":{theirs.id}"
    assert forged_pick != pick and await refused(mentor, forged_pick)


def garden_organisation(pair: Pair | None) -> int:
    assert pair is not None
    return pair.organisation_id


def test_a_report_asks_its_questions_and_only_some_may_stay_blank() -> None:
    """The first required answer missing is found (the dialog goes back to it); the scores are
    read from the answers by criterion."""
    asks = final_reports.questions(final_reports.MENTEE)
    answers = {"how_it_went": "Хорошо", "helped": "Встречи", "score_availability": 5}
    assert final_reports.first_unanswered(asks, answers) == asks.index("score_competence")
    whole = answers | {f"score_{c}": 4 for c in final_reports.EVALUATION_CRITERIA[1:]}
    assert final_reports.first_unanswered(asks, whole) is None  # missing and comment: optional
    assert final_reports.evaluation_of(whole) == {"availability": 5} | dict.fromkeys(
        final_reports.EVALUATION_CRITERIA[1:], 4
    )
    mentor = final_reports.questions(final_reports.MENTOR)
    assert final_reports.first_unanswered(mentor, {"results": "Да"}) == 1
