"""Training runs and published models (bot/studio/model_store.py).

Revision ID: 0012_studio_models
Revises: 0011_studio_answers
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_studio_models"
down_revision = "0011_studio_answers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "training_runs",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("stage", sa.String(24), nullable=False),
        sa.Column("percent", sa.Integer, nullable=False),
        sa.Column("holder", sa.String(64), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("seconds", sa.Float),
        sa.Column("report", sa.Text),
        sa.Column("allowed", sa.Boolean),
        sa.Column("reasons", sa.Text),
        sa.Column("error", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_training_runs"),
    )
    op.create_index("ix_training_runs_state", "training_runs", ["state"])
    op.create_table(
        "model_publications",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("published_at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("run_id", sa.Integer),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_model_publications"),
    )
    op.create_index("ix_model_publications_published_at", "model_publications", ["published_at"])


def downgrade() -> None:
    op.drop_table("model_publications")
    op.drop_table("training_runs")
