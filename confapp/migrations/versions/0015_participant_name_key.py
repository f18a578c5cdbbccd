"""participants: a stored look-alike key, indexed per conference (issue 16, the join storm)

Every join asked whether its name looks like one already taken in the conference by reading every
name there and computing each one's skeleton: O(n) per join, O(n²) per hall. `name_key` keeps each
name's skeleton (`confapp.services.names.skeleton`, set by the model whenever the name is set), and
the index on (conference_id, name_key) answers the question with one lookup. Existing rows are keyed
here. Changing the skeleton rule later means keying the rows again in a migration like this one.

Both steps run without rebuilding the table on SQLite (`recreate="never"`): neither needs it, and a
rebuild copies every participant. (Rebuilds are safe for the rows referring to a table only because
env.py switches foreign keys off; with them on, the DROP of the old table deleted those rows.)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 16:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from confapp.services.names import skeleton

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

INDEX = "ix_participants_conference_id_name_key"


def upgrade() -> None:
    with op.batch_alter_table("participants", recreate="never") as batch:
        batch.add_column(sa.Column("name_key", sa.String(length=240), nullable=False, server_default=""))
    participants = sa.table(
        "participants", sa.column("id", sa.Integer()), sa.column("display_name"), sa.column("name_key")
    )
    conn = op.get_bind()
    rows = conn.execute(sa.select(participants.c.id, participants.c.display_name)).all()
    if rows:
        conn.execute(
            participants.update()
            .where(participants.c.id == sa.bindparam("pid"))
            .values(name_key=sa.bindparam("key")),
            [{"pid": pid, "key": skeleton(name)} for pid, name in rows],
        )
    with op.batch_alter_table("participants", recreate="never") as batch:
        batch.create_index(INDEX, ["conference_id", "name_key"])


def downgrade() -> None:
    with op.batch_alter_table("participants", recreate="never") as batch:
        batch.drop_index(INDEX)
        batch.drop_column("name_key")
