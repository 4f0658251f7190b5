"""Insights: daily and monthly counters, the aggregation's progress, conversations being read, helpful votes.

Revision ID: 0007_insights
Revises: 0006_conversation_summary
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_insights"
down_revision = "0006_conversation_summary"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for name in ("insights_daily", "insights_monthly"):
        op.create_table(
            name,
            sa.Column("metric", sa.String(32), nullable=False),
            sa.Column("day", sa.Date, nullable=False),
            sa.Column("language", sa.String(2), nullable=False),
            sa.Column("key", sa.String(200), nullable=False),
            sa.Column("value", sa.BigInteger, nullable=False),
            sa.PrimaryKeyConstraint("metric", "day", "language", "key", name=f"pk_{name}"),
        )
    op.create_table(
        "insights_progress",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_insights_progress"),
    )
    op.create_table(
        "insights_conversations",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_insights_conversations"),
    )
    op.create_index("ix_insights_conversations_updated", "insights_conversations", ["updated_at"])
    op.create_table(
        "insights_votes",
        sa.Column("conversation_key", sa.String(64), nullable=False),
        sa.Column("answer", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("conversation_key", "answer", name="pk_insights_votes"),
    )
    op.create_index("ix_insights_votes_at", "insights_votes", ["at"])


def downgrade() -> None:
    op.drop_index("ix_insights_votes_at", table_name="insights_votes")
    op.drop_table("insights_votes")
    op.drop_index("ix_insights_conversations_updated", table_name="insights_conversations")
    op.drop_table("insights_conversations")
    op.drop_table("insights_progress")
    op.drop_table("insights_monthly")
    op.drop_table("insights_daily")
