"""Which time zone names the bot accepts: one rule for the settings and for /neworg."""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo, available_timezones

# Longer than any IANA name (and than the organisations.timezone column).
ZONE_NAME_LIMIT = 64


@cache
def _known_zones() -> frozenset[str]:
    # Read once: the tz database does not change while the bot runs.
    return frozenset(available_timezones())


def is_known_zone(name: str) -> bool:
    """Whether `name` is an Area/Location zone of the tz database, such as Europe/Moscow.

    A membership test rather than ZoneInfo(name) alone: that opens files by the given path,
    so a folder ("Europe"), a path ("Europe/../etc") or a very long name fails with whatever
    the file system says, not with ZoneInfoNotFoundError. Names without an area ("UTC", "EST",
    "localtime") are not the zone of a kindergarten.
    """
    if not name or len(name) > ZONE_NAME_LIMIT or "/" not in name:
        return False
    if name not in _known_zones():
        return False
    try:
        ZoneInfo(name)
    except Exception:  # a listed file that cannot be read is no zone to store either
        return False
    return True
