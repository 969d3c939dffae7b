"""The periodic jobs, one module each, and what each is given; bot/scheduler.py runs them.

They sit below the handlers: what a job shares with a dialog (texts, buttons) lives in bot/.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot
from aiogram_i18n.cores import BaseCore
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.services.clock import Clock


@dataclass(frozen=True)
class JobContext:
    """What every job is given: the bot to send with, the database, the time, the texts."""

    bot: Bot
    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Clock
    core: BaseCore[object]
    settings: Settings
