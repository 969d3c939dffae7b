"""The curator's desk commands as people use them: /export gives XLSX files, /stats one screen,
/report a DOCX, /site the page in two files; a mentor is refused every one of them."""

from __future__ import annotations

import io

from aiogram.methods import SendPhoto
from aiogram.types import BufferedInputFile
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from models import Organisation
from tests.harness import Harness
from tests.pairs_fixture import kindergarten_with_pair


async def test_the_curator_exports_counts_reports_and_publishes(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    curator = garden.curator
    await curator.sends("/export")
    screen = curator.last_reply()
    assert screen is not None and "Выгрузка в Excel" in screen.text
    await curator.taps("Банки наставляемых и наставников")
    files = [sent for sent in curator.transcript if sent.document_name]
    # Named in Russian, with the kindergarten's short name («Д/с № 5») and its day, safely.
    day = clock.today("Europe/Moscow").isoformat()
    assert files[-1].document_name == f"Банки_наставников_и_наставляемых_Д_с_5_{day}.xlsx"
    assert files[-1].document is not None
    book = load_workbook(io.BytesIO(files[-1].document))
    assert book.sheetnames == ["Банк наставляемых", "Банк наставников"]
    await curator.taps("Всё в одном файле")
    everything = load_workbook(io.BytesIO(curator.transcript[-1].document or b""))
    assert len(everything.sheetnames) == 7

    await curator.sends("/stats")
    stats = curator.texts()[-1]
    assert "Наставничество с 01.09.2026 по 31.08.2027" in stats
    assert "Наставляемых без наставника: 0" in stats
    chart = app.session.calls_of(SendPhoto)[-1]  # the active pair's form, drawn
    assert chart.chat_id == curator.telegram_id and chart.caption == "Те же цифры на графике."
    assert isinstance(chart.photo, BufferedInputFile) and chart.photo.data.startswith(b"\x89PNG")

    await curator.sends("/report")
    await curator.taps("За этот учебный год")
    report = curator.transcript[-1]
    assert report.document_name == f"Аналитический_отчёт_2026-2027_Д_с_5_{day}.docx"
    assert report.document is not None
    document = Document(io.BytesIO(report.document))
    assert document.paragraphs[0].text == "Итоговый аналитический отчёт"

    await curator.sends("/site")
    names = [sent.document_name for sent in curator.transcript[-2:]]
    page = f"Страница_Наставничество_Д_с_5_{day}"
    assert names == [f"{page}.html", f"{page}.md"]

    mentor = garden.mentor
    for command in ("/export", "/stats", "/report", "/site", "/broadcast", "/settings"):
        await mentor.sends(command)
        assert mentor.texts()[-1] == "Это действие недоступно в вашей роли."
    assert not [
        photo for photo in app.session.calls_of(SendPhoto) if photo.chat_id == mentor.telegram_id
    ]


async def test_settings_decide_who_broadcasts_and_who_sees_the_ratings(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    curator, mentor = garden.curator, garden.mentor
    await mentor.sends("/ratings")
    assert "наставникам — если организация это включила" in mentor.texts()[-1]
    await curator.sends("/ratings")
    assert "Рейтинг наставников" in curator.texts()[-1] and "Смирнова" in curator.texts()[-1]
    await curator.sends("/settings")
    assert "▫️ Наставники видят рейтинг наставников" in curator.texts()[-1]
    await curator.taps("Включить: рейтинг для наставников")
    assert "✅ Наставники видят рейтинг наставников" in curator.texts()[-1]
    await mentor.sends("/ratings")
    assert "Рейтинг наставников" in mentor.texts()[-1]
    await mentor.presses("org_setting:head_may_broadcast")  # a mentor's forged toggle
    assert mentor.texts()[-1].startswith("<b>Рейтинг")  # nothing changed for them
    async with sessionmaker() as session:
        organisation = (await session.scalars(select(Organisation))).one()
    assert organisation.ratings_for_mentors and not organisation.head_may_broadcast
