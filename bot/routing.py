"""Handlers indexed by dialog state and by command, so an update skips those it cannot reach.

aiogram tries a router's handlers one by one, running each one's filters. A typed answer in
the middle of a dialog would try every command and every other dialog's steps first: about
eighty handlers, each a few filter calls. Most handlers have a state filter, and many a command
filter; both are decided by facts known before any filter runs (the raw state, the text's first
character and its command name). This module works out, once at start-up, which handlers could
take an update with given facts, and makes each observer try only those, in their original
order, with all of their filters, so the handler chosen is always the one aiogram would choose.
tests/test_routing.py checks exactly that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from inspect import isclass
from typing import Any, cast

from aiogram import Router
from aiogram.dispatcher.event.bases import REJECTED, UNHANDLED, SkipHandler
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.dispatcher.event.telegram import TelegramEventObserver
from aiogram.filters import Command, StateFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message, TelegramObject

ANY_STATE = None  # a handler's states: None when it takes any state
States = frozenset[str | None] | None
OTHER_STATE = object()  # stands for every state no handler names
Chooser = Callable[[TelegramObject, dict[str, Any]], list[HandlerObject]]


@dataclass(frozen=True)
class Index:
    """An observer's index: its chooser, and the facts it tells handlers apart by."""

    choose: Chooser
    named: frozenset[str | None]  # states some handler names
    first_characters: frozenset[str]  # characters some command filter starts with


def index_handlers(router: Router) -> None:
    """Give every observer of `router` and its sub-routers an indexed `trigger`, and make each
    router pass an update only to the sub-routers that could take it.

    A router without sub-routers, outer middlewares or router-wide filters is passed over when
    none of its handlers could take the update: its parent does not even call it.
    """
    could_take: dict[Router, Decision] = {}
    indexes: list[Index] = []
    for each in router.chain_tail:
        by_type = {name: _index(observer) for name, observer in each.observers.items()}
        indexes.extend(by_type.values())
        if not each.sub_routers:
            could_take[each] = _decision(each, by_type)
    named = frozenset(state for index in indexes for state in index.named)
    first_characters = frozenset(char for index in indexes for char in index.first_characters)
    for each in router.chain_tail:
        if each.sub_routers:
            _visit_only_candidates(each, could_take, named, first_characters)


Decision = Callable[[str, TelegramObject, dict[str, Any]], bool]


def _decision(router: Router, indexes: dict[str, Index]) -> Decision:
    def could_take(update_type: str, event: TelegramObject, kwargs: dict[str, Any]) -> bool:
        observer = router.observers.get(update_type)
        index = indexes.get(update_type)
        if observer is None or index is None:
            return False  # no observer of this kind: aiogram's propagation ends unhandled
        if observer.outer_middleware or observer._handler.filters:
            return True  # those run before any handler, whatever the update: not ours to skip
        return bool(index.choose(event, kwargs))

    return could_take


def _visit_only_candidates(
    router: Router,
    could_take: dict[Router, Decision],
    named: frozenset[str | None],
    first_characters: frozenset[str],
) -> None:
    """aiogram's Router._propagate_event (3.31), passing over the sub-routers that could not
    take the update. Calling each of twenty routers only to hear "unhandled" cost a typed
    answer more than its own handler's filters.

    Unless the text may be a command (its first character starts some command filter), which
    sub-routers could take an update depends only on its kind and dialog state: worked out
    once per pair, then looked up.
    """
    known: dict[tuple[str, object], list[Router]] = {}

    def candidates(kind: str, event: TelegramObject, kwargs: dict[str, Any]) -> Iterable[Router]:
        deciding = (
            sub_router
            for sub_router in router.sub_routers
            if (decide := could_take.get(sub_router)) is None or decide(kind, event, kwargs)
        )
        text = _text(event)
        if text and text.lstrip()[:1] in first_characters:
            return deciding  # each router decides by the command's name, as it comes
        raw_state = kwargs.get("raw_state")
        key = (kind, raw_state if raw_state in named else OTHER_STATE)
        found = known.get(key)
        if found is None:
            found = known[key] = list(deciding)
        return found

    async def propagate(
        observer: TelegramEventObserver | None,
        update_type: str,
        event: TelegramObject,
        **kwargs: Any,
    ) -> Any:
        response = UNHANDLED
        if observer:
            result, data = await observer.check_root_filters(event, **kwargs)
            if not result:
                return UNHANDLED
            kwargs.update(data)
            response = await observer.trigger(event, **kwargs)
            if response is REJECTED:
                return UNHANDLED
            if response is not UNHANDLED:
                return response
        for sub_router in candidates(update_type, event, kwargs):
            response = await sub_router.propagate_event(
                update_type=update_type, event=event, **kwargs
            )
            if response is not UNHANDLED:
                break
        return response

    router._propagate_event = propagate  # type: ignore[method-assign]


