"""What a person typed, as it may be kept and shown to others.

Telegram passes on characters nobody sees: a message of only zero-width spaces or a Hangul
filler looks empty yet is not, and went to the mentor as a blank help request; a
right-to-left override turns the rest of the line round, the bot's own words after it too.
"""

from __future__ import annotations

import re
import unicodedata

# Bidirectional embeddings, overrides and isolates: they reorder what follows them.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Control characters but the line break and the tab (PostgreSQL refuses a NUL in text).
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Letters that are drawn as nothing: the Hangul fillers and the blank Braille cell.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def typed_text(text: str | None) -> str:
    """`text` without the characters that reorder or corrupt it; empty when nothing of it
    would be seen (spaces, zero-width characters, fillers), so it is refused as empty."""
    cleaned = CONTROLS.sub("", BIDI_CONTROLS.sub("", text or ""))
    return cleaned if any(_seen(character) for character in cleaned) else ""


def _seen(character: str) -> bool:
    if character.isspace() or character in BLANK_LETTERS:
        return False
    return unicodedata.category(character) != "Cf"  # format characters: zero-width and the like
