"""Parsers of environment values for bot/config.py: a wrong value is an error that names the variable."""
from __future__ import annotations

from typing import Mapping, Tuple


def integer(env: Mapping[str, str], name: str, default: int) -> int:
    """The integer `name`, `default` when unset or empty."""
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc


def choice(env: Mapping[str, str], name: str, choices: Tuple[str, ...], default: str) -> str:
    """`name` lower-cased, one of `choices`."""
    raw = (env.get(name) or default).strip().lower()
    if raw not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {raw!r}")
    return raw


def flag(env: Mapping[str, str], name: str) -> bool:
    """Whether `name` is 1, true or yes."""
    return env.get(name, "").strip().lower() in ("1", "true", "yes")


def origins(raw: str) -> Tuple[str, ...]:
    """Allowed web origins from a comma- or space-separated list ("*" allows any)."""
    return tuple(o.strip().rstrip("/").lower() for o in raw.replace(",", " ").split() if o.strip())
