"""The buttons on deadline reminders (bot/jobs/deadlines.py): plain CallbackData, so a reminder
queued today still works after the dialogs change. Their handlers (each checks that the record
is the presser's, then starts the dialog) come with the dialogs on aiogram-dialog."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.ui import RecordId


class ActivityDone(CallbackData, prefix="activity_done"):
    activity_id: RecordId


class ActivityMove(CallbackData, prefix="activity_move"):
    """Move the item's date, with a reason."""

    activity_id: RecordId


class PlanOpen(CallbackData, prefix="plan_open"):
    pair_id: RecordId


class PairComplete(CallbackData, prefix="pair_complete"):
    pair_id: RecordId


class PairExtend(CallbackData, prefix="pair_extend"):
    pair_id: RecordId


class PairEndEarly(CallbackData, prefix="pair_end_early"):
    pair_id: RecordId


class ReportOpen(CallbackData, prefix="report_open"):
    """Open the person's final report of the pair."""

    pair_id: RecordId


class RoadmapStageDone(CallbackData, prefix="roadmap_stage_done"):
    stage_id: RecordId


class RoadmapOpen(CallbackData, prefix="roadmap_open"):
    organisation_id: RecordId
