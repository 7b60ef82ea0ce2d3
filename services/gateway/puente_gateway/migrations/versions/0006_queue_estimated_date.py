"""Scheduling's estimate of a waiting family's appointment day, as it publishes it
(appointment-estimated, waitlisted): the gateway shows it instead of estimating one itself.
Families waiting now have none until scheduling next estimates their line (within a day).

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("gateway_queue", schema=None) as batch_op:
        batch_op.add_column(sa.Column("estimated_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("gateway_queue", schema=None) as batch_op:
        batch_op.drop_column("estimated_date")
