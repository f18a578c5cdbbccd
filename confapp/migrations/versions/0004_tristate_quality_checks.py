"""tri-state quality checks on initiatives

The three quality checks become nullable: None means "not assessed", which the form and the Word
export show as such instead of a "no" nobody gave. Existing False values cannot be told apart from
"never touched", so they become None; True stays True.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

CHECKS = ("multi_professional", "lasting", "all_pupils")


def upgrade() -> None:
    with op.batch_alter_table("initiatives", schema=None) as batch_op:
        for name in CHECKS:
            batch_op.alter_column(name, existing_type=sa.Boolean(), nullable=True)
    initiatives = sa.table("initiatives", *(sa.column(name, sa.Boolean()) for name in CHECKS))
    for name in CHECKS:
        op.execute(initiatives.update().where(initiatives.c[name] == sa.false()).values({name: None}))


def downgrade() -> None:
    initiatives = sa.table("initiatives", *(sa.column(name, sa.Boolean()) for name in CHECKS))
    for name in CHECKS:
        op.execute(initiatives.update().where(initiatives.c[name].is_(None)).values({name: False}))
    with op.batch_alter_table("initiatives", schema=None) as batch_op:
        for name in CHECKS:
            batch_op.alter_column(name, existing_type=sa.Boolean(), nullable=False)
