"""around the day: home team of a registration, outbox attachments, calendar invites
(the registration's e-mail came with 0007_true_messages)

Revision ID: 0009_around_day
Revises: 0008_workshop_half
Create Date: 2026-11-30 19:50:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0009_around_day'
down_revision = '0008_workshop_half'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('registrations') as batch:
        batch.add_column(sa.Column('team_id', sa.String(length=32), nullable=True,
                                   comment="the person's home workspace (Slack Connect)"))
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('attachment', sa.JSON(), nullable=True,
                                   comment='a file sent with the message: filename, title, mime, content'))
    op.create_table('calendar_invites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id', 'user_id', name='uq_calendar_invites_event_user')
    )


def downgrade() -> None:
    op.drop_table('calendar_invites')
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('attachment')
    with op.batch_alter_table('registrations') as batch:
        batch.drop_column('team_id')
