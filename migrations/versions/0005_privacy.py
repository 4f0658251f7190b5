"""Privacy: the deletion audit and the background jobs' leases.

Revision ID: 0005_privacy
Revises: 0004_contact_drafts
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_privacy"
down_revision = "0004_contact_drafts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_leases",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("holder", sa.String(64), nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_job_leases"),
    )
    op.create_table(
        "privacy_audit",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("selector", sa.String(16), nullable=False),
        sa.Column("subject_hash", sa.String(64)),
        sa.Column("counts", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_privacy_audit"),
    )
    op.create_index("ix_privacy_audit_at", "privacy_audit", ["at"])


def downgrade() -> None:
    op.drop_index("ix_privacy_audit_at", table_name="privacy_audit")
    op.drop_table("privacy_audit")
    op.drop_table("job_leases")
