"""A reply to the person who wrote, sent again when Telegram asks to wait a moment (429) or
fails for a moment (5xx), so that what they typed is not rolled back for it.

Only inside an update: the delivery queue keeps its own pace and retries (bot/delivery.py).
And only what Telegram did not take: a cut connection is not retried, as the message may have
gone, and sending it again would show it twice; the step then fails and apologises.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter, TelegramServerError
from aiogram.methods.base import TelegramType

from bot.fsm_storage import update_session

if TYPE_CHECKING:
    from aiogram import Bot
    from aiogram.methods import Response, TelegramMethod

log = logging.getLogger(__name__)
ATTEMPTS = 3
# The longest wait for one retry, in seconds: the step's transaction stays open meanwhile
# (on SQLite it holds the writer), so a longer pause fails the step instead.
MAX_WAIT = 5
SERVER_ERROR_WAIT = 1


class RetryReplies(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return await make_request(bot, method)
            except (TelegramRetryAfter, TelegramServerError) as error:
                wait = _wait(error)
                if update_session.get() is None or attempt == ATTEMPTS or wait > MAX_WAIT:
                    raise
                log.warning("%s failed (%s); again in %s s", type(method).__name__, error, wait)
                await asyncio.sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")


def _wait(error: TelegramRetryAfter | TelegramServerError) -> int:
    if isinstance(error, TelegramRetryAfter):
        return error.retry_after
    return SERVER_ERROR_WAIT
