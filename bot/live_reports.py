"""The broadcasts' live reports: each redrawn where its author sees it as its messages go
(bot/app.py runs `keep_reports_live` while the bot runs)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from aiogram import Bot
from aiogram_dialog import BgManagerFactory
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services import broadcasts
from bot.services.clock import Clock

log = logging.getLogger(__name__)
LIVE_FOR = timedelta(days=1)  # how long after sending a report still redraws itself
REFRESH_SECONDS = 5.0  # at most one redraw of a report this often (Telegram's limits)


async def refresh_live_reports(
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    dialogs_bg: BgManagerFactory,
    shown: dict[int, broadcasts.Report],
) -> int:
    """One pass: each report whose counts changed since it was last drawn (`shown`, updated
    here) is redrawn where its author sees it; returns how many. The counts are read in a
    transaction of their own, closed before anything is sent. The redraw is aiogram-dialog's
    background update of the author's dialog (it goes through the middlewares like any
    update): the window on top is drawn again, so the report shows its new counts, and any
    other window the author has moved on to stays as it was (Telegram: "not modified")."""
    async with sessionmaker() as session:
        live = await broadcasts.live_reports(session, clock.now() - LIVE_FOR)
    redrawn = 0
    for item in live:
        if shown.get(item.broadcast_id) == item.report:
            continue
        shown[item.broadcast_id] = item.report
        await dialogs_bg.bg(bot, item.chat_id, item.chat_id).update({})
        redrawn += 1
    for gone in shown.keys() - {item.broadcast_id for item in live}:  # older than LIVE_FOR
        del shown[gone]
    return redrawn


async def keep_reports_live(
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    dialogs_bg: BgManagerFactory,
    stop: asyncio.Event,
) -> None:
    """refresh_live_reports every REFRESH_SECONDS until `stop` is set."""
    shown: dict[int, broadcasts.Report] = {}
    while not stop.is_set():
        try:
            await refresh_live_reports(bot, sessionmaker, clock, dialogs_bg, shown)
        except Exception:  # the database, say: the next pass tries again
            log.exception("could not refresh the broadcasts' live reports")
        try:
            async with asyncio.timeout(REFRESH_SECONDS):
                await stop.wait()
        except TimeoutError:
            pass
