"""Shared fixtures."""
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker

ROOT = Path(__file__).resolve().parent.parent


def user_event(text: str, intent: str, metadata: Optional[Dict[str, Any]] = None,
               entities: Optional[List[Dict[str, Any]]] = None) -> Dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "parse_data": {"intent": {"name": intent, "confidence": 0.9}, "entities": entities or []},
        "metadata": metadata or {},
    }


def make_tracker(events: List[Dict[str, Any]], slots: Optional[Dict[str, Any]] = None) -> Tracker:
    """A rasa_sdk Tracker whose latest message is the last user event."""
    last_user = next((e for e in reversed(events) if e["event"] == "user"), None)
    latest = {}
    if last_user:
        latest = {
            "text": last_user["text"],
            "intent": last_user["parse_data"]["intent"],
            "entities": last_user["parse_data"]["entities"],
            "metadata": last_user["metadata"],
        }
    return Tracker("test-sender", slots or {}, latest, events, False, None, None, "action_listen")


@pytest.fixture
def root() -> Path:
    return ROOT
