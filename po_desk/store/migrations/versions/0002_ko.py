"""The kö: anmälningar, versions of the prioriteringsordning, intagningsstopp.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The order most verksamheter use (Socialstyrelsen's lägesrapport); a store gets it as its
# first version, dated the year the store starts, so the kö has an order from day one.
DEFAULT_ORDER = ("barn", "vrakning", "unga_vuxna", "utan_natverk")


def _row_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def _link_table(name: str, parent: str, parent_column: str) -> None:
    op.create_table(
        name,
        sa.Column(
            parent_column,
            sa.String(36),
            sa.ForeignKey(f"{parent}.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("code", sa.String(50), primary_key=True),
    )


def upgrade() -> None:
    op.create_table(
        "ko_anmalan",
        *_row_columns(),
        sa.Column("kod", sa.String(20), nullable=False, unique=True),
        sa.Column("anmald", sa.Date(), nullable=False),
        sa.Column("kon", sa.String(10), nullable=False),
        sa.Column("fodelsear", sa.Integer(), nullable=False),
        sa.Column("kommun_id", sa.String(36), sa.ForeignKey("kommun.id"), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("erbjuden", sa.Date(), nullable=True),
        sa.Column("status_datum", sa.Date(), nullable=True),
        sa.Column("orsak", sa.Text(), nullable=True),
        sa.Column("uppdrag_id", sa.String(36), sa.ForeignKey("uppdrag.id"), nullable=True),
    )
    op.create_index("ix_ko_anmalan_anmald", "ko_anmalan", ["anmald"])
    op.create_index("ix_ko_anmalan_status", "ko_anmalan", ["status"])
    _link_table("ko_anmalan_kontaktorsak", "ko_anmalan", "anmalan_id")
    _link_table("ko_anmalan_prioritetsgrund", "ko_anmalan", "anmalan_id")
    ordning = op.create_table(
        "prioriteringsordning",
        *_row_columns(),
        sa.Column("beslutad", sa.Date(), nullable=False),
        sa.Column("anteckning", sa.Text(), nullable=False),
    )
    op.create_index("ix_prioriteringsordning_beslutad", "prioriteringsordning", ["beslutad"])
    grund = op.create_table(
        "prioriteringsordning_grund",
        sa.Column(
            "ordning_id",
            sa.String(36),
            sa.ForeignKey("prioriteringsordning.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("code", sa.String(50), primary_key=True),
        sa.Column("rang", sa.Integer(), nullable=False),
    )
    op.create_table(
        "intagningsstopp",
        *_row_columns(),
        sa.Column("fran", sa.Date(), nullable=False),
        sa.Column("till", sa.Date(), nullable=True),
        sa.Column("orsak", sa.Text(), nullable=False),
    )
    start_year = op.get_bind().execute(sa.text("SELECT min(start_ar) FROM verksamhet")).scalar()
    if start_year is not None:
        now = datetime.now(UTC).replace(tzinfo=None)
        ordning_id = str(uuid4())
        op.bulk_insert(
            ordning,
            [
                {
                    "id": ordning_id,
                    "created_at": now,
                    "updated_at": now,
                    "beslutad": date(int(start_year), 1, 1),
                    "anteckning": "Förvald ordning",
                }
            ],
        )
        op.bulk_insert(
            grund,
            [
                {"ordning_id": ordning_id, "code": code, "rang": rank}
                for rank, code in enumerate(DEFAULT_ORDER, start=1)
            ],
        )


def downgrade() -> None:
    for table in (
        "intagningsstopp",
        "prioriteringsordning_grund",
        "prioriteringsordning",
        "ko_anmalan_prioritetsgrund",
        "ko_anmalan_kontaktorsak",
        "ko_anmalan",
    ):
        op.drop_table(table)
