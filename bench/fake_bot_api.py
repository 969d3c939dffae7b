"""A small fake Telegram Bot API server for benchmarks and end-to-end tests.

It runs in its own process (multiprocessing, spawn), so the bot under test and the server use
different cores. It answers ``POST /bot<token>/<method>`` the way Telegram does, closely enough
for aiogram: ``getUpdates`` hands out pre-generated update dicts (honouring ``offset`` and
``limit``), ``sendMessage`` and the edit methods return realistic Message objects, ``getMe``
returns a bot user and everything else returns ``true``.

Control endpoints (prefixed ``/__``) let the harness load new updates and read what was sent:

* ``GET /__stats`` -> ``{"sent": n, "served": n, "queued": n, "first_update_at": t, ...}``
* ``GET /__wait?sent=N&timeout=S`` -> the stats once ``sent >= N`` (or when S seconds pass)
* ``GET /__sent`` -> every message sent so far: ``[{"method", "chat_id", "message_id", "text",
  "reply_markup"}]``
* ``GET /__calls`` -> how many times each method was called
* ``GET /__messages?chat_id=N`` -> the messages of one chat as they stand now, edits applied
  (``[{"message_id", "text", "reply_markup"}]``, oldest first), to find the buttons to tap
* ``POST /__reset`` with ``{"updates": [...]}`` -> replace the queue and zero the counters
* ``POST /__push`` with ``{"updates": [...]}`` -> add updates to the queue, as people write
* ``POST /__configure`` with any of ``{"delay": seconds, "rate_limit": per second,
  "chat_interval": seconds, "blocked": [chat ids]}`` -> behave as Telegram under load: every
  sending method waits ``delay`` before answering; more than ``rate_limit`` messages in a
  second, or two to one chat within ``chat_interval``, get 429 with ``retry_after``; a chat in
  ``blocked`` gets 403 (the person blocked the bot)
* ``POST /__configure`` with ``{"script": {"getupdates": [answer, ...], "sendmessage": [...]}}``
  -> the next calls of a method get these answers first, one each, in order: ``{"error": 429,
  "retry_after": s}`` or ``{"error": 502}`` (Telegram refusing or failing), ``{"drop": true}``
  (the connection is cut without an answer), ``{"delay": s}`` (then answered as usual)

Times (``first_update_at``, ``reached_at``, ``last_sent_at``) are ``time.monotonic()`` of the
server process; on Linux that clock is system-wide, so they compare with the client's.

Usage (an end-to-end test, say)::

    api = FakeBotApi(updates)                 # or: with FakeBotApi(updates) as api: ...
    base_url = api.start()                    # the server's process is running
    settings = Settings(..., bot_api_url=base_url)
    ups = await poll_until_sent(dispatcher, bot, api, len(updates))
    sent = await api.sent()                   # what the bot said, to check
    await api.aclose()
    api.stop()

`api.reset(updates)` loads the next batch into the same server.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import multiprocessing
import sys
import time
import weakref
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web

if TYPE_CHECKING:
    from aiogram import Bot, Dispatcher

BOT_ID = 4242
BOT_USERNAME = "nastavnik_bench_bot"
BOT_USER = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "Nastavnik",
    "username": BOT_USERNAME,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
# However long the client asks getUpdates to wait, a drained queue answers [] within this.
MAX_IDLE_WAIT = 0.05
DEFAULT_LIMIT = 100
# Methods answered with a Message.
MESSAGE_METHODS = {"sendmessage", "editmessagetext", "editmessagereplymarkup"}


class _State:
    """What the server holds: the update queue, what was sent, and the counters."""

    def __init__(self, updates: list[dict[str, Any]]) -> None:
        self.arrived = asyncio.Event()
        self.message_ids = itertools.count(1)
        self.load(updates)

    def load(self, updates: list[dict[str, Any]]) -> None:
        self.delay = 0.0
        self.rate_limit: int | None = None
        self.chat_interval: float | None = None
        self.blocked: set[int] = set()
        self.script: dict[str, deque[dict[str, Any]]] = {}  # method -> answers to give first
        self.recent_sends: deque[float] = deque()  # within the last second, for rate_limit
        self.chat_sent_at: dict[int, float] = {}
        self.refused: Counter[int] = Counter()  # 429s and 403s, by code
        self.refused_chat = 0  # of the 429s, those for a second message to one chat too soon
        self.updates = list(updates)
        self.position = 0  # index of the first unconfirmed update
        self.served = 0  # highest index handed out so far
        self.sent: list[dict[str, Any]] = []
        self.texts: dict[tuple[int, int], str] = {}  # (chat, message) -> text, for edits
        # chat -> message -> the message as it stands now (text and markup), edits applied
        self.messages: dict[int, dict[int, dict[str, Any]]] = {}
        self.calls: Counter[str] = Counter()
        self.first_update_at: float | None = None
        self.last_sent_at: float | None = None
        self.waiters: list[tuple[int, asyncio.Future[float]]] = []
        self.arrived.set()
        self.arrived = asyncio.Event()

    def push(self, updates: list[dict[str, Any]]) -> None:
        self.updates.extend(updates)
        self.arrived.set()
        self.arrived = asyncio.Event()

    def refusal(self, chat_id: int) -> web.Response | None:
        """Telegram's answer to a message it will not take now, or None to send it."""
        if chat_id in self.blocked:
            self.refused[403] += 1
            # With HTTP status 403 too, as Telegram answers: aiogram tells the error by it.
            return _error(403, "Forbidden: bot was blocked by the user", status=403)
        now = time.monotonic()
        while self.recent_sends and now - self.recent_sends[0] >= 1:
            self.recent_sends.popleft()
        last = self.chat_sent_at.get(chat_id)
        interval = self.chat_interval
        if interval is not None and last is not None and now - last < interval:
            self.refused_chat += 1
            return self._too_many(interval - (now - last))
        if self.rate_limit is not None and len(self.recent_sends) >= self.rate_limit:
            return self._too_many(1 - (now - self.recent_sends[0]))
        self.recent_sends.append(now)
        self.chat_sent_at[chat_id] = now
        return None

    def _too_many(self, wait: float) -> web.Response:
        self.refused[429] += 1
        retry_after = max(1, math.ceil(wait))  # Telegram says whole seconds
        return web.json_response(
            {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {retry_after}",
                "parameters": {"retry_after": retry_after},
            }
        )

    def confirm(self, offset: int) -> None:
        while (
            self.position < len(self.updates) and self.updates[self.position]["update_id"] < offset
        ):
            self.position += 1

    def take(self, limit: int) -> list[dict[str, Any]]:
        batch = self.updates[self.position : self.position + limit]
        if batch:
            if self.first_update_at is None:
                self.first_update_at = time.monotonic()
            self.served = max(self.served, self.position + len(batch))
        return batch

    def record_sent(self, entry: dict[str, Any]) -> None:
        self.sent.append(entry)
        self.last_sent_at = now = time.monotonic()
        count = len(self.sent)
        still_waiting = []
        for wanted, future in self.waiters:
            if count >= wanted:
                if not future.done():
                    future.set_result(now)
            else:
                still_waiting.append((wanted, future))
        self.waiters = still_waiting

    def stats(self) -> dict[str, Any]:
        return {
            "sent": len(self.sent),
            "served": self.served,
            "queued": len(self.updates),
            "confirmed": self.position,
            "first_update_at": self.first_update_at,
            "last_sent_at": self.last_sent_at,
            "refused_429": self.refused[429],
            "refused_403": self.refused[403],
            "refused_429_chat": self.refused_chat,
        }


