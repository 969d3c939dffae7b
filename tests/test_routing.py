"""Indexed routing picks the very handler aiogram's own routing picks, and skips the rest."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.filters import Command, CommandStart, StateFilter
from aiogram.fsm.state import State, StatesGroup, default_state
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import Chat, Message, Update, User

from bot.routing import command_names, command_prefixes, index_handlers, states_of
from tests.harness import RecordingSession


class Form(StatesGroup):
    first = State()
    second = State()


class Other(StatesGroup):
    only = State()


def toy_dispatcher(log: list[str]) -> Dispatcher:
    """Handlers whose order and filters make the choice depend on state and text together."""

    def record(name: str):  # type: ignore[no-untyped-def]
        async def handler(message: Message) -> None:
            log.append(name)

        return handler

    commands, dialog, catch_all = Router(), Router(), Router()
    commands.message(CommandStart())(record("start"))
    commands.message(Command("profile"))(record("profile"))
    commands.message(Form.second, Command("back"))(record("back in second"))
    commands.message(Command("case", ignore_case=True))(record("case"))
    dialog.message(Form.first, F.text == "special")(record("special in first"))
    dialog.message(StateFilter(Form.first, Other.only))(record("first or only"))
    dialog.message(StateFilter(Form))(record("any of Form"))
    dialog.message(default_state, F.text.startswith("!"))(record("bang without state"))
    dialog.message(StateFilter("*"), Command("help", prefix="/!"))(record("help anywhere"))
    catch_all.message()(record("fallback"))
    dispatcher = Dispatcher()
    dispatcher.include_routers(commands, dialog, catch_all)
    return dispatcher


STATES = [None, Form.first.state, Form.second.state, Other.only.state, "Unknown:state"]
TEXTS = [
    "/start",
    "/start code",
    "/profile",
    "/profile@nastavnik_bot",
    "/profiles",
    "  /profile",
    "/back",
    "/help",
    "!help",
    "/CASE",
    "/case",
    "special",
    "!x",
    "hi",
    "/",
]


async def route(dispatcher: Dispatcher, log: list[str], state: str | None, text: str) -> str:
    bot = Bot("123456:TEST-token-abcdefghijklmnopqrstuvwxyz", session=RecordingSession())
    key = StorageKey(bot_id=bot.id, chat_id=7, user_id=7)
    await dispatcher.storage.set_state(key, state)
    user = User(id=7, is_bot=False, first_name="Анна")
    message = Message(
        message_id=1,
        date=datetime(2026, 11, 25, tzinfo=UTC),
        chat=Chat(id=7, type="private"),
        from_user=user,
        text=text,
    )
    log.clear()
    await dispatcher.feed_update(bot, Update(update_id=1, message=message))
    return log[0] if log else "nothing"


@pytest.mark.parametrize(("state", "text"), list(itertools.product(STATES, TEXTS)))
async def test_the_same_handler_as_aiogram_chooses(state: str | None, text: str) -> None:
    plain_log: list[str] = []
    indexed_log: list[str] = []
    plain = toy_dispatcher(plain_log)
    indexed = toy_dispatcher(indexed_log)
    index_handlers(indexed)
    expected = await route(plain, plain_log, state, text)
    assert await route(indexed, indexed_log, state, text) == expected


async def test_one_indexed_dispatcher_keeps_choosing_as_aiogram_does() -> None:
    # What a router could take is worked out once per kind and state, then looked up: a
    # long-lived dispatcher meets every pair in turn, commands and plain texts mixed.
    plain_log: list[str] = []
    indexed_log: list[str] = []
    plain = toy_dispatcher(plain_log)
    indexed = toy_dispatcher(indexed_log)
    index_handlers(indexed)
    for state, text in itertools.product(STATES, TEXTS):
        expected = await route(plain, plain_log, state, text)
        assert await route(indexed, indexed_log, state, text) == expected, (state, text)


def test_states_and_command_prefixes_are_read_from_the_filters() -> None:
    dispatcher = toy_dispatcher([])
    handlers = [
        handler
        for router in dispatcher.sub_routers
        for handler in router.observers["message"].handlers
    ]
    assert [states_of(handler) for handler in handlers] == [
        None,
        None,
        frozenset({Form.second.state}),
        None,
        frozenset({Form.first.state}),
        frozenset({Form.first.state, Other.only.state}),
        frozenset({Form.first.state, Form.second.state}),
        frozenset({None}),
        None,
        None,
    ]
    prefixes = [command_prefixes(handler) for handler in handlers]
    assert prefixes == ["/", "/", "/", "/", None, None, None, None, "/!", None]
    names = [command_names(handler) for handler in handlers]
    assert names[1].could_be("profile") and not names[1].could_be("profiles")
    assert names[3].could_be("CASE") and not names[3].could_be("cases")
    assert names[4].could_be("anything")  # no command filter


async def test_a_typed_answer_in_a_dialog_tries_only_that_dialogs_handlers() -> None:
    log: list[str] = []
    dispatcher = toy_dispatcher(log)
    index_handlers(dispatcher)
    commands = dispatcher.sub_routers[0]
    tried: list[str] = []
    for handler in commands.observers["message"].handlers:
        original = handler.check

        async def check(*args: object, _original=original, **kwargs: object):  # type: ignore[no-untyped-def]
            tried.append("commands")
            return await _original(*args, **kwargs)

        handler.check = check  # type: ignore[method-assign]
    assert await route(dispatcher, log, Form.first.state, "hi") == "first or only"
    assert tried == []  # no command handler was even tried for plain text


async def test_a_router_that_could_not_take_the_update_is_not_called() -> None:
    log: list[str] = []
    dispatcher = toy_dispatcher(log)
    index_handlers(dispatcher)
    called: list[int] = []
    for number, router in enumerate(dispatcher.sub_routers):
        original = router.propagate_event

        async def propagate(*args: object, _original=original, _number=number, **kwargs: object):  # type: ignore[no-untyped-def]
            called.append(_number)
            return await _original(*args, **kwargs)

        router.propagate_event = propagate  # type: ignore[method-assign]
    assert await route(dispatcher, log, Form.first.state, "hi") == "first or only"
    assert called == [1]  # not the commands' router before it, nor the catch-all after it
    assert await route(dispatcher, log, Other.only.state, "/profile") == "profile"
    assert called == [1, 0]
