"""The core: nothing stale, one effect per update, heavy reads off the loop, state with data."""

from __future__ import annotations

import asyncio
import gc
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.filters import Command
from aiogram.fsm.storage.base import DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.methods import Response, SendMessage
from aiogram.types import Chat, ErrorEvent, Message, Update
from aiogram.types import User as TgUser
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.api_responses import RESPONSE_MODELS
from bot.app import BOT_API_TIMEOUT, create_bot, create_dispatcher
from bot.config import Settings
from bot.errors import on_error
from bot.scheduler import JobContext, run_jobs
from bot.serve import WEBHOOK_PATH, create_webhook_app
from bot.services.clock import FrozenClock
from bot.services.people import Actor
from models import FsmRecord, HelpMessage, ProcessedUpdate
from models import User as DbUser
from tests.conftest import ADMIN_ID
from tests.flows import MENTEE_ANSWERS, found_organisation, invite
from tests.harness import REDIS_URL, Harness, redis_or_skip
from tests.test_help import cast

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def test_a_role_revoked_by_plain_sql_is_refused_on_the_next_update(
    app: Harness, engine: AsyncEngine
) -> None:
    admin = await found_organisation(app)
    code = await invite(admin, "куратор")
    curator = app.person(701)
    await curator.sends(f"/start {code}")
    await curator.taps("Согласен")
    reply = await curator.sends("/bank")
    assert reply is not None and "Банк" in reply.text
    async with engine.begin() as connection:  # as an admin's console would
        await connection.execute(
            text(
                "UPDATE memberships SET status = 'withdrawn' WHERE user_id ="
                " (SELECT id FROM users WHERE telegram_id = 701)"
            )
        )
    reply = await curator.sends("/bank")
    assert reply is not None and "недоступно в вашей роли" in reply.text


