"""The peer: the bot most aiogram users would write for the benchmark's two steps.

The stock stack, used as its documentation shows: an outer middleware opens one
`async_sessionmaker(expire_on_commit=False)` session per update; a handler selects the user's
row by Telegram id, changes it, calls `session.commit()` and answers with `message.answer(...)`;
the dialog state lives in aiogram's `MemoryStorage`; the HTTP session is aiogram's own
`AiohttpSession`. Its data is one table, `peer_users`, made with `metadata.create_all`.

* read:  `/profile` answers with a text made from the user's row, and an "edit" button;
* write: in the state `Form.full_name`, the typed text is stored as the full name, and the
  next question (the position, with buttons) is asked in the state `Form.position`.

Three settings follow the app's, so that the comparison is of the code an update runs rather
than of how a database is set up: a SQLite file keeps a write-ahead log synced at checkpoints and
waits as long for a busy file (as bot.db sets them), and the connection pool holds as many
connections as updates may run at once.

In the benchmark it runs in a process of its own (bench/bot_process.py), like the echo bot,
on its own SQLite file or PostgreSQL schema, seeded by `serve` before its first run.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiogram import BaseMiddleware, Dispatcher, F, Router, html
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, TelegramObject
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy import BigInteger, DateTime, String, Text, func, insert, select
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bench.bot_process import BotProcess, ServedBot, stock_bot
from bench.databases import SQLITE, dialect_of, reset_schema, sqlite_write_ahead_log, use_schema
from bot.db import SQLITE_BUSY_TIMEOUT

# --- the bot ----------------------------------------------------------------------------------


class Base(DeclarativeBase):
    pass


class PeerUser(Base):
    __tablename__ = "peer_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(32))
    phone: Mapped[str | None] = mapped_column(String(32))
    birth_year: Mapped[int | None]
    main_request: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Form(StatesGroup):
    full_name = State()
    position = State()


POSITIONS = {
    "educator": "Воспитатель",
    "senior_educator": "Старший воспитатель",
    "music": "Музыкальный руководитель",
    "speech": "Учитель-логопед",
    "psychologist": "Педагог-психолог",
    "other": "Другое",
}


class DbSessionMiddleware(BaseMiddleware):
    """One database session per update, in `data["session"]`."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        async with self.sessionmaker() as session:
            data["session"] = session
            return await handler(event, data)


router = Router(name="peer")


async def get_user(session: AsyncSession, telegram_id: int) -> PeerUser | None:
    return await session.scalar(select(PeerUser).where(PeerUser.telegram_id == telegram_id))


def profile_text(user: PeerUser) -> str:
    def shown(value: object) -> str:
        return html.quote(str(value)) if value is not None else "—"

    position = POSITIONS.get(user.position or "", user.position)
    return "\n".join(
        [
            "<b>Мой профиль</b>",
            f"ФИО: {shown(user.full_name)}",
            f"Должность: {shown(position)}",
            f"Телефон: {shown(user.phone)}",
            f"Год рождения: {shown(user.birth_year)}",
            f"Запрос к наставнику: {shown(user.main_request)}",
        ]
    )


def edit_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text="✏️ Изменить", callback_data="peer:edit")
    return builder.as_markup()


def positions_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code, title in POSITIONS.items():
        builder.button(text=title, callback_data=f"peer:position:{code}")
    builder.adjust(2)
    return builder.as_markup()


@router.message(CommandStart())
async def start(message: Message, session: AsyncSession, state: FSMContext) -> None:
    if message.from_user is None:
        return
    if await get_user(session, message.from_user.id) is None:
        session.add(PeerUser(telegram_id=message.from_user.id, created_at=datetime.now(UTC)))
        await session.commit()
    await state.set_state(Form.full_name)
    await message.answer("Как вас зовут? Напишите фамилию, имя и отчество.")


@router.message(Command("profile"))
async def profile(message: Message, session: AsyncSession) -> None:
    if message.from_user is None:
        return
    user = await get_user(session, message.from_user.id)
    if user is None:
        await message.answer("Вы ещё не зарегистрированы. Начните с /start")
        return
    await message.answer(profile_text(user), reply_markup=edit_keyboard())


@router.message(Form.full_name, F.text)
async def full_name(message: Message, session: AsyncSession, state: FSMContext) -> None:
    if message.from_user is None or message.text is None:
        return
    user = await get_user(session, message.from_user.id)
    if user is None:
        await state.clear()
        await message.answer("Вы ещё не зарегистрированы. Начните с /start")
        return
    user.full_name = message.text.strip()
    user.updated_at = datetime.now(UTC)
    await session.commit()
    await state.set_state(Form.position)
    await message.answer("<b>2/5</b>\nВаша должность?", reply_markup=positions_keyboard())


