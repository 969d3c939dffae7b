"""The one source of 'now', so tests can move time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self, timezone: str) -> date:
        return self.now().astimezone(ZoneInfo(timezone)).date()


class FrozenClock(Clock):
    """A clock that stands still until moved; for tests and benchmarks."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)
