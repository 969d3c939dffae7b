"""Cross-cutting concerns: one transaction per update, who is acting, role checks."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.dispatcher.flags import get_flag
from aiogram.enums import ChatType
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.fsm.storage.base import BaseEventIsolation
from aiogram.types import CallbackQuery, Chat, Message, TelegramObject, Update
from aiogram.types import User as TgUser
from aiogram_dialog.api.entities import DialogUpdate
from aiogram_i18n import I18nContext
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import ORMExecuteState, Session

from bot.commands import set_person_menu
from bot.db import wal_checkpoint
from bot.fsm_storage import (
    DIALOG_STACK,
    SqlStorage,
    StateWrites,
    UpdateBufferedStorage,
    update_session,
    update_state_writes,
)
from bot.mail import Mail
from bot.services.clock import Clock
from bot.services.outbox import queued_something
from bot.services.people import Actor
from bot.services.privacy import CHECKPOINT as ERASED
from bot.update_start import load_update_start, was_handled
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
    either stores all it meant to or nothing. An update that changed anything (rows, dialog
    state, a message queued for someone) stores its id with the change: delivered again (a
    webhook retry, polling after a crash), it is acknowledged and skipped. One that only read
    and replied stores nothing, and a repeat of it answers again, as the person asking again
    would be answered: recording it would make every read a write, and on SQLite writers take
    turns. Dialog state held for after the commit (Redis) is written once the commit succeeded.
    """

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        admin_ids: list[int],
        clock: Clock,
        fsm: FSMContextMiddleware,
        delivery_wake: asyncio.Event,
    ) -> None:
        self.delivery_wake = delivery_wake
        self.sessionmaker = sessionmaker
        self.admin_ids = frozenset(admin_ids)
        self.clock = clock
        self.fsm = fsm
        storage = fsm.storage
        self.buffered = storage if isinstance(storage, UpdateBufferedStorage) else None
        self.sql_storage = storage if isinstance(storage, SqlStorage) else None

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)  # registered on dispatcher.update
        # aiogram-dialog's own update (a dialog redrawn in the background) has no Telegram id
        # (always 0): it is never a repeat, and nothing records it.
        background = isinstance(event, DialogUpdate)
        from_user: TgUser | None = data.get("event_from_user")
        writes: StateWrites = {}
        async with self.sessionmaker() as session:
            data["session"] = session
            session_token = update_session.set(session)
            writes_token = update_state_writes.set(writes if self.buffered else None)
            try:
                if from_user is None:
                    seen = await was_handled(session, event.update_id)
                else:
                    seen = await self._start(session, event, from_user, data)
                actor: Actor | None = data.get("actor")
                organisation = actor.organisation if actor else None
                data["mail"] = Mail(
                    session,
                    self.clock.now(),
                    f"update:{event.update_id}",
                    organisation.id if organisation else None,
                )
                if seen and not background:
                    log.info("update %s was handled before; skipped", event.update_id)
                    return UNHANDLED
                result = await handler(event, data)
                if not background and (writes or _changed_anything(session)):
                    session.add(
                        ProcessedUpdate(update_id=event.update_id, processed_at=self.clock.now())
                    )
                await session.commit()
                if session.info.pop(ERASED, False):
                    await wal_checkpoint(session)
            except BaseException:
                await session.rollback()
                raise
            finally:
                update_state_writes.reset(writes_token)
                update_session.reset(session_token)
        if self.buffered is not None and writes:
            await self.buffered.apply(writes)
        if queued_something(session):
            self.delivery_wake.set()
        return result

    async def _start(
        self, session: AsyncSession, update: Update, user: TgUser, data: dict[str, Any]
    ) -> bool:
        """One query: whether the update was seen, the actor, and the dialog's record (kept for
        the FSM middleware, which then reads it without a query of its own)."""
        state_keys = None
        if self.sql_storage is not None:
            context = self.fsm.resolve_event_context(data["bot"], data)
            if context is not None:
                # aiogram-dialog keeps a person's stack under the chat's key with this destiny
                # (aiogram_dialog.context.storage); read with the rest, it costs no query.
                stack = replace(context.key, user_id=context.key.chat_id, destiny=DIALOG_STACK)
                state_keys = (
                    self.sql_storage.key_name(context.key),
                    self.sql_storage.key_name(stack),
                )
        start = await load_update_start(
            session, update.update_id, user.id, user.id in self.admin_ids, state_keys
        )
        data["actor"] = start.actor
        if start.actor.user is not None and start.actor.user.blocked_bot:
            start.actor.user.blocked_bot = False  # they wrote to the bot: reachable again
        if state_keys is not None:
            SqlStorage.remember(session, state_keys[0], start.state)
            SqlStorage.remember(session, state_keys[1], start.stack)
        return start.seen