def states_of(handler: HandlerObject) -> States:
    """The raw states a handler can take, from its state filters (None: any state)."""
    allowed: States = ANY_STATE
    for event_filter in handler.filters or ():
        states = _filter_states(event_filter.callback)
        if states is not ANY_STATE:
            allowed = states if allowed is ANY_STATE else allowed & states
    return allowed


def command_prefixes(handler: HandlerObject) -> str | None:
    """The characters a message must start with for the handler's command filters to pass."""
    prefixes: str | None = None
    for event_filter in handler.filters or ():
        if isinstance(event_filter.callback, Command):
            prefix = event_filter.callback.prefix
            prefixes = prefix if prefixes is None else "".join(set(prefixes) & set(prefix))
    return prefixes


@dataclass(frozen=True)
class Names:
    """The command names a handler's command filters allow (None: any, or no such filter)."""

    exact: frozenset[str] | None = None
    folded: frozenset[str] = frozenset()  # for filters that ignore case

    def could_be(self, typed: str) -> bool:
        if self.exact is None:
            return True
        return typed in self.exact or typed.casefold() in self.folded


def command_names(handler: HandlerObject) -> Names:
    exact: set[str] = set()
    folded: set[str] = set()
    found = False
    for event_filter in handler.filters or ():
        command = event_filter.callback
        if not isinstance(command, Command):
            continue
        if not all(isinstance(name, str) for name in command.commands):
            return Names()  # a pattern: any name may match
        names = {str(name) for name in command.commands}
        if command.ignore_case:
            names = {name.casefold() for name in names}
        if found:  # several command filters: all must pass, keep it simple and allow any
            return Names()
        found = True
        (folded if command.ignore_case else exact).update(names)
    return Names(frozenset(exact), frozenset(folded)) if found else Names()


def _filter_states(callback: Any) -> States:
    if isinstance(callback, StateFilter):
        return _state_names(callback.states)
    if isinstance(callback, (State, StatesGroup)) or _is_group(callback):
        return _state_names([callback])
    return ANY_STATE


def _state_names(states: Iterable[Any]) -> States:
    names: set[str | None] = set()
    for state in states:
        if _is_group(state) or isinstance(state, StatesGroup):
            group = cast(type[StatesGroup], state if isclass(state) else type(state))
            names.update(group.__all_states_names__)
            continue
        name = state.state if isinstance(state, State) else state
        if name == "*":
            return ANY_STATE
        names.add(name)
    return frozenset(names)


def _is_group(value: Any) -> bool:
    return isclass(value) and issubclass(value, StatesGroup)


def _index(observer: TelegramEventObserver) -> Index:
    handlers = list(observer.handlers)
    facts = [
        (states_of(handler), command_prefixes(handler), command_names(handler))
        for handler in handlers
    ]
    named = {name for states, _, _ in facts if states is not ANY_STATE for name in states}
    first_characters = {char for _, prefixes, _ in facts if prefixes for char in prefixes}

    def candidates(raw_state: object, first: str | None) -> list[tuple[HandlerObject, Names]]:
        return [
            (handler, names)
            for handler, (states, prefixes, names) in zip(handlers, facts, strict=True)
            if (states is ANY_STATE or raw_state in states)
            and (prefixes is None or (first is not None and first in prefixes))
        ]

    table = {
        (state, first): candidates(state, first)
        for state in (*named, OTHER_STATE)
        for first in (*first_characters, None)
    }

    def choose(event: TelegramObject, kwargs: dict[str, Any]) -> list[HandlerObject]:
        raw_state = kwargs.get("raw_state")
        text = _text(event)
        first = text.lstrip()[:1] if text else None
        if first not in first_characters:
            first = None
        entries = table[(raw_state if raw_state in named else OTHER_STATE, first)]
        if first is None:
            return [handler for handler, _ in entries]
        typed = _command_name(text)
        return [handler for handler, names in entries if names.could_be(typed)]

    async def trigger(event: TelegramObject, **kwargs: Any) -> Any:
        for handler in choose(event, kwargs):  # from here on, as aiogram's own trigger does
            kwargs["handler"] = handler
            result, data = await handler.check(event, **kwargs)
            if result:
                kwargs.update(data)
                try:
                    wrapped_inner = observer.outer_middleware.wrap_middlewares(
                        observer._resolve_middlewares(), handler.call
                    )
                    return await wrapped_inner(event, kwargs)
                except SkipHandler:
                    continue
        return UNHANDLED

    if handlers:
        observer.trigger = trigger  # type: ignore[method-assign]
    return Index(choose, frozenset(named), frozenset(first_characters))


def _text(event: TelegramObject) -> str | None:
    if not isinstance(event, Message):
        return None
    return event.text or event.caption


def _command_name(text: str | None) -> str:
    """The command's name as aiogram's Command filter reads it: "/Name@bot args" -> "Name"."""
    words = (text or "").split(maxsplit=1)
    return words[0][1:].partition("@")[0] if words else ""
