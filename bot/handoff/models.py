"""Tables of the human handoff and the adviser console (on bot.db's declarative Base)."""
from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    text,
)

from bot.db import Base, UTCDateTime

ROLE_ADVISER = "adviser"
ROLE_EDITOR = "editor"  # also: answers, training data, NLU inbox, training runs (the studio)
ROLE_PUBLISHER = "publisher"  # also: publishes a trained model
ROLE_ADMIN = "admin"  # also: accounts, privacy, audit log
# Each role may do what the roles before it may (an editor is also an adviser).
ROLES = (ROLE_ADVISER, ROLE_EDITOR, ROLE_PUBLISHER, ROLE_ADMIN)

KIND_LIVE = "live"
KIND_CONTACT = "contact_request"

# Statuses of a queue entry (HandoffRequest.status).
WAITING = "waiting"
CLAIMED = "claimed"
HANDED_BACK = "handed_back"
CLOSED = "closed"
TIMED_OUT = "timed_out"
STATUSES = (WAITING, CLAIMED, HANDED_BACK, CLOSED, TIMED_OUT)
# Status of a conversation that was rated but never escalated.
RATED_ONLY = "rated"


class Adviser(Base):
    """A console account: an adviser or an admin."""

    __tablename__ = "console_advisers"
    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    display_name = Column(String(128), nullable=False)
    password_hash = Column(String(255), nullable=False)
    role = Column(String(16), nullable=False, default=ROLE_ADVISER)
    language = Column(String(2), nullable=False, default="fi")
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(UTCDateTime, nullable=False)


