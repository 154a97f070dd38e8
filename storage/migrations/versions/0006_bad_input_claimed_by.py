"""outbox: which instance claimed a row, so a restarted instance resolves its own at once

Revision ID: 0006_bad_input
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_bad_input"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("claimed_by")
