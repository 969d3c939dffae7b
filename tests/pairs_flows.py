"""Steps shared by the pair tests: people with filled profiles, a pair formed through /pair."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Membership, Pair, PairMentee, PairStatus, Profile, Role, User
from tests.flows import MENTEE_ANSWERS, MENTOR_ANSWERS, found_organisation, invite, join
from tests.harness import Harness, Person

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def mentee_answers(name: str, started_on: str = "01.09.2026") -> list[tuple[str, str]]:
    answers = list(MENTEE_ANSWERS)
    answers[0] = ("text", name)
    answers[6] = ("text", started_on)
    return answers


def mentor_answers(name: str) -> list[tuple[str, str]]:
    return [("text", name), *MENTOR_ANSWERS[1:]]


STAFF_ANSWERS = [("text", "Иванова Мария Петровна"), ("tap", "Пропустить")]


class Kindergarten:
    """A kindergarten with its curator and codes to invite mentors and mentees."""

    def __init__(self, app: Harness, curator: Person, mentee_code: str, mentor_code: str):
        self.app = app
        self.curator = curator
        self.mentee_code = mentee_code
        self.mentor_code = mentor_code

    @classmethod
    async def found(cls, app: Harness) -> Kindergarten:
        curator = await found_organisation(app)
        return cls(
            app, curator, await invite(curator, "наставляемый"), await invite(curator, "наставник")
        )

    async def mentee(self, telegram_id: int, name: str, started_on: str = "01.09.2026") -> Person:
        return await join(
            self.app, self.mentee_code, telegram_id, mentee_answers(name, started_on)
        )

    async def mentor(self, telegram_id: int, name: str = "Смирнова Ольга Ивановна") -> Person:
        return await join(self.app, self.mentor_code, telegram_id, mentor_answers(name))

    async def staff(self, telegram_id: int, role_label: str, name: str) -> Person:
        code = await invite(self.curator, role_label)
        return await join(self.app, code, telegram_id, [("text", name), ("tap", "Пропустить")])


async def membership_of(
    sessionmaker: async_sessionmaker[AsyncSession], telegram_id: int, role: Role
) -> Membership:
    async with sessionmaker() as session:
        membership = await session.scalar(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(User.telegram_id == telegram_id, Membership.role == role)
        )
        assert membership is not None
        return membership


async def only_pair(sessionmaker: async_sessionmaker[AsyncSession]) -> Pair:
    async with sessionmaker() as session:
        pairs = list(await session.scalars(select(Pair).order_by(Pair.id.desc())))
        assert pairs, "no pair stored"
        return pairs[0]


async def to_forms(curator: Person, mentee_names: list[str], mentor_name: str) -> None:
    """/pair up to its forms: the mentees ticked, «Далее», the mentor chosen."""
    await curator.sends("/pair")
    for name in mentee_names:
        await curator.taps(name)
    await curator.taps("Далее")
    await curator.taps(mentor_name)


async def propose(
    curator: Person, mentee_names: list[str], mentor_name: str, end_label: str = "6 месяцев"
) -> None:
    """The curator goes through /pair: mentees, mentor, default form, today, an end button."""
    await to_forms(curator, mentee_names, mentor_name)
    await curator.taps("Готово")
    await curator.taps("Сегодня")
    await curator.taps(end_label)
    reply = await curator.taps("Отправить на согласие")
    assert reply is not None and "предложена" in reply.text, reply


async def all_confirm(*people: Person) -> None:
    for person in people:
        before = len(person.texts())
        await person.taps("Подтверждаю")
        assert any("записано" in text for text in person.texts()[before:]), person.texts()[-1]


async def hold_mentees(
    sessionmaker: async_sessionmaker[AsyncSession], mentor_id: int, mentee_ids: list[int]
) -> None:
    """A live pair of the mentor stored directly, to fill the mentor's places."""
    async with sessionmaker() as session:
        mentor = await session.get(Membership, mentor_id)
        assert mentor is not None
        pair = Pair(
            organisation_id=mentor.organisation_id,
            mentor_membership_id=mentor_id,
            status=PairStatus.ACTIVE,
            forms=["traditional"],
            created_at=NOW,
        )
        session.add(pair)
        await session.flush()
        session.add_all(PairMentee(pair_id=pair.id, mentee_membership_id=i) for i in mentee_ids)
        await session.commit()


async def profile_of(
    sessionmaker: async_sessionmaker[AsyncSession], membership_id: int
) -> Profile:
    async with sessionmaker() as session:
        profile = await session.scalar(
            select(Profile).where(Profile.membership_id == membership_id)
        )
        assert profile is not None
        return profile


def forged(person: Person, button: str, widget: str, item: object) -> str:
    """Callback data a client could forge on the dialog screen that shows `button`: the same
    dialog (its intent), another widget item (`widget:item`) than the screen offers."""
    intent = person.callback_data(button).split("\x1d")[0]
    return f"{intent}\x1d{widget}:{item}"
