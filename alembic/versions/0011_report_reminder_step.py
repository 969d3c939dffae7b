"""the desk's notice of a missing final report: its step renamed from day10 to late

It now goes the day after the 10th day, not on it; a notice already sent under the old name
must count as sent, or the pairs that ended 10 to 13 days before the update would have it twice.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


# A mark is "<step>:<due date>" (bot/services/deadlines.py, stage_mark).
def upgrade() -> None:
    op.execute(
        "UPDATE sent_reminders SET stage = 'late' || substr(stage, 6) "
        "WHERE kind = 'report' AND stage LIKE 'day10:%'"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE sent_reminders SET stage = 'day10' || substr(stage, 5) "
        "WHERE kind = 'report' AND stage LIKE 'late:%'"
    )
