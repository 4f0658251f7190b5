"""The catalogue's tables: organisations, services, channels, events, offers and the search index.

Multilingual texts are JSON objects {"fi": ..., "sv": ..., "en": ...} holding only the
languages the source gives. Datetimes are stored as naive UTC and read back as aware UTC
(`UTCDateTime`), so SQLite and PostgreSQL compare and order them identically.
"""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
)

from bot.db import Base, UTCDateTime


class Organization(Base):
    """A service provider (PTV organisation) or an employer."""

    __tablename__ = "catalog_organizations"
    id = Column(Integer, primary_key=True)
    external_id = Column(String(64), nullable=False, unique=True)
    name = Column(JSON, nullable=False)
    source = Column(String(32), nullable=False)
    content_hash = Column(String(40), nullable=False)


service_channel_links = Table(
    "catalog_service_channels",
    Base.metadata,
    Column("service_id", Integer, ForeignKey("catalog_services.id", ondelete="CASCADE"), primary_key=True),
    Column("channel_external_id", String(64), primary_key=True),
    Column("position", SmallInteger, nullable=False, default=0),
)


class Service(Base):
    """A PTV service."""

    __tablename__ = "catalog_services"
    id = Column(Integer, primary_key=True)
    external_id = Column(String(64), nullable=False, unique=True)
    source = Column(String(32), nullable=False)
    name = Column(JSON, nullable=False)
    summary = Column(JSON, nullable=False)
    description = Column(JSON, nullable=False)
    keywords = Column(JSON, nullable=False)
    organization_id = Column(Integer, ForeignKey("catalog_organizations.id", ondelete="SET NULL"))
    modified = Column(UTCDateTime)
    content_hash = Column(String(40), nullable=False)


class ServiceChannel(Base):
    """A PTV service channel: web page, e-service, phone or service location, with its hours."""

    __tablename__ = "catalog_channels"
    id = Column(Integer, primary_key=True)
    external_id = Column(String(64), nullable=False, unique=True)
    source = Column(String(32), nullable=False)
    channel_type = Column(String(32), nullable=False)
    organization_external_id = Column(String(64))
    name = Column(JSON, nullable=False)
    urls = Column(JSON, nullable=False)
    phones = Column(JSON, nullable=False)
    emails = Column(JSON, nullable=False)
    service_hours = Column(JSON, nullable=False)
    modified = Column(UTCDateTime)
    content_hash = Column(String(40), nullable=False)


class Event(Base):
    """A Linked Events event.

    `ends_at` is end_time, or the end of the start day when the source gives none;
    `long_running` marks events of more than a day (see queries.find_events).
    """

    __tablename__ = "catalog_events"
    id = Column(Integer, primary_key=True)
    external_id = Column(String(128), nullable=False, unique=True)
    source = Column(String(32), nullable=False)
    name = Column(JSON, nullable=False)
    summary = Column(JSON, nullable=False)
    location = Column(JSON, nullable=False)
    keywords = Column(JSON, nullable=False)
    info_url = Column(JSON, nullable=False)
    is_free = Column(Boolean)
    price = Column(JSON, nullable=False)
    start_time = Column(UTCDateTime, nullable=False)
    end_time = Column(UTCDateTime)
    ends_at = Column(UTCDateTime, nullable=False)
    long_running = Column(Boolean, nullable=False)
    modified = Column(UTCDateTime)
    content_hash = Column(String(40), nullable=False)
    __table_args__ = (
        Index("ix_catalog_events_start", "start_time", "id", "ends_at"),
        Index("ix_catalog_events_long", "long_running", "start_time", "ends_at"),
    )


class Offer(Base):
    """A recruitment offer (Työmarkkinatori job posting)."""

    __tablename__ = "catalog_offers"
    id = Column(Integer, primary_key=True)
    external_id = Column(String(128), nullable=False, unique=True)
    source = Column(String(32), nullable=False)
    title = Column(JSON, nullable=False)
    summary = Column(JSON, nullable=False)
    employer = Column(JSON, nullable=False)
    municipality = Column(String(128))
    occupations = Column(JSON, nullable=False)
    url = Column(Text)
    published_at = Column(UTCDateTime, nullable=False)
    deadline = Column(UTCDateTime)
    modified = Column(UTCDateTime)
    content_hash = Column(String(40), nullable=False)
    __table_args__ = (Index("ix_catalog_offers_published", "published_at", "id", "deadline"),)


class SearchTerm(Base):
    """The inverted index: one row per (kind, language, normalised term, record)."""

    __tablename__ = "catalog_search_terms"
    kind = Column(String(8), primary_key=True)
    language = Column(String(2), primary_key=True)
    term = Column(String(64), primary_key=True)
    record_id = Column(Integer, primary_key=True, autoincrement=False)
    weight = Column(SmallInteger, nullable=False)
    __table_args__ = (
        Index("ix_catalog_search_terms_record", "kind", "record_id", "language", "term"),
        {"sqlite_with_rowid": False},
    )


class SyncState(Base):
    """What an importer last saw from one source, for incremental updates."""

    __tablename__ = "catalog_sync_state"
    source_key = Column(String(255), primary_key=True)
    last_modified = Column(UTCDateTime)
    last_run = Column(UTCDateTime)
    fingerprint = Column(String(64))


KIND_SERVICE = "service"
KIND_EVENT = "event"
KIND_OFFER = "offer"
KIND_MODELS = {KIND_SERVICE: Service, KIND_EVENT: Event, KIND_OFFER: Offer}
