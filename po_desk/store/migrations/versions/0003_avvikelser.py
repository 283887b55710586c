"""Avvikelser (systembrister) and the ledningsgrupp with its meetings.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _row_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def _link_table(name: str) -> None:
    op.create_table(
        name,
        sa.Column(
            "avvikelse_id",
            sa.String(36),
            sa.ForeignKey("avvikelse.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("code", sa.String(50), primary_key=True),
    )


def upgrade() -> None:
    op.create_table(
        "ledningsgrupp_mote",
        *_row_columns(),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("anteckning", sa.Text(), nullable=False),
    )
    op.create_index("ix_ledningsgrupp_mote_datum", "ledningsgrupp_mote", ["datum"])
    op.create_table(
        "ledningsgrupp_medlem",
        *_row_columns(),
        sa.Column("organisation", sa.String(50), nullable=False),
        sa.Column("roll", sa.String(200), nullable=False),
        sa.Column("fran", sa.Date(), nullable=False),
        sa.Column("till", sa.Date(), nullable=True),
    )
    op.create_table(
        "avvikelse",
        *_row_columns(),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("ombud_id", sa.String(36), sa.ForeignKey("ombud.id"), nullable=True),
        sa.Column("aktor", sa.String(50), nullable=False),
        sa.Column("niva", sa.String(20), nullable=False),
        sa.Column("beskrivning", sa.Text(), nullable=False),
        sa.Column("konsekvens", sa.Text(), nullable=False),
        sa.Column("uppdrag_kod", sa.String(20), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("mote_id", sa.String(36), sa.ForeignKey("ledningsgrupp_mote.id"), nullable=True),
        sa.Column("aterkoppling", sa.Text(), nullable=False),
        sa.Column("aterkoppling_datum", sa.Date(), nullable=True),
    )
    op.create_index("ix_avvikelse_datum", "avvikelse", ["datum"])
    op.create_index("ix_avvikelse_aktor", "avvikelse", ["aktor"])
    op.create_index("ix_avvikelse_status", "avvikelse", ["status"])
    _link_table("avvikelse_kategori")
    _link_table("avvikelse_atgard")


def downgrade() -> None:
    for table in (
        "avvikelse_atgard",
        "avvikelse_kategori",
        "avvikelse",
        "ledningsgrupp_medlem",
        "ledningsgrupp_mote",
    ):
        op.drop_table(table)
