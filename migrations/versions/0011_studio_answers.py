"""The answers' versions of the studio (bot/studio/answer_store.py).

Revision ID: 0011_studio_answers
Revises: 0010_studio_training
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_studio_answers"
down_revision = "0010_studio_training"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "studio_answer_versions",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("reverted_from", sa.Integer),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor_id", sa.Integer),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_studio_answer_versions"),
        sa.UniqueConstraint("name", "number", name="uq_studio_answer_versions_name"),
    )
    op.create_index("ix_studio_answer_versions_name", "studio_answer_versions", ["name"])


def downgrade() -> None:
    op.drop_table("studio_answer_versions")
