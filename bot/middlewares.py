"""Cross-cutting concerns: one transaction per update, who is acting, role checks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.fsm.storage.base import BaseEventIsolation
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.types import User as TgUser
from aiogram_i18n import I18nContext
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from bot.fsm_storage import update_session
from bot.services.people import Actor, load_actor
from models import Role

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
    either stores all it meant to or nothing.
    """

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], admin_ids: list[int]
    ) -> None:
        self.sessionmaker = sessionmaker
        self.admin_ids = frozenset(admin_ids)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        from_user: TgUser | None = data.get("event_from_user")
        # The transaction begins with the first statement (many updates run none: the actor and
        # the dialog state usually come from memory), and ends here either way.
        session = data["session"] = self.sessionmaker()
        token = update_session.set(session)
        try:
            if from_user is not None:
                data["actor"] = await load_actor(
                    session, from_user.id, is_admin=from_user.id in self.admin_ids
                )
            result = await handler(event, data)
            if _has_work(session):
                await session.commit()
            return result
        except BaseException:
            if _has_work(session):
                await session.rollback()
            raise
        finally:
            update_session.reset(token)
            if session.info.get(CONNECTED):
                await session.close()
            else:  # no connection to give back: nothing to wait for
                session.sync_session.close()


CONNECTED = "connected"  # session.info: the session has begun a database transaction


@event.listens_for(Session, "after_begin")
def _note_connected(session: Session, *_: Any) -> None:
    session.info[CONNECTED] = True


def _has_work(session: AsyncSession) -> bool:
    """Whether ending the transaction means anything: statements ran, or changes wait."""
    return bool(session.info.get(CONNECTED) or session.new or session.dirty or session.deleted)


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
