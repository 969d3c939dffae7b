"""Questionnaires (анкеты) and the monitoring they feed.

- schema, loader: questionnaires/*.yaml as validated data;
- versions: each version people answer is stored, so old answers stay readable;
- answering: one question at a time, stored as given;
- campaigns: sending to an audience, completion, reminders, monitoring stage 2;
- results, charts, export: figures in SQL, pictures, the XLSX workbook.

The pair lifecycle calls `on_pair_activated` and `on_programme_ended` (stage 2).
"""

from bot.services.questionnaires.campaigns import on_pair_activated, on_programme_ended

__all__ = ["on_pair_activated", "on_programme_ended"]
