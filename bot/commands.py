"""The command menu per role, through Telegram's command scopes.

Every menu set is remembered by a signature (a hash of its commands and their descriptions):
`users.menu_signature` for a person's own menu, `app_state` for the default menus. Start-up
(`sync_menus`) then sets only the menus whose signature changed, so a restart with nothing new
costs no calls, while a new version of the bot or a changed text reaches everyone.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramRetryAfter
from aiogram.methods import DeleteMyCommands, SetMyCommands
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from aiogram_i18n.cores import BaseCore
from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import LANGUAGES
from bot.services.broadcasts import may_broadcast
from bot.services.people import Actor
from bot.services.ratings import shown_to as ratings_shown_to
from models import AppState, Membership, MembershipStatus, Role, User
from models.base import startup_turn

log = logging.getLogger(__name__)

EVERYONE = (
    "start",
    "help",
    "profile",
    "survey",
    "events",
    "reminders",
    "privacy",
    "language",
    "cancel",
)
DESK = (
    "bank",
    "pair",
    "pairs",
    "invite",
    "invites",
    "org",
    "requests",
    "surveys",
    "roadmap",
    "broadcast",
    "stats",
    "ratings",
    "export",
    "report",
    "site",
    "settings",
    "delivery",
    "overdue",
)
# Each role's own commands, shown first (after start and help); a person may hold several roles.
BY_ROLE: dict[Role, tuple[str, ...]] = {
    Role.MENTEE: ("sos", "plan", "meeting", "final_report"),
    Role.MENTOR: ("requests", "programme", "plan", "meeting", "final_report"),
    Role.PSYCHOLOGIST: ("requests", "support"),
    Role.CURATOR: DESK,
    # The head approves pairs (the curator forms them) and announces only where allowed.
    Role.HEAD: tuple(name for name in DESK if name not in ("pair", "broadcast")),
}
# Commands a role has only where its organisation's settings allow them: left out of the
# menu by role (the settings change without the menus being set again), listed by /help.
BY_SETTING: dict[str, Callable[[Actor], bool]] = {
    "broadcast": may_broadcast,  # the head, where the organisation allows it
    "ratings": ratings_shown_to,  # mentors, where the organisation shows them the ratings
}
ADMIN = ("neworg",)

DEFAULT_MENUS_KEY = "menus.default"
# The menu of an administrator who has no users row yet is remembered here, by Telegram id.
CHAT_MENU_KEY = "menus.chat."
# People read and their signatures stored per batch: short transactions, fresh roles.
BATCH = 200
# Tries of one call under Telegram's flood control (429) before it is left for the next start.
ATTEMPTS = 3


def commands_for(roles: set[Role], is_admin: bool, also: Iterable[str] = ()) -> list[str]:
    """The commands of a person with `roles`, and `also` those their settings allow."""
    # An administrator founds organisations; inside one they act by the roles they hold there.
    own: list[str] = list(ADMIN) if is_admin else []
    for role in Role:  # a fixed order, whatever order the roles come in
        if role in roles:
            own.extend(name for name in BY_ROLE[role] if name not in own)
    own.extend(name for name in also if name not in own)
    return [*EVERYONE[:2], *own, *EVERYONE[2:]]


def commands_of(actor: Actor) -> list[str]:
    """What /help lists: the person's commands in their organisation as it is set now."""
    allowed = [name for name, allows in BY_SETTING.items() if allows(actor)]
    return commands_for(actor.roles, actor.is_admin, allowed)


def _menu(core: BaseCore[Any], names: Iterable[str], locale: str) -> list[BotCommand]:
    return [
        BotCommand(command=name, description=core.get(f"command-{name}", locale)) for name in names
    ]


def signature(menus: Iterable[tuple[str | None, Sequence[BotCommand]]]) -> str:
    """A short stable hash of menus, each with its language code (None: no language)."""
    digest = hashlib.sha256()
    for language, commands in menus:
        digest.update(f"[{language or ''}]\n".encode())
        for command in commands:
            digest.update(f"{command.command}\t{command.description}\n".encode())
    return digest.hexdigest()[:32]


def menu_signature(core: BaseCore[Any], roles: set[Role], is_admin: bool, locale: str) -> str:
    """The signature of a person's own menu (the commands and their texts in `locale`)."""
    return signature([(None, _menu(core, commands_for(roles, is_admin), locale))])


def _needs_own_menu(roles: set[Role], is_admin: bool) -> bool:
    # Without roles a person sees the default menu; their chat needs no menu of its own.
    return commands_for(roles, is_admin) != list(EVERYONE)


