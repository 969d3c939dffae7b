"""The one map of personal data: for every stored column, what withdrawal of consent does.

ERASE: set to NULL (or empty) where the row concerns the person; MARK: replace with a neutral
marker; DELETE: delete the row; UNLINK: replace an identifier (a Telegram id) with a placeholder
that ties to nobody; REDACT: the organisation's own text stays, the person's name and phone
in it are replaced by the marker; KEEP: impersonal (a role, a code, a status, a date, a count,
an id). Beyond the rows that concern the person, the texts others wrote in the organisation
(every column `typed_columns` reads from the schema) have the person's name and phone replaced
by the marker too, and its people's open dialogs that hold them are closed.
tests/test_personal_data.py fails when a text, string or JSON column of any table is missing
here, so the map cannot fall behind the schema. bot.services.privacy acts on it.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import JSON, String, Text

from models.base import Base


class Action(StrEnum):
    ERASE = "erase"
    MARK = "mark"
    DELETE = "delete"
    UNLINK = "unlink"
    REDACT = "redact"
    KEEP = "keep"


E, M, D, U, R, K = (
    Action.ERASE,
    Action.MARK,
    Action.DELETE,
    Action.UNLINK,
    Action.REDACT,
    Action.KEEP,
)

# The marker put in place of a text that must stay non-empty (a NOT NULL column).
MARKER = "—"

PERSONAL_DATA: dict[str, dict[str, Action]] = {
    # The account: re-keyed to a placeholder, or deleted when nothing else needs it.
    "users": {"telegram_id": U, "language": K, "menu_signature": K},
    "organisations": {"name": K, "short_name": K, "timezone": K, "working_days": K},
    "memberships": {"role": K, "status": K},  # stays, anonymous, for the statistics
    "profiles": {
        "full_name": E,
        "position": E,
        "phone": E,
        "education": E,
        "main_request": E,
        "difficulties": E,
        "difficulties_other": E,
        "competencies": E,
        "competencies_other": E,
        "achievements": E,
        "interests": E,
        "preferred_mentee": E,
        "skipped": E,
        "mentee_category": K,  # a category the statistics count
    },
    "consents": {"kind": K, "text_version": K, "locale": K},  # the proof of consent given
    "invitations": {"role": K, "code": K},
    # The head's order is typed (its number and date, and it may name the pair).
    "pairs": {"status": K, "forms": K, "approval_order": R, "end_reason": K},
    "pair_mentees": {},
    "pair_confirmations": {"reason": E},  # in the person's pairs
    "pair_events": {"kind": K, "reason": K, "note": E, "details": K},  # ids and dates only
    "support_referrals": {"note": E},
    "programmes": {
        "status": K,
        "template": K,
        "goal": E,
        "tasks": E,
        "planned_results": E,
        "form": E,
        "change_request": E,
    },
    "activities": {
        "content": M,
        "expected_result": E,
        "status": K,
        "result": E,
        "evidence_file_id": E,
        "evidence_kind": K,
        "reopen_reason": E,
    },
    "meetings": {"format": K, "notes": E, "next_steps": E},
    "meeting_attendees": {},
    "help_requests": {"status": K},
    # The person's threads, both sides, and what they wrote in others' threads.
    "help_messages": {"content_type": K, "text": E, "file_id": E, "delivery_error": E},
    # The organisation's messages to the person: queued ones deleted, sent ones emptied and
    # re-keyed. Messages to others that quote the person or their texts: deleted while queued,
    # emptied once sent.
    "outbox": {
        "key": U,
        "chat_id": U,
        "purpose": K,
        "kind": K,
        "text": E,
        "file_id": E,
        "markup": E,
        "state": K,
        "last_error": E,
    },
    # The person's dialog state. Others' open dialogs holding their name, phone or Telegram id
    # (or, for the desk and their pairs, their membership's id) are closed (bot.fsm_storage).
    "fsm_records": {"key": D, "chat_id": D, "state": D, "data": D},
    "app_state": {"key": D, "value": D},  # the menu remembered for the person's chat
    "processed_updates": {},
    "sent_reminders": {"kind": K, "stage": K},
    "holidays": {},
    "roadmap_stages": {"code": K, "actions": R},  # the organisation's own plan
    "roadmap_approvals": {},  # who approved: a membership id, no text
    # Reports by the person and, in their pairs, about them: the texts and marks go.
    "final_reports": {
        "role": K,
        "fulfilment": E,
        "results": E,
        "recommendations": E,
        "how_it_went": E,
        "helped": E,
        "missing": E,
        "evaluation": E,
        "comment": E,
    },
    "reminder_mutes": {"kind": D},  # the person's choice
    "questionnaire_versions": {"code": K, "definition": K},
    "survey_campaigns": {"purpose": K, "audience": K},
    "survey_responses": {"phase": K, "status": K, "current_question": E},
    # Taps stay, counted in the figures (no answers row or before-and-after line shows them
    # once the person has withdrawn); typed text goes.
    "survey_answers": {"question_id": K, "option": K, "text": E},
    # The organisation's announcements stay (their author is unlinked by the foreign key); a
    # person's answers to events go with them.
    "broadcasts": {
        "kind": K,
        "text": R,
        "file_kind": K,
        "file_id": K,
        "audience": K,
        "place": R,
        "report_chat_id": E,  # the author's chat
    },
    "event_answers": {"coming": D},
}


def action(table: str, column: str) -> Action | None:
    return PERSONAL_DATA.get(table, {}).get(column)


# Not searched for a name in others' rows: what the bot or Telegram writes (file ids, delivery
# errors, a question's code), and each person's own name and phone (a namesake's stay theirs).
NOT_SEARCHED = {
    "outbox": {"file_id", "last_error"},
    "activities": {"evidence_file_id"},
    "help_messages": {"file_id", "delivery_error"},
    "survey_responses": {"current_question"},
    "profiles": {"full_name", "phone"},
}
SEARCHED = (Action.ERASE, Action.MARK, Action.REDACT)


def typed_columns(name: str) -> tuple[str, ...]:
    """The columns of the table `name` whose text (or JSON holding text) people wrote, and so
    may name someone: in rows about others, withdrawal replaces the person's name and phone
    there. Read from the schema, so a new text column is searched once the map lists it."""
    table = Base.metadata.tables[name]
    return tuple(
        column.name
        for column in table.columns
        if isinstance(column.type, String | Text | JSON)
        and action(table.name, column.name) in SEARCHED
        and column.name not in NOT_SEARCHED.get(table.name, ())
    )
