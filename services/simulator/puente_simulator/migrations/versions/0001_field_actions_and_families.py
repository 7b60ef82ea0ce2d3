"""The simulator's tables: the actions people in the field will take, and what it
remembers of each family.

Revision ID: 0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "simulator_field_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("command_type", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("correlation_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("trace", sa.JSON(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("simulator_field_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_simulator_field_action_done"), ["done"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_simulator_field_action_due_at"), ["due_at"], unique=False
        )

    op.create_table(
        "simulator_field_family",
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("appointments", sa.JSON(), nullable=True),
        sa.Column("mishap", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("family_unit_id"),
    )


def downgrade() -> None:
    op.drop_table("simulator_field_family")
    with op.batch_alter_table("simulator_field_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_simulator_field_action_due_at"))
        batch_op.drop_index(batch_op.f("ix_simulator_field_action_done"))

    op.drop_table("simulator_field_action")
