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
        "appointment",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("site", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("origin_city", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("origin_country", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("enrolled_on", sa.Date(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("family_unit_id"),
    )
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appointment_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_appointment_site"), ["site"], unique=False)

    op.create_table(
        "scheduling_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("eligible_categories", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("min_notice_hours", sa.Float(), nullable=False),
        sa.Column("horizon_days", sa.Float(), nullable=False),
        sa.Column("version", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "scheduling_queue",
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("categories", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("earliest_enrollment", sa.Date(), nullable=True),
        sa.Column("registered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("queued_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expedite_granted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("site", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("transport_failures", sa.Integer(), nullable=False),
        sa.Column("not_before", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("family_unit_id"),
    )
    op.create_table(
        "scheduling_site",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("capacity_per_day", sa.Integer(), nullable=False),
        sa.Column("open_weekdays", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("opens_at_hour", sa.Integer(), nullable=False),
        sa.Column("cursor_day", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("scheduling_site")
    op.drop_table("scheduling_queue")
    op.drop_table("scheduling_policy")
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointment_site"))
        batch_op.drop_index(batch_op.f("ix_appointment_day"))

    op.drop_table("appointment")
