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
        "booking",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("appointment_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("appointment_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("site", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("origin_city", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("route_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("vehicle_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("departure_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("arrival_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("pickup_point", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("travel_documents", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("lodging", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("departed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("expected_arrival_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("arrived_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_booking_appointment_id"), ["appointment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_booking_departure_at"), ["departure_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_booking_family_unit_id"), ["family_unit_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_booking_route_id"), ["route_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_booking_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_booking_vehicle_id"), ["vehicle_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_vehicle_id"))
        batch_op.drop_index(batch_op.f("ix_booking_status"))
        batch_op.drop_index(batch_op.f("ix_booking_route_id"))
        batch_op.drop_index(batch_op.f("ix_booking_family_unit_id"))
        batch_op.drop_index(batch_op.f("ix_booking_departure_at"))
        batch_op.drop_index(batch_op.f("ix_booking_appointment_id"))

    op.drop_table("booking")
