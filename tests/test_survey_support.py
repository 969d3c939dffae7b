"""Helpers for the questionnaire tests (no tests here): a kindergarten, launching, answering."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import (
    Membership,
    MembershipStatus,
    Organisation,
    Pair,
    PairMentee,
    PairStatus,
    Profile,
    QuestionnaireVersion,
    Role,
    SurveyAnswer,
    SurveyResponse,
    User,
)
from tests.flows import MENTEE_ANSWERS, MENTOR_ANSWERS, found_organisation, invite, join
from tests.harness import Harness, Person

Step = tuple[str, str]  # ("tap", button fragment) or ("text", message)


@dataclass
class Kindergarten:
    curator: Person
    mentees: list[Person]
    mentor: Person


def named(answers: list[Step], name: str) -> list[Step]:
    return [("text", name), *answers[1:]]


async def kindergarten(app: Harness, mentees: int = 2) -> Kindergarten:
    """A curator (the administrator), mentees and one mentor, all with completed profiles."""
    curator = await found_organisation(app)
    mentee_code = await invite(curator, "наставляемый")
    mentor_code = await invite(curator, "наставник")
    names = ["Петрова Анна Сергеевна", "Иванова Мария Петровна", "Сидорова Елена Ивановна"]
    people = [
        await join(app, mentee_code, 501 + number, named(MENTEE_ANSWERS, names[number]))
        for number in range(mentees)
    ]
    mentor = await join(app, mentor_code, 601, MENTOR_ANSWERS)
    return Kindergarten(curator, people, mentor)


async def launch(curator: Person, title: str, audience: str, deadline: str = "Неделя") -> None:
    """The curator sends a questionnaire from /surveys, as a person would."""
    await curator.sends("/surveys")
    await curator.taps("Запустить анкету")
    await curator.taps(title)
    await curator.taps(audience)
    await curator.taps(deadline)
    await curator.taps("🚀 Запустить")


async def answer(person: Person, steps: list[Step]) -> None:
    for kind, value in steps:
        if kind == "text":
            await person.sends(value)
        else:
            await person.taps(value)


async def make_pair(
    sessionmaker: async_sessionmaker[AsyncSession], status: PairStatus = PairStatus.ACTIVE
) -> int:
    """The mentor with every mentee of the organisation, written straight into the database."""
    async with sessionmaker() as session:
        mentor = await session.scalar(select(Membership).where(Membership.role == Role.MENTOR))
        assert mentor is not None
        mentees = (
            await session.scalars(
                select(Membership).where(Membership.role == Role.MENTEE).order_by(Membership.id)
            )
        ).all()
        pair = Pair(
            organisation_id=mentor.organisation_id,
            mentor_membership_id=mentor.id,
            status=status,
            created_at=datetime.now(UTC),
        )
        session.add(pair)
        await session.flush()
        session.add_all(PairMentee(pair_id=pair.id, mentee_membership_id=m.id) for m in mentees)
        await session.commit()
        return pair.id


async def answers_of(
    sessionmaker: async_sessionmaker[AsyncSession], response_id: int
) -> dict[str, list[SurveyAnswer]]:
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(SurveyAnswer)
            .where(SurveyAnswer.response_id == response_id)
            .order_by(SurveyAnswer.id)
        )
        found: dict[str, list[SurveyAnswer]] = {}
        for row in rows:
            found.setdefault(row.question_id, []).append(row)
        return found


async def response_of(
    sessionmaker: async_sessionmaker[AsyncSession], telegram_id: int, code: str | None = None
) -> SurveyResponse:
    """The newest response of the person with this Telegram id."""
    async with sessionmaker() as session:
        query = (
            select(SurveyResponse)
            .join(Membership, Membership.id == SurveyResponse.membership_id)
            .join(User, User.id == Membership.user_id)
            .join(
                QuestionnaireVersion,
                QuestionnaireVersion.id == SurveyResponse.questionnaire_version_id,
            )
            .where(User.telegram_id == telegram_id)
            .order_by(SurveyResponse.id.desc())
        )
        if code is not None:
            query = query.where(QuestionnaireVersion.code == code)
        response = await session.scalar(query.limit(1))
        assert response is not None
        return response


async def organisation_with_people(
    session: AsyncSession, now: datetime, people: int, role: Role = Role.MENTEE
) -> tuple[int, list[int]]:
    """An organisation and `people` active members, straight into the database."""
    organisation = Organisation(
        name="Детский сад № 9", short_name="Д/с № 9", timezone="Europe/Moscow", created_at=now
    )
    session.add(organisation)
    await session.flush()
    ids = []
    for number in range(people):
        user = User(telegram_id=900_000 + number, language="ru", created_at=now)
        session.add(user)
        await session.flush()
        membership = Membership(
            user_id=user.id,
            organisation_id=organisation.id,
            role=role,
            status=MembershipStatus.ACTIVE,
            joined_at=now,
        )
        session.add(membership)
        await session.flush()
        session.add(
            Profile(
                membership_id=membership.id,
                full_name=f"Участница Номер {number + 1}",
                skipped=[],
                updated_at=now,
            )
        )
        ids.append(membership.id)
    await session.flush()
    return organisation.id, ids