WROTE = "wrote"  # session.info: the session has written to the database


def _changed_anything(session: AsyncSession) -> bool:
    return bool(session.info.get(WROTE) or session.new or session.dirty or session.deleted)


@event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, _context: object) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True


class PrivateChatsOnly(BaseMiddleware):
    """Lets in only what comes from a private chat (or from no chat at all).

    Added to a group, the bot would answer /profile or /bank there, for the whole group to
    read, and a message sent on behalf of a channel (no sender) broke aiogram-dialog. A
    command or a tap in a group gets one line pointing to the private chat; the rest of a
    group's or a channel's talk is passed over in silence, and nothing of it is stored."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)  # registered on dispatcher.update
        chat: Chat | None = data.get("event_chat")
        # aiogram-dialog's own update (a dialog redrawn in the background) names no chat type.
        if chat is None or chat.type == ChatType.PRIVATE or isinstance(event, DialogUpdate):
            return await handler(event, data)
        i18n: I18nContext = data["i18n"]
        bot: Bot = data["bot"]
        text = i18n.get("error-private-only", bot=(await bot.me()).username or "")
        if event.callback_query is not None:
            await event.callback_query.answer(text, show_alert=True)
        elif event.message is not None and _is_command(event.message):
            await event.message.answer(text)
        return UNHANDLED


def _is_command(message: Message) -> bool:
    return (message.text or message.caption or "").startswith("/")


class AccessMiddleware(BaseMiddleware):
    """Refuses a handler flagged `roles={...}` or `admin=True` to anyone else, politely.

    Made with `roles`, it guards a whole router (a dialog only these roles use, where the
    library's handlers carry no flags): every tap and typed answer in it is checked, so a role
    revoked while the dialog is open refuses the next step."""

    def __init__(self, roles: frozenset[Role] | None = None) -> None:
        self.roles = roles

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        roles: frozenset[Role] | None = get_flag(data, "roles") or self.roles
        admin_only: bool = bool(get_flag(data, "admin"))
        if roles is None and not admin_only:
            return await handler(event, data)
        actor: Actor | None = data.get("actor")
        # The administrator's flag opens /neworg only: in an organisation they act by the
        # roles they hold there, like anyone (else one without a membership reached screens
        # that need an organisation, and one who is a mentee somewhere could read its bank).
        allowed = actor is not None and (
            actor.has_any(roles) if roles is not None else actor.is_admin
        )
        if allowed:
            return await handler(event, data)
        i18n: I18nContext = data["i18n"]
        text = i18n.get("error-not-allowed")
        if isinstance(event, CallbackQuery):
            await event.answer(text, show_alert=True)
        elif isinstance(event, Message):
            await event.answer(text)
        if actor is not None:
            # A role that went elsewhere (a console, another process) leaves the person's menu
            # as it was set: the refusal brings it up to date (a no-op when it already is).
            await set_person_menu(
                data["bot"],
                i18n.core,
                data["session"],
                actor.telegram_id,
                actor.is_admin,
                i18n.locale,
            )
        return None
