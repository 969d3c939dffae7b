"""The log's set-up: one line a record, and no person's Telegram ids in it."""

from __future__ import annotations

import logging


class NoTelegramIds(logging.Filter):
    """aiogram-dialog names a person's user and chat ids in its warnings ("Stack is broken for
    user …, chat …"); they are personal data, and the log keeps no personal data."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("aiogram_dialog") and isinstance(record.args, tuple):
            record.args = tuple("…" if isinstance(arg, int) else arg for arg in record.args)
        return True


def configure(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(NoTelegramIds())
