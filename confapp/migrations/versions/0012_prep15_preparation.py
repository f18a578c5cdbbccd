"""preparation: participants come prepared (issue 15, part B)

- `conferences.preparation`: the text of the preparation page the join link opens before the start;
- `prep_attachments`: short texts, links and measures shown on that page;
- `bullets.round_id` and `bullets.group_id` become nullable: a point sent from the preparation page
  belongs to no round or table ("before the conference") but is clustered like any other point.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 10:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import confapp.models  # noqa: F401 - custom column types are referenced by path

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conferences") as batch:
        batch.add_column(sa.Column("preparation", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("bullets") as batch:
        batch.alter_column("round_id", existing_type=sa.Integer(), nullable=True)
        batch.alter_column("group_id", existing_type=sa.Integer(), nullable=True)
    op.create_table(
        "prep_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=True),
        sa.Column("created_at", confapp.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["conference_id"], ["conferences.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["measure_id"], ["initiatives.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("prep_attachments") as batch:
        batch.create_index(batch.f("ix_prep_attachments_conference_id"), ["conference_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("prep_attachments") as batch:
        batch.drop_index(batch.f("ix_prep_attachments_conference_id"))
    op.drop_table("prep_attachments")
    op.execute("DELETE FROM bullets WHERE round_id IS NULL OR group_id IS NULL")
    with op.batch_alter_table("bullets") as batch:
        batch.alter_column("group_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("round_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("conferences") as batch:
        batch.drop_column("preparation")
