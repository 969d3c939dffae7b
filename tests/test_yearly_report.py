"""The yearly analytical report against a known data set: the test builds the data, makes the
DOCX and reads it back (figures, programmes ended with reasons, ratings, places to sign)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from docx import Document
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from bot.services.statistics import Period
from bot.services.yearly_report import build, collect
from models import (
    Activity,
    ActivityStatus,
    HelpRequest,
    HelpStatus,
    Meeting,
    Organisation,
    Pair,
    PairStatus,
    Programme,
    ProgrammeStatus,
    Role,
)
from tests.harness import Harness
from tests.pairs_fixture import MENTEE_NAMES, kindergarten_with_pair, membership_of

PERIOD = Period(date(2026, 9, 1), date(2027, 8, 31))
TODAY = date(2027, 6, 1)


def moment(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


async def test_the_report_shows_the_year_as_the_data_has_it(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock, mentees=2)
    async with sessionmaker() as session, session.begin():
        pair = await session.get(Pair, garden.pair_id)
        assert pair is not None
        programme = Programme(
            pair_id=pair.id,
            status=ProgrammeStatus.ACKNOWLEDGED,
            created_at=clock.now(),
            updated_at=clock.now(),
        )
        session.add(programme)
        await session.flush()
        plan = [  # due on, done at: two on time, one overdue
            (date(2027, 1, 15), moment(date(2027, 1, 14))),
            (date(2027, 2, 15), moment(date(2027, 2, 15), 15)),
            (date(2027, 3, 15), None),
        ]
        for position, (due_on, done_at) in enumerate(plan):
            session.add(
                Activity(
                    programme_id=programme.id,
                    position=position,
                    content=f"Мероприятие {position + 1}",
                    due_on=due_on,
                    status=ActivityStatus.DONE if done_at else ActivityStatus.OPEN,
                    done_at=done_at,
                    created_at=clock.now(),
                )
            )
        session.add(
            Meeting(
                pair_id=pair.id,
                held_on=date(2027, 1, 20),
                format="in_person",
                duration_minutes=45,
                created_at=clock.now(),
            )
        )
        pair.status = PairStatus.ENDED_EARLY
        pair.end_reason = "transferred"
        pair.ended_at = moment(date(2027, 5, 20))
        organisation = await session.get(Organisation, pair.organisation_id)
        assert organisation is not None
        mentee = await membership_of(session, garden.mentee.telegram_id, Role.MENTEE)
        session.add(
            HelpRequest(
                organisation_id=organisation.id,
                mentee_membership_id=mentee.id,
                pair_id=pair.id,
                status=HelpStatus.CLOSED,
                created_at=moment(date(2027, 2, 1), 10),
                answered_at=moment(date(2027, 2, 1), 10, 30),
            )
        )

    core = app.i18n_core()

    def label(key: str, **args: object) -> str:
        return str(core.get(key, "ru", **args))

    async with sessionmaker() as session:
        data = await collect(session, organisation, PERIOD, TODAY, "ru")
    document = Document(io.BytesIO(build(data, label)))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    cells = {
        row.cells[0].text: row.cells[1].text for table in document.tables[:1] for row in table.rows
    }
    assert "Итоговый аналитический отчёт" in text
    assert "01.09.2026" in text and "31.08.2027" in text
    assert cells["Педагогических работников в организации"] == "4"  # curator, mentor, 2 mentees
    assert cells["Доля педагогов, вовлечённых в программы наставничества"] == "75 %"
    assert cells["Программ завершено досрочно"] == "1"
    assert cells["Доля мероприятий плана, выполненных в срок"] == "67 %"
    assert cells["Мероприятий плана просрочено"] == "1"
    assert cells["Встреч наставников и наставляемых"] == "1"
    assert cells["Обращений за ситуативной помощью"] == "1"
    assert cells["Среднее (медианное) время до ответа наставника"] == "30 мин"
    assert cells["Доля наставников, прошедших обучение"] == "____________"  # filled by hand
    assert "перевод на другую должность или в другое подразделение: 1" in text
    ratings = document.tables[-1]
    assert ratings.rows[0].cells[1].text == "Наставник"
    assert ratings.rows[1].cells[0].text == "1" and ratings.rows[1].cells[3].text == "67 %"
    assert "Куратор системы наставничества" in text and "Заведующий" in text
    assert MENTEE_NAMES[0] not in text  # the report names mentors, not mentees
