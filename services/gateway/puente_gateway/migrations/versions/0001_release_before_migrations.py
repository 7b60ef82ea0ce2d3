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
        "gateway_attorney_access",
        sa.Column("request_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("attorney_organisation_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("request_id"),
    )
    with op.batch_alter_table("gateway_attorney_access", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gateway_attorney_access_attorney_organisation_id"),
            ["attorney_organisation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_gateway_attorney_access_family_unit_id"),
            ["family_unit_id"],
            unique=False,
        )

    op.create_table(
        "gateway_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("operation", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("token_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("principal", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("organisation_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("gateway_audit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gateway_audit_family_unit_id"), ["family_unit_id"], unique=False
        )

    op.create_table(
        "gateway_booking",
        sa.Column("booking_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("appointment_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("site", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("route_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("vehicle_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("origin_city", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("pickup_point", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("departure_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("arrival_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("travel_documents", sa.JSON(), nullable=True),
        sa.Column("escorted_convoy", sa.Boolean(), nullable=False),
        sa.Column("risk", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("cost_to_family", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("booked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("departed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("expected_arrival_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("arrived_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("booking_id"),
    )
    with op.batch_alter_table("gateway_booking", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gateway_booking_departure_at"), ["departure_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_gateway_booking_family_unit_id"), ["family_unit_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_gateway_booking_route_id"), ["route_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_gateway_booking_site"), ["site"], unique=False)
        batch_op.create_index(batch_op.f("ix_gateway_booking_status"), ["status"], unique=False)

    op.create_table(
        "gateway_callback",
        sa.Column("callback_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("operator", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("missed", sa.Boolean(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("made_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("rebooked_from", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("callback_id"),
    )
    with op.batch_alter_table("gateway_callback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gateway_callback_due_at"), ["due_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_gateway_callback_family_unit_id"), ["family_unit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_gateway_callback_operator"), ["operator"], unique=False
        )

    op.create_table(
        "gateway_document",
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("member_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("family_unit_id", "member_id", "kind"),
    )
    op.create_table(
        "gateway_expedite",
        sa.Column("request_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("criterion", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("requested_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("requested_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("approved_by", sa.JSON(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("request_id"),
    )
    with op.batch_alter_table("gateway_expedite", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gateway_expedite_family_unit_id"), ["family_unit_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_gateway_expedite_status"), ["status"], unique=False)

    op.create_table(
        "gateway_family_record",
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("organisation_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("consent", sa.JSON(), nullable=True),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("registration_code_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("registered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("inside_us", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("family_unit_id"),
    )
    with op.batch_alter_table("gateway_family_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gateway_family_record_organisation_id"),
            ["organisation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_gateway_family_record_registration_code_hash"),
            ["registration_code_hash"],
            unique=False,
        )

    op.create_table(
        "gateway_family_view",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("stage", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("members", sa.JSON(), nullable=True),
        sa.Column("site", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("appointment_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "gateway_organisation",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "gateway_organisation_shelter",
        sa.Column("organisation_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("shelter_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("organisation_id"),
    )
    with op.batch_alter_table("gateway_organisation_shelter", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gateway_organisation_shelter_shelter_id"), ["shelter_id"], unique=False
        )

    op.create_table(
        "gateway_port_visit",
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("site", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("arrived_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("checked_in_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("processed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("released_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("not_ready_at_check_in", sa.JSON(), nullable=True),
        sa.Column("overdue_target_hours", sa.Float(), nullable=True),
        sa.Column("court", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("destination", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("shelter_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("on_parole", sa.Boolean(), nullable=True),
        sa.Column("onward_travel", sa.JSON(), nullable=True),
        sa.Column("after_release", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("family_unit_id"),
    )
    with op.batch_alter_table("gateway_port_visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gateway_port_visit_site"), ["site"], unique=False)

    op.create_table(
        "gateway_queue",
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("site", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("eligible", sa.Boolean(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("earliest_enrollment", sa.Date(), nullable=True),
        sa.Column("registered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("expedite_granted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("queued_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("appointment_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("appointment_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("family_unit_id"),
    )
    with op.batch_alter_table("gateway_queue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gateway_queue_site"), ["site"], unique=False)
        batch_op.create_index(batch_op.f("ix_gateway_queue_status"), ["status"], unique=False)

    op.create_table(
        "gateway_shelter",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("beds", sa.Integer(), nullable=False),
        sa.Column("beds_free", sa.Integer(), nullable=False),
        sa.Column("services", sa.JSON(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "gateway_shelter_arrival",
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("shelter_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("site", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("expected_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=True),
        sa.Column("needs_interpreter", sa.Boolean(), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("assigned_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("released_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("confirmed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("family_unit_id"),
    )
    with op.batch_alter_table("gateway_shelter_arrival", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gateway_shelter_arrival_shelter_id"), ["shelter_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_gateway_shelter_arrival_status"), ["status"], unique=False
        )

    op.create_table(
        "gateway_site",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("capacity_per_day", sa.Integer(), nullable=False),
        sa.Column("open_weekdays", sa.JSON(), nullable=True),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "gateway_timeline",
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.Column("event_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("occurred_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("cursor"),
        sa.UniqueConstraint("event_id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("gateway_timeline", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gateway_timeline_family_unit_id"), ["family_unit_id"], unique=False
        )

    op.create_table(
        "gateway_token",
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("organisation_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=True),
        sa.Column("sites", sa.JSON(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("token_hash"),
        sa.UniqueConstraint("id"),
    )
    with op.batch_alter_table("gateway_token", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gateway_token_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "gateway_transport_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("appointment_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("failed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("gateway_transport_failure", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gateway_transport_failure_family_unit_id"),
            ["family_unit_id"],
            unique=False,
        )

    # The simulator's tables, while it ran inside the gateway (0002 drops them).
    op.create_table(
        "gateway_field_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("command_type", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("correlation_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("trace", sa.JSON(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("gateway_field_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gateway_field_action_done"), ["done"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_gateway_field_action_due_at"), ["due_at"], unique=False
        )

    op.create_table(
        "gateway_field_family",
        sa.Column("family_unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("appointments", sa.JSON(), nullable=True),
        sa.Column("mishap", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("family_unit_id"),
    )


def downgrade() -> None:
    op.drop_table("gateway_field_family")
    with op.batch_alter_table("gateway_field_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gateway_field_action_due_at"))
        batch_op.drop_index(batch_op.f("ix_gateway_field_action_done"))

    op.drop_table("gateway_field_action")
    with op.batch_alter_table("gateway_transport_failure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gateway_transport_failure_family_unit_id"))

    op.drop_table("gateway_transport_failure")
    with op.batch_alter_table("gateway_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gateway_token_organisation_id"))

    op.drop_table("gateway_token")
    with op.batch_alter_table("gateway_timeline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gateway_timeline_family_unit_id"))

    op.drop_table("gateway_timeline")
    op.drop_table("gateway_site")
    with op.batch_alter_table("gateway_shelter_arrival", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gateway_shelter_arrival_status"))
        batch_op.drop_index(batch_op.f("ix_gateway_shelter_arrival_shelter_id"))

    op.drop_table("gateway_shelter_arrival")
    op.drop_table("gateway_shelter")
    with op.batch_alter_table("gateway_queue", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gateway_queue_status"))
        batch_op.drop_index(batch_op.f("ix_gateway_queue_site"))

    op.drop_table("gateway_queue")
    with op.batch_alter_table("gateway_port_visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gateway_port_visit_site"))

    op.drop_table("gateway_port_visit")
    with op.batch_alter_table("gateway_organisation_shelter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gateway_organisation_shelter_shelter_id"))

    op.drop_table("gateway_organisation_shelter")
    op.drop_table("gateway_organisation")
    op.drop_table("gateway_family_view")
    with op.batch_alter_table("gateway_family_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gateway_family_record_registration_code_hash"))
        batch_op.drop_index(batch_op.f("ix_gateway_family_record_organisation_id"))

    op.drop_table("gateway_family_record")
    with op.batch_alter_table("gateway_expedite", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gateway_expedite_status"))
        batch_op.drop_index(batch_op.f("ix_gateway_expedite_family_unit_id"))

    op.drop_table("gateway_expedite")
    op.drop_table("gateway_document")
    with op.batch_alter_table("gateway_callback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gateway_callback_operator"))
        batch_op.drop_index(batch_op.f("ix_gateway_callback_family_unit_id"))
        batch_op.drop_index(batch_op.f("ix_gateway_callback_due_at"))

    op.drop_table("gateway_callback")
    with op.batch_alter_table("gateway_booking", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gateway_booking_status"))
        batch_op.drop_index(batch_op.f("ix_gateway_booking_site"))
        batch_op.drop_index(batch_op.f("ix_gateway_booking_route_id"))
        batch_op.drop_index(batch_op.f("ix_gateway_booking_family_unit_id"))
        batch_op.drop_index(batch_op.f("ix_gateway_booking_departure_at"))

    op.drop_table("gateway_booking")
    with op.batch_alter_table("gateway_audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gateway_audit_family_unit_id"))

    op.drop_table("gateway_audit")
    with op.batch_alter_table("gateway_attorney_access", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gateway_attorney_access_family_unit_id"))
        batch_op.drop_index(batch_op.f("ix_gateway_attorney_access_attorney_organisation_id"))

    op.drop_table("gateway_attorney_access")
