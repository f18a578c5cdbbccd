"""memberships: accounts' roles in an organisation, coordinators' measures, scoped invitations

Every existing account keeps what it could do: who runs a conference becomes an administrator of the
installation's organisation (they created its conferences), every other account a facilitator, as all
accounts were before roles. Invitations gain the organisation or conference their role applies to.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 10:20:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    members = op.create_table(
        "organisation_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "organisation_id",
            sa.Integer(),
            sa.ForeignKey("organisations.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "facilitator_id",
            sa.Integer(),
            sa.ForeignKey("facilitators.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("organisation_id", "facilitator_id"),
    )
    op.create_table(
        "measure_coordinators",
        sa.Column(
            "measure_id", sa.Integer(), sa.ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "facilitator_id",
            sa.Integer(),
            sa.ForeignKey("facilitators.id", ondelete="CASCADE"),
            primary_key=True,
            index=True,
        ),
    )
    with op.batch_alter_table("invitations") as batch:
        batch.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("conference_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_invitations_organisation", "organisations", ["organisation_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_foreign_key(
            "fk_invitations_conference", "conferences", ["conference_id"], ["id"], ondelete="CASCADE"
        )
    conn = op.get_bind()
    org = conn.execute(sa.text("SELECT min(id) FROM organisations")).scalar()
    if org is None:
        return
    conn.execute(sa.text("UPDATE invitations SET organisation_id = :org"), {"org": org})
    running = set(
        conn.execute(sa.text("SELECT DISTINCT facilitator_id FROM conference_facilitators")).scalars()
    )
    now = datetime.now(UTC)
    rows = [
        {
            "organisation_id": org,
            "facilitator_id": fid,
            "role": "administrator" if fid in running else "facilitator",
            "created_at": now,
        }
        for fid in conn.execute(sa.text("SELECT id FROM facilitators ORDER BY id")).scalars()
    ]
    if rows:
        op.bulk_insert(members, rows)


def downgrade() -> None:
    with op.batch_alter_table("invitations") as batch:
        batch.drop_constraint("fk_invitations_conference", type_="foreignkey")
        batch.drop_constraint("fk_invitations_organisation", type_="foreignkey")
        batch.drop_column("conference_id")
        batch.drop_column("organisation_id")
    op.drop_table("measure_coordinators")
    op.drop_table("organisation_members")
