"""User input in a log message cannot start a log line of its own (bot/logsafe.py)."""
from __future__ import annotations

import io
import logging
from typing import Iterator

import pytest

from bot.logsafe import configure_logging, printable

FORGED = "hei\n2026-01-01 00:00:00,000 WARNING bot.console: adviser anna deleted\r\x1b[31m\u2028"


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the root logger writes after the project's logging setup (`python -m bot`)."""
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    root.handlers = []
    configure_logging()
    output = io.StringIO()
    for handler in root.handlers:
        handler.setStream(output)  # type: ignore[attr-defined]
    yield output
    root.handlers, root.level = saved, level


def test_a_message_with_user_text_stays_on_one_line(log_output):
    logging.getLogger("bot.web.chat").warning("message of %s not processed: %s", "c1", FORGED)
    (line,) = log_output.getvalue().splitlines()
    assert line.endswith("WARNING bot.web.chat: message of c1 not processed: hei\\n2026-01-01 00:00:00,000 WARNING "
                         "bot.console: adviser anna deleted\\r\\x1b[31m\\u2028")


def test_a_traceback_keeps_its_lines_but_its_message_is_escaped(log_output):
    try:
        raise ValueError("bad")
    except ValueError:
        logging.getLogger("bot.web.gateway").exception("frame %s not handled", FORGED)
    lines = log_output.getvalue().splitlines()
    assert "\\n2026-01-01" in lines[0] and lines[1] == "Traceback (most recent call last):"
    assert not any(line.startswith("2026-01-01") for line in lines)


@pytest.mark.parametrize("value, shown", [("a\nb", "a\\nb"), ("tab\tend", "tab\\tend"), ("ääkköset – ok", "ääkköset – ok")])
def test_printable(value, shown):
    assert printable(value) == shown
