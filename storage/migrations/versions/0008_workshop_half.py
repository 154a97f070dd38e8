"""workshop: group notes with their history, a free-text feedback comment

Revision ID: 0008_workshop_half
Revises: 0007_true_messages
Create Date: 2026-11-30 19:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_workshop_half"
down_revision = "0007_true_messages"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "group_note_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("group_key", sa.String(length=40), nullable=False),
        sa.Column("question_key", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_id", sa.String(length=32), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_group_note_edits_group",
        "group_note_edits",
        ["event_id", "group_key", "question_key"],
    )
    with op.batch_alter_table("feedback_answers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("comment", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feedback_answers", schema=None) as batch_op:
        batch_op.drop_column("comment")
    op.drop_index("ix_group_note_edits_group", table_name="group_note_edits")
    op.drop_table("group_note_edits")
