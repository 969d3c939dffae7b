"""the curator's desk: broadcasts (announcements and events) and the answers to events

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organisations') as batch:
        batch.add_column(sa.Column('head_may_broadcast', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column('ratings_for_mentors', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table('broadcasts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('author_membership_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('file_kind', sa.String(length=16), nullable=True),
    sa.Column('file_id', sa.String(length=255), nullable=True),
    sa.Column('audience', sa.JSON(), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('event_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('place', sa.String(length=300), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('report_chat_id', sa.BigInteger(), nullable=True),
    sa.Column('report_message_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_membership_id'], ['memberships.id'], name=op.f('fk_broadcasts_author_membership_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_broadcasts_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_broadcasts'))
    )
    op.create_index('ix_broadcasts_upcoming', 'broadcasts', ['organisation_id', 'event_at'], unique=False)
    op.create_index('ix_broadcasts_event_at', 'broadcasts', ['event_at'], unique=False)
    op.create_table('event_answers',
    sa.Column('broadcast_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('coming', sa.Boolean(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['broadcast_id'], ['broadcasts.id'], name=op.f('fk_event_answers_broadcast_id_broadcasts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_event_answers_membership_id_memberships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('broadcast_id', 'membership_id', name=op.f('pk_event_answers'))
    )
    op.create_index(op.f('ix_event_answers_membership_id'), 'event_answers', ['membership_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('organisations') as batch:
        batch.drop_column('ratings_for_mentors')
        batch.drop_column('head_may_broadcast')
    op.drop_table('event_answers')
    op.drop_table('broadcasts')
