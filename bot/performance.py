"""Start-up adjustments that keep the per-update cost low. Measured by bench/throughput.py."""

from __future__ import annotations

from typing import Any

from aiogram import Router


def run_sync_filters_inline(router: Router) -> None:
    """Run plain (synchronous) filters in the event loop instead of a worker thread.

    aiogram 3.31 calls every synchronous filter through `asyncio.to_thread`; a typed message then
    makes dozens of thread round trips (magic filters, states) before a handler takes it. Our
    filters only compare values in memory, so calling them directly is safe and far cheaper.
    """
    for each in router.chain_tail:
        for observer in each.observers.values():
            for handler in observer.handlers:
                for event_filter in handler.filters or ():
                    if not event_filter.awaitable:
                        event_filter.callback = _as_coroutine(event_filter.callback)
                        event_filter.awaitable = True


def _as_coroutine(function: Any) -> Any:
    async def call(*args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    return call
