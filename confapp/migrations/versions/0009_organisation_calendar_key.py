"""organisations: the calendar feed's own key

The annual calendar (.ics) is subscribed to from Outlook or Google with no login, so its address
carries a key. It is not the public status page's key: a feed pasted into a shared calendar travels
further than a staff-room screen, and either can be replaced without breaking the other. Empty until
the steering group first opens the measures list (`confapp.export.measures.calendar_key`).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 05:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("calendar_key", sa.String(length=64), nullable=True))
        batch.create_unique_constraint("uq_organisations_calendar_key", ["calendar_key"])


def downgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.drop_constraint("uq_organisations_calendar_key", type_="unique")
        batch.drop_column("calendar_key")
