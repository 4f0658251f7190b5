"""A training run's stage and percentage, read from its log (bot/studio/train_worker.py's `[studio]` lines
and Rasa's own "Finished training component" lines)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MARK = re.compile(r"^(?:\x1b\[[0-9;]*m)*\[studio\] (\w+) (.*)$", re.MULTILINE)  # after Rasa's colour resets too
COMPONENT_DONE = re.compile(r"(Finished training component|Restored component) '")
COMPONENT_STARTED = "Starting to train component '"  # counts half until it finishes
MODEL_SAVED = "Your Rasa model is trained and saved"
STAGE_PERCENT = {"preparing": 0, "training": 5, "evaluating": 80, "done": 100}
LOG_TAIL_BYTES = 2 * 1024 * 1024  # what is read of a long log for the progress and for the page


@dataclass(frozen=True)
class Progress:
    stage: str
    percent: int
    error: str = ""


def parse(log: str) -> Progress:
    """Where a run is, from its log so far."""
    stage, components, percent, error = "preparing", 0, 0, ""
    for kind, value in MARK.findall(log):
        value = value.strip()
        if kind == "stage" and value in STAGE_PERCENT:
            stage = value
            percent = max(percent, STAGE_PERCENT[value])
        elif kind == "components" and value.isdigit():
            components = int(value)
        elif kind == "progress" and value.isdigit():
            percent = max(percent, min(99, int(value)))
        elif kind == "error":
            error = value
    if stage == "training":
        done = len(COMPONENT_DONE.findall(log))
        going = max(0, log.count(COMPONENT_STARTED) - done)
        share = min(done + going / 2, components) / components if components else 0.0
        percent = max(percent, 75 if MODEL_SAVED in log else 5 + int(70 * share))
    return Progress(stage, percent, error)


def read_tail(path: Path, limit: int = LOG_TAIL_BYTES) -> str:
    """The end of a log file ("" when there is none yet; blocking)."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - limit))
            return handle.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return ""
