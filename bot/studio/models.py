"""Tables of the training data and the NLU inbox (migration 0010_studio_training).

`studio_training_edits` holds the staff's changes on top of the repository's data/nlu files: an `add`
puts an example into a file's block, a `remove` takes one out (an edit or a move is both). Both are
idempotent, so the repository's files with the edits applied are the effective training data even
after the edits were exported into the files.

`studio_inbox` holds user messages worth teaching (masked with bot/pii.py before they are stored);
`studio_inbox_signals` the thumbs down and the review tags that the inbox job has still to read (and
those it has read). Both name a conversation: the retention job and `privacy delete` remove them.
"""
from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Float, Index, Integer, String, Text

from bot.db import Base, UTCDateTime

ADD, REMOVE = "add", "remove"
OPEN, CONFIRMED, CORRECTED, DISMISSED = "open", "confirmed", "corrected", "dismissed"
DOWN_VOTE, TAG = "down", "tag"


class TrainingEdit(Base):
    """One staff change of one example: `path` is relative to data/nlu (fi.yml, questions/fi/x.yml)."""

    __tablename__ = "studio_training_edits"
    id = Column(Integer, primary_key=True)
    kind = Column(String(8), nullable=False)
    path = Column(String(200), nullable=False)
    language = Column(String(2), nullable=False)
    intent = Column(String(64), nullable=False)
    question = Column(String(200))
    text = Column(Text, nullable=False)
    actor = Column(String(80), nullable=False, default="")
    created_at = Column(UTCDateTime, nullable=False)
    __table_args__ = (Index("ix_studio_training_edits_language", "language", "intent"),)


class InboxItem(Base):
    """One user message of a conversation (tracker event `event_id`), masked, with Rasa's prediction."""

    __tablename__ = "studio_inbox"
    id = Column(Integer, primary_key=True)
    event_id = Column(BigInteger, nullable=False, unique=True)
    conversation_id = Column(String(255), nullable=False)
    language = Column(String(2), nullable=False)
    text = Column(Text, nullable=False)
    intent = Column(String(64))
    confidence = Column(Float)
    reasons = Column(String(80), nullable=False, default="")  # not_understood low_confidence thumbs_down tagged
    at = Column(UTCDateTime, nullable=False)
    status = Column(String(16), nullable=False, default=OPEN)
    resolved_intent = Column(String(64))
    resolved_by = Column(String(80))
    resolved_at = Column(UTCDateTime)
    __table_args__ = (Index("ix_studio_inbox_status", "status", "at"), Index("ix_studio_inbox_conversation",
                                                                             "conversation_id"))


class InboxSignal(Base):
    """A thumbs down on an answer (`answer`) or a review tag of a conversation, for the inbox job."""

    __tablename__ = "studio_inbox_signals"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False)
    kind = Column(String(8), nullable=False)
    answer = Column(String(200), nullable=False, default="")
    at = Column(UTCDateTime, nullable=False)
    done = Column(Boolean, nullable=False, default=False)
    __table_args__ = (Index("ix_studio_inbox_signals_conversation", "conversation_id"),
                      Index("ix_studio_inbox_signals_done", "done", "kind"))
