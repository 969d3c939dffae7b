"""/delivery: the curator's view of the delivery queue: waiting, sent today, failed, unreachable.
A plain screen: one message, nothing to choose."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.types import Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import outbox
from bot.services.clock import Clock
from bot.services.people import Actor
from bot.ui import esc
from handlers.dialog_kit import command_router
from handlers.roles import DESK

FAILED_SHOWN = 10  # the latest failures listed
ERROR_SHOWN = 80  # characters of each one's error


async def delivery_command(
    message: Message, session: AsyncSession, actor: Actor, clock: Clock, i18n: I18nContext
) -> None:
    organisation = actor.organisation
    if organisation is None:
        await message.answer(i18n.get("error-not-allowed"))
        return
    zone = ZoneInfo(organisation.timezone)
    midnight = datetime.combine(clock.now().astimezone(zone).date(), time(), zone)
    report = await outbox.report(session, organisation.id, midnight, FAILED_SHOWN)
    failed, unreachable = report.failed, report.unreachable
    lines = [
        i18n.get(
            "delivery-summary",
            queued=report.queued,
            sent=report.sent_today,
            failed=len(failed),
            unreachable=len(unreachable),
        )
    ]
    if failed:
        lines.append(i18n.get("delivery-failed-header"))
    for row in failed:
        purpose = i18n.get(f"delivery-purpose-{row.purpose}")
        error = esc((row.last_error or "—")[:ERROR_SHOWN])
        lines.append(i18n.get("delivery-failed-line", purpose=purpose, error=error))
    if unreachable:
        lines.append(i18n.get("delivery-unreachable-header"))
    lines.extend(f"• {esc(name) if name else i18n.get('help-no-name')}" for name in unreachable)
    await message.answer("\n".join(lines))


def router() -> Router:
    return command_router(__name__, "delivery", delivery_command, DESK)
