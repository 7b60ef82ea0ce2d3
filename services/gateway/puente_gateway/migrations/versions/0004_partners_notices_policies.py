"""Partners (issue 10): organisations' contacts and languages, each organisation's notices,
policies with the organisations at risk, and their public CAP alerts. An organisation already
in the database has no profile: the gateway publishes it (organisation-registered) at start.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gateway_notice",
        sa.Column("notice_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("issued_event_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("organisation_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("policy_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("effective_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("delivered_via", sa.JSON(), nullable=True),
        sa.Column("delivered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("first_read_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("acknowledged_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("notice_id"),
        sa.UniqueConstraint("issued_event_id"),
    )
    with op.batch_alter_table("gateway_notice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gateway_notice_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_gateway_notice_policy_id"), ["policy_id"], unique=False
        )

    op.create_table(
        "gateway_organisation_profile",
        sa.Column("organisation_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=True),
        sa.Column("contacts", sa.JSON(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("announced_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("organisation_id"),
    )
    with op.batch_alter_table("gateway_organisation_profile", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gateway_organisation_profile_announced_version"),
            ["announced_version"],
            unique=False,
        )

    op.create_table(
        "gateway_policy",
        sa.Column("policy_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("effective_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("announced_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("cancel_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at_risk", sa.JSON(), nullable=True),
        sa.Column("at_risk_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("policy_id"),
    )
    with op.batch_alter_table("gateway_policy", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gateway_policy_status"), ["status"], unique=False)

    op.create_table(
        "gateway_policy_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("policy_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("message_type", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("effective_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("alert_id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("gateway_policy_alert", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gateway_policy_alert_policy_id"), ["policy_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("gateway_policy_alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gateway_policy_alert_policy_id"))

    op.drop_table("gateway_policy_alert")
    with op.batch_alter_table("gateway_policy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gateway_policy_status"))

    op.drop_table("gateway_policy")
    with op.batch_alter_table("gateway_organisation_profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gateway_organisation_profile_announced_version"))

    op.drop_table("gateway_organisation_profile")
    with op.batch_alter_table("gateway_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gateway_notice_policy_id"))
        batch_op.drop_index(batch_op.f("ix_gateway_notice_organisation_id"))

    op.drop_table("gateway_notice")