async def test_the_same_update_delivered_twice_has_its_effect_once(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    people = await cast(app, sessionmaker)
    await people.mentee.sends("/sos")
    update = people.mentee.text_update("Ребёнок не спит в тихий час")
    await app.feed(update)
    sent_before = len(app.session.calls_of(SendMessage))
    await app.feed(update)  # a webhook retry, or polling after a crash
    assert len(app.session.calls_of(SendMessage)) == sent_before
    async with sessionmaker() as session:
        stored = await session.scalar(select(func.count()).select_from(HelpMessage))
        assert stored == 1
        assert await session.get(ProcessedUpdate, update.update_id) is not None
    mentor_texts = [text for text in people.mentor.texts() if "не спит в тихий час" in text]
    assert len(mentor_texts) == 1


async def test_a_failed_update_is_not_recorded_so_a_retry_runs_it(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    person = app.person(501)
    app.session.failing_methods.add(SendMessage)
    update = person.text_update("/help")
    await app.feed(update)
    async with sessionmaker() as session:
        assert await session.get(ProcessedUpdate, update.update_id) is None
    app.session.failing_methods.clear()
    await app.feed(update)
    assert person.last_reply() is not None


async def test_a_slow_query_does_not_hold_up_another_persons_help(
    app: Harness, engine: AsyncEngine
) -> None:
    person = app.person(777)
    await person.sends("/help")  # warm: the first update builds what later ones reuse
    started = time.perf_counter()
    await person.sends("/help")
    alone = time.perf_counter() - started

    slow = asyncio.create_task(_two_second_query(engine))
    await asyncio.sleep(0.2)  # the query is running
    started = time.perf_counter()
    reply = await person.sends("/help")
    meanwhile = time.perf_counter() - started
    assert not slow.done(), "the slow query should still be running"
    await slow
    assert reply is not None and "/profile" in reply.text
    assert meanwhile - alone < 0.1, f"/help took {meanwhile:.3f}s beside a slow query"


async def _two_second_query(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text("SELECT pg_sleep(2)"))
            return
        # About two seconds of SQLite work on this machine, in the driver's thread.
        deadline = time.perf_counter() + 2
        while time.perf_counter() < deadline:
            await connection.execute(
                text(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                    " WHERE i < 2000000) SELECT count(*) FROM n"
                )
            )


async def test_dialog_state_changed_outside_the_process_is_seen_at_once(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    person = app.person(501)
    await person.sends(f"/start {code}")
    await person.taps("Согласен")
    async with sessionmaker.begin() as session:  # the dialog dropped elsewhere
        await session.execute(text("DELETE FROM fsm_records"))
    reply = await person.sends(MENTEE_ANSWERS[0][1])  # no longer an answer to anything
    assert reply is not None and "Не понял сообщение" in reply.text
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(FsmRecord)) == 0


async def test_with_redis_a_rolled_back_step_leaves_the_dialog_where_it_was(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    await redis_or_skip()
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    storage = RedisStorage.from_url(
        REDIS_URL, key_builder=DefaultKeyBuilder(prefix=prefix, with_destiny=True)
    )
    app = Harness(create_dispatcher(settings, sessionmaker, storage=storage, clock=clock))
    await app.start()
    curator = await found_organisation(app)
    code = await invite(curator, "наставляемый")
    person = app.person(501)
    await person.sends(f"/start {code}")
    await person.taps("Согласен")

    async def dialog_state() -> dict[Any, Any]:  # the dialogs' stack and contexts
        keys = await storage.redis.keys(f"{prefix}:*:501:*")
        return {key: await storage.redis.get(key) for key in sorted(keys)}

    before = await dialog_state()
    assert before

    app.session.failing_methods.add(SendMessage)  # the step's reply fails: it rolls back
    await person.sends(MENTEE_ANSWERS[0][1])
    assert await dialog_state() == before

    app.session.failing_methods.clear()  # typed again, it goes on
    await person.sends(MENTEE_ANSWERS[0][1])
    assert await dialog_state() != before
    await storage.redis.delete(*await storage.redis.keys(f"{prefix}:*"))
    await storage.close()


async def test_a_typed_answer_and_the_profile_pass_no_worker_thread(
    app: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """aiogram runs a synchronous filter (a plain function, a magic filter `F...`) through
    asyncio.to_thread; the filters on the way of a typed answer and of /profile are async."""
    curator = await found_organisation(app)
    person = app.person(501)
    await person.sends(f"/start {await invite(curator, 'наставляемый')}")
    await person.taps("Согласен")
    hops: list[object] = []
    to_thread = asyncio.to_thread

    async def counted(function: Any, /, *args: Any, **kwargs: Any) -> Any:
        hops.append(function)
        return await to_thread(function, *args, **kwargs)

    monkeypatch.setattr(asyncio, "to_thread", counted)
    asked = await person.sends(MENTEE_ANSWERS[0][1])
    card = await person.sends("/profile")
    assert asked is not None and "Ваша должность?" in asked.text
    assert card is not None and MENTEE_ANSWERS[0][1] in card.text
    assert hops == []


def test_no_synchronous_filter_on_a_message_or_a_button(app: Harness) -> None:
    """Every filter the app registers for messages and buttons is async (aiogram would send a
    synchronous one to a worker thread on every update that reaches it)."""
    synchronous = [
        f"{router.name}: {event_filter.callback!r}"
        for router in app.dispatcher.chain_tail
        for kind in ("message", "callback_query")
        for handler in router.observers[kind].handlers
        for event_filter in handler.filters or ()
        if not event_filter.awaitable
    ]
    assert synchronous == []


def test_the_bot_api_answer_models_are_made_once() -> None:
    """aiogram reads each answer as Response[<result>]; pydantic would build the model again
    after a garbage collection if nothing kept it (bot/api_responses.py keeps them)."""
    made = Response[Message]
    gc.collect()
    assert Response[Message] is made and made in RESPONSE_MODELS


async def test_the_bot_api_is_reached_through_aiograms_own_session(settings: Settings) -> None:
    bot = create_bot(settings)
    assert type(bot.session) is AiohttpSession
    assert bot.session.timeout == BOT_API_TIMEOUT
    await bot.session.close()


async def test_a_webhook_post_without_the_secret_is_refused(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    server = TestServer(create_webhook_app(app.dispatcher, app.bot, "the-secret"))
    person = app.person(ADMIN_ID)
    async with TestClient(server) as client:
        for headers in ({}, {SECRET_HEADER: "guessed"}):
            update = person.text_update("/neworg")
            response = await client.post(
                WEBHOOK_PATH, data=update.model_dump_json(exclude_none=True), headers=headers
            )
            assert response.status == 401
        assert person.transcript == []  # the forged updates did nothing
        update = person.text_update("/neworg")
        response = await client.post(
            WEBHOOK_PATH,
            data=update.model_dump_json(exclude_none=True),
            headers={SECRET_HEADER: "the-secret", "Content-Type": "application/json"},
        )
        assert response.status == 200
    assert person.last_reply() is not None
    async with sessionmaker() as session:
        assert await session.get(ProcessedUpdate, update.update_id) is not None


async def test_ids_of_updates_older_than_a_few_days_are_cleared(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    async with sessionmaker.begin() as session:
        for update_id, days_ago in ((1, 4), (2, 3), (3, 2)):
            moment = clock.now() - timedelta(days=days_ago, minutes=1)
            session.add(ProcessedUpdate(update_id=update_id, processed_at=moment))
    await run_jobs(JobContext(app.bot, sessionmaker, clock, app.i18n_core(), settings))
    async with sessionmaker() as session:
        assert list(await session.scalars(select(ProcessedUpdate.update_id))) == [3]


async def test_an_update_that_only_read_stores_nothing(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    person = app.person(501)
    update = person.text_update("/help")
    await app.feed(update)
    assert person.last_reply() is not None
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(ProcessedUpdate)) == 0


# --- errors, /cancel and /language ---------------------------------------------------------------


async def test_the_apology_comes_in_the_language_chosen_with_language(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    dispatcher = create_dispatcher(settings, sessionmaker, clock=clock)

    @dispatcher.message(Command("boom"))
    async def boom(message: Message) -> None:
        raise RuntimeError("something broke")

    app = Harness(dispatcher)
    await app.start()
    person = app.person(501, language="ru")  # Telegram says Russian
    await person.sends("/language")
    await person.taps("English")
    reply = await person.sends("/boom")
    assert reply is not None and reply.text.startswith("Sorry, something went wrong")
    await person.sends("/language")
    await person.taps("Русский")
    english_telegram = app.person(502, language="en")
    await english_telegram.sends("/language")
    await english_telegram.taps("Русский")
    reply = await english_telegram.sends("/boom")
    assert reply is not None and "что-то пошло не так" in reply.text


async def test_without_the_texts_of_the_update_the_apology_takes_the_persons_choice(
    app: Harness,
) -> None:
    """An error before the texts were chosen (an outer middleware): the choice still loaded
    on the person's row, else Telegram's language."""
    chosen = DbUser(telegram_id=503, language="en", created_at=datetime.now(UTC))
    person = TgUser(id=503, is_bot=False, first_name="Анна", language_code="ru")
    update = Update(
        update_id=1,
        message=Message(
            message_id=1,
            date=datetime.now(UTC),
            chat=Chat(id=503, type="private"),
            from_user=person,
            text="/help",
        ),
    )
    core = app.dispatcher["i18n_middleware"]
    event = ErrorEvent(update=update, exception=RuntimeError("early"))
    await on_error(event, app.bot, core, actor=Actor(503, user=chosen))
    assert app.session.chats[503][-1].text.startswith("Sorry")
    await on_error(event, app.bot, core, actor=None)
    assert "что-то пошло не так" in app.session.chats[503][-1].text


async def test_cancel_in_the_middle_of_a_dialog_resets_it(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    people = await cast(app, sessionmaker)
    mentee = people.mentee
    reply = await mentee.sends("/sos")
    assert reply is not None and "Опишите ситуацию" in reply.text
    reply = await mentee.sends("/cancel")
    assert reply is not None and "Вы вышли из диалога" in reply.text
    reply = await mentee.sends("Ребёнок не спит")  # no longer the request's text
    assert reply is not None and "Не понял сообщение" in reply.text
    reply = await mentee.sends("/cancel")
    assert reply is not None and "нечего отменять" in reply.text
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(HelpMessage)) == 0
