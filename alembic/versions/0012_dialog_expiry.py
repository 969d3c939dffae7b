"""dialog records note their chat and when they last changed, for the sweep of idle dialogs

A record kept before this migration counts as changed at the migration: its chat, if it is a
member nowhere, has the full period to come back. The chat is read from the key the database
store built ("fsm:<chat>:...", bot/fsm_storage.py); a record whose key is not of that shape
was not written by it and goes.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

records = sa.table(
    "fsm_records",
    sa.column("key", sa.String()),
    sa.column("chat_id", sa.BigInteger()),
    sa.column("touched_at", sa.DateTime(timezone=True)),
)


def chat_of(key: str) -> int | None:
    prefix, _, rest = key.partition(":")
    chat = rest.partition(":")[0]
    if prefix != "fsm" or not chat.lstrip("-").isdigit():
        return None
    return int(chat)


def upgrade() -> None:
    with op.batch_alter_table("fsm_records") as batch:
        batch.add_column(sa.Column("chat_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("touched_at", sa.DateTime(timezone=True), nullable=True))
    connection = op.get_bind()
    now = datetime.now(UTC)
    for key in list(connection.scalars(sa.select(records.c.key))):
        chat = chat_of(key)
        if chat is None:
            connection.execute(records.delete().where(records.c.key == key))
        else:
            connection.execute(
                records.update()
                .where(records.c.key == key)
                .values(chat_id=chat, touched_at=now)
            )
    with op.batch_alter_table("fsm_records") as batch:
        batch.alter_column("chat_id", existing_type=sa.BigInteger(), nullable=False)
        batch.alter_column(
            "touched_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )
        batch.create_index(batch.f("ix_fsm_records_touched_at"), ["touched_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("fsm_records") as batch:
        batch.drop_index(batch.f("ix_fsm_records_touched_at"))
        batch.drop_column("touched_at")
        batch.drop_column("chat_id")
