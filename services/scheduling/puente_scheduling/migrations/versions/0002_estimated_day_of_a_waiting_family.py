"""Each waiting family's estimated day, as scheduling last announced it (appointment-estimated),
so a restart announces only the estimates that change.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scheduling_queue", schema=None) as batch_op:
        batch_op.add_column(sa.Column("estimated_day", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scheduling_queue", schema=None) as batch_op:
        batch_op.drop_column("estimated_day")
