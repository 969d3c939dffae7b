"""Drive the real Dispatcher as people would, with a Bot whose session records every API call.

The session answers each call the way Telegram would (a sent message gets an id and comes back
with its text and keyboard), keeps each chat's transcript with edits applied, and can be told
that a person blocked the bot or that a method fails.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import os
import re
from collections import defaultdict
from collections.abc import AsyncGenerator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.client.default import Default, DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    GetMe,
    SendAnimation,
    SendAudio,
    SendDocument,
    SendMessage,
    SendPhoto,
    SendVideo,
    SendVideoNote,
    SendVoice,
    SetMyCommands,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import (
    CallbackQuery,
    Chat,
    Contact,
    Document,
    InlineKeyboardMarkup,
    Message,
    PhotoSize,
    ReplyKeyboardMarkup,
    Sticker,
    Update,
    User,
    VideoNote,
    Voice,
)
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import create_sender

BOT_ID = 4242
BOT_USERNAME = "nastavnik_test_bot"
# Media sent by Telegram file id (relayed messages): the method and its file field.
MEDIA_METHODS: dict[type[TelegramMethod[Any]], str] = {
    SendPhoto: "photo",
    SendVoice: "voice",
    SendVideo: "video",
    SendVideoNote: "video_note",
    SendAudio: "audio",
    SendAnimation: "animation",
    SendDocument: "document",
}


TEXT_LIMIT, CAPTION_LIMIT = 4096, 1024  # Telegram's, counted after the markup is parsed


def visible(text: str) -> str:
    """A text in HTML parse mode as Telegram counts it: without its tags, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def telegram_length(text: str) -> int:
    """How long Telegram counts a shown text: in UTF-16 code units (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Sent:
    """A message as the person sees it in their chat, edits applied."""

    message_id: int
    chat_id: int
    text: str
    markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None
    document: bytes | None = None
    document_name: str | None = None
    kind: str = "text"  # or the media sent by file id: photo, voice, document, ...
    file_id: str | None = None

    @property
    def buttons(self) -> list[str]:
        if isinstance(self.markup, InlineKeyboardMarkup):
            return [b.text for row in self.markup.inline_keyboard for b in row]
        if isinstance(self.markup, ReplyKeyboardMarkup):
            return [b.text for row in self.markup.keyboard for b in row]
        return []


class RecordingSession(BaseSession):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[TelegramMethod[Any]] = []
        self.chats: dict[int, list[Sent]] = defaultdict(list)
        self.blocked: set[int] = set()
        self.failing_methods: set[type[TelegramMethod[Any]]] = set()
        self.unknown_files: set[str] = set()  # file ids Telegram does not know (any more)
        self._ids = itertools.count(1000)

    async def close(self) -> None:
        return None

    async def stream_content(self, *args: Any, **kwargs: Any) -> AsyncGenerator[bytes, None]:
        yield b""

    def _message(self, chat_id: int, message_id: int, text: str | None, markup: Any) -> Message:
        return Message(
            message_id=message_id,
            date=datetime.now(UTC),
            chat=Chat(id=chat_id, type="private"),
            from_user=User(id=BOT_ID, is_bot=True, first_name="Nastavnik"),
            text=text,
            reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
        )

    def _find(self, chat_id: int, message_id: int) -> Sent:
        for sent in self.chats[chat_id]:
            if sent.message_id == message_id:
                return sent
        raise TelegramBadRequest(
            SendMessage(chat_id=chat_id, text="-"), "Bad Request: message to edit not found"
        )

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - the signature aiogram calls
    ) -> TelegramType:
        self.calls.append(method)
        refused = telegram_refuses(bot, method)
        if refused:
            raise TelegramBadRequest(method, f"Bad Request: {refused}")
        if type(method) in self.failing_methods:
            raise TelegramBadRequest(method, "Bad Request: simulated failure")
        chat_id = getattr(method, "chat_id", None)
        if chat_id is not None and int(chat_id) in self.blocked:
            raise TelegramForbiddenError(method, "Forbidden: bot was blocked by the user")
        if refusal := self._refusal(method):
            raise TelegramBadRequest(method, f"Bad Request: {refusal}")
        return self._respond(method)

    def _refusal(self, method: TelegramMethod[Any]) -> str | None:
        """What Telegram says of a message it cannot send: too long (counted as the person
        would see it, tags aside), empty, or a file id it does not know (or none)."""
        if isinstance(method, SendMessage | EditMessageText):
            shown = visible(method.text or "")
            if not shown.strip():
                return "message text is empty"
            if telegram_length(shown) > TEXT_LIMIT:
                return "message is too long"
        caption = getattr(method, "caption", None)
        if isinstance(caption, str) and telegram_length(visible(caption)) > CAPTION_LIMIT:
            return "message caption is too long"
        kind = MEDIA_METHODS.get(type(method))
        if kind is not None and getattr(method, kind) == "":
            return f"there is no {kind.replace('_', ' ')} in the request"
        if kind is not None and getattr(method, kind) in self.unknown_files:
            return "wrong file identifier/HTTP URL specified"
        return None

    def _respond(self, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, GetMe):
            return User(id=BOT_ID, is_bot=True, first_name="Nastavnik", username=BOT_USERNAME)
        if isinstance(method, SendMessage):
            chat_id = int(method.chat_id)
            sent = Sent(next(self._ids), chat_id, method.text, method.reply_markup)  # type: ignore[arg-type]
            self.chats[chat_id].append(sent)
            return self._message(chat_id, sent.message_id, sent.text, sent.markup)
        kind = MEDIA_METHODS.get(type(method))
        if kind is not None and isinstance(getattr(method, kind), str):
            chat_id = int(getattr(method, "chat_id", 0))
            caption = getattr(method, "caption", None)
            markup = getattr(method, "reply_markup", None)
            file_id = str(getattr(method, kind))
            sent = Sent(
                next(self._ids), chat_id, caption or "", markup, kind=kind, file_id=file_id
            )
            self.chats[chat_id].append(sent)
            result = self._message(chat_id, sent.message_id, None, markup)
            return result.model_copy(update={"caption": caption})
        if isinstance(method, SendDocument):
            chat_id = int(method.chat_id)
            document = method.document
            payload = getattr(document, "data", b"")
            name = getattr(document, "filename", None)
            sent = Sent(next(self._ids), chat_id, method.caption or "", None, payload, name)
            self.chats[chat_id].append(sent)
            result = self._message(chat_id, sent.message_id, None, None)
            return result.model_copy(
                update={
                    "document": Document(file_id="doc", file_unique_id="doc", file_name=name),
                    "caption": method.caption,
                }
            )
        if isinstance(method, EditMessageText):
            sent = self._find(int(method.chat_id or 0), int(method.message_id or 0))
            if sent.text == (method.text or "") and sent.markup == method.reply_markup:
                raise TelegramBadRequest(method, NOT_MODIFIED)  # as Telegram answers
            sent.text = method.text or ""
            sent.markup = method.reply_markup
            return self._message(sent.chat_id, sent.message_id, sent.text, sent.markup)
        if isinstance(method, EditMessageReplyMarkup):
            sent = self._find(int(method.chat_id or 0), int(method.message_id or 0))
            if sent.markup == method.reply_markup:
                raise TelegramBadRequest(method, NOT_MODIFIED)
            sent.markup = method.reply_markup
            return self._message(sent.chat_id, sent.message_id, sent.text, sent.markup)
        if isinstance(method, AnswerCallbackQuery | SetMyCommands):
            return True
        return True

    def calls_of(self, kind: type[TelegramMethod[Any]]) -> list[Any]:
        return [call for call in self.calls if isinstance(call, kind)]


# What Telegram checks before it takes a message (https://core.telegram.org/bots/api):
# HTML whose every `<` and `&` is a supported tag or an entity, at most 4096 characters of
# text (1024 of a caption) once parsed, button data of 1-64 bytes, an answer to a tap of at
# most 200 characters. A bot that breaks one gets a 400, as here.
HTML_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
    "tg-emoji", "code", "pre", "blockquote",
}  # fmt: skip
HTML_TAG = re.compile(r"<(/?)([a-z-]+)(?:\s[^<>]*)?>")
HTML_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")
HTML_MARKUP = re.compile(r"[<&]")


def html_refused(text: str) -> str | None:
    """Why Telegram would refuse `text` in HTML parse mode, or None."""
    open_tags: list[str] = []
    position = 0
    while (found := HTML_MARKUP.search(text, position)) is not None:
        position = found.start()
        if text[position] == "&":
            entity = HTML_ENTITY.match(text, position)
            if entity is None:
                return f"can't parse entities: character entity expected at {position}"
            position = entity.end()
            continue
        tag = HTML_TAG.match(text, position)
        if tag is None or tag.group(2) not in HTML_TAGS:
            return f"can't parse entities: unsupported start tag at {position}"
        if tag.group(1):
            if not open_tags or open_tags.pop() != tag.group(2):
                return f"can't parse entities: unmatched end tag at {position}"
        else:
            open_tags.append(tag.group(2))
        position = tag.end()
    return "can't parse entities: unclosed tag" if open_tags else None


def visible_length(text: str) -> int:
    """Telegram's length of parsed HTML: UTF-16 code units of what is shown."""
    shown = html.unescape(HTML_TAG.sub("", text))
    return len(shown.encode("utf-16-le")) // 2


