"""An active pair put straight into the database, for tests of what happens inside a pair.

Forming pairs has its own dialog and tests; the programme and meeting tests start from a pair
that is already approved and active, between people who joined through the real onboarding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services import final_reports
from bot.services.clock import FrozenClock
from models import (
    Activity,
    ActivityStatus,
    FinalReport,
    Membership,
    Pair,
    PairMentee,
    PairStatus,
    Programme,
    ProgrammeStatus,
    Role,
    User,
)
from tests.flows import MENTEE_ANSWERS, MENTOR_ANSWERS, found_organisation, invite, join
from tests.harness import Harness, Person

TERM_START = date(2026, 11, 25)  # the test clock's day
TERM_END = date(2027, 5, 25)


def named(answers: list[tuple[str, str]], full_name: str) -> list[tuple[str, str]]:
    return [("text", full_name), *answers[1:]]


async def membership_of(session: AsyncSession, telegram_id: int, role: Role) -> Membership:
    membership = await session.scalar(
        select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(User.telegram_id == telegram_id, Membership.role == role)
    )
    assert membership is not None, f"no {role} membership of {telegram_id}"
    return membership


async def mentee_reports(
    sessionmaker: async_sessionmaker[AsyncSession],
    mentee: Person,
    due_on: date,
    now: datetime,
    support: int = 5,
) -> None:
    """The mentee sends her final report (due `due_on`), kindly worded."""
    async with sessionmaker() as session, session.begin():
        member = await membership_of(session, mentee.telegram_id, Role.MENTEE)
        report = await session.scalar(
            select(FinalReport).where(FinalReport.author_membership_id == member.id)
        )
        assert report is not None and report.due_on == due_on
        await final_reports.submit_mentee_report(
            session,
            report,
            how_it_went="Хорошо",
            helped="Открытые занятия",
            missing=None,
            evaluation={"competence": 5, "support": support},
            comment=None,
            now=now,
        )


async def active_pair(
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    mentor: Person,
    mentees: list[Person],
    starts_on: date = TERM_START,
    ends_on: date = TERM_END,
) -> int:
    """An approved, active pair (a group when several mentees); returns its id."""
    async with sessionmaker() as session, session.begin():
        mentor_membership = await membership_of(session, mentor.telegram_id, Role.MENTOR)
        pair = Pair(
            organisation_id=mentor_membership.organisation_id,
            mentor_membership_id=mentor_membership.id,
            status=PairStatus.ACTIVE,
            forms=["traditional"] if len(mentees) == 1 else ["group"],
            starts_on=starts_on,
            ends_on=ends_on,
            approved_at=clock.now(),
            activated_at=clock.now(),
            created_at=clock.now(),
        )
        session.add(pair)
        await session.flush()
        for mentee in mentees:
            membership = await membership_of(session, mentee.telegram_id, Role.MENTEE)
            session.add(PairMentee(pair_id=pair.id, mentee_membership_id=membership.id))
        return pair.id


@dataclass
class Kindergarten:
    curator: Person
    mentor: Person
    mentees: list[Person]
    pair_id: int

    @property
    def mentee(self) -> Person:
        return self.mentees[0]


MENTEE_NAMES = ("Петрова Анна Сергеевна", "Кузнецова Дарья Олеговна", "Васильева Ирина Петровна")


async def kindergarten_with_pair(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    mentees: int = 1,
) -> Kindergarten:
    """A kindergarten whose mentor (601) has one active pair with mentees 501, 502, ..."""
    curator = await found_organisation(app)
    mentor_code = await invite(curator, "наставник")
    mentee_code = await invite(curator, "наставляемый")
    mentor = await join(app, mentor_code, 601, MENTOR_ANSWERS)
    people = [
        await join(app, mentee_code, 501 + index, named(MENTEE_ANSWERS, MENTEE_NAMES[index]))
        for index in range(mentees)
    ]
    pair_id = await active_pair(sessionmaker, clock, mentor, people)
    for person in (curator, mentor, *people):
        person.forget()
    return Kindergarten(curator, mentor, people, pair_id)


async def with_plan(
    sessionmaker: async_sessionmaker[AsyncSession],
    garden: Kindergarten,
    now: datetime,
    items: list[tuple[str, date]],
    ends_on: date | None = None,
) -> list[int]:
    """A sent programme with `items` (content, due date); the term ends on `ends_on`."""
    async with sessionmaker() as session, session.begin():
        pair = await session.get(Pair, garden.pair_id)
        assert pair is not None
        if ends_on is not None:
            pair.ends_on = ends_on
        programme = Programme(
            pair_id=pair.id,
            status=ProgrammeStatus.SUBMITTED,
            created_at=now,
            updated_at=now,
            submitted_at=now,
        )
        session.add(programme)
        await session.flush()
        rows = [
            Activity(
                programme_id=programme.id,
                position=position,
                content=content,
                due_on=due,
                status=ActivityStatus.OPEN,
                created_at=now,
            )
            for position, (content, due) in enumerate(items, start=1)
        ]
        session.add_all(rows)
        await session.flush()
        return [row.id for row in rows]
