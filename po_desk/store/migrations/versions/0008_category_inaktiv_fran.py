"""A category entry is deactivated from a date (issue 16): records dated before it may
still use it; `active` stays the flag, `inaktiv_fran` its first day (null: deactivated
for every date, as entries deactivated before this revision).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch rebuild: dropping `category` would cascade to the
    # dated names in category_namn.
    op.add_column("category", sa.Column("inaktiv_fran", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("category", "inaktiv_fran")