def telegram_refuses(bot: Bot, method: TelegramMethod[Any]) -> str | None:
    """Why Telegram would answer `method` with 400 Bad Request, or None."""
    if isinstance(method, AnswerCallbackQuery):
        too_long = method.text is not None and len(method.text) > 200
        return "MESSAGE_TOO_LONG" if too_long else None
    markup = getattr(method, "reply_markup", None)
    if isinstance(markup, InlineKeyboardMarkup):
        for row in markup.inline_keyboard:
            for button in row:
                data = button.callback_data
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    return "BUTTON_DATA_INVALID"
    for name, limit in (("text", 4096), ("caption", 1024)):
        text = getattr(method, name, None)
        if not isinstance(text, str):
            continue
        mode = getattr(method, "parse_mode", None)
        if isinstance(mode, Default):
            mode = bot.default[mode.name]
        if mode == ParseMode.HTML and (refused := html_refused(text)):
            return refused
        length = visible_length(text) if mode == ParseMode.HTML else len(text)
        if length > limit:
            return "message is too long" if name == "text" else "message caption is too long"
    return None


_update_ids = itertools.count(1)
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are"
    " exactly the same as a current content and reply markup of the message"
)


class Harness:
    """The application as a person meets it: a Dispatcher fed with updates."""

    def __init__(self, dispatcher: Dispatcher, session: RecordingSession | None = None) -> None:
        self.dispatcher = dispatcher
        self.session = session or RecordingSession()
        self.bot = Bot(
            token="123456:TEST-token-abcdefghijklmnopqrstuvwxyz",
            session=self.session,
            default=DefaultBotProperties(parse_mode=ParseMode.HTML),
        )

    async def start(self) -> None:
        await self.dispatcher.emit_startup(
            bot=self.bot, dispatcher=self.dispatcher, **self.dispatcher.workflow_data
        )

    async def run_jobs(self, context: Any) -> None:
        """One tick of the periodic jobs, then the delivery of what they queued."""
        from bot.scheduler import run_jobs

        await run_jobs(context)
        await self.deliver()

    async def deliver(self) -> int:
        """Send what is due in the delivery queue, as the sender would (without its pacing)."""
        return await create_sender(self.dispatcher, self.bot).deliver_due()

    def i18n_core(self) -> Any:
        """The texts, as the periodic jobs are given them."""
        return self.dispatcher["i18n_middleware"].core

    async def feed(self, update: Update) -> None:
        """The update, then whatever it queued for others: people see relays at once. As the
        sender, the harness looks at the queue only when the update woke it (a message held
        for later goes at the next tick of the jobs, or at an explicit `deliver`)."""
        await self.dispatcher.feed_update(self.bot, update)
        wake: asyncio.Event = self.dispatcher["delivery_wake"]
        if wake.is_set():
            wake.clear()
            await self.deliver()

    def person(
        self,
        telegram_id: int,
        language: str = "ru",
        name: str = "Анна",
        username: str | None = None,
    ) -> Person:
        return Person(self, telegram_id, language, name, username)


