"""Log lines that user input cannot forge: control characters in messages are escaped.

A user's text, a URL path or a header may hold a newline; written verbatim it would start a
log line of its own ("... WARNING bot.web.chat: forged"). `SafeFormatter`, installed on the
root logger by `configure_logging` (every process of `python -m bot`), escapes the control
characters of each message the way repr() does; tracebacks stay as they are. `printable`
does the same for one value, for call sites that log outside our handlers' formatting.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Optional

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# C0 and C1 controls (newlines, escape sequences), DEL and the Unicode line and paragraph separators.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(value: object) -> str:
    """`value` as text on one line: control characters escaped (\\n, \\x1b, \\u2028)."""
    return _UNSAFE.sub(lambda m: repr(m.group())[1:-1], str(value))


class SafeFormatter(logging.Formatter):
    """A formatter whose messages never span lines or carry terminal escapes."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = printable(record.message)
        return super().formatMessage(record)


def configure_logging(
    level: int = logging.INFO, fmt: Optional[str] = None, *,
    console_level: Optional[int] = None, log_file: Optional[Path] = None,
) -> None:
    """basicConfig with SafeFormatter on every root handler; the console handler at `console_level`
    (default: `level`), and a handler appending to `log_file` when given."""
    logging.basicConfig(level=level, format=fmt or LOG_FORMAT)
    root = logging.getLogger()
    if log_file is not None:
        root.addHandler(logging.FileHandler(log_file, encoding="utf-8"))
    for handler in root.handlers:
        handler.setFormatter(SafeFormatter(fmt or LOG_FORMAT))
        if console_level is not None and not isinstance(handler, logging.FileHandler):
            handler.setLevel(console_level)
