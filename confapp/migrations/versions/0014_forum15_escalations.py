"""escalations: the strategy forum's agenda (issue 15, point 3)

A school escalates a measure or a question to its municipality; it stays on the forum's agenda until
the forum records a decision and who follows up (or, postponed, keeps its place with the reason).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 04:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "school_id",
            sa.Integer(),
            sa.ForeignKey("organisations.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "forum_id",
            sa.Integer(),
            sa.ForeignKey("organisations.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "measure_id",
            sa.Integer(),
            sa.ForeignKey("initiatives.id", ondelete="SET NULL"),
            nullable=True,
            index=True,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False, server_default="open"),
        sa.Column("raised_by", sa.String(length=200), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("postponements", sa.JSON(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False, server_default=""),
        sa.Column("follow_up", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("follow_up_due", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("round_id", sa.Integer(), sa.ForeignKey("rounds.id", ondelete="SET NULL"), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("escalations")
