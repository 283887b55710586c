"""A row version on every edited row (several people on a shared server, issue 18).

The ORM checks and bumps it on each UPDATE (`version_id_col`); a save whose loaded
version is no longer the stored one is a conflict the user is told about. Existing rows
start at 1. Plain ADD COLUMN with a server default: dialect-neutral (SQLite and
PostgreSQL) and no table rebuild.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# The tables as of this revision; copied here so the migration never changes with the code.
VERSIONED_TABLES = (
    "aterrapport",
    "category",
    "category_namn",
    "intagningsstopp",
    "klient",
    "kommun",
    "ko_anmalan",
    "ledningsgrupp_medlem",
    "ledningsgrupp_mote",
    "ombud",
    "ombud_grad",
    "prioriteringsordning",
    "setting",
    "uppdrag",
    "uppdrag_barn",
    "verksamhet",
    "avvikelse",
)


def upgrade() -> None:
    for table in VERSIONED_TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in reversed(VERSIONED_TABLES):
        op.drop_column(table, "version")
