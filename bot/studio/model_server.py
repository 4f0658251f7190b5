"""GET /model on the internal site: the model every Rasa server should run, for Rasa's model server pulls.

Rasa (endpoints.yml `models:`) asks with `If-None-Match: <the ETag of the model it runs>` every
RASA_MODEL_PULL_SECONDS: the answer is 304 when that is still the current model, else 200 with the
file, its ETag and a `filename` header (Rasa names the downloaded file by it, and /status shows
it as `model_file`). The current model is the newest publication (bot/studio/model_store.py),
or the model `make model` trained when nothing has been published; its ETag is
"<publication id or local>-<SHA-256 prefix>", so publishing the same file again is a new model.
"""
from __future__ import annotations

import asyncio
import hmac
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Tuple

from aiohttp import web

from bot.config import Settings
from bot.db import session_scope
from bot.rasa.model_pull import CHUNK, LOCAL_TAG, file_sha256, model_etag
from bot.studio import model_store
from bot.web.keys import DB_KEY, NLG_TOKEN_KEY, SETTINGS_KEY

_HASHES: Dict[Tuple[str, int, int], str] = {}  # (path, mtime_ns, size) -> SHA-256 of the local model
_LOCAL_PATHS: Dict[Tuple[str, str], Tuple[float, Path]] = {}  # (root, models dir) -> (when, path)
LOCAL_PATH_SECONDS = 60.0


@dataclass(frozen=True)
class ServedModel:
    path: Path
    etag: str


def local_model_path(settings: Settings) -> Path:
    """The model `make model` trained for the repository's data (blocking: reads the training files, at
    most every LOCAL_PATH_SECONDS, not at every pull of every Rasa server)."""
    from bot.rasa.models import model_path_for

    key = (str(settings.project_root), str(settings.models_dir))
    found = _LOCAL_PATHS.get(key)
    if found is None or time.monotonic() - found[0] > LOCAL_PATH_SECONDS:
        found = _LOCAL_PATHS[key] = (time.monotonic(), model_path_for(settings.project_root, settings.models_dir))
    return found[1]


def cached_sha256(path: Path) -> str:
    """The file's SHA-256, computed once per version of the file (blocking)."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _HASHES:
        _HASHES[key] = file_sha256(path)
    return _HASHES[key]


async def served_model(settings: Settings, factory) -> Optional[ServedModel]:  # type: ignore[no-untyped-def]
    """The current model's file and ETag (None when there is no model file at all)."""
    loop = asyncio.get_running_loop()
    async with session_scope(factory) as session:
        row = await model_store.current(session)
    if row is not None:
        path = settings.published_models_dir / row.file_name if row.file_name else None
        if path is None:
            path = await loop.run_in_executor(None, local_model_path, settings)
        return ServedModel(path, row.etag) if path.is_file() else None
    path = await loop.run_in_executor(None, local_model_path, settings)
    if not path.is_file():
        return None
    return ServedModel(path, model_etag(LOCAL_TAG, await loop.run_in_executor(None, cached_sha256, path)))


def matches(if_none_match: str, etag: str) -> bool:
    """Whether an If-None-Match header names `etag` (weak or strong, one of a list, or *)."""
    wanted = etag.strip('"')
    for part in if_none_match.split(","):
        tag = part.strip()
        if tag == "*" or tag.removeprefix("W/").strip('"') == wanted:
            return True
    return False


async def handle_model(request: web.Request) -> web.StreamResponse:
    """GET /model: 304, or the model file with its ETag; 401 without the NLG token; 404 with no model."""
    expected = request.app[NLG_TOKEN_KEY]
    if expected and not hmac.compare_digest(request.query.get("token", ""), expected):
        return web.json_response({"error": "invalid token"}, status=401)
    served = await served_model(request.app[SETTINGS_KEY], request.app[DB_KEY])
    if served is None:
        return web.json_response({"error": "no model"}, status=404)
    headers = {"ETag": served.etag, "Cache-Control": "no-cache"}
    if matches(request.headers.get("If-None-Match", ""), served.etag):
        return web.Response(status=304, headers=headers)
    response = web.StreamResponse(headers={
        **headers, "filename": served.path.name, "Content-Type": "application/gzip",
        "Content-Length": str(served.path.stat().st_size),
    })
    await response.prepare(request)
    if request.method == "HEAD":
        return response
    loop = asyncio.get_running_loop()
    with served.path.open("rb") as handle:  # the file stays readable when a newer one is published
        while True:
            block = await loop.run_in_executor(None, handle.read, CHUNK)
            if not block:
                break
            await response.write(block)
    await response.write_eof()
    return response


def setup_model_server(app: web.Application) -> None:
    """GET /model on the internal app (after its NLG token and database are set up)."""
    app.router.add_get("/model", handle_model)
