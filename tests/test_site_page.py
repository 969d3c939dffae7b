"""The «Наставничество» page for the site: events as news, completed programmes as cases that
name their people only when each agreed to be named, the regulation's documents; HTML escaped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services import site_page
from bot.services.clock import FrozenClock
from models import (
    Broadcast,
    BroadcastKind,
    Organisation,
    Pair,
    PairStatus,
    Programme,
    ProgrammeStatus,
)
from tests.flows import MENTOR_ANSWERS
from tests.harness import Harness
from tests.pairs_fixture import MENTEE_NAMES, kindergarten_with_pair

MENTOR_NAME = MENTOR_ANSWERS[0][1]


async def page(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    organisation_id: int,
    now: datetime,
) -> site_page.SitePage:
    core = app.i18n_core()
    async with sessionmaker() as session:
        organisation = await session.get(Organisation, organisation_id)
        assert organisation is not None
        return await site_page.site_page(
            session, organisation, now, lambda key, **args: core.get(key, "ru", **args)
        )


async def test_the_page_names_people_only_with_their_consent(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    async with sessionmaker() as session, session.begin():
        pair = await session.get(Pair, garden.pair_id)
        assert pair is not None
        pair.status = PairStatus.COMPLETED
        pair.ended_at = clock.now() + timedelta(days=150)
        session.add(
            Programme(
                pair_id=pair.id,
                status=ProgrammeStatus.ACKNOWLEDGED,
                goal="Подготовить и провести родительское собрание",
                created_at=clock.now(),
                updated_at=clock.now(),
            )
        )
        session.add(
            Broadcast(
                organisation_id=pair.organisation_id,
                kind=BroadcastKind.EVENT,
                text="Круглый стол <наставников>",
                audience={},
                recipients=0,
                event_at=datetime(2026, 12, 10, 12, 0, tzinfo=UTC),
                place="Музыкальный зал",
                created_at=clock.now(),
            )
        )
        organisation_id = pair.organisation_id

    anonymous = await page(app, sessionmaker, organisation_id, clock.now())
    assert "Наставник и молодой педагог" in anonymous.html
    assert MENTOR_NAME not in anonymous.html + anonymous.markdown
    assert MENTEE_NAMES[0] not in anonymous.html + anonymous.markdown
    assert "Круглый стол &lt;наставников&gt;" in anonymous.html  # escaped
    assert "Подготовить и провести родительское собрание" in anonymous.markdown
    assert "Положение о системе наставничества" in anonymous.html

    for person in (garden.mentor, garden.mentee):  # each agrees in /privacy
        await person.sends("/privacy")
        await person.taps("Можно называть меня на сайте")
        assert "Вы согласились, чтобы вас называли" in person.texts()[-1]
    await garden.mentee.taps("Не называть меня на сайте")  # taken back, then given again
    assert MENTOR_NAME not in (await page(app, sessionmaker, organisation_id, clock.now())).html
    await garden.mentee.taps("Можно называть меня на сайте")
    named = await page(app, sessionmaker, organisation_id, clock.now())
    assert f"Наставник {MENTOR_NAME} — {MENTEE_NAMES[0]}" in named.html
    assert named.markdown.startswith("# Наставничество")


async def test_a_programme_is_published_only_after_it_has_ended(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """Положение: results go on the site once the programme has ended, not while it runs
    (even where both agreed to be named)."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    async with sessionmaker() as session, session.begin():
        pair = await session.get(Pair, garden.pair_id)
        assert pair is not None
        session.add(
            Programme(
                pair_id=pair.id,
                status=ProgrammeStatus.ACKNOWLEDGED,
                goal="Освоить технологию «утреннего круга»",
                created_at=clock.now(),
                updated_at=clock.now(),
            )
        )
        organisation_id = pair.organisation_id
    for person in (garden.mentor, garden.mentee):
        await person.sends("/privacy")
        await person.taps("Можно называть меня на сайте")
    running = await page(app, sessionmaker, organisation_id, clock.now())
    assert "утреннего круга" not in running.html + running.markdown
    assert MENTOR_NAME not in running.html + running.markdown
    async with sessionmaker() as session, session.begin():
        pair = await session.get(Pair, garden.pair_id)
        assert pair is not None
        pair.status, pair.ended_at = PairStatus.COMPLETED, clock.now()
    ended = await page(app, sessionmaker, organisation_id, clock.now())
    assert "утреннего круга" in ended.html and MENTOR_NAME in ended.html
    # Its anchor, where the banks' «link to a case» points.
    assert f'<h3 id="case-{garden.pair_id}">' in ended.html
    assert f'<a id="case-{garden.pair_id}"></a>' in ended.markdown
