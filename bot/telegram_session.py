"""The HTTP session to the Bot API: methods go as JSON bodies, uploads as multipart form data.

aiogram sends every method as an HTML form. To build one it walks each field of each nested
object (an inline button has a dozen, mostly empty), then percent-encodes every byte of the
result, three bytes per Cyrillic letter. A reply with a keyboard of Russian labels spent more
time there than in its handler. The Bot API takes the same parameters as one JSON object, which
`json.dumps` writes in a single pass over a tree with the empty fields left out.

Answers that report success are read by pydantic straight from the JSON text, with the response
type built once per method result type (aiogram builds `Response[...]` anew for each call), and
a sent message keeps the keyboard object we sent rather than parsing Telegram's copy of it.
Errors are read by aiogram, which raises the exception each one calls for.
"""

from __future__ import annotations

import datetime
import json
from enum import Enum
from functools import cache
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast

from aiogram.client.default import Default
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods.base import Response, TelegramMethod, TelegramType
from aiogram.types import (
    ForceReply,
    InlineKeyboardMarkup,
    InputFile,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    TelegramObject,
)
from aiohttp import ClientError, ClientTimeout, hdrs
from pydantic import ValidationError

if TYPE_CHECKING:
    from aiogram import Bot

JSON_HEADERS = {hdrs.CONTENT_TYPE: "application/json"}


class _HasFiles(Exception):
    """The method uploads a file, which a JSON body cannot carry."""


def _prepared(value: Any, bot: Bot) -> Any:
    """A value as the Bot API expects it in JSON: defaults resolved, None left out."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, dict):
        return {
            key: prepared
            for key, item in value.items()
            if (prepared := _prepared(item, bot)) is not None
        }
    if isinstance(value, list | tuple):
        return [prepared for item in value if (prepared := _prepared(item, bot)) is not None]
    if isinstance(value, Default):
        return _prepared(bot.default[value.name], bot)
    if isinstance(value, TelegramObject):
        return _prepared(value.model_dump(warnings=False, exclude_none=True), bot)
    if isinstance(value, InputFile):
        raise _HasFiles
    if isinstance(value, datetime.timedelta):  # a period from now, as aiogram reads it
        return round((datetime.datetime.now(datetime.UTC) + value).timestamp())
    if isinstance(value, datetime.datetime):
        return round(value.timestamp())
    if isinstance(value, Enum):
        return _prepared(value.value, bot)
    return value


# Keyboards hold only texts, flags and plain objects (no defaults, files or dates), so
# pydantic writes them as JSON values itself, without the walk of _prepared over each button.
PLAIN = (InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove, ForceReply)


def json_body(bot: Bot, method: TelegramMethod[Any]) -> bytes | None:
    """The method's parameters as a JSON object, or None when it uploads a file.

    As in aiogram's form, a parameter that comes out empty or false is not sent.
    """
    parameters: dict[str, Any] = {}
    fields = ((name, getattr(method, name)) for name in type(method).model_fields)
    try:
        for name, value in (*fields, *(method.model_extra or {}).items()):
            if isinstance(value, PLAIN):
                prepared = value.model_dump(mode="json", exclude_none=True)
            else:
                prepared = _prepared(value, bot)
            if prepared:
                parameters[name] = prepared
    except _HasFiles:
        return None
    return json.dumps(parameters, ensure_ascii=False, separators=(",", ":")).encode()


@cache
def _response_type(returning: Any) -> type[Response[Any]]:
    return Response[returning]


class JsonSession(AiohttpSession):
    """aiogram's aiohttp session, sending JSON bodies where the method uploads nothing."""

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - the signature aiogram calls
    ) -> TelegramType:
        body = json_body(bot, method)
        if body is None:
            return await super().make_request(bot, method, timeout)
        session = await self.create_session()
        url = self.api.api_url(token=bot.token, method=method.__api_method__)
        try:
            async with session.post(
                url,
                data=body,
                headers=JSON_HEADERS,
                timeout=ClientTimeout(total=self.timeout if timeout is None else timeout),
            ) as response:
                raw_result = await response.text()
        except TimeoutError as error:
            raise TelegramNetworkError(method=method, message="Request timeout error") from error
        except ClientError as error:
            message = f"{type(error).__name__}: {error}"
            raise TelegramNetworkError(method=method, message=message) from error
        checked = self.check_response(
            bot=bot, method=method, status_code=response.status, content=raw_result
        )
        return cast(TelegramType, checked.result)

    def check_response(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        status_code: int,
        content: str,
    ) -> Response[TelegramType]:
        if HTTPStatus.OK <= status_code <= HTTPStatus.IM_USED:
            try:
                response = _read_success(bot, method, content)
            except (ValidationError, ValueError):
                pass  # aiogram reads it again and raises the error it calls for
            else:
                if response.ok:
                    return cast(Response[TelegramType], response)
        return super().check_response(bot, method, status_code, content)


def _read_success(bot: Bot, method: TelegramMethod[Any], content: str) -> Response[Any]:
    """The answer as a Response; a sent message's inline keyboard is the one we sent.

    Telegram repeats the keyboard in the message it returns. Reading it back would validate
    every button again (a dozen pydantic models, a third of the time of a whole reply), so the
    method's own keyboard object takes its place.
    """
    response_type = _response_type(method.__returning__)
    markup = getattr(method, "reply_markup", None)
    if not isinstance(markup, InlineKeyboardMarkup):
        return response_type.model_validate_json(content, context={"bot": bot})
    answer = json.loads(content)
    result = answer.get("result")
    if isinstance(result, dict) and "reply_markup" in result:
        result["reply_markup"] = markup
    return response_type.model_validate(answer, context={"bot": bot})
