"""Names of the files the desk sends: what it is, the organisation's short name and the day, in
the reader's language, with only characters every system keeps in a file name."""

from __future__ import annotations

import re
from datetime import date, datetime

# Letters (Cyrillic too), digits, dot and hyphen stay; anything else (spaces, quotes, «№», a
# slash) becomes one underscore.
UNSAFE = re.compile(r"[^\w.-]+|_+")
LONGEST_STEM = 120


def _safe(part: str) -> str:
    return UNSAFE.sub("_", part).strip("_.-")


def file_name(title: str, short_name: str, when: date | datetime, extension: str) -> str:
    """E.g. «Банки_наставников_и_наставляемых_ДС_5_2026-12-03.xlsx»; a moment (in the
    organisation's time) adds the hour and minute, for files made several times a day."""
    stamp = f"{when:%Y-%m-%d_%H-%M}" if isinstance(when, datetime) else when.isoformat()
    named = "_".join(part for part in (_safe(title), _safe(short_name)) if part)
    # A long name is shortened, never the day it was made.
    named = named[: LONGEST_STEM - len(stamp) - 1].rstrip("_.-")
    return f"{named}_{stamp}.{extension}" if named else f"{stamp}.{extension}"
