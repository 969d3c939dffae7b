"""Withdrawal reaches what others keep: the person's name in any text column of others' rows
(the columns read from the schema, so a new one cannot be forgotten), and others' open
dialogs that name or picked the person, in the database's dialog store and in Redis."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisStorage
from sqlalchemy import JSON, String, Text, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.fsm_storage import SqlStorage
from bot.services.clock import FrozenClock
from bot.services.personal_data import NOT_SEARCHED, Action, action
from bot.services.privacy import texts_naming
from models import Activity, FinalReport, FsmRecord, Pair, Profile, Role
from models.base import Base
from tests.harness import Harness, redis_or_skip
from tests.pairs_fixture import membership_of
from tests.test_erasure_scan import (
    MENTEE_NAME,
    busy_kindergarten,
    columns_holding,
    withdraw,
)
from tests.test_help import cast

REDIS_URL = "redis://127.0.0.1:6379/13"  # a database of its own; every key made is removed
PLANTED = f"Упомянута {MENTEE_NAME}"


def planted_columns() -> list[tuple[Any, str]]:
    """Every text, string or JSON column of the schema that the map erases, marks or redacts,
    but for those never typed (personal_data.NOT_SEARCHED)."""
    return [
        (table, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String | Text | JSON)
        and action(table.name, column.name) in (Action.ERASE, Action.MARK, Action.REDACT)
        and column.name not in NOT_SEARCHED.get(table.name, ())
    ]


def with_name(value: Any, length: int | None) -> Any:
    if isinstance(value, dict):
        return {**value, "0": {"mark": "not_done", "reason": PLANTED}}
    if isinstance(value, list):
        return [*value, PLANTED]
    text = f"{value} {PLANTED}" if value else PLANTED
    return text if length is None or len(text) <= length else PLANTED


def test_every_typed_column_is_searched() -> None:
    searched = {(model.__tablename__, c) for model, columns, _ in texts_naming(0) for c in columns}
    planted = {(table.name, column) for table, column in planted_columns()}
    # The delivery queue is searched on its own: a queued message quoting them goes.
    assert planted - searched == {("outbox", "text"), ("outbox", "markup")}
    assert ("final_reports", "fulfilment") in searched


async def test_withdrawal_finds_her_name_in_every_text_of_others(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """The mentor's report on the colleague's pair gives a reason naming the mentee, and every
    typed column of every row names her too: after she withdraws, none does, and the rest of
    each of others' texts stays."""
    busy = await busy_kindergarten(app, sessionmaker, clock)
    garden = busy.garden
    async with sessionmaker() as session, session.begin():
        mentor = await membership_of(session, garden.mentor.telegram_id, Role.MENTOR)
        colleague = await membership_of(session, busy.colleague.telegram_id, Role.MENTEE)
        pair_id = await session.scalar(select(Pair.id).where(Pair.id != garden.pair_id))
        item = await session.scalar(
            select(Activity.id).where(Activity.content.startswith("Открытое занятие"))
        )
        assert pair_id is not None and item is not None
        report = FinalReport(
            pair_id=pair_id,
            author_membership_id=mentor.id,
            role="mentor",
            due_on=date(2026, 12, 5),
            fulfilment={str(item): {"mark": "not_done", "reason": "Вела Петрова А. С."}},
            created_at=clock.now(),
        )
        session.add(report)
        await session.flush()
        report_id = report.id
        for table, name in planted_columns():
            column = table.c[name]
            length = getattr(column.type, "length", None)
            rows = (await session.execute(select(*table.primary_key.columns, column))).all()
            for *key, value in rows:
                where = [c == k for c, k in zip(table.primary_key.columns, key, strict=True)]
                values = {name: with_name(value, length)}
                await session.execute(table.update().where(*where).values(values))
    assert await columns_holding(sessionmaker, (MENTEE_NAME,), garden.mentee.telegram_id)

    await withdraw(garden.mentee)
    await app.deliver()
    found = await columns_holding(
        sessionmaker, (MENTEE_NAME, "Петрова А. С."), garden.mentee.telegram_id
    )
    assert found == [], "\n".join(found)
    async with sessionmaker() as session:
        kept = await session.get(FinalReport, report_id)
        assert kept is not None
        assert kept.fulfilment == {
            str(item): {"mark": "not_done", "reason": "Вела —"},
            "0": {"mark": "not_done", "reason": "Упомянута —"},
        }
        profile = await session.scalar(
            select(Profile).where(Profile.membership_id == colleague.id)
        )
        assert profile is not None and profile.full_name == "Кузнецова Дарья Олеговна"
        assert profile.main_request and profile.main_request.endswith(" Упомянута —")
        order = await session.scalar(select(Pair.approval_order).where(Pair.id == pair_id))
        assert order is not None and order.endswith("Упомянута —")


