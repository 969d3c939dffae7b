"""The handlers, one module per dialog or screen; each module's `router()` builds its Router.

A Router joins one parent only, so each Dispatcher (tests build many) gets routers of its own:
`get_routers()` builds them afresh. Commands come before any dialog's catch-all, the fallback last.
"""

from __future__ import annotations

from aiogram import Router

from handlers import (
    bank,
    common,
    delivery,
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


def get_routers() -> list[Router]:
    return [
        common.router(),
        start.router(),
        profile.router(),
        privacy.router(),
        bank.router(),
        delivery.router(),
        invitations.router(),
        organisations.router(),
        survey.router(),
        survey_desk.router(),
        survey_launch.router(),
        pairs.router(),
        referrals.router(),
        programme.router(),
        plan.router(),
        meetings.router(),
        help.router(),
        pair_lifecycle.router(),
        pair_consent.router(),
        pair_form.router(),
        join.router(),
        fallback.router(),
    ]
