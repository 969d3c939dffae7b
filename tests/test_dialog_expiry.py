"""Personal data only after consent: the dialog record of someone who opened an invitation
and never answered (or whose membership is gone) does not stay for ever. In the database it
goes once unchanged for as long as an invitation stays valid; members' dialogs stay. In Redis
every key expires that long after its last write."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import create_dispatcher, create_storage
from bot.config import Settings
from bot.scheduler import JobContext
from bot.services.clock import FrozenClock
from models import FsmRecord, Membership, MembershipStatus, User
from tests.flows import MENTEE_ANSWERS, answer, found_organisation, invite, join, withdraw
from tests.harness import REDIS_URL, Harness, redis_or_skip, statements

GUEST, LATE_GUEST, MEMBER, FORMER = 900, 901, 501, 502


async def records_of(
    sessionmaker: async_sessionmaker[AsyncSession], telegram_id: int
) -> dict[str, tuple[str | None, dict[str, Any], datetime]]:
    """Every dialog record naming the Telegram id in its key, with what it holds."""
    async with sessionmaker() as session:
        found = await session.scalars(
            select(FsmRecord).where(FsmRecord.key.contains(f":{telegram_id}:"))
        )
        return {record.key: (record.state, record.data, record.touched_at) for record in found}


async def test_a_guest_who_never_answers_the_consent_leaves_no_dialog_record(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    guest = app.person(GUEST)
    shown = await guest.sends(f"/start {code}")
    assert shown is not None and "✅ Согласен(на)" in shown.buttons  # the consent, never answered
    assert await records_of(sessionmaker, GUEST)
    member = app.person(MEMBER)  # consents and stops half-way through the profile
    await member.sends(f"/start {code}")
    await member.taps("Согласен")
    await answer(member, MENTEE_ANSWERS[:2])
    former = await join(app, code, FORMER, MENTEE_ANSWERS)
    await withdraw(former)
    await former.sends(f"/start {code}")  # has second thoughts, and then none
    assert await records_of(sessionmaker, FORMER)
    members_dialog = await records_of(sessionmaker, MEMBER)
    assert members_dialog
    context = JobContext(app.bot, sessionmaker, clock, app.i18n_core(), settings)

    clock.advance(days=settings.invitation_days - 1)
    late_guest = app.person(LATE_GUEST)
    await late_guest.sends(f"/start {code}")  # opened on the link's last day
    assert await records_of(sessionmaker, LATE_GUEST)
    clock.advance(days=1)  # the first ones: exactly as long as the link was valid
    await app.run_jobs(context)
    assert await records_of(sessionmaker, GUEST)  # not yet

    clock.advance(minutes=1)
    await app.run_jobs(context)
    assert await records_of(sessionmaker, GUEST) == {}
    assert await records_of(sessionmaker, FORMER) == {}
    assert await records_of(sessionmaker, MEMBER) == members_dialog  # however old
    assert await records_of(sessionmaker, LATE_GUEST)  # opened a day ago

    # The guest comes back to the old screen: one polite line, and nothing is stored.
    await guest.taps("Согласен")
    assert guest.alerts()[-1] == "Эта кнопка уже не действует. Откройте нужный раздел заново."
    async with sessionmaker() as session:
        assert await session.scalar(select(User).where(User.telegram_id == GUEST)) is None
    assert await records_of(sessionmaker, GUEST) == {}
    # The member goes on where they stopped.
    reply = await member.shares_contact("+79123456789")
    assert reply is not None and reply.text.startswith("<b>4/10</b>")
    async with sessionmaker() as session:
        status = await session.scalar(
            select(Membership.status).join(User).where(User.telegram_id == MEMBER)
        )
    assert status == MembershipStatus.ACTIVE


async def test_a_step_that_changes_the_dialog_writes_it_in_one_statement(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    engine: AsyncEngine,
    clock: FrozenClock,
) -> None:
    """The time of the change goes in the change's own UPDATE, not a statement of its own
    (a step that changes nothing writes nothing: tests/test_fsm_storage.py)."""
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    member = app.person(MEMBER)
    await member.sends(f"/start {code}")
    await member.taps("Согласен")
    stack = f"fsm:{MEMBER}:{MEMBER}:aiogd:stack:"
    before = (await records_of(sessionmaker, MEMBER))[stack]
    clock.advance(hours=1)
    with statements(engine) as seen:
        await member.sends(MENTEE_ANSWERS[0][1])
    changed = [sql for sql in seen if sql.lstrip().upper().startswith("UPDATE FSM_RECORDS")]
    assert changed and all("touched_at" in sql for sql in changed)
    after = (await records_of(sessionmaker, MEMBER))[stack]
    assert after[2] == clock.now() and before[2] == clock.now() - timedelta(hours=1)


async def test_in_redis_every_dialog_key_expires_after_the_invitations_validity(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    await redis_or_skip()
    with_redis = settings.model_copy(update={"redis_url": REDIS_URL.rsplit("/", 1)[0] + "/12"})
    prefix = f"nastavnik-test-{uuid.uuid4().hex[:8]}"
    storage = create_storage(with_redis, sessionmaker, clock, redis_prefix=prefix)
    app = Harness(create_dispatcher(with_redis, sessionmaker, storage=storage, clock=clock))
    await app.start()
    try:
        curator = await found_organisation(app)
        code = await invite(curator, "наставляемый")
        shown = await app.person(GUEST).sends(f"/start {code}")
        assert shown is not None and "✅ Согласен(на)" in shown.buttons
        redis = storage.redis  # type: ignore[attr-defined]
        keys = await redis.keys(f"{prefix}:*:{GUEST}:*")
        assert keys
        validity = timedelta(days=settings.invitation_days).total_seconds()
        for key in keys:
            assert validity - 60 < await redis.ttl(key) <= validity
        async with sessionmaker() as session:  # nothing of it in the database store
            assert await session.scalar(select(FsmRecord)) is None
    finally:
        keys = await storage.redis.keys(f"{prefix}:*")  # type: ignore[attr-defined]
        if keys:
            await storage.redis.delete(*keys)  # type: ignore[attr-defined]
        await storage.close()
