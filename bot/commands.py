"""The command menu per role, through Telegram's command scopes."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from aiogram_i18n.cores import BaseCore
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import LANGUAGES
from models import Membership, MembershipStatus, Role, User
from models.enums import DESK_ROLES

log = logging.getLogger(__name__)

EVERYONE = ("start", "help", "profile", "survey", "privacy", "language", "cancel")
# Each role's own commands, shown first (after start and help); a person may hold several roles.
BY_ROLE: dict[Role, tuple[str, ...]] = {
    Role.MENTEE: ("sos", "plan", "meeting"),
    Role.MENTOR: ("requests", "programme", "plan", "meeting"),
    Role.PSYCHOLOGIST: ("requests", "support"),
    Role.CURATOR: ("bank", "pair", "pairs", "invite", "invites", "org", "requests", "surveys"),
    Role.HEAD: ("bank", "pair", "pairs", "invite", "invites", "org", "requests", "surveys"),
}
DESK = BY_ROLE[Role.CURATOR]
ADMIN = ("neworg",)


def commands_for(roles: set[Role], is_admin: bool) -> list[str]:
    own: list[str] = []
    if is_admin:
        own.extend(ADMIN)
        own.extend(DESK)
    for role in Role:  # a fixed order, whatever order the roles come in
        if role in roles:
            own.extend(name for name in BY_ROLE[role] if name not in own)
    return [*EVERYONE[:2], *own, *EVERYONE[2:]]


def _menu(core: BaseCore[object], names: list[str], locale: str) -> list[BotCommand]:
    return [
        BotCommand(command=name, description=core.get(f"command-{name}", locale)) for name in names
    ]


async def set_user_menu(
    bot: Bot,
    core: BaseCore[object],
    telegram_id: int,
    roles: set[Role],
    is_admin: bool,
    locale: str,
) -> None:
    """Best effort: a menu that fails to update must not fail what the user did."""
    try:
        await bot.set_my_commands(
            _menu(core, commands_for(roles, is_admin), locale),
            scope=BotCommandScopeChat(chat_id=telegram_id),
        )
    except TelegramAPIError as error:
        log.warning("could not set the command menu of a user: %s", error)


async def register_menus(
    bot: Bot,
    core: BaseCore[object],
    sessionmaker: async_sessionmaker[AsyncSession],
    admin_ids: list[int],
    default_language: str,
) -> None:
    """At start-up: the default menu per language, and the wider menus of desk and admins."""
    try:
        for locale in LANGUAGES:
            await bot.set_my_commands(
                _menu(core, list(EVERYONE), locale),
                scope=BotCommandScopeDefault(),
                language_code=None if locale == default_language else locale,
            )
        async with sessionmaker() as session:
            rows = (
                await session.execute(
                    select(User.telegram_id, User.language, Membership.role)
                    .join(Membership, Membership.user_id == User.id)
                    .where(
                        Membership.status == MembershipStatus.ACTIVE,
                        Membership.role.in_(list(DESK_ROLES)),
                    )
                )
            ).all()
        languages: dict[int, str | None] = {}
        roles: dict[int, set[Role]] = {}
        for telegram_id, language, role in rows:
            languages[telegram_id] = language
            roles.setdefault(telegram_id, set()).add(Role(role))
        for telegram_id in sorted(set(roles) | set(admin_ids)):
            await bot.set_my_commands(
                _menu(
                    core,
                    commands_for(roles.get(telegram_id, set()), telegram_id in admin_ids),
                    languages.get(telegram_id) or default_language,
                ),
                scope=BotCommandScopeChat(chat_id=telegram_id),
            )
    except Exception as error:  # the menu is a convenience; the bot must start without it
        log.warning("could not register the command menus: %s", error)
