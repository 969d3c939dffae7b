"""Messages to other people, each in their own language; best effort.

One chat that fails (the person blocked the bot) must not fail the update that caused the message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.services.people import Recipient

log = logging.getLogger(__name__)


async def notify(
    bot: Bot,
    recipients: list[Recipient],
    render: Callable[[str], str],
    default_locale: str,
) -> int:
    """Send `render(locale)` to each recipient; return how many got it."""
    delivered = 0
    for recipient in recipients:
        try:
            await bot.send_message(
                recipient.telegram_id, render(recipient.language or default_locale)
            )
            delivered += 1
        except TelegramAPIError as error:
            log.warning("could not notify chat %s: %s", recipient.telegram_id, error)
    return delivered
