"""login sessions (one row per login, so logout ends only that browser), password-reset links,
OpenID Connect (Feide) identities and invitations

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 05:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import confapp.models  # noqa: F401 - custom column types are referenced by path

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _account() -> sa.Column[int]:
    return sa.Column(
        "facilitator_id", sa.Integer(), sa.ForeignKey("facilitators.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("id_hash", sa.String(length=64), nullable=False, unique=True),
        _account(),
        sa.Column("remember_hash", sa.String(length=64), nullable=True),
        sa.Column("previous_remember_hash", sa.String(length=64), nullable=True),
        sa.Column("rotated_at", confapp.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("user_agent", sa.String(length=120), nullable=False, server_default=""),
        sa.Column("created_at", confapp.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", confapp.models.UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sessions_facilitator_id", "sessions", ["facilitator_id"])
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False, unique=True),
        _account(),
        sa.Column("created_at", confapp.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", confapp.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", confapp.models.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_password_resets_facilitator_id", "password_resets", ["facilitator_id"])
    op.create_table(
        "external_logins",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        _account(),
        sa.Column("created_at", confapp.models.UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("issuer", "subject"),
    )
    op.create_index("ix_external_logins_facilitator_id", "external_logins", ["facilitator_id"])
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column(
            "invited_by_id",
            sa.Integer(),
            sa.ForeignKey("facilitators.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("created_at", confapp.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", confapp.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", confapp.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", confapp.models.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_invitations_email", "invitations", ["email"])
    # The per-account token goes: cookies that carry it find no session row, so those browsers
    # simply log in again.
    with op.batch_alter_table("facilitators") as batch:
        batch.drop_column("session_token")


def downgrade() -> None:
    with op.batch_alter_table("facilitators") as batch:
        batch.add_column(sa.Column("session_token", sa.String(length=64), nullable=True))
    op.drop_index("ix_invitations_email", table_name="invitations")
    op.drop_table("invitations")
    op.drop_index("ix_external_logins_facilitator_id", table_name="external_logins")
    op.drop_table("external_logins")
    op.drop_index("ix_password_resets_facilitator_id", table_name="password_resets")
    op.drop_table("password_resets")
    op.drop_index("ix_sessions_facilitator_id", table_name="sessions")
    op.drop_table("sessions")
