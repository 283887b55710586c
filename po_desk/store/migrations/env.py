"""Alembic environment: always runs on the connection po-desk hands it (never a URL,
which would need the key in a config file)."""

from __future__ import annotations

from alembic import context

from po_desk.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