class ConsoleSession(Base):
    """A logged-in browser. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "console_sessions"
    token_hash = Column(String(64), primary_key=True)
    adviser_id = Column(Integer, ForeignKey("console_advisers.id", ondelete="CASCADE"), nullable=False)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(UTCDateTime, nullable=False)
    last_seen_at = Column(UTCDateTime, nullable=False)
    expires_at = Column(UTCDateTime, nullable=False)
    __table_args__ = (Index("ix_console_sessions_adviser_seen", "adviser_id", "last_seen_at"),)


class LoginThrottle(Base):
    """Log-in throttling (bot/console/throttle.py), times in milliseconds since the epoch.

    username '' is the address's rate bucket (not_before_ms: its theoretical arrival
    time); any other row counts wrong passwords of one account from one address
    (not_before_ms: when that address may try that account again).
    """

    __tablename__ = "console_login_throttle"
    address = Column(String(64), primary_key=True)
    username = Column(String(64), primary_key=True)
    failures = Column(Integer, nullable=False, default=0)
    not_before_ms = Column(BigInteger, nullable=False)
    updated_ms = Column(BigInteger, nullable=False)
    __table_args__ = (
        Index("ix_console_login_throttle_username", "username"),
        Index("ix_console_login_throttle_updated", "updated_ms"),
    )


class HandoffConversation(Base):
    """One escalated or rated conversation as the review sees it."""

    __tablename__ = "handoff_conversations"
    conversation_id = Column(String(128), primary_key=True)
    language = Column(String(2))
    # The intents seen, as " a b c " so that LIKE '% b %' finds one on every database.
    intents = Column(Text, nullable=False, default=" ")
    status = Column(String(16), nullable=False)
    escalated = Column(Boolean, nullable=False, default=False)
    created_at = Column(UTCDateTime, nullable=False)
    last_activity_at = Column(UTCDateTime, nullable=False)
    rating = Column(SmallInteger)
    rated_at = Column(UTCDateTime)
    reviewed_at = Column(UTCDateTime)
    reviewed_by_id = Column(Integer, ForeignKey("console_advisers.id", ondelete="SET NULL"))
    search_text = Column(Text, nullable=False, default="")
    indexed_at = Column(UTCDateTime)
    # What names the conversation in the console (bot/handoff/summary.py), filled when indexed.
    first_question = Column(Text, nullable=False, default="")
    started_at = Column(UTCDateTime)
    __table_args__ = (Index("ix_handoff_conversations_activity", "last_activity_at"),)


class HandoffRequest(Base):
    """A queue entry: a live chat waiting for an adviser, or a contact request."""

    __tablename__ = "handoff_requests"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(
        String(128), ForeignKey("handoff_conversations.conversation_id", ondelete="CASCADE"), nullable=False
    )
    kind = Column(String(16), nullable=False)
    status = Column(String(16), nullable=False)
    reason = Column(String(64), nullable=False, default="")
    language = Column(String(2), nullable=False)
    intents = Column(Text, nullable=False, default=" ")
    created_at = Column(UTCDateTime, nullable=False)
    claimed_by_id = Column(Integer, ForeignKey("console_advisers.id", ondelete="SET NULL"))
    claimed_at = Column(UTCDateTime)
    finished_at = Column(UTCDateTime)
    company_name = Column(String(200))
    business_id = Column(String(9))
    topic = Column(Text)
    contact_method = Column(String(8))
    contact_value = Column(String(254))
    consent_at = Column(UTCDateTime)
    __table_args__ = (
        Index("ix_handoff_requests_status_created", "status", "created_at"),
        Index("ix_handoff_requests_conversation", "conversation_id"),
        # At most one open live entry per conversation: enqueue is idempotent under races too.
        Index(
            "uq_handoff_requests_open_live",
            "conversation_id",
            unique=True,
            sqlite_where=text("kind = 'live' AND status IN ('waiting', 'claimed')"),
            postgresql_where=text("kind = 'live' AND status IN ('waiting', 'claimed')"),
        ),
    )


class ConversationTag(Base):
    """A tag an adviser put on a conversation."""

    __tablename__ = "handoff_tags"
    conversation_id = Column(
        String(128), ForeignKey("handoff_conversations.conversation_id", ondelete="CASCADE"), primary_key=True
    )
    tag = Column(String(64), primary_key=True)


class ConversationNote(Base):
    """A note an adviser wrote about a conversation."""

    __tablename__ = "handoff_notes"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(
        String(128), ForeignKey("handoff_conversations.conversation_id", ondelete="CASCADE"), nullable=False
    )
    adviser_id = Column(Integer, ForeignKey("console_advisers.id", ondelete="SET NULL"))
    text = Column(Text, nullable=False)
    created_at = Column(UTCDateTime, nullable=False)
    __table_args__ = (Index("ix_handoff_notes_conversation", "conversation_id"),)


class ContactDraft(Base):
    """A contact detail typed into the contact request form, not yet submitted (bot/handoff/contact_drafts.py)."""

    __tablename__ = "contact_drafts"
    conversation_id = Column(String(128), primary_key=True)
    method = Column(String(8), nullable=False)
    value = Column(String(254), nullable=False)
    created_at = Column(UTCDateTime, nullable=False)


class JobLease(Base):
    """Who runs a background job until when: one web app process at a time (bot/handoff/privacy.py)."""

    __tablename__ = "job_leases"
    name = Column(String(64), primary_key=True)
    holder = Column(String(64), nullable=False)
    expires_at = Column(UTCDateTime, nullable=False)


class PrivacyAudit(Base):
    """A deletion of personal data: who, when, what kind, rows per table; never the person's data.

    subject_hash is an HMAC-SHA256 of the request's value with BOT_SECRET_KEY (a salted hash): it
    proves a later "was X deleted?" only to someone who has the secret and X.
    """

    __tablename__ = "privacy_audit"
    id = Column(Integer, primary_key=True)
    at = Column(UTCDateTime, nullable=False)
    actor = Column(String(80), nullable=False)
    action = Column(String(16), nullable=False)  # "delete" (one person's data) or "retention"
    selector = Column(String(16), nullable=False, default="")  # conversation, email, phone; "" for retention
    subject_hash = Column(String(64))
    counts = Column(Text, nullable=False, default="{}")  # JSON {table: rows deleted}
    __table_args__ = (Index("ix_privacy_audit_at", "at"),)
