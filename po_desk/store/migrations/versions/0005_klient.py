"""Klienter and dated facts. Every uppdrag belongs to a person (klient); a person who comes
back gets a new uppdrag linked to the same klient. Every existing uppdrag becomes one
klient with one period, so no figure of a past year changes. Kommuner get from/to dates
(empty: all along) and every ombud one tjänstgöringsgrad period from its start;
hemmavarande barn may change during an uppdrag, with a date; category names get dates.

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

# Rows made here have ids derived from the row they come from, so that stores of several
# workstations migrated apart still agree and merge without conflicts.
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

    op.execute("ALTER TABLE kommun ADD COLUMN fran DATE")
    op.execute("ALTER TABLE kommun ADD COLUMN till DATE")
    op.create_table(
        "ombud_grad",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column(
            "ombud_id",
            sa.String(36),
            sa.ForeignKey("ombud.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("fran", sa.Date(), nullable=False),
        sa.Column("grad", sa.Float(), nullable=False),
    )
    op.create_index("ix_ombud_grad_ombud_id", "ombud_grad", ["ombud_id"])
    staff = connection.execute(
        sa.text("SELECT id, fran, tjanstgoringsgrad, created_at, updated_at FROM ombud")
    ).all()
    for row in staff:
        connection.execute(
            sa.text(
                "INSERT INTO ombud_grad (id, created_at, updated_at, ombud_id, fran, grad) "
                "VALUES (:id, :created_at, :updated_at, :ombud_id, :fran, :grad)"
            ),
            {
                "id": str(uuid5(KLIENT_NAMESPACE, f"grad:{row.id}")),
                "created_at": row.created_at,
                "updated_at": row.updated_at,
                "ombud_id": row.id,
                "fran": row.fran,
                "grad": row.tjanstgoringsgrad,
            },
        )
    # Dated changes of hemmavarande barn; existing uppdrag have none (the value at start
    # holds for the whole period, as before).
    op.create_table(
        "uppdrag_barn",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column(
            "uppdrag_id",
            sa.String(36),
            sa.ForeignKey("uppdrag.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("fran", sa.Date(), nullable=False),
        sa.Column("barn", sa.String(10), nullable=False),
    )
    op.create_index("ix_uppdrag_barn_uppdrag_id", "uppdrag_barn", ["uppdrag_id"])
    op.create_table(
        "category_namn",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column(
            "category_id",
            sa.String(36),
            sa.ForeignKey("category.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("fran", sa.Date(), nullable=False),
        sa.Column("namn", sa.String(200), nullable=False),
    )
    op.create_index("ix_category_namn_category_id", "category_namn", ["category_id"])


def downgrade() -> None:
    op.drop_index("ix_category_namn_category_id", "category_namn")
    op.drop_table("category_namn")
    op.drop_index("ix_uppdrag_barn_uppdrag_id", "uppdrag_barn")
    op.drop_table("uppdrag_barn")
    op.drop_index("ix_ombud_grad_ombud_id", "ombud_grad")
    op.drop_table("ombud_grad")
    op.drop_column("kommun", "till")
    op.drop_column("kommun", "fran")
    op.drop_index("ix_uppdrag_klient_id", "uppdrag")
    op.drop_column("uppdrag", "klient_id")
    op.drop_table("klient")
