"""coordinator broadcasts

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('broadcasts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('audiences', sa.JSON(), nullable=False),
    sa.Column('send_at', sa.DateTime(timezone=True), nullable=True, comment='None = as soon as confirmed'),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True, comment='the scheduled one it changes'),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('progress_channel', sa.String(length=40), nullable=True),
    sa.Column('progress_ts', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status in ('draft', 'scheduled', 'sending', 'done', 'cancelled')", name='ck_broadcasts_status'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['replaces_id'], ['broadcasts.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        batch_op.create_index('ix_broadcasts_event', ['event_id'], unique=False)
        batch_op.create_index('ix_broadcasts_status_send_at', ['status', 'send_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        batch_op.drop_index('ix_broadcasts_status_send_at')
        batch_op.drop_index('ix_broadcasts_event')

    op.drop_table('broadcasts')
