"""Rasa's model server, both ends' shared part: the ETag of a model file, and the Rasa side's fallback.

Every Rasa server pulls the published model from the web app (endpoints.yml `models:`,
bot/studio/model_server.py). Stock Rasa, given a model server, ignores `--model`: when the web
app is not up yet it starts with no model at all. `install(path)` (bot/rasa/launcher.py) makes it
load the local model first, under the ETag the web app gives that same file when nothing has been
published ("local-<sha256>"), and only then ask the server: the first pull answers 304 when nothing
was published, loads the published model when something was, and keeps the local model when the
web app does not answer (it is asked again every `wait_time_between_pulls` seconds).
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any, Optional

logger = logging.getLogger(__name__)
LOCAL_TAG = "local"
CHUNK = 1024 * 1024


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in chunks (blocking: call it in an executor from async code)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def model_etag(tag: str, sha256: str) -> str:
    """The ETag of a model file: the publication's id (or "local") and the start of its hash, quoted."""
    return f'"{tag}-{sha256[:16]}"'


def install(model_path: Optional[str]) -> None:
    """Make Rasa load `model_path` before it first asks the model server (a no-op without a path)."""
    from rasa.core import agent as agent_module

    original = agent_module.load_from_server

    async def load_local_then_server(agent: Any, model_server: Any) -> Any:
        pulls = str(model_server.kwargs.get("wait_time_between_pulls") or "").strip()
        model_server.kwargs["wait_time_between_pulls"] = int(pulls) if pulls.isdigit() and int(pulls) > 0 else None
        local = Path(model_path) if model_path else None
        if local is not None and local.is_file():
            etag = model_etag(LOCAL_TAG, file_sha256(local))
            agent.load_model(str(local), fingerprint=etag)
            logger.info("loaded the local model %s (%s) before asking %s", local.name, etag, model_server.url)
        return await original(agent, model_server)

    agent_module.load_from_server = load_local_then_server


def model_argument(argv: list) -> Optional[str]:
    """The value of `--model` (or `-m`) in a `rasa run` command line."""
    for index, value in enumerate(argv):
        if value in ("--model", "-m") and index + 1 < len(argv):
            return str(argv[index + 1])
        if value.startswith("--model="):
            return value.split("=", 1)[1]
    return None
