"""Routers, one per dialog. Commands come before any dialog's catch-all, the fallback last."""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    from handlers import (
        bank,
        common,
        fallback,
        help,
        invitations,
        join,
        meetings,
        organisations,
        pair_consent,
        pair_form,
        pair_lifecycle,
        pairs,
        plan,
        privacy,
        profile,
        programme,
        referrals,
        start,
        survey,
        survey_desk,
        survey_launch,
    )

    routers = [
        common.router,
        start.router,
        profile.router,
        privacy.router,
        bank.router,
        invitations.router,
        organisations.router,
        survey.router,
        survey_desk.router,
        survey_launch.router,
        pairs.router,
        referrals.router,
        programme.router,
        plan.router,
        meetings.router,
        help.router,
        pair_lifecycle.router,
        pair_consent.router,
        pair_form.router,
        join.router,
        fallback.router,
    ]
    for router in routers:
        # A router joins one parent at a time; a new Dispatcher (a restart in tests) takes them.
        router._parent_router = None
    return routers
