"""The yearly analytical report against a known data set: the test builds the data, makes the
DOCX and reads it back (figures, programmes ended with reasons, ratings, places to sign)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from docx import Document
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from bot.services.statistics import Period, figures
from bot.services.yearly_report import build, collect
from models import (
    Activity,
    ActivityStatus,
    FinalReport,
    HelpRequest,
    HelpStatus,
    Meeting,
    MembershipStatus,
    Organisation,
    Pair,
    PairMentee,
    PairStatus,
    Profile,
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


async def acknowledged_programme(
    session: AsyncSession, pair_id: int, now: datetime, plan: list[tuple[date, datetime | None]]
) -> None:
    """The pair's programme, read by the mentee, with its plan: (due on, done at) an item."""
    programme = Programme(
        pair_id=pair_id, status=ProgrammeStatus.ACKNOWLEDGED, created_at=now, updated_at=now
    )
    session.add(programme)
    await session.flush()
    for position, (due_on, done_at) in enumerate(plan):
        session.add(
            Activity(
                programme_id=programme.id,
                position=position,
                content=f"Мероприятие {position + 1}",
                due_on=due_on,
                status=ActivityStatus.DONE if done_at else ActivityStatus.OPEN,
                done_at=done_at,
                created_at=now,
            )
        )


async def test_the_report_shows_the_year_as_the_data_has_it(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock, mentees=2)
    async with sessionmaker() as session, session.begin():
        pair = await session.get(Pair, garden.pair_id)
        assert pair is not None
        plan = [  # due on, done at: two on time, one overdue
            (date(2027, 1, 15), moment(date(2027, 1, 14))),
            (date(2027, 2, 15), moment(date(2027, 2, 15), 15)),
            (date(2027, 3, 15), None),
        ]
        await acknowledged_programme(session, pair.id, clock.now(), plan)
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


async def test_the_years_figures_count_each_person_and_item_once_in_its_own_year(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """A mentee in two pairs, a pair ended early, one who withdrew, a teacher of long standing
    who joined the bot this year, a programme across two school years, and a year with nobody."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock, mentees=3)
    async with sessionmaker() as session, session.begin():
        pair = await session.get(Pair, garden.pair_id)
        assert pair is not None
        organisation = await session.get(Organisation, pair.organisation_id)
        assert organisation is not None
        anna, darya, irina = [
            await membership_of(session, person.telegram_id, Role.MENTEE)
            for person in garden.mentees
        ]
        darya.status = MembershipStatus.WITHDRAWN  # came this year, did not stay
        profile = await session.scalar(select(Profile).where(Profile.membership_id == irina.id))
        assert profile is not None
        profile.started_on = date(2019, 9, 1)  # works here since 2019: she did not come now
        # Anna is in a second pair too, with the same mentor, ended early in February.
        second = Pair(
            organisation_id=organisation.id,
            mentor_membership_id=pair.mentor_membership_id,
            status=PairStatus.ENDED_EARLY,
            end_reason="transferred",
            forms=["traditional"],
            starts_on=date(2026, 12, 1),
            ends_on=date(2027, 6, 1),
            activated_at=moment(date(2026, 12, 1)),
            ended_at=moment(date(2027, 2, 1)),
            created_at=moment(date(2026, 12, 1)),
        )
        session.add(second)
        await session.flush()
        session.add(PairMentee(pair_id=second.id, mentee_membership_id=anna.id))
        # The group's programme runs into the next school year: each item counts in its year.
        plan = [  # due on, done at
            (date(2027, 1, 15), moment(date(2027, 1, 14))),  # on time, this year
            (date(2027, 3, 1), None),  # overdue, this year
            (date(2027, 10, 1), None),  # overdue, but in the next year
        ]
        await acknowledged_programme(session, pair.id, clock.now(), plan)
        # The pair ended early in February: its item due in March was never to be done.
        await acknowledged_programme(session, second.id, clock.now(), [(date(2027, 3, 15), None)])
        # Anna's evaluation of the mentor: 4.5 on average, as the rating should show it.
        session.add(
            FinalReport(
                pair_id=second.id,
                author_membership_id=anna.id,
                role=Role.MENTEE,
                due_on=date(2027, 2, 11),
                evaluation={"availability": 5, "competence": 4, "support": 5, "feedback": 4},
                submitted_at=moment(date(2027, 2, 5)),
                created_at=moment(date(2027, 2, 1)),
            )
        )

    today = date(2027, 11, 1)  # the report on the year just over
    async with sessionmaker() as session:
        year = await figures(session, organisation, PERIOD, today)
        next_year = await figures(
            session, organisation, Period(date(2027, 9, 1), date(2028, 8, 31)), today
        )
        before = await figures(session, organisation, PERIOD.year_before(), today)
        data = await collect(session, organisation, PERIOD, today, "ru")
        nobody = await collect(session, organisation, PERIOD.year_before(), today, "ru")
    assert year.staff == 4  # the curator, the mentor, Anna, Irina (Darya withdrew)
    assert year.in_programmes == 3  # Anna once, though in two pairs
    assert (year.completed, year.ended_early) == (0, {"transferred": 1})
    assert (year.activities_done_on_time, year.activities_overdue) == (1, 1)
    assert (year.young_specialists_came, year.young_specialists_stayed) == (2, 1)
    assert (next_year.activities_done_on_time, next_year.activities_overdue) == (0, 1)
    assert next_year.in_programmes == 3 and next_year.young_specialists_came == 0
    # The year before the bot: nobody on the staff yet, nothing to divide by.
    assert (before.staff, before.in_programmes, before.people_by_role) == (0, 0, {})
    assert before.young_specialists_came == 0
    assert [rating.evaluation for rating in data.ratings] == [4.5]

    core = app.i18n_core()

    def label(key: str, **args: object) -> str:
        return str(core.get(key, "ru", **args))

    for collected, share in ((data, "75 %"), (nobody, "—")):
        document = Document(io.BytesIO(build(collected, label)))
        cells = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
        assert cells["Доля педагогов, вовлечённых в программы наставничества"] == share
    assert cells["Педагогических работников в организации"] == "0"
