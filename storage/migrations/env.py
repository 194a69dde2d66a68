"""Alembic environment: migrations run on a connection the caller passes in (see storage.database.migrate)."""

from __future__ import annotations

from alembic import context

from storage.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - migrations are only run through storage.database.migrate
    raise RuntimeError("run migrations with `fourth-pillar migrate`")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
