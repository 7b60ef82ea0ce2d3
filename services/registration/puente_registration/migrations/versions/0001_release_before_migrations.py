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
        "family_unit",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("registered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("organisation_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("attorney_organisation_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("registration_code_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("consent", sa.JSON(), nullable=True),
        sa.Column("consent_recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("consent_channel", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "person",
        sa.Column("member_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("given_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("family_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("in_mpp", sa.Boolean(), nullable=False),
        sa.Column("a_number", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("mpp_enrollment_date", sa.Date(), nullable=True),
        sa.Column("case_category", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("legal_action", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("needs_interpreter", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_unit_id"],
            ["family_unit.id"],
        ),
        sa.PrimaryKeyConstraint("member_id"),
        sa.UniqueConstraint("a_number"),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_birth_date"), ["birth_date"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_person_family_unit_id"), ["family_unit_id"], unique=False
        )

    op.create_table(
        "registration_callback",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("operator", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("booked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("rebooked_from", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("unanswered_before", sa.Integer(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("made_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("made_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["family_unit_id"],
            ["family_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("registration_callback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registration_callback_due_at"), ["due_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_registration_callback_family_unit_id"), ["family_unit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_registration_callback_status"), ["status"], unique=False
        )

    op.create_table(
        "registration_expedite",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("criterion", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("requested_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("requested_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("approved_by", sa.JSON(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=True),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["family_unit_id"],
            ["family_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("registration_expedite", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registration_expedite_family_unit_id"), ["family_unit_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("registration_expedite", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_expedite_family_unit_id"))

    op.drop_table("registration_expedite")
    with op.batch_alter_table("registration_callback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_callback_status"))
        batch_op.drop_index(batch_op.f("ix_registration_callback_family_unit_id"))
        batch_op.drop_index(batch_op.f("ix_registration_callback_due_at"))

    op.drop_table("registration_callback")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_family_unit_id"))
        batch_op.drop_index(batch_op.f("ix_person_birth_date"))

    op.drop_table("person")
    op.drop_table("family_unit")
