"""What names a conversation in the console: its first question and when it started.

Revision ID: 0006_conversation_summary
Revises: 0005_privacy
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_conversation_summary"
down_revision = "0005_privacy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoff_conversations") as batch:
        batch.add_column(sa.Column("first_question", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("started_at", sa.DateTime))


def downgrade() -> None:
    with op.batch_alter_table("handoff_conversations") as batch:
        batch.drop_column("started_at")
        batch.drop_column("first_question")
