"""Tables of the insights: daily counters, the job's progress, conversations being read, votes."""
from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, Index, String, Text

from bot.db import Base, UTCDateTime


class _Counts:
    """The columns of a table of counters: one figure of a period and language, `metric` counted per `key`."""

    metric = Column(String(32), primary_key=True)
    day = Column(Date, primary_key=True)
    language = Column(String(2), primary_key=True)
    key = Column(String(200), primary_key=True)
    value = Column(BigInteger, nullable=False, default=0)


class DailyCount(_Counts, Base):
    """One figure of one day (Finnish time) and language: `metric` counted per `key`.

    Metrics and keys (bot/insights/tally.py, bot/insights/handoff_figures.py): conversation and message
    (key ""), entry_conversation and entry_message per entry page, intent per intent, answer per answer name, search_none and lookup per
    "kind:words", shown_services, shown_events and shown_offers per catalogue item id (its title in
    `insights_items`), handoff_* per wait bucket or topic, rating per 1..5, click and helpful_* per answer.
    No key names a person or a conversation.
    """

    __tablename__ = "insights_daily"


class MonthlyCount(_Counts, Base):
    """The same figures summed per calendar month (`day` is the month's first day), made from
    `insights_daily` by the job (bot/insights/rollup.py): a year's sums read twelve rows per key."""

    __tablename__ = "insights_monthly"


class Progress(Base):
    """How far the job has read: the last tracker event id ("events"), the first day to recount
    ("handoff") and the recounts made ("handoff_runs")."""

    __tablename__ = "insights_progress"
    name = Column(String(32), primary_key=True)
    value = Column(BigInteger, nullable=False, default=0)


class OpenConversation(Base):
    """What the job remembers of a conversation between runs (language, entry page, the last answer):
    keyed by an HMAC of the conversation id, deleted after the retention time."""

    __tablename__ = "insights_conversations"
    key = Column(String(64), primary_key=True)
    state = Column(Text, nullable=False)
    updated_at = Column(UTCDateTime, nullable=False)
    __table_args__ = (Index("ix_insights_conversations_updated", "updated_at"),)


class Vote(Base):
    """One "was this helpful?" answer of a conversation (HMAC key): one vote per answer and conversation.
    `helpful`, `day` and `language` say which counter it was added to, so that a second vote on the same
    answer replaces it (NULL: a vote from before they were kept, which stays as it was)."""

    __tablename__ = "insights_votes"
    conversation_key = Column(String(64), primary_key=True)
    answer = Column(String(200), primary_key=True)
    at = Column(UTCDateTime, nullable=False)
    helpful = Column(Boolean, nullable=True)
    day = Column(Date, nullable=True)
    language = Column(String(2), nullable=True)
    __table_args__ = (Index("ix_insights_votes_at", "at"),)


class ShownItem(Base):
    """The title of a catalogue item that answers showed (public catalogue data, no person's), per the
    language of the title: what the page names the keys of the shown_* counters by."""

    __tablename__ = "insights_items"
    kind = Column(String(16), primary_key=True)
    item = Column(String(120), primary_key=True)
    language = Column(String(2), primary_key=True)
    title = Column(String(200), nullable=False)
    seen = Column(Date, nullable=False)
