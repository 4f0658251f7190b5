"""Insights: the titles of the catalogue items answers showed; what a helpful vote was counted as.

Revision ID: 0009_insights_items
Revises: 0008_audit_log
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_insights_items"
down_revision = "0008_audit_log"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "insights_items",
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("item", sa.String(120), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("seen", sa.Date, nullable=False),
        sa.PrimaryKeyConstraint("kind", "item", "language", name="pk_insights_items"),
    )
    with op.batch_alter_table("insights_votes") as batch:
        batch.add_column(sa.Column("helpful", sa.Boolean, nullable=True))
        batch.add_column(sa.Column("day", sa.Date, nullable=True))
        batch.add_column(sa.Column("language", sa.String(2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("insights_votes") as batch:
        batch.drop_column("language")
        batch.drop_column("day")
        batch.drop_column("helpful")
    op.drop_table("insights_items")
