"""The dialog kit (handlers/dialog_kit.py) on a small dialog of its own: texts in the person's
language, one message edited in place, bounded input, a double tap, a stale or forged button, a
record that is not theirs, /cancel, and a restart in the middle (on both state stores)."""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Any

import pytest
from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.types import Message
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Back, Button, Cancel
from aiogram_dialog.widgets.text import Format
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import handlers
from bot.app import create_dispatcher
from bot.config import Settings
from bot.services.clock import FrozenClock
from bot.services.people import Actor
from handlers.dialog_kit import Fl, bounded_int, owned, start_id, text_input
from models import FsmRecord, User
from tests.harness import REDIS_URL, Harness, redis_or_skip


class Sample(StatesGroup):
    number = State()
    done = State()


async def load_user(session: AsyncSession, actor: Actor, user_id: int) -> User | None:
    """Only the person's own user row is theirs to see."""
    user = await session.get(User, user_id)
    return user if user is not None and user.telegram_id == actor.telegram_id else None


async def user_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    user = await owned(dialog_manager, load_user, start_id(dialog_manager))
    return {"language": user.language or "—", "number": dialog_manager.dialog_data.get("n", 0)}


async def number_typed(
    message: Message, _: Any, dialog_manager: DialogManager, number: int
) -> None:
    dialog_manager.dialog_data["n"] = number
    await dialog_manager.next()


async def start_sample(message: Message, dialog_manager: DialogManager, actor: Actor) -> None:
    record_id = int((message.text or "").split()[-1]) if " " in (message.text or "") else None
    user_id = record_id if record_id is not None else (actor.user.id if actor.user else 0)
    await dialog_manager.start(Sample.number, {"id": user_id}, mode=StartMode.RESET_STACK)


def sample_feature() -> types.ModuleType:
    feature = types.ModuleType("sample_feature")

    def router() -> Router:
        router = Router(name="sample")
        router.message.register(start_sample, Command("sample"))
        return router

    def dialogs() -> list[Dialog]:
        return [
            Dialog(
                Window(
                    Fl("cancel-done"),
                    Format("lang={language}"),
                    *text_input("sample_number", number_typed, bounded_int(1, 10)),
                    Cancel(Fl("language-set"), id="sample_close"),
                    state=Sample.number,
                    getter=user_getter,
                ),
                Window(
                    Format("number={number}"),
                    Button(Format("tap {number}"), id="sample_tap"),
                    Back(Format("back"), id="sample_back"),
                    state=Sample.done,
                    getter=user_getter,
                ),
            )
        ]

    feature.router = router  # type: ignore[attr-defined]
    feature.dialogs = dialogs  # type: ignore[attr-defined]
    return feature


@pytest.fixture
def with_sample(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(handlers, "FEATURES", (*handlers.FEATURES, sample_feature()))
    yield


async def harness(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    storage: Any = None,
    session: Any = None,
) -> Harness:
    app = Harness(create_dispatcher(settings, sessionmaker, clock=clock, storage=storage), session)
    await app.start()
    return app


@pytest.mark.usefixtures("with_sample")
async def test_a_dialog_edits_one_message_and_bounds_what_is_typed(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    app = await harness(settings, sessionmaker, clock)
    anna = app.person(5001)
    await anna.sends("/language")
    await anna.taps("English")
    screen = await anna.sends("/sample")
    assert screen is not None and "You have left the dialogue" in screen.text  # in English
    await anna.sends("eleven")
    assert "whole number from 1 to 10" in anna.texts()[-2]  # the answer, then the step again
    await anna.sends_sticker()
    assert "A text is needed here" in anna.texts()[-2]
    await anna.sends("7")
    assert anna.last_reply() is not None and "number=7" in anna.texts()[-1]
    shown = len(anna.transcript)
    await anna.taps("back")
    assert len(anna.transcript) == shown  # edited in place
    assert "lang=en" in anna.texts()[-1]


@pytest.mark.usefixtures("with_sample")
async def test_double_taps_stale_and_forged_buttons_get_one_polite_answer(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    app = await harness(settings, sessionmaker, clock)
    anna = app.person(5002)
    await anna.sends("/language")
    await anna.taps("Русский")
    await anna.sends("/sample")
    await anna.sends("3")
    tap = anna.callback_data("tap 3")
    await anna.presses(tap)
    await anna.presses(tap)  # a double tap: the same screen, nothing breaks
    back = anna.callback_data("back")
    await anna.presses(back)
    await anna.presses(back)  # its screen is gone: nothing changes
    assert "lang=ru" in anna.texts()[-1]
    await anna.presses("forged\x1dsample_tap")
    assert anna.was_alerted("уже не действует")
    await anna.presses("9" * 70)
    await anna.sends("/cancel")
    assert "Вы вышли из диалога" in anna.texts()[-1]
    alerts = len(anna.alerts())
    await anna.presses(tap)  # after /cancel the old screen's buttons are out of date
    assert len(anna.alerts()) == alerts + 1 and "уже не действует" in anna.alerts()[-1]
    apologies = [text for text in anna.texts() if "что-то пошло не так" in text]
    assert apologies == []


@pytest.mark.usefixtures("with_sample")
async def test_a_record_that_is_not_theirs_is_refused_politely(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    app = await harness(settings, sessionmaker, clock)
    anna, boris = app.person(5003), app.person(5004, name="Борис")
    await anna.sends("/language")
    await anna.taps("Русский")
    async with sessionmaker() as session:
        anna_id = await session.scalar(select(User.id).where(User.telegram_id == 5003))
    await boris.sends(f"/sample {anna_id}")
    assert "уже не действует" in boris.texts()[-1]
    await boris.sends(f"/sample {2**70}")
    assert "уже не действует" in boris.texts()[-1]
    assert not [text for text in boris.texts() if "что-то пошло не так" in text]


@pytest.mark.usefixtures("with_sample")
async def test_a_dialog_resumes_after_a_restart_with_the_database_store(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    first = await harness(settings, sessionmaker, clock)
    anna = first.person(5005)
    await anna.sends("/language")
    await anna.taps("Русский")
    await anna.sends("/sample")
    async with sessionmaker() as session:
        keys = list(await session.scalars(select(FsmRecord.key)))
    assert any("aiogd:stack" in key for key in keys)
    second = await harness(settings, sessionmaker, clock, session=first.session)
    anna_again = second.person(5005)
    await anna_again.sends("4")
    assert "number=4" in anna_again.texts()[-1]


@pytest.mark.usefixtures("with_sample")
async def test_a_dialog_resumes_after_a_restart_with_redis(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    await redis_or_skip()
    prefix = "kit-test"

    def storage() -> RedisStorage:
        builder = DefaultKeyBuilder(prefix=prefix, with_destiny=True)
        return RedisStorage.from_url(REDIS_URL, key_builder=builder)

    first_storage = storage()
    await first_storage.redis.flushdb()
    first = await harness(settings, sessionmaker, clock, storage=first_storage)
    anna = first.person(5006)
    await anna.sends("/language")
    await anna.taps("Русский")
    await anna.sends("/sample")
    await first_storage.close()
    second_storage = storage()
    second = await harness(
        settings, sessionmaker, clock, storage=second_storage, session=first.session
    )
    anna_again = second.person(5006)
    await anna_again.sends("5")
    assert "number=5" in anna_again.texts()[-1]
    await second_storage.redis.flushdb()
    await second_storage.close()
