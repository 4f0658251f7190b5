"""Log-in throttling per client address and account; no more account-wide lock-out.

Revision ID: 0003_login_throttle
Revises: 0002_handoff
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_login_throttle"
down_revision = "0002_handoff"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_login_throttle",
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("not_before_ms", sa.BigInteger, nullable=False),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("address", "username", name="pk_console_login_throttle"),
    )
    op.create_index("ix_console_login_throttle_username", "console_login_throttle", ["username"])
    op.create_index("ix_console_login_throttle_updated", "console_login_throttle", ["updated_ms"])
    # The account-wide lock let anyone who knew a username lock its adviser out.
    with op.batch_alter_table("console_advisers") as batch:
        batch.drop_column("failed_logins")
        batch.drop_column("locked_until")


def downgrade() -> None:
    with op.batch_alter_table("console_advisers") as batch:
        batch.add_column(sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", sa.DateTime))
    op.drop_index("ix_console_login_throttle_updated", table_name="console_login_throttle")
    op.drop_index("ix_console_login_throttle_username", table_name="console_login_throttle")
    op.drop_table("console_login_throttle")
