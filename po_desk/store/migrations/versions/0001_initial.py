"""The first schema: verksamhet, kommuner, ombud, reference data, uppdrag, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _row_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "verksamhet",
        *_row_columns(),
        sa.Column("namn", sa.String(200), nullable=False),
        sa.Column("lan", sa.String(100), nullable=False),
        sa.Column("huvudman", sa.String(200), nullable=False),
        sa.Column("start_ar", sa.Integer(), nullable=False),
    )
    op.create_table(
        "kommun",
        *_row_columns(),
        sa.Column("namn", sa.String(100), nullable=False, unique=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
    )
    op.create_table(
        "ombud",
        *_row_columns(),
        sa.Column("namn", sa.String(100), nullable=False),
        sa.Column("kon", sa.String(10), nullable=False),
        sa.Column("tjanstgoringsgrad", sa.Float(), nullable=False),
        sa.Column("fran", sa.Date(), nullable=False),
        sa.Column("till", sa.Date(), nullable=True),
    )
    op.create_table(
        "category",
        *_row_columns(),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("code", sa.String(50), nullable=False),
        sa.Column("namn", sa.String(200), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("kind", "code"),
    )
    op.create_table(
        "uppdrag",
        *_row_columns(),
        sa.Column("kod", sa.String(20), nullable=False, unique=True),
        sa.Column("kon", sa.String(10), nullable=False),
        sa.Column("fodelsear", sa.Integer(), nullable=False),
        sa.Column("kommun_id", sa.String(36), sa.ForeignKey("kommun.id"), nullable=False),
        sa.Column("ombud_id", sa.String(36), sa.ForeignKey("ombud.id"), nullable=True),
        sa.Column("anmald", sa.Date(), nullable=True),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("slut", sa.Date(), nullable=True),
        sa.Column("avslutsorsak", sa.String(50), nullable=True),
        sa.Column("barn", sa.String(10), nullable=False),
        sa.Column("hanvisad_fran", sa.String(50), nullable=True),
        sa.Column("anteckning", sa.Text(), nullable=True),
    )
    op.create_index("ix_uppdrag_start", "uppdrag", ["start"])
    op.create_index("ix_uppdrag_slut", "uppdrag", ["slut"])
    for table in ("uppdrag_kontaktorsak", "uppdrag_prioritetsgrund"):
        op.create_table(
            table,
            sa.Column(
                "uppdrag_id",
                sa.String(36),
                sa.ForeignKey("uppdrag.id", ondelete="CASCADE"),
                primary_key=True,
            ),
            sa.Column("code", sa.String(50), primary_key=True),
        )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("table_name", sa.String(50), nullable=False),
        sa.Column("row_id", sa.String(36), nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_table(
        "setting",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "setting",
        "audit_log",
        "uppdrag_prioritetsgrund",
        "uppdrag_kontaktorsak",
        "uppdrag",
        "category",
        "ombud",
        "kommun",
        "verksamhet",
    ):
        op.drop_table(table)