def _chat(chat_id: int) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
    return {"id": chat_id, "type": "supergroup", "title": f"Chat {chat_id}"}


def _message(
    message_id: int, chat_id: int, text: str | None, markup: dict[str, Any] | None
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": _chat(chat_id),
        "from": BOT_USER,
    }
    if text is not None:
        message["text"] = text
    # Telegram echoes only inline keyboards back in Message.reply_markup.
    if markup and "inline_keyboard" in markup:
        message["reply_markup"] = markup
    return message


def _json_field(form: Any, name: str) -> Any:
    raw = form.get(name)
    if raw is None or raw == "":
        return None
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        return raw


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(code: int, description: str, status: int = 200) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": code, "description": description}, status=status
    )


def create_app(updates: list[dict[str, Any]]) -> web.Application:
    """The aiohttp application; runnable in-process too (e.g. with aiohttp's test server)."""
    app = web.Application(client_max_size=64 * 1024 * 1024)
    state_key = web.AppKey("state", _State)

    async def on_startup(app: web.Application) -> None:
        app[state_key] = _State(updates)

    app.on_startup.append(on_startup)

    async def api_method(request: web.Request) -> web.Response:
        state = app[state_key]
        method = request.match_info["method"].lower()
        # Like Telegram, the server takes the parameters as a form or as one JSON object.
        if request.content_type == "application/json":
            form = await request.json()
        else:
            form = await request.post()
        state.calls[method] += 1
        scripted = state.script.get(method)
        if scripted:
            answer = scripted.popleft()
            await asyncio.sleep(answer.get("delay", 0))
            if answer.get("drop"):
                assert request.transport is not None
                request.transport.close()  # as a network that cuts the connection
                return web.Response()
            if answer.get("error"):
                return _scripted_error(answer)
        if method == "getupdates":
            return await _get_updates(state, form)
        if method == "getme":
            return _ok(BOT_USER)
        if method.startswith("send") and state.delay:
            await asyncio.sleep(state.delay)  # a slow Bot API
        if method.startswith("send") and form.get("chat_id") is not None:
            refused = state.refusal(int(form["chat_id"]))
            if refused is not None:
                return refused
        if method in MESSAGE_METHODS:
            return _message_method(state, method, form)
        if method.startswith("send"):
            return _media_method(state, method, form)
        return _ok(True)

    async def stats(_: web.Request) -> web.Response:
        return web.json_response(app[state_key].stats())

    async def wait(request: web.Request) -> web.Response:
        state = app[state_key]
        wanted = int(request.query.get("sent", "1"))
        timeout = float(request.query.get("timeout", "60"))
        reached_at = state.last_sent_at if len(state.sent) >= wanted else None
        if reached_at is None:
            future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
            state.waiters.append((wanted, future))
            try:
                reached_at = await asyncio.wait_for(future, timeout)
            except TimeoutError:
                reached_at = None
        return web.json_response({**state.stats(), "reached_at": reached_at})

    async def sent(_: web.Request) -> web.Response:
        return web.json_response(app[state_key].sent)

    async def calls(_: web.Request) -> web.Response:
        return web.json_response(dict(app[state_key].calls))

    async def messages(request: web.Request) -> web.Response:
        chat = app[state_key].messages.get(int(request.query["chat_id"]), {})
        return web.json_response([chat[message_id] for message_id in sorted(chat)])

    async def reset(request: web.Request) -> web.Response:
        body = await request.json()
        app[state_key].load(body.get("updates", []))
        return web.json_response({"queued": len(app[state_key].updates)})

    app.router.add_post("/bot{token}/{method}", api_method)
    app.router.add_get("/bot{token}/{method}", api_method)
    app.router.add_get("/__stats", stats)
    app.router.add_get("/__wait", wait)
    app.router.add_get("/__sent", sent)
    app.router.add_get("/__calls", calls)
    app.router.add_get("/__messages", messages)

    async def push(request: web.Request) -> web.Response:
        app[state_key].push((await request.json()).get("updates", []))
        return web.json_response({"queued": len(app[state_key].updates)})

    async def configure(request: web.Request) -> web.Response:
        state = app[state_key]
        body = await request.json()
        state.delay = float(body.get("delay", state.delay))
        state.rate_limit = body.get("rate_limit", state.rate_limit)
        state.chat_interval = body.get("chat_interval", state.chat_interval)
        state.blocked = set(body.get("blocked", state.blocked))
        for method, answers in body.get("script", {}).items():
            state.script.setdefault(method.lower(), deque()).extend(answers)
        return web.json_response({"ok": True})

    app.router.add_post("/__reset", reset)
    app.router.add_post("/__push", push)
    app.router.add_post("/__configure", configure)
    return app


