"""Writing XLSX exports that stay fast and small at any size.

openpyxl's write-only mode streams rows to the file; the rows come from the database page by page
(by keyset, never OFFSET), and each page is written in a worker thread, so the event loop keeps
serving people while a large export is made. Every sheet has its header row frozen, filters on,
readable widths, and dates stored as dates.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

DATE_FORMAT = "DD.MM.YYYY"
MOMENT_FORMAT = "DD.MM.YYYY HH:MM"
MAX_CELL = 32_000  # Excel holds 32,767 characters in a cell


@dataclass(frozen=True)
class Column:
    header: str
    width: int  # in characters


class SheetWriter:
    """One sheet: the header first, then pages of rows (plain values; dates become dates)."""

    def __init__(
        self, book: Workbook, title: str, columns: Sequence[Column], timezone: str = "UTC"
    ) -> None:
        self.zone = ZoneInfo(timezone)  # moments are shown in the organisation's time
        self.sheet: Any = book.create_sheet(title=title[:31])  # write-only: rows appended
        for index, column in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = column.width
        self.sheet.freeze_panes = "A2"
        last = get_column_letter(len(columns))
        self.sheet.auto_filter.ref = f"A1:{last}1"
        self.wrap = Alignment(wrap_text=True, vertical="top")
        bold = Font(bold=True)
        header = []
        for column in columns:
            cell = WriteOnlyCell(self.sheet, value=column.header)
            cell.font = bold
            cell.alignment = self.wrap
            header.append(cell)
        self.sheet.append(header)
        self.rows = 0

    def _cell(self, value: Any) -> Any:
        if isinstance(value, datetime):
            local = value.astimezone(self.zone) if value.tzinfo else value
            cell = WriteOnlyCell(self.sheet, value=local.replace(tzinfo=None))
            cell.number_format = MOMENT_FORMAT
            return cell
        if isinstance(value, date):
            cell = WriteOnlyCell(self.sheet, value=value)
            cell.number_format = DATE_FORMAT
            return cell
        if isinstance(value, str) and len(value) > 60:
            cell = WriteOnlyCell(self.sheet, value=value[:MAX_CELL])
            cell.alignment = self.wrap
            return cell
        return value

    def write(self, rows: Sequence[Sequence[Any]]) -> None:
        for row in rows:
            self.sheet.append([self._cell(value) for value in row])
        self.rows += len(rows)


def new_book() -> Workbook:
    return Workbook(write_only=True)


async def write_pages(writer: SheetWriter, pages: AsyncIterator[Sequence[Sequence[Any]]]) -> int:
    """Each page read from the database is written off the event loop; returns the row count."""
    async for page in pages:
        await asyncio.to_thread(writer.write, page)
    return writer.rows


async def book_bytes(book: Workbook) -> bytes:
    def save() -> bytes:
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    return await asyncio.to_thread(save)
