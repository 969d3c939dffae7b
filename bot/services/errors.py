"""An error a person can fix, named by a locale key."""

from __future__ import annotations

from typing import Any


class UserFacingError(Exception):
    """Raised by services; handlers render `key` from locales with `args`."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args