def _scripted_error(answer: dict[str, Any]) -> web.Response:
    code = int(answer["error"])
    if code == 429:
        retry_after = int(answer.get("retry_after", 1))
        return web.json_response(
            {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {retry_after}",
                "parameters": {"retry_after": retry_after},
            },
            status=429,
        )
    return _error(code, "Bad Gateway" if code == 502 else "Internal Server Error", status=code)


async def _get_updates(state: _State, form: Any) -> web.Response:
    offset = int(form.get("offset") or 0)
    limit = int(form.get("limit") or DEFAULT_LIMIT)
    limit = max(1, min(limit, 100))
    timeout = float(form.get("timeout") or 0)
    if offset:
        state.confirm(offset)
    batch = state.take(limit)
    if not batch and timeout > 0:
        arrived = state.arrived
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(arrived.wait(), min(timeout, MAX_IDLE_WAIT))
        batch = state.take(limit)
    return _ok(batch)


def _message_method(state: _State, method: str, form: Any) -> web.Response:
    chat_id_raw = form.get("chat_id")
    if chat_id_raw is None:  # an inline message edit: Telegram answers true
        return _ok(True)
    try:
        chat_id = int(chat_id_raw)
    except ValueError:
        return _error(400, "Bad Request: chat not found")
    text = form.get("text")
    markup = _json_field(form, "reply_markup")
    if method == "sendmessage":
        if not text:
            return _error(400, "Bad Request: message text is empty")
        message_id = next(state.message_ids)
        state.record_sent(
            {
                "method": "sendMessage",
                "chat_id": chat_id,
                "message_id": message_id,
                "text": text,
                "reply_markup": markup,
            }
        )
    else:
        message_id = int(form.get("message_id") or 0)
        if text is None:  # the markup changes; the text stays as it was
            text = state.texts.get((chat_id, message_id))
    if text is not None:
        state.texts[(chat_id, message_id)] = text
    if method == "sendmessage" or message_id in state.messages.get(chat_id, {}):
        # An edit without a keyboard removes it, as Telegram does.
        state.messages.setdefault(chat_id, {})[message_id] = {
            "message_id": message_id,
            "text": text,
            "reply_markup": markup,
        }
    return _ok(_message(message_id, chat_id, text, markup))


