"""The Bot API's answer models, made once per process.

aiogram reads each answer of the Bot API as `Response[<the method's result>]`, a pydantic generic
model made on first use. pydantic keeps a parametrised model only while something refers to it
(its cache holds them weakly), so after a garbage collection the next call builds it again:
schema work of several milliseconds, 140 times over 500 typed answers in bench/throughput.py
(a tenth of the time). Referring to each of them here keeps them: start-up does it once."""

from __future__ import annotations

import inspect
from typing import Any

import aiogram.methods
from aiogram.methods import Response, TelegramMethod


def _result_types() -> set[Any]:
    """What the Bot API's methods return (about forty types for all of them)."""
    methods = (getattr(aiogram.methods, name) for name in aiogram.methods.__all__)
    return {
        method.__returning__
        for method in methods
        if inspect.isclass(method)
        and issubclass(method, TelegramMethod)
        and not isinstance(getattr(method, "__returning__", None), property | type(None))
    }


RESPONSE_MODELS: tuple[type[Any], ...] = tuple(Response[t] for t in _result_types())  # type: ignore[valid-type]
