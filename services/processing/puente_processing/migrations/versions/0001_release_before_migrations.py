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
        "attorney_request",
        sa.Column("request_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("attorney_organisation_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("request_id"),
    )
    with op.batch_alter_table("attorney_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attorney_request_family_unit_id"), ["family_unit_id"], unique=False
        )

    op.create_table(
        "bed_hold",
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("shelter_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("site", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("expected_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("arrived_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("ends_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("family_unit_id"),
    )
    with op.batch_alter_table("bed_hold", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bed_hold_ends_at"), ["ends_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_bed_hold_shelter_id"), ["shelter_id"], unique=False)

    op.create_table(
        "case_file",
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("members", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("attorney_of_record", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("in_us", sa.Boolean(), nullable=False),
        sa.Column("step", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("appointment_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("site", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("appointment_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("checked_in_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("overdue_reported", sa.Boolean(), nullable=False),
        sa.Column("processed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("released_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("court", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("destination", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("family_unit_id"),
    )
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_file_step"), ["step"], unique=False)

    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("member_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("ready_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_family_unit_id"), ["family_unit_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_document_status"), ["status"], unique=False)

    op.create_table(
        "shelter",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("beds", sa.Integer(), nullable=False),
        sa.Column("services", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("shelter")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_status"))
        batch_op.drop_index(batch_op.f("ix_document_family_unit_id"))

    op.drop_table("document")
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_file_step"))

    op.drop_table("case_file")
    with op.batch_alter_table("bed_hold", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bed_hold_shelter_id"))
        batch_op.drop_index(batch_op.f("ix_bed_hold_ends_at"))

    op.drop_table("bed_hold")
    with op.batch_alter_table("attorney_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attorney_request_family_unit_id"))

    op.drop_table("attorney_request")
