"""organisations own measures: lifecycle history, coordinator's log, evaluations

An initiative drafted at a conference becomes a measure of the organisation (a school or a
municipality) that runs the conferences. The table stays `initiatives`: the board, the editor and
the Word export keep working, and no initiative can be lost in a copy. Every existing row goes to
the one default organisation made here; the old editor status "proposed" (to the steering group)
is the lifecycle's "concretised".

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-01 05:20:00
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

NEW_STATUSES = ("in_trial", "evaluated", "daily_operation", "adjusted", "stopped")


def _measure_id() -> sa.Column:  # type: ignore[type-arg]
    """Each history, log, link and evaluation row belongs to one measure and goes with it."""
    return sa.Column(
        "measure_id",
        sa.Integer(),
        sa.ForeignKey("initiatives.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def upgrade() -> None:
    organisations = op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.bulk_insert(
        organisations,
        [
            {
                "id": 1,
                "kind": "school",
                "name": "",
                "public_key": secrets.token_urlsafe(24),
                "created_at": datetime.now(UTC),
            }
        ],
    )
    with op.batch_alter_table("initiatives") as batch:
        batch.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("decided_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("decision_note", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("trial_start", sa.Date(), nullable=True))
        batch.add_column(sa.Column("trial_end", sa.Date(), nullable=True))
        batch.create_foreign_key("fk_initiatives_organisation", "organisations", ["organisation_id"], ["id"])
        batch.create_index("ix_initiatives_organisation_id", ["organisation_id"])
    initiatives = sa.table(
        "initiatives", sa.column("organisation_id", sa.Integer()), sa.column("status", sa.String())
    )
    op.execute(initiatives.update().values(organisation_id=1))
    op.execute(initiatives.update().where(initiatives.c.status == "proposed").values(status="concretised"))
    if op.get_bind().dialect.name == "postgresql":  # the explicit id 1 above did not move the sequence
        op.execute("SELECT setval('organisations_id_seq', (SELECT max(id) FROM organisations))")

    op.create_table(
        "measure_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        _measure_id(),
        sa.Column("from_status", sa.String(length=20), nullable=False),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "coordinator_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        _measure_id(),
        sa.Column("token_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )  # fmt: skip
    op.create_table(
        "measure_log_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        _measure_id(),
        sa.Column("link_id", sa.Integer(), sa.ForeignKey("coordinator_links.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("client_uuid", sa.String(length=36), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("done", sa.Text(), nullable=False),
        sa.Column("who", sa.Text(), nullable=False),
        sa.Column("learned", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("measure_id", "client_uuid"),
    )  # fmt: skip
    op.create_table(
        "measure_evaluations",
        sa.Column("id", sa.Integer(), primary_key=True),
        _measure_id(),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("what_works", sa.Text(), nullable=False),
        sa.Column("what_to_adjust", sa.Text(), nullable=False),
        sa.Column("daily_operation", sa.Text(), nullable=False),
        sa.Column("trial_people", sa.Text(), nullable=False),
        sa.Column("others", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("measure_evaluations")
    op.drop_table("measure_log_entries")
    op.drop_table("coordinator_links")
    op.drop_table("measure_events")
    initiatives = sa.table("initiatives", sa.column("status", sa.String()))
    op.execute(initiatives.update().where(initiatives.c.status == "concretised").values(status="proposed"))
    # The old schema knows no later step: a measure past its decision stays "decided".
    op.execute(initiatives.update().where(initiatives.c.status.in_(NEW_STATUSES)).values(status="decided"))
    with op.batch_alter_table("initiatives") as batch:
        batch.drop_index("ix_initiatives_organisation_id")
        batch.drop_constraint("fk_initiatives_organisation", type_="foreignkey")
        batch.drop_column("trial_end")
        batch.drop_column("trial_start")
        batch.drop_column("decision_note")
        batch.drop_column("decided_on")
        batch.drop_column("organisation_id")
    op.drop_table("organisations")
