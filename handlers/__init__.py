"""Routers, one per dialog. Commands come before any dialog's catch-all, the fallback last."""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    from handlers import (
        bank,
        common,
        fallback,
        invitations,
        join,
        organisations,
        privacy,
        profile,
        start,
    )

    routers = [
        common.router,
        start.router,
        profile.router,
        privacy.router,
        bank.router,
        invitations.router,
        organisations.router,
        join.router,
        fallback.router,
    ]
    for router in routers:
        # A router joins one parent at a time; a new Dispatcher (a restart in tests) takes them.
        router._parent_router = None
    return routers
