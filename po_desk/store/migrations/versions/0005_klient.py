"""Klienter: every uppdrag belongs to a person (klient); a person who comes back gets a new
uppdrag linked to the same klient. Every existing uppdrag becomes one klient with one
period, so no figure of a past year changes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

from uuid import UUID, uuid5

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The klient of a migrated uppdrag has an id derived from the uppdrag's id, so that stores
# of several workstations migrated apart still agree and merge without conflicts.
KLIENT_NAMESPACE = UUID("6f1d7c2e-5b0a-4c1e-9a57-0e3f1b8d2c40")


def upgrade() -> None:
    op.create_table(
        "klient",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("kon", sa.String(10), nullable=False),
        sa.Column("fodelsear", sa.Integer(), nullable=False),
    )
    # A plain ADD COLUMN: rebuilding the uppdrag table (batch mode) would cascade-delete
    # its kontaktorsaker and prioritetsgrunder while foreign keys are enforced.
    op.execute("ALTER TABLE uppdrag ADD COLUMN klient_id VARCHAR(36) REFERENCES klient (id)")
    op.create_index("ix_uppdrag_klient_id", "uppdrag", ["klient_id"])
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, kon, fodelsear, created_at, updated_at FROM uppdrag")
    ).all()
    for row in rows:
        klient_id = str(uuid5(KLIENT_NAMESPACE, row.id))
        connection.execute(
            sa.text(
                "INSERT INTO klient (id, created_at, updated_at, kon, fodelsear) "
                "VALUES (:id, :created_at, :updated_at, :kon, :fodelsear)"
            ),
            {
                "id": klient_id,
                "created_at": row.created_at,
                "updated_at": row.updated_at,
                "kon": row.kon,
                "fodelsear": row.fodelsear,
            },
        )
        # The uppdrag's updated_at stays: a merge must not see the link as an edit.
        connection.execute(
            sa.text("UPDATE uppdrag SET klient_id = :klient WHERE id = :id"),
            {"klient": klient_id, "id": row.id},
        )


def downgrade() -> None:
    op.drop_index("ix_uppdrag_klient_id", "uppdrag")
    op.drop_column("uppdrag", "klient_id")
    op.drop_table("klient")
