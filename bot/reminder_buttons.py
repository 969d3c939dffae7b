"""The buttons on deadline reminders (bot/jobs/deadlines.py): plain CallbackData, so a reminder
queued today still works after the dialogs change. Their handlers (each checks that the record
is the presser's, then starts the dialog) come with the dialogs on aiogram-dialog."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class ActivityDone(CallbackData, prefix="activity_done"):
    activity_id: int


class ActivityMove(CallbackData, prefix="activity_move"):
    """Move the item's date, with a reason."""

    activity_id: int


class PlanOpen(CallbackData, prefix="plan_open"):
    pair_id: int


class PairComplete(CallbackData, prefix="pair_complete"):
    pair_id: int


class PairExtend(CallbackData, prefix="pair_extend"):
    pair_id: int


class PairEndEarly(CallbackData, prefix="pair_end_early"):
    pair_id: int


class ReportOpen(CallbackData, prefix="report_open"):
    """Open the person's final report of the pair."""

    pair_id: int


class RoadmapStageDone(CallbackData, prefix="roadmap_stage_done"):
    stage_id: int


class RoadmapOpen(CallbackData, prefix="roadmap_open"):
    organisation_id: int
