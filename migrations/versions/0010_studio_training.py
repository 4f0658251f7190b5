"""The studio's training data edits and the NLU inbox (bot/studio/models.py).

Revision ID: 0010_studio_training
Revises: 0009_insights_items
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_studio_training"
down_revision = "0009_insights_items"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "studio_training_edits",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("path", sa.String(200), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("intent", sa.String(64), nullable=False),
        sa.Column("question", sa.String(200)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_studio_training_edits"),
    )
    op.create_index("ix_studio_training_edits_language", "studio_training_edits", ["language", "intent"])
    op.create_table(
        "studio_inbox",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("event_id", sa.BigInteger, nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("intent", sa.String(64)),
        sa.Column("confidence", sa.Float),
        sa.Column("reasons", sa.String(80), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("resolved_intent", sa.String(64)),
        sa.Column("resolved_by", sa.String(80)),
        sa.Column("resolved_at", sa.DateTime),
        sa.PrimaryKeyConstraint("id", name="pk_studio_inbox"),
        sa.UniqueConstraint("event_id", name="uq_studio_inbox_event_id"),
    )
    op.create_index("ix_studio_inbox_status", "studio_inbox", ["status", "at"])
    op.create_index("ix_studio_inbox_conversation", "studio_inbox", ["conversation_id"])
    op.create_table(
        "studio_inbox_signals",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("answer", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("done", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_studio_inbox_signals"),
    )
    op.create_index("ix_studio_inbox_signals_conversation", "studio_inbox_signals", ["conversation_id"])
    op.create_index("ix_studio_inbox_signals_done", "studio_inbox_signals", ["done", "kind"])


def downgrade() -> None:
    op.drop_table("studio_inbox_signals")
    op.drop_table("studio_inbox")
    op.drop_table("studio_training_edits")
