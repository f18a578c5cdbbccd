"""facilitator session token: logins that can be revoked

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 01:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL until the next login: existing sessions (which carry only the id) then end once.
    with op.batch_alter_table("facilitators") as batch:
        batch.add_column(sa.Column("session_token", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("facilitators") as batch:
        batch.drop_column("session_token")
