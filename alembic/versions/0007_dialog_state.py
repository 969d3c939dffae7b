"""dialog state: the dialogs moved to aiogram-dialog, keyed with their destiny

The states kept by the hand-made dialogs mean nothing to the new ones (and their keys lack the
destiny): a person in the middle of one starts the step again.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM fsm_records")


def downgrade() -> None:
    op.execute("DELETE FROM fsm_records")
