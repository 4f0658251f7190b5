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


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    """The real assistant (see tests/livestack.py), shared by every test of the session."""
    from tests.livestack import start_live_stack

    yield from start_live_stack(tmp_path_factory.mktemp("live"))


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "stops_live_stack: stops the shared live stack; runs after every other test")
    config.addinivalue_line("markers", "cluster: starts the cluster layout (tests/cluster_stack.py); in the normal run")
    config.addinivalue_line("markers", "real_rasa: starts a real Rasa server of its own (tests/studio/test_rasa_pulls_models.py)")


def pytest_collection_modifyitems(config, items) -> None:
    """Tests that stop the shared live stack run last."""
    items.sort(key=lambda item: item.get_closest_marker("stops_live_stack") is not None)
