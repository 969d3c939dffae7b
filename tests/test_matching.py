"""Ranking mentors for mentees: the match and its reasons, and the filters the database applies
(organisation, consent, capacity) so that nobody who cannot take the mentees is offered."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services import matching
from models import (
    Membership,
    MembershipStatus,
    Organisation,
    Pair,
    PairMentee,
    PairStatus,
    Profile,
    Role,
    User,
)
from tests.pairs_flows import NOW

_telegram_ids = itertools.count(10_000)


async def organisation(session: AsyncSession, name: str = "Д/с № 5") -> int:
    org = Organisation(name=name, short_name=name, timezone="Europe/Moscow", created_at=NOW)
    session.add(org)
    await session.flush()
    return org.id


async def member(
    session: AsyncSession,
    organisation_id: int,
    role: Role,
    user: User | None = None,
    **profile: Any,
) -> int:
    if user is None:
        user = User(telegram_id=next(_telegram_ids), created_at=NOW)
        session.add(user)
        await session.flush()
    membership = Membership(
        user_id=user.id,
        organisation_id=organisation_id,
        role=role,
        status=MembershipStatus.ACTIVE,
        joined_at=NOW,
    )
    session.add(membership)
    await session.flush()
    if role is Role.MENTOR:
        profile.setdefault("mentor_consent_at", NOW)
    session.add(Profile(membership_id=membership.id, skipped=[], updated_at=NOW, **profile))
    await session.flush()
    return membership.id


async def pair(
    session: AsyncSession, mentor_id: int, mentee_ids: list[int], status: PairStatus
) -> None:
    mentor = await session.get(Membership, mentor_id)
    assert mentor is not None
    row = Pair(
        organisation_id=mentor.organisation_id,
        mentor_membership_id=mentor_id,
        status=status,
        created_at=NOW,
    )
    session.add(row)
    await session.flush()
    session.add_all(PairMentee(pair_id=row.id, mentee_membership_id=i) for i in mentee_ids)
    await session.flush()


async def test_the_best_match_comes_first_with_its_reasons(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker.begin() as session:
        org = await organisation(session)
        mentee = await member(
            session,
            org,
            Role.MENTEE,
            full_name="Петрова Анна Сергеевна",
            main_request="Подготовиться к конкурсу «Воспитатель года»",
            difficulties=["parents"],
            difficulties_other="игровые технологии",
        )
        parents = await member(
            session,
            org,
            Role.MENTOR,
            full_name="Аверина Алла Юрьевна",
            competencies=["parents"],
            hours_per_month=4,
        )
        both = await member(
            session,
            org,
            Role.MENTOR,
            full_name="Борисова Бэла Ивановна",
            competencies=["parents", "contests"],
            competencies_other="Игровые технологии в младших группах",
            hours_per_month=8,
        )
        unrelated = await member(
            session,
            org,
            Role.MENTOR,
            full_name="Власова Вера Олеговна",
            competencies=["health"],
            hours_per_month=20,
        )
        ranked = await matching.rank_mentors(session, org, [mentee])
    assert [m.membership_id for m in ranked] == [both, parents, unrelated]
    best = ranked[0]
    # "parents" was ticked; "contests" and "methods" are read from the words.
    assert best.areas == ("parents", "contests", "methods")
    assert best.words == ("игровые", "технологии")
    assert (best.free_places, best.hours_per_month) == (3, 8)
    assert ranked[2].areas == () and ranked[2].words == ()


async def test_only_mentors_who_can_take_the_mentees_are_offered(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker.begin() as session:
        org = await organisation(session)
        other_org = await organisation(session, "Д/с № 7")
        mentees = [
            await member(session, org, Role.MENTEE, difficulties=["parents"]) for _ in range(6)
        ]
        free = await member(session, org, Role.MENTOR, competencies=["parents"])
        no_consent = await member(
            session, org, Role.MENTOR, competencies=["parents"], mentor_consent_at=None
        )
        full = await member(session, org, Role.MENTOR, competencies=["parents"])
        await pair(session, full, mentees[1:3], PairStatus.ACTIVE)
        await pair(session, full, mentees[3:4], PairStatus.PROPOSED)  # a proposal holds a place
        two_held = await member(session, org, Role.MENTOR, competencies=["parents"])
        await pair(session, two_held, mentees[4:6], PairStatus.AWAITING_APPROVAL)
        past = await member(session, org, Role.MENTOR, competencies=["parents"])
        await pair(session, past, mentees[1:4], PairStatus.COMPLETED)  # ended pairs free places
        await member(session, other_org, Role.MENTOR, competencies=["parents"])
        withdrawn = await member(session, org, Role.MENTOR, competencies=["parents"])
        (await session.get(Membership, withdrawn)).status = MembershipStatus.WITHDRAWN  # type: ignore[union-attr]
        await session.flush()

        one = {m.membership_id for m in await matching.rank_mentors(session, org, mentees[:1])}
        group = {m.membership_id for m in await matching.rank_mentors(session, org, mentees[:2])}
        replacing = await matching.rank_mentors(session, org, mentees[:1], exclude_mentor_id=free)
    assert no_consent not in one and full not in one and withdrawn not in one
    assert one == {free, two_held, past}
    assert group == {free, past}  # two mentees need two free places
    assert {m.membership_id for m in replacing} == {two_held, past}


async def test_nobody_is_offered_as_their_own_mentor(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker.begin() as session:
        org = await organisation(session)
        mentee = await member(session, org, Role.MENTEE, difficulties=["digital"])
        user_id = (await session.get(Membership, mentee)).user_id  # type: ignore[union-attr]
        user = await session.get(User, user_id)
        same_person = await member(session, org, Role.MENTOR, user=user, competencies=["digital"])
        other = await member(session, org, Role.MENTOR, competencies=["digital"])
        ranked = await matching.rank_mentors(session, org, [mentee])
    assert [m.membership_id for m in ranked] == [other]
    assert same_person != other


def test_words_name_areas_in_both_languages() -> None:
    assert matching.areas_in(matching.words_of("Родительское собрание и документация")) == {
        "parents",
        "documentation",
    }
    assert matching.areas_in(matching.words_of("Preparing for a contest, digital tools")) == {
        "contests",
        "digital",
    }
    assert matching.words_of("Как мне, где и с кем?") == []  # short words say nothing