class _Telegram:
    """Menu calls that never raise: a failure is logged and reported as False."""

    def __init__(self, bot: Bot, attempts: int) -> None:
        self.bot = bot
        self.attempts = attempts
        self.calls = 0

    async def __call__(self, method: SetMyCommands | DeleteMyCommands) -> bool:
        for attempt in range(1, self.attempts + 1):
            self.calls += 1
            try:
                await self.bot(method)
                return True
            except TelegramRetryAfter as error:
                if attempt == self.attempts:
                    log.warning("command menus: flood control, one menu left for later")
                    return False
                await asyncio.sleep(error.retry_after)
            except TelegramAPIError as error:
                log.warning("could not set a command menu: %s", error)
                return False
        return False


def _chat_menu(
    commands: list[BotCommand] | None, telegram_id: int
) -> SetMyCommands | DeleteMyCommands:
    scope = BotCommandScopeChat(chat_id=telegram_id)
    if commands is None:  # back to the default menu
        return DeleteMyCommands(scope=scope)
    return SetMyCommands(commands=commands, scope=scope)


@dataclass
class _Person:
    telegram_id: int
    user_id: int | None  # None: an administrator without a users row (app_state keeps it)
    language: str | None
    stored: str | None
    roles: set[Role]


async def sync_menus(
    bot: Bot,
    core: BaseCore[Any],
    sessionmaker: async_sessionmaker[AsyncSession],
    admin_ids: Sequence[int],
    default_language: str,
) -> int:
    """Set the menus that differ from the ones last set; returns how many calls it made.

    Meant to run in the background once the bot runs: it never raises (but can be cancelled),
    a person whose menu fails is left for the next start, and flood control is waited out.
    """
    telegram = _Telegram(bot, ATTEMPTS)
    try:
        await _sync_default_menus(telegram, core, sessionmaker, default_language)
        menus = _MenuCache(core)
        after = 0
        while people := await _people_after(sessionmaker, after, admin_ids):
            after = max(person.user_id or 0 for person in people)  # all have one here
            await _sync_people(telegram, sessionmaker, menus, people, admin_ids, default_language)
        rowless = await _admins_without_row(sessionmaker, admin_ids)
        await _sync_people(telegram, sessionmaker, menus, rowless, admin_ids, default_language)
    except Exception:  # the menus are a convenience; the bot goes on without them
        log.exception("could not bring the command menus up to date")
    if telegram.calls:
        log.info("command menus: %d calls", telegram.calls)
    return telegram.calls


async def _sync_default_menus(
    telegram: _Telegram,
    core: BaseCore[Any],
    sessionmaker: async_sessionmaker[AsyncSession],
    default_language: str,
) -> None:
    # The default language's menu goes without a language code: it is what every other
    # language without a menu of its own falls back to.
    menus = [
        (None if locale == default_language else locale, _menu(core, EVERYONE, locale))
        for locale in LANGUAGES
    ]
    wanted = signature(menus)
    async with sessionmaker() as session:
        stored = await session.get(AppState, DEFAULT_MENUS_KEY)
        if stored is not None and stored.value == wanted:
            return
    done = [
        await telegram(
            SetMyCommands(commands=commands, scope=BotCommandScopeDefault(), language_code=code)
        )
        for code, commands in menus
    ]
    if all(done):
        async with sessionmaker.begin() as session:
            await startup_turn(session)  # another process starting now may store it too
            await session.merge(AppState(key=DEFAULT_MENUS_KEY, value=wanted))


class _MenuCache:
    """Menus and their signatures by roles and language: a thousand curators share one."""

    def __init__(self, core: BaseCore[Any]) -> None:
        self.core = core
        self.known: dict[tuple[frozenset[Role], bool, str], tuple[list[BotCommand], str]] = {}

    def get(self, roles: set[Role], is_admin: bool, locale: str) -> tuple[list[BotCommand], str]:
        key = (frozenset(roles), is_admin, locale)
        if key not in self.known:
            commands = _menu(self.core, commands_for(roles, is_admin), locale)
            self.known[key] = (commands, signature([(None, commands)]))
        return self.known[key]


