"""The schema of the release before migrations (06b4116), exactly: such a database is
stamped at this revision when its tables match (puente_runtime.upgrades).

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
        "family_needs",
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("languages", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("needs_interpreter", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("family_unit_id"),
    )
    op.create_table(
        "notice",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("policy_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("recipient", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notice_family_unit_id"), ["family_unit_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_notice_policy_id"), ["policy_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notice_recipient"), ["recipient"], unique=False)

    op.create_table(
        "notified_shelter",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "policy",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("effective_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("announced_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("effective", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("policy", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_policy_effective"), ["effective"], unique=False)
        batch_op.create_index(batch_op.f("ix_policy_effective_at"), ["effective_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("policy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_effective_at"))
        batch_op.drop_index(batch_op.f("ix_policy_effective"))

    op.drop_table("policy")
    op.drop_table("notified_shelter")
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_recipient"))
        batch_op.drop_index(batch_op.f("ix_notice_policy_id"))
        batch_op.drop_index(batch_op.f("ix_notice_family_unit_id"))

    op.drop_table("notice")
    op.drop_table("family_needs")
