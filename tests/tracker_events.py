"""A conversation's tracker events through a handoff, as Rasa's HTTP API gives them (shared by tests)."""
from __future__ import annotations

from typing import Any, Dict, List

HANDOFF_EVENTS: List[Dict[str, Any]] = [
    {"event": "session_started", "timestamp": 1.0},
    {"event": "user", "timestamp": 2.0, "text": "Tarvitsen rahoitusta",
     "parse_data": {"intent": {"name": "funding", "confidence": 0.9312}}},
    {"event": "action", "timestamp": 2.1, "name": "action_detect_language"},
    {"event": "slot", "timestamp": 2.15, "name": "language", "value": "fi"},
    {"event": "action", "timestamp": 2.2, "name": "action_search_services"},
    {"event": "slot", "timestamp": 2.3, "name": "services", "value": [{"name": "Finnvera"}]},
    {"event": "bot", "timestamp": 2.4, "text": "Finnvera auttaa.", "metadata": {}},
    {"event": "user", "timestamp": 3.0, "text": "Haluan puhua ihmisen kanssa",
     "parse_data": {"intent": {"name": "request_human", "confidence": 0.88}}},
    {"event": "action", "timestamp": 3.1, "name": "action_escalate"},
    {"event": "bot", "timestamp": 3.2, "text": "Olet jonossa.", "metadata": {}},
    {"event": "pause", "timestamp": 3.3},
    {"event": "bot", "timestamp": 4.0, "text": "Hei, olen Anna.", "metadata": {"adviser": "Anna", "adviser_id": 1}},
    {"event": "user", "timestamp": 5.0, "text": "<img src=x onerror=alert(1)>",
     "parse_data": {"intent": {"name": "nlu_fallback", "confidence": 0.3}}},
    {"event": "resume", "timestamp": 6.0},
    {"event": "user", "timestamp": 6.1, "text": "EXTERNAL: handoff_finished", "metadata": {"is_external": True},
     "parse_data": {"intent": {"name": "handoff_finished"}}},
    {"event": "bot", "timestamp": 6.2, "text": "Arvioi 1-5", "metadata": {},
     "data": {"buttons": [{"title": "5", "payload": "/rate"}]}},
    {"event": "user", "timestamp": 7.0, "text": "5", "parse_data": {"intent": {"name": "rate", "confidence": 0.99}}},
    {"event": "bot", "timestamp": 7.1, "text": "Kiitos!", "metadata": {}},
]
