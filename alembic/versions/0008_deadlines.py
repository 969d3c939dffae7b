"""deadlines: working days and holidays, the roadmap, final reports, muted reminders, indexes

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_pairs_status_ends_on", "pairs", ["status", "ends_on"]),
    ("ix_pairs_status_approved_at", "pairs", ["status", "approved_at"]),
    ("ix_pairs_status_ended_at", "pairs", ["status", "ended_at"]),
    ("ix_profiles_started_on", "profiles", ["started_on"]),
    ("ix_activities_status_due_on", "activities", ["status", "due_on"]),
    ("ix_help_requests_status_answer_due_at", "help_requests", ["status", "answer_due_at"]),
    ("ix_survey_responses_invited_at", "survey_responses", ["invited_at"]),
    ("ix_survey_campaigns_deadline", "survey_campaigns", ["deadline"]),
)


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(
            sa.Column("working_days", sa.String(7), nullable=False, server_default="12345")
        )
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    op.create_table(
        "holidays",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "organisation_id",
            sa.Integer(),
            sa.ForeignKey("organisations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("day", sa.Date(), nullable=False),
        sa.UniqueConstraint("organisation_id", "day"),
    )
    op.create_table(
        "roadmap_stages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "organisation_id",
            sa.Integer(),
            sa.ForeignKey("organisations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("actions", sa.Text(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "responsible_membership_id",
            sa.Integer(),
            sa.ForeignKey("memberships.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("organisation_id", "year", "position"),
    )
    op.create_index("ix_roadmap_stages_open_due", "roadmap_stages", ["done_at", "due_on"])
    op.create_table(
        "final_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "pair_id", sa.Integer(), sa.ForeignKey("pairs.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "author_membership_id",
            sa.Integer(),
            sa.ForeignKey("memberships.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("fulfilment", sa.JSON(), nullable=False),
        sa.Column("results", sa.Text(), nullable=True),
        sa.Column("recommendations", sa.Text(), nullable=True),
        sa.Column("how_it_went", sa.Text(), nullable=True),
        sa.Column("helped", sa.Text(), nullable=True),
        sa.Column("missing", sa.Text(), nullable=True),
        sa.Column("evaluation", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("pair_id", "author_membership_id"),
    )
    op.create_table(
        "reminder_mutes",
        sa.Column(
            "membership_id",
            sa.Integer(),
            sa.ForeignKey("memberships.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("reminder_mutes")
    op.drop_table("final_reports")
    op.drop_index("ix_roadmap_stages_open_due", table_name="roadmap_stages")
    op.drop_table("roadmap_stages")
    op.drop_table("holidays")
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("working_days")
