"""Prioriteringsordning decided or not: who decided, and "ingen prioriteringsordning".

Every version recorded through the program was a decision (the dialog asked for the
ledningsgrupp's decision date), so it becomes one by the ledningsgrupp. The one exception
is the "Förvald ordning" every store was seeded with: nobody decided it. It is turned into
a proposal (no `beslutad_av`) only when it is recognisably untouched: its note is exactly
"Förvald ordning", its date is 1 January of the verksamhet's start year and its grounds are
exactly the four standard grounds in the standard order. Anything else stays decided.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# As seeded by po-desk 0002–0005; copied here so the migration never changes with the code.
SEEDED_NOTE = "Förvald ordning"
SEEDED_ORDER = ("barn", "vrakning", "unga_vuxna", "utan_natverk")


def _as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return None


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch (copy-and-move) rebuild: dropping the old table would
    # cascade to prioriteringsordning_grund and lose every version's grounds.
    op.add_column("prioriteringsordning", sa.Column("beslutad_av", sa.String(20), nullable=True))
    op.add_column(
        "prioriteringsordning",
        sa.Column("ingen", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    bind = op.get_bind()
    bind.execute(sa.text("UPDATE prioriteringsordning SET beslutad_av = 'ledningsgrupp'"))
    start_year = bind.execute(sa.text("SELECT min(start_ar) FROM verksamhet")).scalar()
    if start_year is None:
        return
    seeded_day = date(int(start_year), 1, 1)
    candidates = bind.execute(
        sa.text("SELECT id, beslutad FROM prioriteringsordning WHERE anteckning = :note"),
        {"note": SEEDED_NOTE},
    ).all()
    for ordning_id, beslutad in candidates:
        if _as_date(beslutad) != seeded_day:
            continue
        grunder = bind.execute(
            sa.text(
                "SELECT code FROM prioriteringsordning_grund WHERE ordning_id = :id ORDER BY rang"
            ),
            {"id": ordning_id},
        ).scalars()
        if tuple(grunder) == SEEDED_ORDER:
            bind.execute(
                sa.text("UPDATE prioriteringsordning SET beslutad_av = NULL WHERE id = :id"),
                {"id": ordning_id},
            )


def downgrade() -> None:
    # ALTER TABLE DROP COLUMN (SQLite 3.35+), again without rebuilding the table.
    op.drop_column("prioriteringsordning", "ingen")
    op.drop_column("prioriteringsordning", "beslutad_av")
