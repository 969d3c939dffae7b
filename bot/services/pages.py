"""Lists and texts cut to fit: pages of a list, a line on a button, messages of at most
Telegram's length."""

from __future__ import annotations

from typing import TypeVarTuple

from sqlalchemy import Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

MESSAGE_LIMIT = 4096  # Telegram's, counted on what a message shows
BUTTON_TEXT = 40
Columns = TypeVarTuple("Columns")


def page_bounds(total: int, number: int, size: int) -> tuple[int, int]:
    """How many pages `total` items make (one at least), and page `number` within them: a page
    past the last (the list got shorter since it was shown) is the last."""
    pages = max(1, -(-total // size))
    return pages, min(max(number, 0), pages - 1)


async def read_page(
    session: AsyncSession, query: Select[*Columns], number: int, size: int
) -> tuple[list[Row[*Columns]], int]:
    """Page `number` of `size` rows of an ordered `query` (within `page_bounds`), read by the
    page, and how many pages there are."""
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages, number = page_bounds(total, number, size)
    return list(await session.execute(query.offset(number * size).limit(size))), pages


def short(text: str, limit: int = BUTTON_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def paginate(blocks: list[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Blocks joined into messages of at most `limit` characters, split between blocks."""
    pages: list[str] = []
    current = ""
    for block in blocks:
        while len(block) > limit:  # only a pathological block: split at a space, never in a tag
            cut = max(block.rfind(" ", 0, limit), block.rfind("\n", 0, limit))
            cut = cut if cut > 0 else limit
            blocks_head, block = block[:cut], block[cut:].lstrip()
            if current:
                pages.append(current)
                current = ""
            pages.append(blocks_head)
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) > limit:
            pages.append(current)
            candidate = block
        current = candidate
    if current:
        pages.append(current)
    return pages or [""]