@dataclass
class Person:
    harness: Harness
    telegram_id: int
    language: str
    name: str  # the first name Telegram shows
    username: str | None = None
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def user(self) -> User:
        return User(
            id=self.telegram_id,
            is_bot=False,
            first_name=self.name,
            username=self.username,
            language_code=self.language,
        )

    @property
    def chat(self) -> Chat:
        return Chat(
            id=self.telegram_id, type="private", first_name=self.name, username=self.username
        )

    def _message(self, **content: Any) -> Message:
        return Message(
            message_id=next(self._message_ids),
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=self.user,
            **content,
        )

    def text_update(self, text: str) -> Update:
        """A typed message as Telegram delivers it (feed it once, or twice as a retry would)."""
        return Update(update_id=next(_update_ids), message=self._message(text=text))

    async def sends(self, text: str) -> Sent | None:
        await self.harness.feed(self.text_update(text))
        return self.last_reply()

    async def sends_sticker(self) -> Sent | None:
        sticker = Sticker(
            file_id="sticker",
            file_unique_id="sticker",
            type="regular",
            width=512,
            height=512,
            is_animated=False,
            is_video=False,
        )
        await self.harness.feed(
            Update(update_id=next(_update_ids), message=self._message(sticker=sticker))
        )
        return self.last_reply()

    async def sends_photo(self, file_id: str = "photo", caption: str | None = None) -> Sent | None:
        photo = [PhotoSize(file_id=file_id, file_unique_id=file_id, width=90, height=90)]
        await self.harness.feed(
            Update(
                update_id=next(_update_ids), message=self._message(photo=photo, caption=caption)
            )
        )
        return self.last_reply()

    async def sends_voice(self, file_id: str = "voice") -> Sent | None:
        voice = Voice(file_id=file_id, file_unique_id=file_id, duration=7)
        await self.harness.feed(
            Update(update_id=next(_update_ids), message=self._message(voice=voice))
        )
        return self.last_reply()

    async def sends_video_note(self, file_id: str = "circle") -> Sent | None:
        note = VideoNote(file_id=file_id, file_unique_id=file_id, length=240, duration=9)
        await self.harness.feed(
            Update(update_id=next(_update_ids), message=self._message(video_note=note))
        )
        return self.last_reply()

    async def sends_document(
        self, file_id: str = "document", name: str = "plan.pdf", caption: str | None = None
    ) -> Sent | None:
        document = Document(file_id=file_id, file_unique_id=file_id, file_name=name)
        await self.harness.feed(
            Update(
                update_id=next(_update_ids),
                message=self._message(document=document, caption=caption),
            )
        )
        return self.last_reply()

    async def shares_contact(self, phone: str, owner_id: int | None = None) -> Sent | None:
        contact = Contact(
            phone_number=phone, first_name=self.name, user_id=owner_id or self.telegram_id
        )
        await self.harness.feed(
            Update(update_id=next(_update_ids), message=self._message(contact=contact))
        )
        return self.last_reply()

    def _find_button(self, label: str) -> tuple[Sent, str]:
        for sent in reversed(self.transcript):
            if not isinstance(sent.markup, InlineKeyboardMarkup):
                continue
            for row in sent.markup.inline_keyboard:
                for button in row:
                    if label in button.text:
                        assert button.callback_data is not None
                        return sent, button.callback_data
        raise AssertionError(f"no button {label!r}; last messages: {self.texts()[-3:]}")

    async def taps(self, label: str) -> Sent | None:
        """Press the newest inline button whose text contains `label`."""
        sent, data = self._find_button(label)
        await self.presses(data, sent)
        return self.last_reply()

    async def presses(self, data: str, sent: Sent | None = None) -> None:
        """Send callback data as a client would, forged or not."""
        sent = sent or (
            self.transcript[-1] if self.transcript else Sent(1, self.telegram_id, "", None)
        )
        message = Message(
            message_id=sent.message_id,
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=User(id=BOT_ID, is_bot=True, first_name="Nastavnik"),
            text=sent.text,
            reply_markup=sent.markup if isinstance(sent.markup, InlineKeyboardMarkup) else None,
        )
        query = CallbackQuery(
            id=str(next(_update_ids)),
            from_user=self.user,
            chat_instance="ci",
            message=message,
            data=data,
        )
        await self.harness.feed(Update(update_id=next(_update_ids), callback_query=query))

    def callback_data(self, label: str) -> str:
        return self._find_button(label)[1]

    @property
    def transcript(self) -> list[Sent]:
        return self.harness.session.chats[self.telegram_id]

    def texts(self) -> list[str]:
        return [sent.text for sent in self.transcript]

    def last_reply(self) -> Sent | None:
        return self.transcript[-1] if self.transcript else None

    def alerts(self) -> list[str]:
        return [
            call.text for call in self.harness.session.calls_of(AnswerCallbackQuery) if call.text
        ]

    def was_alerted(self, fragment: str) -> bool:
        """Whether a callback answer (a toast or an alert) contained `fragment`."""
        return any(fragment in alert for alert in self.alerts())

    def forget(self) -> None:
        """Clear the transcript, to read only what comes next."""
        self.transcript.clear()


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements run on `engine` inside the block."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


async def redis_or_skip() -> None:
    """Skip a Redis test where Redis is not running; in CI it must be."""
    storage = RedisStorage.from_url(REDIS_URL)
    try:
        await storage.redis.ping()
    except Exception:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    finally:
        await storage.close()
