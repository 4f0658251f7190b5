"""Contact drafts: the e-mail or phone typed into the contact form, until the form is submitted.

Revision ID: 0004_contact_drafts
Revises: 0003_login_throttle
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_contact_drafts"
down_revision = "0003_login_throttle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contact_drafts",
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("method", sa.String(8), nullable=False),
        sa.Column("value", sa.String(254), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("conversation_id", name="pk_contact_drafts"),
    )


def downgrade() -> None:
    op.drop_table("contact_drafts")
