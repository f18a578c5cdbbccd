"""evaluation rounds: a table evaluates one measure; a measure outlives its conference

A DK2/DK3 evaluation round gives each table one measure (`round_measures` says which, in table order,
with the trial team the facilitator named; `groups.measure_id` links the table, and so its points, to
the measure). `initiatives.conference_id` becomes nullable with ON DELETE SET NULL: deleting the
conference a measure was drafted at no longer deletes the measure, its history and its log.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# SQLite keeps the foreign key unnamed; batch mode finds it by this convention. PostgreSQL named it.
NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}


def _conference_fk_name() -> str:
    if op.get_bind().dialect.name == "sqlite":
        return "fk_initiatives_conference_id_conferences"
    return "initiatives_conference_id_fkey"


def _repoint_conference_fk(*, nullable: bool, ondelete: str) -> None:
    with op.batch_alter_table("initiatives", naming_convention=NAMING, recreate="auto") as batch:
        batch.drop_constraint(_conference_fk_name(), type_="foreignkey")
        batch.alter_column("conference_id", existing_type=sa.Integer(), nullable=nullable)
        batch.create_foreign_key(
            _conference_fk_name(), "conferences", ["conference_id"], ["id"], ondelete=ondelete
        )


def upgrade() -> None:
    op.create_table(
        "round_measures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "round_id",
            sa.Integer(),
            sa.ForeignKey("rounds.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "measure_id",
            sa.Integer(),
            sa.ForeignKey("initiatives.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("team", sa.Text(), nullable=False, server_default=""),
        sa.UniqueConstraint("round_id", "measure_id"),
    )
    with op.batch_alter_table("groups") as batch:
        batch.add_column(sa.Column("measure_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_groups_measure_id_initiatives", "initiatives", ["measure_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_groups_measure_id", ["measure_id"])
    _repoint_conference_fk(nullable=True, ondelete="SET NULL")


def downgrade() -> None:
    op.execute("DELETE FROM initiatives WHERE conference_id IS NULL")
    _repoint_conference_fk(nullable=False, ondelete="CASCADE")
    with op.batch_alter_table("groups") as batch:
        batch.drop_index("ix_groups_measure_id")
        batch.drop_constraint("fk_groups_measure_id_initiatives", type_="foreignkey")
        batch.drop_column("measure_id")
    op.drop_table("round_measures")
