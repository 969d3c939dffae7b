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
* ``POST /__reset`` with ``{"updates": [...]}`` -> replace the queue and zero the counters

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
import multiprocessing
import sys
import time
from collections import Counter
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
        self.updates = list(updates)
        self.position = 0  # index of the first unconfirmed update
        self.served = 0  # highest index handed out so far
        self.sent: list[dict[str, Any]] = []
        self.texts: dict[tuple[int, int], str] = {}  # (chat, message) -> text, for edits
        self.calls: Counter[str] = Counter()
        self.first_update_at: float | None = None
        self.last_sent_at: float | None = None
        self.waiters: list[tuple[int, asyncio.Future[float]]] = []
        self.arrived.set()
        self.arrived = asyncio.Event()

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


def _error(code: int, description: str) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": code, "description": description}, status=200
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
        if method == "getupdates":
            return await _get_updates(state, form)
        if method == "getme":
            return _ok(BOT_USER)
        if method in MESSAGE_METHODS:
            return _message_method(state, method, form)
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
    app.router.add_post("/__reset", reset)
    return app


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
    return _ok(_message(message_id, chat_id, text, markup))


def _serve(connection: Connection, updates: list[dict[str, Any]], host: str) -> None:
    """Child process: serve until terminated, after telling the parent the port."""

    async def main() -> None:
        runner = web.AppRunner(create_app(updates), access_log=None, handle_signals=True)
        await runner.setup()
        site = web.TCPSite(runner, host, 0, backlog=1024)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
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

    async def stats(self) -> dict[str, Any]:
        return await self._get("/__stats")

    async def wait_sent(self, count: int, wait_seconds: float = 60) -> dict[str, Any]:
        """Stats once `count` messages were sent; `reached_at` is None if that took too long."""
        return await self._get("/__wait", sent=count, timeout=wait_seconds)

    async def sent(self) -> list[dict[str, Any]]:
        return await self._get("/__sent")

    async def calls(self) -> dict[str, int]:
        return await self._get("/__calls")


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


async def _drain(dispatcher: Dispatcher, wait_seconds: float = DRAIN_TIMEOUT) -> None:
    """Wait for the update tasks polling left running (their commits follow the reply)."""
    deadline = time.monotonic() + wait_seconds
    while tasks := set(dispatcher._handle_update_tasks):
        _, pending = await asyncio.wait(tasks, timeout=max(0.0, deadline - time.monotonic()))
        if pending:
            for task in pending:
                task.cancel()
            await asyncio.wait(pending)
            raise PollingError(f"{len(pending)} update tasks still running after {wait_seconds} s")


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


async def poll_until_sent(
    dispatcher: Dispatcher,
    bot: Bot,
    api: FakeBotApi,
    count: int,
    wait_seconds: float = 120,
    stall_seconds: float = 15,
    **polling_options: Any,
) -> float:
    """Poll the server until `count` messages were sent, then stop; updates per second.

    The time is the server's, from the first update it handed out to the `count`-th reply.
    It gives up after `wait_seconds`, or once `stall_seconds` passed without a reply.
    Every update task has finished when this returns.
    """
    polling = asyncio.create_task(
        dispatcher.start_polling(
            bot, handle_signals=False, close_bot_session=False, **polling_options
        )
    )
    try:
        waiting = asyncio.create_task(_wait_replies(api, count, wait_seconds, stall_seconds))
        await asyncio.wait({polling, waiting}, return_when=asyncio.FIRST_COMPLETED)
        if polling.done():  # it failed to start, or stopped on its own
            waiting.cancel()
            await polling
            raise PollingError("polling stopped before the replies came")
        stats = await waiting
    finally:
        if not polling.done():
            await dispatcher.stop_polling()
            await polling
        await _drain(dispatcher)
    if stats["reached_at"] is None:
        raise PollingError(
            f"only {stats['sent']} of {count} replies (no more within {stall_seconds} s, "
            f"or not all within {wait_seconds} s)"
        )
    return count / (stats["reached_at"] - stats["first_update_at"])
