"""Cross-cutting concerns: one transaction per update, who is acting, role checks."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.dispatcher.flags import get_flag
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.types import CallbackQuery, Message, TelegramObject, Update
from aiogram.types import User as TgUser
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.fsm_storage import (
    StateWrites,
    UpdateBufferedStorage,
    update_session,
    update_state_writes,
)
from bot.services.clock import Clock
from bot.services.people import Actor, load_actor
from models import ProcessedUpdate, Role

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class IsolationMiddleware(BaseMiddleware):
    """Handles one update at a time per person, around everything else (the transaction too)."""

    def __init__(self, isolation: BaseEventIsolation, fsm: FSMContextMiddleware) -> None:
        self.isolation = isolation
        self.fsm = fsm

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        context = self.fsm.resolve_event_context(data["bot"], data)
        if context is None:
            return await handler(event, data)
        async with self.isolation.lock(key=context.key):
            return await handler(event, data)


class ContextMiddleware(BaseMiddleware):
    """Opens the update's one session and transaction, and loads the acting user.

    The transaction commits when the handler returns and rolls back if it raises, so an update
    either stores all it meant to or nothing. The update's id is stored with it: an update
    delivered again (a webhook retry, polling after a crash) is acknowledged and skipped. Dialog
    state held for after the commit (Redis) is written only once the commit succeeded.
    """

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        admin_ids: list[int],
        clock: Clock,
        storage: BaseStorage,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.admin_ids = frozenset(admin_ids)
        self.clock = clock
        self.buffered = storage if isinstance(storage, UpdateBufferedStorage) else None

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)  # registered on dispatcher.update
        from_user: TgUser | None = data.get("event_from_user")
        writes: StateWrites = {}
        async with self.sessionmaker() as session:
            data["session"] = session
            session_token = update_session.set(session)
            writes_token = update_state_writes.set(writes if self.buffered else None)
            try:
                if await session.get(ProcessedUpdate, event.update_id) is not None:
                    log.info("update %s was handled before; skipped", event.update_id)
                    return UNHANDLED
                if from_user is not None:
                    data["actor"] = await load_actor(
                        session, from_user.id, is_admin=from_user.id in self.admin_ids
                    )
                result = await handler(event, data)
                # Last, so the write lock (SQLite) is taken as late as the handler allows.
                session.add(
                    ProcessedUpdate(update_id=event.update_id, processed_at=self.clock.now())
                )
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
            finally:
                update_state_writes.reset(writes_token)
                update_session.reset(session_token)
        if self.buffered is not None and writes:
            await self.buffered.apply(writes)
        return result


class AccessMiddleware(BaseMiddleware):
    """Refuses a handler flagged `roles={...}` or `admin=True` to anyone else, politely."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        roles: frozenset[Role] | None = get_flag(data, "roles")
        admin_only: bool = bool(get_flag(data, "admin"))
        if roles is None and not admin_only:
            return await handler(event, data)
        actor: Actor | None = data.get("actor")
        allowed = actor is not None and (
            actor.is_admin or (roles is not None and actor.has_any(roles))
        )
        if allowed:
            return await handler(event, data)
        i18n: I18nContext = data["i18n"]
        text = i18n.get("error-not-allowed")
        if isinstance(event, CallbackQuery):
            await event.answer(text, show_alert=True)
        elif isinstance(event, Message):
            await event.answer(text)
        return None
