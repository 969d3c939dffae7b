"""The handlers, one module per feature: `router()` builds its commands and plain buttons,
`dialogs()` (where there are any) its aiogram-dialog dialogs.

A Router (and so a Dialog) joins one parent only, so each Dispatcher (tests build many) gets
its own: `get_routers()` builds them afresh. Every module's commands come before any dialog, so
a command works in the middle of a dialog; the fallback comes last.
"""

from __future__ import annotations

from types import ModuleType

from aiogram import Router

from handlers import (
    bank,
    broadcast,
    common,
    delivery,
    desk,
    fallback,
    final_report,
    help,
    invitations,
    join,
    meetings,
    org_settings,
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
    reminder_actions,
    roadmap,
    start,
    survey,
    survey_desk,
    survey_launch,
)

FEATURES: tuple[ModuleType, ...] = (
    common,
    start,
    profile,
    privacy,
    bank,
    delivery,
    desk,
    broadcast,
    invitations,
    organisations,
    survey,
    survey_desk,
    survey_launch,
    pairs,
    referrals,
    programme,
    plan,
    meetings,
    roadmap,
    help,
    pair_lifecycle,
    final_report,
    pair_consent,
    pair_form,
    reminder_actions,
    org_settings,
    join,
)


def get_routers() -> list[Router]:
    commands = [feature.router() for feature in FEATURES]
    dialogs = [
        dialog
        for feature in FEATURES
        if hasattr(feature, "dialogs")
        for dialog in feature.dialogs()
    ]
    return [*commands, *dialogs, fallback.router()]
