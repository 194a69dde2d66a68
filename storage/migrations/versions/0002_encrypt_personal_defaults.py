"""Personal defaults encrypted at rest, like saved offers: the plaintext ``value`` column is replaced by
``value_token`` (Fernet, the same DATA_KEY and rotation), and existing rows are encrypted on the way.

The encryption needs the data key, which only the caller has: ``storage.database.migrate`` passes its cipher as the
``cipher`` attribute (at every bot start and in ``fourth-pillar migrate``). Rendering SQL offline has no rows to
encrypt.

Revision ID: 0002
Revises: 0001
"""

from typing import Any

import sqlalchemy as sa
from alembic import context, op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _table() -> Any:
    """The table as both revisions see it (built in a function: module-level names here are read as plain
    literals by ``storage.database.head_revisions``)."""
    return sa.table(
        "personal_defaults",
        sa.column("user_id", sa.BigInteger()),
        sa.column("name", sa.String(40)),
        sa.column("value", sa.String(64)),
        sa.column("value_token", sa.LargeBinary()),
    )


def _cipher() -> Any:
    cipher = context.config.attributes.get("cipher")
    if cipher is None:
        raise RuntimeError("encrypting personal defaults needs the data key (DATA_KEY, or data.key beside SQLite)")
    return cipher


def upgrade() -> None:
    with op.batch_alter_table("personal_defaults") as batch:
        batch.add_column(sa.Column("value_token", sa.LargeBinary(), nullable=True))
    if not context.is_offline_mode():
        connection, _rows = op.get_bind(), _table()
        rows = list(connection.execute(sa.select(_rows.c.user_id, _rows.c.name, _rows.c.value)))
        if rows:
            cipher = _cipher()
            for user_id, name, value in rows:
                connection.execute(
                    _rows.update()
                    .where(_rows.c.user_id == user_id, _rows.c.name == name)
                    .values(value_token=cipher.encrypt(value.encode()))
                )
    # SQLite copies the table to drop a column: the plaintext goes with the old copy (secure_delete zeroes it).
    with op.batch_alter_table("personal_defaults") as batch:
        batch.drop_column("value")
        batch.alter_column("value_token", existing_type=sa.LargeBinary(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("personal_defaults") as batch:
        batch.add_column(sa.Column("value", sa.String(64), nullable=True))
    if not context.is_offline_mode():
        connection, _rows = op.get_bind(), _table()
        rows = list(connection.execute(sa.select(_rows.c.user_id, _rows.c.name, _rows.c.value_token)))
        if rows:
            cipher = _cipher()
            for user_id, name, token in rows:
                connection.execute(
                    _rows.update()
                    .where(_rows.c.user_id == user_id, _rows.c.name == name)
                    .values(value=cipher.decrypt(token).decode())
                )
    with op.batch_alter_table("personal_defaults") as batch:
        batch.drop_column("value_token")
        batch.alter_column("value", existing_type=sa.String(64), nullable=False)
