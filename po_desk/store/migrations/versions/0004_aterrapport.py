"""The yearly återrapport: manual fields and the figures as submitted.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "aterrapport",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("ar", sa.Integer(), nullable=False, unique=True),
        sa.Column("manuellt", sa.Text(), nullable=False),
        sa.Column("faststalld", sa.Text(), nullable=True),
        sa.Column("faststalld_at", sa.DateTime(), nullable=True),
        sa.Column("faststalld_av", sa.String(100), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("aterrapport")
