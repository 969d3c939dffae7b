"""The desk's file names: safe characters only, and the day kept however long the name."""

from __future__ import annotations

from datetime import date, datetime

from bot.services.file_names import LONGEST_STEM, file_name


def test_unsafe_characters_become_one_underscore() -> None:
    name = file_name("Отчёт за год", "«Д/с № 5»", date(2026, 12, 3), "docx")
    assert name == "Отчёт_за_год_Д_с_5_2026-12-03.docx"


def test_a_long_name_is_shortened_but_keeps_its_day_and_time() -> None:
    short_name = "Детский сад комбинированного вида " * 6
    name = file_name(
        "Банки наставников и наставляемых", short_name, datetime(2026, 12, 3, 9, 5), "xlsx"
    )
    stem = name.removesuffix(".xlsx")
    assert len(stem) <= LONGEST_STEM
    assert stem.startswith("Банки_наставников_и_наставляемых_Детский_сад")
    assert stem.endswith("_2026-12-03_09-05") and "__" not in stem