def _media_method(state: _State, method: str, form: Any) -> web.Response:
    """sendPhoto, sendDocument and the like, by file id: recorded as sent, with the caption."""
    chat_id = int(form.get("chat_id"))
    message_id = next(state.message_ids)
    caption = form.get("caption")
    state.record_sent(
        {"method": method, "chat_id": chat_id, "message_id": message_id, "text": caption}
    )
    state.messages.setdefault(chat_id, {})[message_id] = {
        "message_id": message_id,
        "text": caption,
        "reply_markup": _json_field(form, "reply_markup"),
    }
    return _ok(_message(message_id, chat_id, None, _json_field(form, "reply_markup")))


def _serve(connection: Connection, updates: list[dict[str, Any]], host: str) -> None:
    """Child process: serve until terminated, after telling the parent the port."""

    async def main() -> None:
        runner = web.AppRunner(create_app(updates), access_log=None, handle_signals=True)
        await runner.setup()
        site = web.TCPSite(runner, host, 0, backlog=1024)
        await site.start()
        port = runner.addresses[0][1]
        connection.send(port)
        connection.close()
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())


@contextlib.contextmanager
def _no_main_reimport() -> Iterator[None]:
    """Spawned children re-run the parent's __main__ (all of a benchmark's imports) unless
    __main__ names no script; helpers need none of it, so hide it while a child starts."""
    main = sys.modules["__main__"]
    saved: dict[str, Any] = {
        name: main.__dict__[name] for name in ("__file__", "__spec__") if name in vars(main)
    }
    main.__dict__.pop("__file__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.update(saved)
        if "__spec__" not in saved:
            del main.__spec__


def spawn_process(target: Callable[..., object], *args: object) -> BaseProcess:
    """Start `target(*args)` in a fresh interpreter (spawn), without the caller's __main__."""
    process = multiprocessing.get_context("spawn").Process(target=target, args=args, daemon=True)
    with _no_main_reimport():
        process.start()
    return process


def stop_process(process: BaseProcess) -> None:
    process.terminate()
    process.join(5)
    if process.is_alive():
        process.kill()
        process.join()


class FakeBotApi:
    """The fake server in a spawned process, and an async client for its control endpoints."""

    def __init__(self, updates: Iterable[dict[str, Any]] = (), host: str = "127.0.0.1") -> None:
        self.updates = list(updates)
        self.host = host
        self.base_url = ""
        self._process: BaseProcess | None = None
        self._client: aiohttp.ClientSession | None = None

    @classmethod
    def attach(cls, base_url: str) -> FakeBotApi:
        """A client for a server another process started."""
        api = cls()
        api.base_url = base_url
        return api

    def start(self, timeout: float = 30) -> str:
        """Start the server process; returns its base URL (for Settings.bot_api_url)."""
        receiver, sender = multiprocessing.get_context("spawn").Pipe(duplex=False)
        self._process = spawn_process(_serve, sender, self.updates, self.host)
        sender.close()
        if not receiver.poll(timeout):
            self.stop()
            raise RuntimeError("the fake Bot API server did not start")
        port = receiver.recv()
        receiver.close()
        self.base_url = f"http://{self.host}:{port}"
        return self.base_url

    def stop(self) -> None:
        if self._process is not None:
            stop_process(self._process)
            self._process = None

    def __enter__(self) -> FakeBotApi:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    async def _session(self) -> aiohttp.ClientSession:
        if self._client is None or self._client.closed:
            self._client = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None))
        return self._client

    async def aclose(self) -> None:
        """Close the control client (call before the event loop ends)."""
        if self._client is not None:
            await self._client.close()
            self._client = None

    async def _get(self, path: str, **params: Any) -> Any:
        client = await self._session()
        async with client.get(self.base_url + path, params=params) as response:
            response.raise_for_status()
            return await response.json()

    async def reset(self, updates: Iterable[dict[str, Any]]) -> None:
        """Replace the update queue and zero every counter."""
        client = await self._session()
        payload = {"updates": list(updates)}
        async with client.post(self.base_url + "/__reset", json=payload) as response:
            response.raise_for_status()

    async def _post(self, path: str, payload: dict[str, Any]) -> None:
        client = await self._session()
        async with client.post(self.base_url + path, json=payload) as response:
            response.raise_for_status()

    async def push(self, updates: Iterable[dict[str, Any]]) -> None:
        """Add updates to the queue, as people writing while the bot runs."""
        await self._post("/__push", {"updates": list(updates)})

    async def configure(self, **behaviour: Any) -> None:
        """delay, rate_limit, chat_interval, blocked: see the module's note."""
        await self._post("/__configure", behaviour)

    async def stats(self) -> dict[str, Any]:
        return await self._get("/__stats")

    async def wait_sent(self, count: int, wait_seconds: float = 60) -> dict[str, Any]:
        """Stats once `count` messages were sent; `reached_at` is None if that took too long."""
        return await self._get("/__wait", sent=count, timeout=wait_seconds)

    async def sent(self) -> list[dict[str, Any]]:
        return await self._get("/__sent")

    async def calls(self) -> dict[str, int]:
        return await self._get("/__calls")

    async def messages(self, chat_id: int) -> list[dict[str, Any]]:
        """The chat's messages as they stand now (edits applied), oldest first."""
        return await self._get("/__messages", chat_id=chat_id)