@router.callback_query(Form.position, F.data.startswith("peer:position:"))
async def position(callback: CallbackQuery, session: AsyncSession, state: FSMContext) -> None:
    user = await get_user(session, callback.from_user.id)
    if user is None or callback.data is None:
        await callback.answer()
        return
    user.position = callback.data.removeprefix("peer:position:")
    user.updated_at = datetime.now(UTC)
    await session.commit()
    await state.clear()
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.answer("Сохранено. Посмотреть профиль: /profile")


def create_peer_dispatcher(sessionmaker: async_sessionmaker[AsyncSession]) -> Dispatcher:
    dispatcher = Dispatcher(storage=MemoryStorage())
    dispatcher.update.outer_middleware(DbSessionMiddleware(sessionmaker))
    dispatcher.include_router(router)
    return dispatcher


def create_peer_engine(url: str, pool_size: int) -> AsyncEngine:
    if dialect_of(url) != SQLITE:
        return create_async_engine(url, pool_size=pool_size)
    # The app's wait for a busy SQLite file (bot.db): with sqlite3's default 5 s, writes under
    # load failed with "database is locked" and the peer's run lost an update.
    busy = {"timeout": SQLITE_BUSY_TIMEOUT}
    engine = create_async_engine(url, pool_size=pool_size, connect_args=busy)
    sqlite_write_ahead_log(engine)
    return engine


# --- in the benchmark -------------------------------------------------------------------------

COMPLETED = {
    "full_name": "Петрова Анна Сергеевна",
    "position": "educator",
    "phone": "+79123456789",
    "birth_year": 1999,
    "main_request": "Как провести родительское собрание",
}
SEED_CHUNK = 2000
SCHEMA = "bench_peer"  # on PostgreSQL


@dataclass(frozen=True)
class PeerOptions:
    database_url: str
    readers: list[int]  # Telegram ids of users with a complete row
    writers: list[int]  # of users with an empty row, their dialog waiting for the full name
    pool_size: int
    created_at: datetime


async def _seed(engine: AsyncEngine, options: PeerOptions) -> None:
    if dialect_of(options.database_url) != SQLITE:
        await reset_schema(options.database_url, SCHEMA)  # then found through use_schema
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.drop_all)
        await connection.run_sync(Base.metadata.create_all)
    empty = dict.fromkeys(COMPLETED)
    rows = [
        {"telegram_id": telegram_id, "created_at": options.created_at, **answers}
        for telegram_ids, answers in ((options.readers, COMPLETED), (options.writers, empty))
        for telegram_id in telegram_ids
    ]
    async with engine.begin() as connection:
        for start in range(0, len(rows), SEED_CHUNK):
            await connection.execute(insert(PeerUser), rows[start : start + SEED_CHUNK])


async def serve(base_url: str, options: PeerOptions) -> ServedBot:
    """The peer bot in its process (bench.bot_process runs it), its database seeded."""
    engine = create_peer_engine(options.database_url, options.pool_size)
    if dialect_of(options.database_url) != SQLITE:
        use_schema(engine, SCHEMA)
    await _seed(engine, options)
    sessionmaker = async_sessionmaker(engine, expire_on_commit=False)
    dispatcher = create_peer_dispatcher(sessionmaker)
    bot = stock_bot(base_url)
    for telegram_id in options.writers:
        await dispatcher.fsm.get_context(bot, telegram_id, telegram_id).set_state(Form.full_name)

    async def check_writes(argument: tuple[list[int], str]) -> tuple[int, int]:
        """Of these users: how many have this full name stored, and asked for the position."""
        ids, name = argument
        async with sessionmaker() as session:
            stored = await session.scalar(
                select(func.count())
                .select_from(PeerUser)
                .where(PeerUser.telegram_id.in_(ids), PeerUser.full_name == name)
            )
        moved_on = 0
        for telegram_id in ids:
            state = dispatcher.fsm.get_context(bot, telegram_id, telegram_id)
            moved_on += await state.get_state() == Form.position.state
        return stored or 0, moved_on

    return ServedBot(dispatcher, bot, {"check_writes": check_writes}, engine.dispose)


def start_peer_bot(base_url: str, options: PeerOptions, concurrency: int | None) -> BotProcess:
    """The peer's process, starting (and seeding its database)."""
    return BotProcess("the peer bot", serve, base_url, options, concurrency)
