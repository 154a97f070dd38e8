"""registrations.email: the person's e-mail from their Slack profile, for the coordinators' list

Revision ID: 0007_true_messages
Revises: 0006_bad_input
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_true_messages"
down_revision = "0006_bad_input"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("registrations") as batch:
        batch.add_column(sa.Column("email", sa.String(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("registrations") as batch:
        batch.drop_column("email")
