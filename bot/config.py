"""Every setting of the project, read from the environment in one place."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Mapping, Optional, Tuple

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LANGUAGES: Tuple[str, ...] = ("fi", "sv", "en")


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc


@dataclass(frozen=True)
class Settings:
    """Settings of the web app, the supervisor and the helpers they share."""

    project_root: Path = PROJECT_ROOT
    host: str = "0.0.0.0"
    port: int = 8080
    internal_host: str = "127.0.0.1"
    internal_port: int = 5056
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str = "change-me-rasa-token"
    action_server_url: str = "http://127.0.0.1:5055"
    nlg_token: str = "change-me-nlg-token"
    default_language: str = "fi"
    max_message_chars: int = 2000
    rasa_timeout_seconds: float = 30.0
    privacy_notice_url: str = "https://www.espoo.fi/en/city-and-decision-making/safety/data-protection"
    secret_key: str = ""
    database_url: str = f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'bot.db'}"
    tracker_db: Path = PROJECT_ROOT / "var" / "rasa_tracker.db"
    models_dir: Path = PROJECT_ROOT / "models"
    responses_dir: Path = PROJECT_ROOT / "data" / "responses"

    def child_env(self) -> Dict[str, str]:
        """The environment that gives the child processes these same settings."""
        return {
            "BOT_PROJECT_ROOT": str(self.project_root),
            "BOT_HOST": self.host,
            "BOT_PORT": str(self.port),
            "BOT_INTERNAL_HOST": self.internal_host,
            "BOT_INTERNAL_PORT": str(self.internal_port),
            "RASA_URL": self.rasa_url,
            "RASA_TOKEN": self.rasa_token,
            "ACTION_SERVER_URL": self.action_server_url,
            "NLG_TOKEN": self.nlg_token,
            "NLG_URL": f"http://{self.internal_host}:{self.internal_port}/nlg",
            "TRACKER_DB": str(self.tracker_db),
            "DATABASE_URL": self.database_url,
            "BOT_DEFAULT_LANGUAGE": self.default_language,
            "BOT_MAX_MESSAGE_CHARS": str(self.max_message_chars),
            "BOT_RESPONSES_DIR": str(self.responses_dir),
        }

    @property
    def rasa_port(self) -> int:
        return int(self.rasa_url.rsplit(":", 1)[1].split("/")[0])

    @property
    def action_port(self) -> int:
        return int(self.action_server_url.rsplit(":", 1)[1].split("/")[0])


def load_settings(env: Optional[Mapping[str, str]] = None) -> Settings:
    """Build the settings from `env` (default: os.environ)."""
    env = os.environ if env is None else env
    root = Path(env.get("BOT_PROJECT_ROOT", str(PROJECT_ROOT)))
    default_language = env.get("BOT_DEFAULT_LANGUAGE", "fi")
    if default_language not in LANGUAGES:
        raise ValueError(f"BOT_DEFAULT_LANGUAGE must be one of {LANGUAGES}")
    return Settings(
        project_root=root,
        host=env.get("BOT_HOST", "0.0.0.0"),
        port=_int(env, "BOT_PORT", 8080),
        internal_host=env.get("BOT_INTERNAL_HOST", "127.0.0.1"),
        internal_port=_int(env, "BOT_INTERNAL_PORT", 5056),
        rasa_url=env.get("RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
        rasa_token=env.get("RASA_TOKEN", "change-me-rasa-token"),
        action_server_url=env.get("ACTION_SERVER_URL", "http://127.0.0.1:5055").rstrip("/"),
        nlg_token=env.get("NLG_TOKEN", "change-me-nlg-token"),
        default_language=default_language,
        max_message_chars=_int(env, "BOT_MAX_MESSAGE_CHARS", 2000),
        rasa_timeout_seconds=float(env.get("RASA_TIMEOUT_SECONDS", "30")),
        privacy_notice_url=env.get(
            "BOT_PRIVACY_NOTICE_URL",
            "https://www.espoo.fi/en/city-and-decision-making/safety/data-protection",
        ),
        secret_key=env.get("BOT_SECRET_KEY", ""),
        database_url=env.get("DATABASE_URL", f"sqlite+aiosqlite:///{root / 'var' / 'bot.db'}"),
        tracker_db=Path(env.get("TRACKER_DB", str(root / "var" / "rasa_tracker.db"))),
        models_dir=Path(env.get("BOT_MODELS_DIR", str(root / "models"))),
        responses_dir=Path(env.get("BOT_RESPONSES_DIR", str(root / "data" / "responses"))),
    )
