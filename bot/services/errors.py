"""An error a person can fix, named by a locale key."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, TypeVar

T = TypeVar("T")


class UserFacingError(Exception):
    """Raised by services; handlers render `key` from locales with `args`."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args


async def unless_refused(found: Awaitable[T]) -> T | None:
    """What a service finds, or None where it refuses: a loader for `dialog_kit.owned`."""
    try:
        return await found
    except UserFacingError:
        return None