@pytest.fixture(params=["database", "redis"])
async def storage(
    request: pytest.FixtureRequest, sessionmaker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[BaseStorage]:
    if request.param == "database":
        yield SqlStorage(sessionmaker)
        return
    await redis_or_skip()
    prefix = f"nastavnik-privacy-{uuid.uuid4().hex[:8]}"
    redis = RedisStorage.from_url(
        REDIS_URL, key_builder=DefaultKeyBuilder(prefix=prefix, with_destiny=True)
    )
    yield redis
    keys = await redis.redis.keys(f"{prefix}:*")
    if keys:
        await redis.redis.delete(*keys)
    await redis.close()


async def stored_dialogs(
    storage: BaseStorage, sessionmaker: async_sessionmaker[AsyncSession]
) -> dict[str, str]:
    """Every record of the dialog store, by key, as text."""
    if isinstance(storage, RedisStorage):
        assert isinstance(storage.key_builder, DefaultKeyBuilder)
        keys = await storage.redis.keys(f"{storage.key_builder.prefix}:*")
        return {
            str(key): str(await storage.redis.get(key))
            for key in keys
            if (await storage.redis.type(key)) == b"string"
        }
    async with sessionmaker() as session:
        return {r.key: f"{r.state} {r.data}" for r in await session.scalars(select(FsmRecord))}


@pytest.mark.parametrize("curator_does", ["pair", "broadcast"])
async def test_others_dialogs_that_hold_her_close_and_a_tap_is_answered_politely(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    storage: BaseStorage,
    curator_does: str,
) -> None:
    """The curator is half-way through forming a pair with the mentee ticked (her id), or
    through an announcement that names her; the mentor has /privacy open. She withdraws: the
    curator's dialog is gone from the store, its buttons get the polite answer and nothing is
    created; the mentor's dialog, which holds nothing of hers, goes on."""
    app = Harness(create_dispatcher(settings, sessionmaker, storage=storage, clock=clock))
    await app.start()
    people = await cast(app, sessionmaker, paired=False)
    curator, mentee, mentor = people.curator, people.mentee, people.mentor
    if curator_does == "pair":
        await curator.sends("/pair")
        await curator.taps("Петрова")
        button = "Далее"
    else:
        await curator.sends("/broadcast")
        await curator.taps("Объявление")
        await curator.sends(f"Поздравляем: {MENTEE_NAME}")
        button = curator.last_reply().buttons[0]  # type: ignore[union-attr]
    await mentor.sends("/privacy")
    before = await stored_dialogs(storage, sessionmaker)
    assert any(str(curator.telegram_id) in key for key in before)

    await withdraw(mentee)
    after = await stored_dialogs(storage, sessionmaker)
    assert not any(f":{curator.telegram_id}:" in key for key in after), after
    assert not any(MENTEE_NAME in value for value in after.values())
    assert any(f":{mentor.telegram_id}:" in key for key in after)

    await curator.taps(button)
    assert curator.was_alerted("Эта кнопка уже не действует")
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Pair)) == 0
    alerts = len(mentor.alerts())  # (the harness records every chat's)
    await mentor.taps("Выгрузить")
    assert not any("не действует" in alert for alert in mentor.alerts()[alerts:])
    assert "nastavnik-my-data.json" in [sent.document_name for sent in mentor.transcript]
