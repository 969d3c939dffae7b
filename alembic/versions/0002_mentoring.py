"""mentoring: pairs lifecycle, programmes, meetings, help

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('support_referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('mentee_membership_id', sa.Integer(), nullable=False),
    sa.Column('psychologist_membership_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['mentee_membership_id'], ['memberships.id'], name=op.f('fk_support_referrals_mentee_membership_id_memberships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_support_referrals_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['psychologist_membership_id'], ['memberships.id'], name=op.f('fk_support_referrals_psychologist_membership_id_memberships'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_referrals'))
    )
    with op.batch_alter_table('support_referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_referrals_mentee_membership_id'), ['mentee_membership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_referrals_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('help_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('mentee_membership_id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=True),
    sa.Column('helper_membership_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('answer_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['helper_membership_id'], ['memberships.id'], name=op.f('fk_help_requests_helper_membership_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mentee_membership_id'], ['memberships.id'], name=op.f('fk_help_requests_mentee_membership_id_memberships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_help_requests_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pair_id'], ['pairs.id'], name=op.f('fk_help_requests_pair_id_pairs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_requests'))
    )
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_requests_mentee_membership_id'), ['mentee_membership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_requests_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('pair_confirmations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('accepted', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_pair_confirmations_membership_id_memberships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pair_id'], ['pairs.id'], name=op.f('fk_pair_confirmations_pair_id_pairs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pair_confirmations')),
    sa.UniqueConstraint('pair_id', 'membership_id', name=op.f('uq_pair_confirmations_pair_id'))
    )
    with op.batch_alter_table('pair_confirmations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pair_confirmations_pair_id'), ['pair_id'], unique=False)

    op.create_table('pair_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('actor_membership_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=64), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_membership_id'], ['memberships.id'], name=op.f('fk_pair_events_actor_membership_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pair_id'], ['pairs.id'], name=op.f('fk_pair_events_pair_id_pairs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pair_events'))
    )
    with op.batch_alter_table('pair_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pair_events_pair_id'), ['pair_id'], unique=False)

    op.create_table('programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('template', sa.String(length=32), nullable=True),
    sa.Column('goal', sa.Text(), nullable=True),
    sa.Column('tasks', sa.Text(), nullable=True),
    sa.Column('planned_results', sa.Text(), nullable=True),
    sa.Column('form', sa.Text(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('change_request', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pair_id'], ['pairs.id'], name=op.f('fk_programmes_pair_id_pairs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programmes')),
    sa.UniqueConstraint('pair_id', name=op.f('uq_programmes_pair_id'))
    )
    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('expected_result', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('evidence_file_id', sa.String(length=255), nullable=True),
    sa.Column('evidence_kind', sa.String(length=16), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reopen_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_activities_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_programme_id'), ['programme_id'], unique=False)

    op.create_table('help_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('author_membership_id', sa.Integer(), nullable=True),
    sa.Column('content_type', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('file_id', sa.String(length=255), nullable=True),
    sa.Column('delivered', sa.Boolean(), nullable=False),
    sa.Column('delivery_error', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_membership_id'], ['memberships.id'], name=op.f('fk_help_messages_author_membership_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['help_requests.id'], name=op.f('fk_help_messages_request_id_help_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_messages'))
    )
    with op.batch_alter_table('help_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_messages_request_id'), ['request_id'], unique=False)

    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('next_steps', sa.Text(), nullable=True),
    sa.Column('logged_by_membership_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by_membership_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_meetings_activity_id_activities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['confirmed_by_membership_id'], ['memberships.id'], name=op.f('fk_meetings_confirmed_by_membership_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['logged_by_membership_id'], ['memberships.id'], name=op.f('fk_meetings_logged_by_membership_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pair_id'], ['pairs.id'], name=op.f('fk_meetings_pair_id_pairs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_pair_id'), ['pair_id'], unique=False)

    op.create_table('meeting_attendees',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_attendees_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_meeting_attendees_membership_id_memberships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'membership_id', name=op.f('pk_meeting_attendees'))
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('workday_start_hour', sa.Integer(), server_default='9', nullable=False))
        batch_op.add_column(sa.Column('workday_end_hour', sa.Integer(), server_default='18', nullable=False))
        batch_op.add_column(sa.Column('help_response_hours', sa.Integer(), server_default='4', nullable=False))

    with op.batch_alter_table('pairs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('forms', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('created_by_membership_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approval_order', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('activated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('end_reason', sa.String(length=32), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_pairs_created_by_membership_id_memberships'), 'memberships', ['created_by_membership_id'], ['id'], ondelete='SET NULL')




def downgrade() -> None:

    with op.batch_alter_table('pairs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_pairs_created_by_membership_id_memberships'), type_='foreignkey')
        batch_op.drop_column('end_reason')
        batch_op.drop_column('ended_at')
        batch_op.drop_column('activated_at')
        batch_op.drop_column('approved_at')
        batch_op.drop_column('approval_order')
        batch_op.drop_column('created_by_membership_id')
        batch_op.drop_column('forms')

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('help_response_hours')
        batch_op.drop_column('workday_end_hour')
        batch_op.drop_column('workday_start_hour')

    op.drop_table('meeting_attendees')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_pair_id'))

    op.drop_table('meetings')
    with op.batch_alter_table('help_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_messages_request_id'))

    op.drop_table('help_messages')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_programme_id'))

    op.drop_table('activities')
    op.drop_table('programmes')
    with op.batch_alter_table('pair_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pair_events_pair_id'))

    op.drop_table('pair_events')
    with op.batch_alter_table('pair_confirmations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pair_confirmations_pair_id'))

    op.drop_table('pair_confirmations')
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_requests_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_help_requests_mentee_membership_id'))

    op.drop_table('help_requests')
    with op.batch_alter_table('support_referrals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_referrals_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_support_referrals_mentee_membership_id'))

    op.drop_table('support_referrals')