def text_update(
    update_id: int,
    user_id: int,
    text: str,
    *,
    message_id: int = 1,
    first_name: str = "Анна",
    language_code: str = "ru",
) -> dict[str, Any]:
    """A private-chat text message update as Telegram sends it (commands get an entity)."""
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": first_name},
        "from": {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language_code,
        },
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return {"update_id": update_id, "message": message}


class PollingError(Exception):
    """Polling did not bring the replies it should have."""


DRAIN_TIMEOUT = 30.0


async def _wait_replies(
    api: FakeBotApi, count: int, wait_seconds: float, stall_seconds: float
) -> dict[str, Any]:
    """The server's stats once `count` replies were sent, or once they stopped coming."""
    deadline = time.monotonic() + wait_seconds
    sent = 0
    while True:
        left = max(0.0, deadline - time.monotonic())
        stats: dict[str, Any] = await api.wait_sent(count, wait_seconds=min(stall_seconds, left))
        if stats["reached_at"] is not None or left <= stall_seconds or stats["sent"] == sent:
            return stats
        sent = stats["sent"]


_started: weakref.WeakSet[Dispatcher] = weakref.WeakSet()


def _workflow(dispatcher: Dispatcher, bot: Bot) -> dict[str, Any]:
    return {"dispatcher": dispatcher, "bots": [bot], **dispatcher.workflow_data}


