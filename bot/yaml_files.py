"""The one reader of our YAML data files (answers, texts, figures, examples, rules)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Type

import yaml


def read_mapping(path: Path, error: Type[Exception] = ValueError, what: str = "a mapping") -> Dict[Any, Any]:
    """The mapping at the top of `path` ({} for an empty file).

    An unreadable file, broken YAML or a top level that is not a mapping raises `error`
    with the file's name (`what` says what the file should hold).
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise error(f"{path}: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise error(f"{path}: expected {what}")
    return data
