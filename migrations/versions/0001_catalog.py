"""Catalogue: organisations, services, channels, events, offers, search index, sync state.

Revision ID: 0001_catalog
Revises:
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "0001_catalog"
down_revision = None
branch_labels = None
depends_on = None


def _hash() -> sa.Column:
    return sa.Column("content_hash", sa.String(40), nullable=False)


def upgrade() -> None:
    op.create_table(
        "catalog_organizations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("external_id", sa.String(64), nullable=False),
        sa.Column("name", sa.JSON, nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        _hash(),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_organizations"),
        sa.UniqueConstraint("external_id", name="uq_catalog_organizations_external_id"),
    )
    op.create_table(
        "catalog_services",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("external_id", sa.String(64), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("name", sa.JSON, nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("description", sa.JSON, nullable=False),
        sa.Column("keywords", sa.JSON, nullable=False),
        sa.Column("organization_id", sa.Integer),
        sa.Column("modified", sa.DateTime),
        _hash(),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_services"),
        sa.UniqueConstraint("external_id", name="uq_catalog_services_external_id"),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["catalog_organizations.id"], ondelete="SET NULL",
            name="fk_catalog_services_organization_id_catalog_organizations",
        ),
    )
    op.create_table(
        "catalog_service_channels",
        sa.Column("service_id", sa.Integer, nullable=False),
        sa.Column("channel_external_id", sa.String(64), nullable=False),
        sa.Column("position", sa.SmallInteger, nullable=False),
        sa.PrimaryKeyConstraint("service_id", "channel_external_id", name="pk_catalog_service_channels"),
        sa.ForeignKeyConstraint(
            ["service_id"], ["catalog_services.id"], ondelete="CASCADE",
            name="fk_catalog_service_channels_service_id_catalog_services",
        ),
    )
    op.create_table(
        "catalog_channels",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("external_id", sa.String(64), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("channel_type", sa.String(32), nullable=False),
        sa.Column("organization_external_id", sa.String(64)),
        sa.Column("name", sa.JSON, nullable=False),
        sa.Column("urls", sa.JSON, nullable=False),
        sa.Column("phones", sa.JSON, nullable=False),
        sa.Column("emails", sa.JSON, nullable=False),
        sa.Column("service_hours", sa.JSON, nullable=False),
        sa.Column("modified", sa.DateTime),
        _hash(),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_channels"),
        sa.UniqueConstraint("external_id", name="uq_catalog_channels_external_id"),
    )
    op.create_table(
        "catalog_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("external_id", sa.String(128), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("name", sa.JSON, nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("location", sa.JSON, nullable=False),
        sa.Column("keywords", sa.JSON, nullable=False),
        sa.Column("info_url", sa.JSON, nullable=False),
        sa.Column("is_free", sa.Boolean),
        sa.Column("price", sa.JSON, nullable=False),
        sa.Column("start_time", sa.DateTime, nullable=False),
        sa.Column("end_time", sa.DateTime),
        sa.Column("ends_at", sa.DateTime, nullable=False),
        sa.Column("long_running", sa.Boolean, nullable=False),
        sa.Column("modified", sa.DateTime),
        _hash(),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_events"),
        sa.UniqueConstraint("external_id", name="uq_catalog_events_external_id"),
    )
    op.create_index("ix_catalog_events_start", "catalog_events", ["start_time", "id", "ends_at"])
    op.create_index("ix_catalog_events_long", "catalog_events", ["long_running", "start_time", "ends_at"])
    op.create_table(
        "catalog_offers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("external_id", sa.String(128), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("title", sa.JSON, nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("employer", sa.JSON, nullable=False),
        sa.Column("municipality", sa.String(128)),
        sa.Column("occupations", sa.JSON, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("published_at", sa.DateTime, nullable=False),
        sa.Column("deadline", sa.DateTime),
        sa.Column("modified", sa.DateTime),
        _hash(),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_offers"),
        sa.UniqueConstraint("external_id", name="uq_catalog_offers_external_id"),
    )
    op.create_index("ix_catalog_offers_published", "catalog_offers", ["published_at", "id", "deadline"])
    op.create_table(
        "catalog_search_terms",
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("term", sa.String(64), nullable=False),
        sa.Column("record_id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("weight", sa.SmallInteger, nullable=False),
        sa.PrimaryKeyConstraint("kind", "language", "term", "record_id", name="pk_catalog_search_terms"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_catalog_search_terms_record", "catalog_search_terms", ["kind", "record_id", "language", "term"])
    op.create_table(
        "catalog_sync_state",
        sa.Column("source_key", sa.String(255), nullable=False),
        sa.Column("last_modified", sa.DateTime),
        sa.Column("last_run", sa.DateTime),
        sa.Column("fingerprint", sa.String(64)),
        sa.PrimaryKeyConstraint("source_key", name="pk_catalog_sync_state"),
    )


def downgrade() -> None:
    for table in (
        "catalog_sync_state", "catalog_search_terms", "catalog_offers", "catalog_events",
        "catalog_channels", "catalog_service_channels", "catalog_services", "catalog_organizations",
    ):
        op.drop_table(table)