async def start_once(dispatcher: Dispatcher, bot: Bot) -> None:
    """Start a dispatcher as a bot's process does, once for all its runs (aiogram-dialog's
    registry of dialogs refuses a second start); `stop_dispatcher` stops it."""
    if dispatcher not in _started:
        _started.add(dispatcher)
        await dispatcher.emit_startup(bot=bot, **_workflow(dispatcher, bot))


async def stop_dispatcher(dispatcher: Dispatcher, bot: Bot) -> None:
    if dispatcher in _started:
        _started.discard(dispatcher)
        await dispatcher.emit_shutdown(bot=bot, **_workflow(dispatcher, bot))


async def poll_until_sent(
    dispatcher: Dispatcher,
    bot: Bot,
    api: FakeBotApi,
    count: int,
    wait_seconds: float = 120,
    stall_seconds: float = 15,
    concurrency: int = 24,
) -> float:
    """Poll the server until `count` messages were sent, then stop; updates per second.

    Every bot is polled the same way, by the app's own poller (bot.polling) with the same
    limit of updates at once. The time is the server's, from the first update it handed out to
    the `count`-th reply. It gives up after `wait_seconds`, or once `stall_seconds` passed
    without a reply. Every update has finished when this returns.
    """
    from bot.polling import Poller

    await start_once(dispatcher, bot)
    stop = asyncio.Event()
    poller = Poller(dispatcher, bot, concurrency=concurrency, polling_timeout=1)
    polling = asyncio.create_task(poller.run(stop, grace=DRAIN_TIMEOUT))
    try:
        waiting = asyncio.create_task(_wait_replies(api, count, wait_seconds, stall_seconds))
        await asyncio.wait({polling, waiting}, return_when=asyncio.FIRST_COMPLETED)
        if polling.done():  # it failed, or stopped on its own
            waiting.cancel()
            await polling
            raise PollingError("polling stopped before the replies came")
        stats = await waiting
    finally:
        stop.set()
        await polling  # the updates in flight finish, commits and all
    if stats["reached_at"] is None:
        raise PollingError(
            f"only {stats['sent']} of {count} replies (no more within {stall_seconds} s, "
            f"or not all within {wait_seconds} s)"
        )
    return count / (stats["reached_at"] - stats["first_update_at"])
