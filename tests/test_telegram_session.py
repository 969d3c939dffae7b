"""The Bot API session: JSON bodies, uploads as forms, answers read as aiogram reads them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiogram.methods import BanChatMember, GetUpdates, SendDocument, SendMessage
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiohttp import web

from bot.telegram_session import JsonSession, json_body

TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz"
KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[
        [InlineKeyboardButton(text="Воспитатель", callback_data="pf:pick:position:educator")],
        [InlineKeyboardButton(text="◀ Назад", callback_data="pf:back:position:")],
    ]
)
MESSAGE = {
    "message_id": 7,
    "date": 1_790_000_000,
    "chat": {"id": 42, "type": "private", "first_name": "Анна"},
    "from": {"id": 4242, "is_bot": True, "first_name": "Nastavnik"},
    "text": "Ваша должность?",
    "reply_markup": KEYBOARD.model_dump(exclude_none=True),
}


def make_bot(session: Any = None) -> Bot:
    return Bot(
        TOKEN,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def test_a_reply_goes_as_one_json_object_with_defaults_and_without_empty_fields() -> None:
    method = SendMessage(chat_id=42, text="Ваша должность?", reply_markup=KEYBOARD)
    body = json_body(make_bot(), method)
    assert body is not None
    assert json.loads(body) == {
        "chat_id": 42,
        "text": "Ваша должность?",
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True},
        "disable_web_page_preview": True,  # aiogram's form sends this older default too
        "reply_markup": {
            "inline_keyboard": [
                [{"text": "Воспитатель", "callback_data": "pf:pick:position:educator"}],
                [{"text": "◀ Назад", "callback_data": "pf:back:position:"}],
            ]
        },
    }
    assert "Воспитатель".encode() in body  # UTF-8 as it is, not escaped


def test_reply_keyboards_and_their_removal_go_as_telegram_reads_them() -> None:
    share = ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text="📱 Поделиться номером", request_contact=True)]],
        resize_keyboard=True,
    )
    body = json_body(make_bot(), SendMessage(chat_id=42, text="Телефон?", reply_markup=share))
    assert body is not None and json.loads(body)["reply_markup"] == {
        "keyboard": [[{"text": "📱 Поделиться номером", "request_contact": True}]],
        "resize_keyboard": True,
    }
    removal = SendMessage(chat_id=42, text="Спасибо", reply_markup=ReplyKeyboardRemove())
    body = json_body(make_bot(), removal)
    assert body is not None and json.loads(body)["reply_markup"] == {"remove_keyboard": True}


def test_dates_go_as_unix_time_and_uploads_are_left_to_the_form() -> None:
    until = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    body = json_body(make_bot(), BanChatMember(chat_id=-100, user_id=5, until_date=until))
    assert body is not None and json.loads(body)["until_date"] == int(until.timestamp())
    document = BufferedInputFile(b"id;name\n", filename="bank.csv")
    assert json_body(make_bot(), SendDocument(chat_id=42, document=document)) is None


def test_answers_are_read_as_aiogram_reads_them() -> None:
    bot, ours, aiogram = make_bot(), JsonSession(), AiohttpSession()
    method = SendMessage(chat_id=42, text="Ваша должность?", reply_markup=KEYBOARD)
    content = json.dumps({"ok": True, "result": MESSAGE})
    read = ours.check_response(bot, method, 200, content).result
    expected = aiogram.check_response(bot, method, 200, content).result
    assert read is not None and expected is not None
    assert read.model_dump() == expected.model_dump() and read.bot is bot
    assert read.reply_markup is KEYBOARD  # the keyboard sent, not parsed back
    plain = SendMessage(chat_id=42, text="Ваша должность?")  # no keyboard sent: parsed
    parsed = ours.check_response(bot, plain, 200, content).result
    assert parsed is not None and parsed.model_dump() == expected.model_dump()
    updates = json.dumps({"ok": True, "result": [{"update_id": 1, "message": MESSAGE}]})
    [update] = ours.check_response(bot, GetUpdates(), 200, updates).result or []
    assert update.message is not None and update.message.text == "Ваша должность?"


def test_a_success_is_read_without_aiogram_reading_it_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unexpected(*_: Any) -> None:
        raise AssertionError("read twice")

    monkeypatch.setattr(AiohttpSession, "check_response", unexpected)
    content = json.dumps({"ok": True, "result": MESSAGE})
    method = SendMessage(chat_id=42, text="-")
    read = JsonSession().check_response(make_bot(), method, 200, content).result
    assert read is not None and read.message_id == 7


def test_errors_raise_what_aiogram_raises() -> None:
    bot, session = make_bot(), JsonSession()
    method = SendMessage(chat_id=42, text="-")
    bad = json.dumps(
        {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
    )
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        session.check_response(bot, method, 400, bad)
    flood = json.dumps(
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 3",
            "parameters": {"retry_after": 3},
        }
    )
    with pytest.raises(TelegramRetryAfter) as raised:
        session.check_response(bot, method, 429, flood)
    assert raised.value.retry_after == 3


@pytest.fixture
async def bot_api() -> AsyncIterator[tuple[str, list[tuple[str, str, bytes]]]]:
    """A local Bot API that records (method, content type, body) and answers with a message."""
    received: list[tuple[str, str, bytes]] = []

    async def method(request: web.Request) -> web.Response:
        received.append((request.match_info["method"], request.content_type, await request.read()))
        return web.json_response({"ok": True, "result": MESSAGE})

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", method)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}", received
    await runner.cleanup()


async def test_over_http_a_reply_is_json_and_a_file_is_multipart(
    bot_api: tuple[str, list[tuple[str, str, bytes]]],
) -> None:
    base_url, received = bot_api
    bot = make_bot(JsonSession(api=TelegramAPIServer.from_base(base_url)))
    try:
        sent = await bot.send_message(42, "Ваша должность?", reply_markup=KEYBOARD)
        await bot.send_document(42, BufferedInputFile(b"id;name\n", filename="bank.csv"))
    finally:
        await bot.session.close()
    assert sent.message_id == 7 and sent.reply_markup is not None
    (first, json_type, body), (second, form_type, upload) = received
    assert (first, json_type) == ("sendMessage", "application/json")
    assert json.loads(body)["reply_markup"]["inline_keyboard"][0][0]["text"] == "Воспитатель"
    assert (second, form_type) == ("sendDocument", "multipart/form-data")
    assert b'filename="bank.csv"' in upload and b"id;name" in upload
