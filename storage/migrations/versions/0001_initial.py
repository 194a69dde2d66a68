"""The first schema: server settings and their audit, personal defaults, preferences, saved offers.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "guild_settings",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("value", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "name", name="pk_guild_settings"),
    )
    op.create_table(
        "settings_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("actor", sa.String(32), nullable=False),
        sa.Column("setting", sa.String(40), nullable=False),
        sa.Column("old_value", sa.String(64), nullable=True),
        sa.Column("new_value", sa.String(64), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_settings_audit"),
    )
    op.create_index("ix_settings_audit_guild_id", "settings_audit", ["guild_id"])
    op.create_index("ix_settings_audit_actor", "settings_audit", ["actor"])
    op.create_table(
        "personal_defaults",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("value", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "name", name="pk_personal_defaults"),
    )
    op.create_table(
        "user_preferences",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_user_preferences"),
    )
    op.create_table(
        "saved_offers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("name_hash", sa.String(64), nullable=False),
        sa.Column("name_token", sa.LargeBinary(), nullable=False),
        sa.Column("offer_token", sa.LargeBinary(), nullable=False),
        sa.Column("registry_version", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_saved_offers"),
        sa.UniqueConstraint("user_id", "name_hash", name="uq_saved_offers_user_name"),
    )
    op.create_index("ix_saved_offers_user_id", "saved_offers", ["user_id"])
    op.create_index("ix_saved_offers_expires_at", "saved_offers", ["expires_at"])


def downgrade() -> None:
    op.drop_table("saved_offers")
    op.drop_table("user_preferences")
    op.drop_table("personal_defaults")
    op.drop_index("ix_settings_audit_actor", "settings_audit")
    op.drop_index("ix_settings_audit_guild_id", "settings_audit")
    op.drop_table("settings_audit")
    op.drop_table("guild_settings")
