"""Human handoff and the adviser console: advisers, console sessions, queue, review.

Revision ID: 0002_handoff
Revises: 0001_catalog
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_handoff"
down_revision = "0001_catalog"
branch_labels = None
depends_on = None

_OPEN_LIVE = "kind = 'live' AND status IN ('waiting', 'claimed')"


def _fk(table: str, column: str, target: str, target_column: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.{target_column}"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "console_advisers",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(128), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_console_advisers"),
        sa.UniqueConstraint("username", name="uq_console_advisers_username"),
    )
    op.create_table(
        "console_sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("adviser_id", sa.Integer, nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_seen_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name="pk_console_sessions"),
        _fk("console_sessions", "adviser_id", "console_advisers", "id", "CASCADE"),
    )
    op.create_index("ix_console_sessions_adviser_seen", "console_sessions", ["adviser_id", "last_seen_at"])
    op.create_table(
        "handoff_conversations",
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("language", sa.String(2)),
        sa.Column("intents", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("escalated", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_activity_at", sa.DateTime, nullable=False),
        sa.Column("rating", sa.SmallInteger),
        sa.Column("rated_at", sa.DateTime),
        sa.Column("reviewed_at", sa.DateTime),
        sa.Column("reviewed_by_id", sa.Integer),
        sa.Column("search_text", sa.Text, nullable=False),
        sa.Column("indexed_at", sa.DateTime),
        sa.PrimaryKeyConstraint("conversation_id", name="pk_handoff_conversations"),
        _fk("handoff_conversations", "reviewed_by_id", "console_advisers", "id", "SET NULL"),
    )
    op.create_index("ix_handoff_conversations_activity", "handoff_conversations", ["last_activity_at"])
    op.create_table(
        "handoff_requests",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("intents", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("claimed_by_id", sa.Integer),
        sa.Column("claimed_at", sa.DateTime),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("company_name", sa.String(200)),
        sa.Column("business_id", sa.String(9)),
        sa.Column("topic", sa.Text),
        sa.Column("contact_method", sa.String(8)),
        sa.Column("contact_value", sa.String(254)),
        sa.Column("consent_at", sa.DateTime),
        sa.PrimaryKeyConstraint("id", name="pk_handoff_requests"),
        _fk("handoff_requests", "conversation_id", "handoff_conversations", "conversation_id", "CASCADE"),
        _fk("handoff_requests", "claimed_by_id", "console_advisers", "id", "SET NULL"),
    )
    op.create_index("ix_handoff_requests_status_created", "handoff_requests", ["status", "created_at"])
    op.create_index("ix_handoff_requests_conversation", "handoff_requests", ["conversation_id"])
    op.create_index(
        "uq_handoff_requests_open_live", "handoff_requests", ["conversation_id"], unique=True,
        sqlite_where=sa.text(_OPEN_LIVE), postgresql_where=sa.text(_OPEN_LIVE),
    )
    op.create_table(
        "handoff_tags",
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("tag", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("conversation_id", "tag", name="pk_handoff_tags"),
        _fk("handoff_tags", "conversation_id", "handoff_conversations", "conversation_id", "CASCADE"),
    )
    op.create_table(
        "handoff_notes",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("adviser_id", sa.Integer),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_handoff_notes"),
        _fk("handoff_notes", "conversation_id", "handoff_conversations", "conversation_id", "CASCADE"),
        _fk("handoff_notes", "adviser_id", "console_advisers", "id", "SET NULL"),
    )
    op.create_index("ix_handoff_notes_conversation", "handoff_notes", ["conversation_id"])


def downgrade() -> None:
    op.drop_index("ix_handoff_notes_conversation", table_name="handoff_notes")
    op.drop_table("handoff_notes")
    op.drop_table("handoff_tags")
    for name in ("uq_handoff_requests_open_live", "ix_handoff_requests_conversation", "ix_handoff_requests_status_created"):
        op.drop_index(name, table_name="handoff_requests")
    op.drop_table("handoff_requests")
    op.drop_index("ix_handoff_conversations_activity", table_name="handoff_conversations")
    op.drop_table("handoff_conversations")
    op.drop_index("ix_console_sessions_adviser_seen", table_name="console_sessions")
    op.drop_table("console_sessions")
    op.drop_table("console_advisers")
