"""/delivery: the curator's view of the delivery queue: waiting, sent today, failed, unreachable.
A plain screen: one message, nothing to choose."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.types import Message
from aiogram_dialog import DialogManager

from bot.services import outbox
from bot.ui import esc
from handlers.dialog_kit import command_router, ctx
from handlers.roles import DESK

FAILED_SHOWN = 10  # the latest failures listed
ERROR_SHOWN = 80  # characters of each one's error
UNREACHABLE_SHOWN = 30  # the names listed of those who blocked the bot (a region has hundreds)


async def delivery_command(message: Message, dialog_manager: DialogManager) -> None:
    c = ctx(dialog_manager)
    if c.actor.organisation is None:
        await message.answer(c.i18n.get("error-not-allowed"))
        return
    zone = c.actor.timezone
    midnight = datetime.combine(c.clock.today(zone), time(), ZoneInfo(zone))
    report = await outbox.report(
        c.session, c.actor.organisation.id, midnight, FAILED_SHOWN, UNREACHABLE_SHOWN
    )
    failed, unreachable = report.failed, report.unreachable
    counts = {"failed": report.failed_count, "unreachable": report.unreachable_count}
    lines = [
        c.i18n.get("delivery-summary", queued=report.queued, sent=report.sent_today, **counts)
    ]
    if failed:
        lines.append(c.i18n.get("delivery-failed-header"))
    for row in failed:
        purpose = c.i18n.get(f"delivery-purpose-{row.purpose}")
        error = esc((row.last_error or "—")[:ERROR_SHOWN])
        lines.append(c.i18n.get("delivery-failed-line", purpose=purpose, error=error))
    if unreachable:
        lines.append(c.i18n.get("delivery-unreachable-header"))
    lines.extend(f"• {esc(name) if name else c.i18n.get('help-no-name')}" for name in unreachable)
    if report.unreachable_count > len(unreachable):
        more = report.unreachable_count - len(unreachable)
        lines.append(c.i18n.get("delivery-unreachable-more", count=more))
    await message.answer("\n".join(lines))


def router() -> Router:
    return command_router(__name__, "delivery", delivery_command, DESK)