async def _people_after(
    sessionmaker: async_sessionmaker[AsyncSession], after: int, admin_ids: Sequence[int]
) -> list[_Person]:
    """The next batch of people who may need a menu of their own or had one (by users.id)."""
    has_role = exists().where(
        Membership.user_id == User.id, Membership.status == MembershipStatus.ACTIVE
    )
    async with sessionmaker() as session:
        users = (
            await session.execute(
                select(User.id, User.telegram_id, User.language, User.menu_signature)
                .where(
                    User.id > after,
                    or_(
                        has_role,
                        User.menu_signature.is_not(None),
                        User.telegram_id.in_(list(admin_ids)),
                    ),
                )
                .order_by(User.id)
                .limit(BATCH)
            )
        ).all()
        if not users:
            return []
        roles: dict[int, set[Role]] = {}
        for user_id, role in await session.execute(
            select(Membership.user_id, Membership.role).where(
                Membership.user_id.in_([user.id for user in users]),
                Membership.status == MembershipStatus.ACTIVE,
            )
        ):
            roles.setdefault(user_id, set()).add(Role(role))
    return [
        _Person(telegram_id, user_id, language, stored, roles.get(user_id, set()))
        for user_id, telegram_id, language, stored in users
    ]


async def _admins_without_row(
    sessionmaker: async_sessionmaker[AsyncSession], admin_ids: Sequence[int]
) -> list[_Person]:
    """Administrators who never used the bot, and former ones whose menu app_state keeps."""
    async with sessionmaker() as session:
        kept = {
            int(state.key.removeprefix(CHAT_MENU_KEY)): state.value
            for state in await session.scalars(
                select(AppState).where(AppState.key.startswith(CHAT_MENU_KEY, autoescape=True))
            )
        }
        with_row = set(
            await session.scalars(
                select(User.telegram_id).where(User.telegram_id.in_(sorted({*admin_ids, *kept})))
            )
        )
    if kept.keys() & with_row:  # they have a row now, which keeps their menu from here on
        async with sessionmaker.begin() as session:
            await session.execute(
                delete(AppState).where(
                    AppState.key.in_([f"{CHAT_MENU_KEY}{tid}" for tid in kept.keys() & with_row])
                )
            )
    return [
        _Person(telegram_id, None, None, kept.get(telegram_id), set())
        for telegram_id in sorted({*admin_ids, *kept} - with_row)
    ]


async def _sync_people(
    telegram: _Telegram,
    sessionmaker: async_sessionmaker[AsyncSession],
    menus: _MenuCache,
    people: list[_Person],
    admin_ids: Sequence[int],
    default_language: str,
) -> None:
    changed: list[tuple[_Person, str | None]] = []
    for person in people:
        is_admin = person.telegram_id in admin_ids
        # What the bot speaks to them in when their Telegram language is not at hand.
        locale = default_language
        if person.language in LANGUAGES and person.language is not None:
            locale = person.language
        commands: list[BotCommand] | None = None
        wanted: str | None = None
        if _needs_own_menu(person.roles, is_admin):
            commands, wanted = menus.get(person.roles, is_admin, locale)
        if wanted != person.stored and await telegram(_chat_menu(commands, person.telegram_id)):
            changed.append((person, wanted))
    if changed:
        async with sessionmaker.begin() as session:
            await startup_turn(session)
            for person, wanted in changed:
                await _store(session, person.telegram_id, person.user_id, wanted)


async def _store(
    session: AsyncSession, telegram_id: int, user_id: int | None, wanted: str | None
) -> None:
    if user_id is not None:
        await session.execute(update(User).where(User.id == user_id).values(menu_signature=wanted))
    elif wanted is None:
        await session.execute(
            delete(AppState).where(AppState.key == f"{CHAT_MENU_KEY}{telegram_id}")
        )
    else:
        await session.merge(AppState(key=f"{CHAT_MENU_KEY}{telegram_id}", value=wanted))


async def set_person_menu(
    bot: Bot,
    core: BaseCore[Any],
    session: AsyncSession,
    telegram_id: int,
    is_admin: bool,
    locale: str,
) -> bool:
    """After a person's roles changed in their own update: set their menu if it differs.

    The roles are read from `session`, so changes the update has made count; the signature is
    stored in the same transaction. Best effort: a failed call does not fail what the person
    did (the next start sets the menu), and flood control is not waited out in an update.
    Returns whether a call was made and succeeded.
    """
    user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
    roles: set[Role] = set()
    stored: str | None
    if user is not None:
        stored = user.menu_signature
        roles = {
            Role(role)
            for role in await session.scalars(
                select(Membership.role).where(
                    Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE
                )
            )
        }
    else:
        state = await session.get(AppState, f"{CHAT_MENU_KEY}{telegram_id}")
        stored = state.value if state is not None else None
    commands: list[BotCommand] | None = None
    wanted: str | None = None
    if _needs_own_menu(roles, is_admin):
        commands = _menu(core, commands_for(roles, is_admin), locale)
        wanted = signature([(None, commands)])
    if wanted == stored or not await _Telegram(bot, 1)(_chat_menu(commands, telegram_id)):
        return False
    await _store(session, telegram_id, user.id if user is not None else None, wanted)
    return True
