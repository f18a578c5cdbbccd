"""organisations: schools under a municipality, conferences held by an organisation

The school owner (a municipality) sees its schools' conferences and measures, so a school names its
municipality (`parent_id`), and a conference names the organisation that holds it: a municipal
conference belongs to the municipality, a school conference to the school. Existing conferences keep
None and are found through their measures' organisation as before.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 10:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_organisations_parent", "organisations", ["parent_id"], ["id"])
        batch.create_index("ix_organisations_parent_id", ["parent_id"])
    with op.batch_alter_table("conferences") as batch:
        batch.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_conferences_organisation", "organisations", ["organisation_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_conferences_organisation_id", ["organisation_id"])


def downgrade() -> None:
    with op.batch_alter_table("conferences") as batch:
        batch.drop_index("ix_conferences_organisation_id")
        batch.drop_constraint("fk_conferences_organisation", type_="foreignkey")
        batch.drop_column("organisation_id")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_index("ix_organisations_parent_id")
        batch.drop_constraint("fk_organisations_parent", type_="foreignkey")
        batch.drop_column("parent_id")
