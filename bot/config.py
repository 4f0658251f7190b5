"""Every setting of the project, read from the environment in one place."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Mapping, Optional, Tuple
from zoneinfo import ZoneInfo

from bot.env_values import choice as _choice, flag as _flag, integer as _int, origins as _origins

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LANGUAGES: Tuple[str, ...] = ("fi", "sv", "en")
HELSINKI = ZoneInfo("Europe/Helsinki")  # the service's local time: dates, opening hours, events


LOG_LEVELS: Tuple[str, ...] = ("debug", "info", "warning", "error")
# What `python -m bot cluster` uses when these are unset: PostgreSQL and Redis on this machine.
CLUSTER_DEFAULTS: Dict[str, str] = {
    "DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:5432/businessespoo",
    "TRACKER_STORE_URL": "postgresql+asyncpg://postgres@127.0.0.1:5432/businessespoo",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def rasa_telemetry_env(env: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """RASA_TELEMETRY_ENABLED for a process that runs Rasa: "false" unless set (a city's service reports
    no usage to Rasa's vendor unless told to)."""
    env = os.environ if env is None else env
    return {"RASA_TELEMETRY_ENABLED": env.get("RASA_TELEMETRY_ENABLED") or "false"}


@dataclass(frozen=True)
class Settings:
    """Settings of the web app, the supervisor and the helpers they share."""

    project_root: Path = PROJECT_ROOT
    host: str = "0.0.0.0"
    port: int = 8080
    internal_host: str = "127.0.0.1"
    internal_port: int = 5056
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str = ""  # empty: bot.tokens makes one and keeps it in var/
    action_server_url: str = "http://127.0.0.1:5055"
    action_token: str = ""
    nlg_token: str = ""
    default_language: str = "fi"
    max_message_chars: int = 2000
    rasa_timeout_seconds: float = 30.0
    privacy_notice_url: str = "https://www.espoo.fi/en/city-and-decision-making/safety/data-protection"
    secret_key: str = ""
    conversation_token_hours: float = 24.0  # a conversation token opens its history this long after its last use
    database_url: str = f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'bot.db'}"
    tracker_db: Path = PROJECT_ROOT / "var" / "rasa_tracker.db"
    models_dir: Path = PROJECT_ROOT / "models"
    responses_dir: Path = PROJECT_ROOT / "data" / "responses"
    answers_poll_seconds: float = 0.5  # how often each NLG looks for answers saved in the studio (0: never)
    # Catalogue (bot/catalog/): sample files, importer URLs and HTTP behaviour.
    catalog_dir: Path = PROJECT_ROOT / "data" / "catalog"
    catalog_ptv_url: str = "https://api.palvelutietovaranto.suomi.fi/api/v11/Service/list/organization"
    catalog_ptv_channels_url: str = "https://api.palvelutietovaranto.suomi.fi/api/v11/ServiceChannel/list/organization"
    catalog_events_url: str = "https://api.hel.fi/linkedevents/v1/event/"
    catalog_jobs_url: str = "https://api.ahtp.fi/kipa/p67/v2/jobpostings"
    catalog_jobs_api_key: str = ""
    catalog_http_timeout_seconds: float = 30.0
    catalog_http_retries: int = 4
    catalog_retry_backoff_seconds: float = 1.0
    catalog_test_postgres_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    # The opening-hours answer (bot/rasa/nlg_hours.py): the PTV channel whose hours it gives, how long they are cached.
    advice_hours_channel_id: str = "63b0247e-05fb-4560-925a-0446a17b0a30"  # Business Espoo business advice (sample PTV)
    advice_hours_cache_seconds: float = 60.0
    # Human handoff (bot/handoff/) and the adviser console (bot/console/).
    handoff_channel_id: str = "63b0247e-05fb-4560-925a-0446a17b0a30"  # Business Espoo business advice (sample PTV)
    handoff_online_seconds: int = 90
    handoff_queue_timeout_seconds: int = 300
    handoff_minutes_per_conversation: int = 5
    handoff_poll_seconds: float = 1.0
    console_cookie_secure: str = "auto"
    console_session_hours: int = 12
    console_idle_minutes: int = 120
    # Log-in throttling (bot/console/throttle.py): per address and account, and per address.
    console_login_free_failures: int = 3
    console_login_delay_seconds: int = 30
    console_login_max_delay_minutes: int = 15
    console_logins_per_minute_per_address: int = 10
    # Privacy (bot/handoff/privacy.py): how long conversations and handoff data, and contact requests, are kept.
    retention_days: int = 90
    contact_retention_days: int = 180
    retention_interval_seconds: int = 3600
    # Insights (bot/insights/job.py): how often the aggregation of the daily figures runs (0: never in the
    # background, only `python -m bot insights aggregate`).
    insights_interval_seconds: int = 300
    # The studio's NLU inbox (bot/studio/inbox_job.py): how often it collects messages (0: never in the
    # background), the confidence below which an understood message is collected, the review tags it reads.
    inbox_interval_seconds: int = 300
    inbox_confidence: float = 0.5
    inbox_tags: Tuple[str, ...] = ("nlu", "misunderstood")
    # Chat gateway and widget (bot/web/gateway.py, bot/web/origins.py): the web app's public URL (its origin
    # may use the chat; "" = http://localhost:PORT and http://127.0.0.1:PORT), other allowed origins, limits.
    public_url: str = ""
    allowed_origins: Tuple[str, ...] = ()
    messages_per_minute: int = 20
    messages_per_minute_per_address: int = 120
    votes_per_minute: int = 20  # "was this helpful?" votes, per address and per conversation (bot/insights/feedback.py)
    connections_per_address: int = 30
    rasa_retry_seconds: float = 60.0
    trust_forwarded_for: bool = False
    # Logs (bot/startlog.py): `python -m bot run` writes each process's output to LOG_DIR/<name>.log
    # and prints a short start summary; verbose (-v, BOT_VERBOSE) streams the output to the console instead.
    log_dir: Path = PROJECT_ROOT / "var" / "log"
    log_level: str = "info"
    verbose: bool = False
    # Several instances (README, "Several instances"): Redis shares limits and live pushes between web apps and
    # is Rasa's lock store ("" = in this process: one web app, one Rasa); the tracker store's SQLAlchemy URL
    # ("" = SQLite at TRACKER_DB); how long a Rasa server may hold a conversation's lock; the cluster command's layout.
    redis_url: str = ""
    redis_prefix: str = "bot"
    tracker_store_url: str = ""
    rasa_lock_lifetime_seconds: int = 20
    cluster_instances: int = 2
    cluster_first_port: int = 8100
    # Training and publishing (bot/studio/): where runs and published model files live, the gate's tolerance
    # (a language's macro-F1 or rejection may fall this much), Rasa's pull interval of the model endpoint.
    training_source: Path = PROJECT_ROOT  # its config.yml, domain.yml and data/ are what a run trains on
    training_dir: Path = PROJECT_ROOT / "var" / "training"
    published_models_dir: Path = PROJECT_ROOT / "var" / "models"
    model_eval_dir: Path = PROJECT_ROOT / "tests" / "nlu"
    model_gate_tolerance: float = 0.01
    model_gate_intent_tolerance: float = 0.1  # one topic's F1 may fall at most this much in any language
    model_pull_seconds: int = 10
    live_conversations: int = 64  # per Rasa server: conversations whose trackers and states stay worked out

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
            "ACTION_TOKEN": self.action_token,
            "NLG_TOKEN": self.nlg_token,
            "NLG_URL": f"http://{self.internal_host}:{self.internal_port}/nlg",
            "TRACKER_DB": str(self.tracker_db),
            "DATABASE_URL": self.database_url,
            "BOT_DEFAULT_LANGUAGE": self.default_language,
            "BOT_MAX_MESSAGE_CHARS": str(self.max_message_chars),
            "BOT_RESPONSES_DIR": str(self.responses_dir),
            "CATALOG_DIR": str(self.catalog_dir),
            "BOT_LOG_LEVEL": self.log_level,
            "REDIS_URL": self.redis_url,
            "BOT_REDIS_PREFIX": self.redis_prefix,
            "TRACKER_STORE_URL": self.tracker_url,
            # Rasa's own: endpoints.yml's lock store type, and its TicketLock lifetime.
            "RASA_LOCK_STORE": "bot.rasa.lock_store.RedisUrlLockStore" if self.redis_url else "in_memory",
            "TICKET_LOCK_LIFETIME": str(self.rasa_lock_lifetime_seconds),
            # endpoints.yml `models:`: Rasa pulls the published model from the web app (bot/studio/model_server.py).
            "RASA_MODEL_URL": f"http://{self.internal_host}:{self.internal_port}/model",
            "RASA_MODEL_PULL_SECONDS": str(self.model_pull_seconds),
            "RASA_LIVE_CONVERSATIONS": str(self.live_conversations),
            **rasa_telemetry_env(),
        }

    @property
    def tracker_url(self) -> str:
        """The SQLAlchemy URL of Rasa's SQL tracker store (TRACKER_STORE_URL, else SQLite at TRACKER_DB)."""
        return self.tracker_store_url or f"sqlite+aiosqlite:///{self.tracker_db}"

    @property
    def rasa_port(self) -> int:
        return int(self.rasa_url.rsplit(":", 1)[1].split("/")[0])

    @property
    def action_host(self) -> str:
        return self.action_server_url.split("://", 1)[-1].rsplit(":", 1)[0]

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
        rasa_token=env.get("RASA_TOKEN", ""),
        action_server_url=env.get("ACTION_SERVER_URL", "http://127.0.0.1:5055").rstrip("/"),
        action_token=env.get("ACTION_TOKEN", ""),
        nlg_token=env.get("NLG_TOKEN", ""),
        default_language=default_language,
        max_message_chars=_int(env, "BOT_MAX_MESSAGE_CHARS", 2000),
        rasa_timeout_seconds=float(env.get("RASA_TIMEOUT_SECONDS", "30")),
        privacy_notice_url=env.get(
            "BOT_PRIVACY_NOTICE_URL",
            "https://www.espoo.fi/en/city-and-decision-making/safety/data-protection",
        ),
        secret_key=env.get("BOT_SECRET_KEY", ""),
        conversation_token_hours=float(env.get("BOT_CONVERSATION_TOKEN_HOURS", "24")),
        database_url=env.get("DATABASE_URL", f"sqlite+aiosqlite:///{root / 'var' / 'bot.db'}"),
        tracker_db=Path(env.get("TRACKER_DB", str(root / "var" / "rasa_tracker.db"))),
        models_dir=Path(env.get("BOT_MODELS_DIR", str(root / "models"))),
        responses_dir=Path(env.get("BOT_RESPONSES_DIR", str(root / "data" / "responses"))),
        answers_poll_seconds=max(0.0, float(env.get("ANSWERS_POLL_SECONDS") or Settings.answers_poll_seconds)),
        catalog_dir=Path(env.get("CATALOG_DIR", str(root / "data" / "catalog"))),
        catalog_ptv_url=env.get("CATALOG_PTV_URL", Settings.catalog_ptv_url),
        catalog_ptv_channels_url=env.get("CATALOG_PTV_CHANNELS_URL", Settings.catalog_ptv_channels_url),
        catalog_events_url=env.get("CATALOG_EVENTS_URL", Settings.catalog_events_url),
        catalog_jobs_url=env.get("CATALOG_JOBS_URL", Settings.catalog_jobs_url),
        catalog_jobs_api_key=env.get("CATALOG_JOBS_API_KEY", ""),
        catalog_http_timeout_seconds=float(env.get("CATALOG_HTTP_TIMEOUT_SECONDS", "30")),
        catalog_http_retries=_int(env, "CATALOG_HTTP_RETRIES", 4),
        catalog_retry_backoff_seconds=float(env.get("CATALOG_RETRY_BACKOFF_SECONDS", "1")),
        catalog_test_postgres_url=env.get("CATALOG_TEST_POSTGRES_URL", Settings.catalog_test_postgres_url),
        advice_hours_channel_id=env.get("ADVICE_HOURS_CHANNEL_ID", "").strip() or Settings.advice_hours_channel_id,
        advice_hours_cache_seconds=float(
            env.get("ADVICE_HOURS_CACHE_SECONDS", "") or Settings.advice_hours_cache_seconds
        ),
        handoff_channel_id=env.get("HANDOFF_CHANNEL_ID", Settings.handoff_channel_id),
        handoff_online_seconds=_int(env, "HANDOFF_ONLINE_SECONDS", Settings.handoff_online_seconds),
        handoff_queue_timeout_seconds=_int(
            env, "HANDOFF_QUEUE_TIMEOUT_SECONDS", Settings.handoff_queue_timeout_seconds
        ),
        handoff_minutes_per_conversation=_int(
            env, "HANDOFF_MINUTES_PER_CONVERSATION", Settings.handoff_minutes_per_conversation
        ),
        handoff_poll_seconds=float(env.get("HANDOFF_POLL_SECONDS", str(Settings.handoff_poll_seconds))),
        console_cookie_secure=_choice(env, "CONSOLE_COOKIE_SECURE", ("auto", "true", "false"), "auto"),
        console_session_hours=_int(env, "CONSOLE_SESSION_HOURS", Settings.console_session_hours),
        console_idle_minutes=_int(env, "CONSOLE_IDLE_MINUTES", Settings.console_idle_minutes),
        console_login_free_failures=_int(env, "CONSOLE_LOGIN_FREE_FAILURES", Settings.console_login_free_failures),
        console_login_delay_seconds=_int(env, "CONSOLE_LOGIN_DELAY_SECONDS", Settings.console_login_delay_seconds),
        console_login_max_delay_minutes=_int(
            env, "CONSOLE_LOGIN_MAX_DELAY_MINUTES", Settings.console_login_max_delay_minutes
        ),
        console_logins_per_minute_per_address=max(1, _int(
            env, "CONSOLE_LOGINS_PER_MINUTE_PER_ADDRESS", Settings.console_logins_per_minute_per_address
        )),
        retention_days=max(1, _int(env, "BOT_RETENTION_DAYS", Settings.retention_days)),
        contact_retention_days=max(1, _int(env, "BOT_CONTACT_RETENTION_DAYS", Settings.contact_retention_days)),
        retention_interval_seconds=max(1, _int(
            env, "BOT_RETENTION_INTERVAL_SECONDS", Settings.retention_interval_seconds
        )),
        insights_interval_seconds=max(0, _int(env, "INSIGHTS_INTERVAL_SECONDS", Settings.insights_interval_seconds)),
        inbox_interval_seconds=max(0, _int(env, "STUDIO_INBOX_INTERVAL_SECONDS", Settings.inbox_interval_seconds)),
        inbox_confidence=float(env.get("STUDIO_INBOX_CONFIDENCE", str(Settings.inbox_confidence))),
        inbox_tags=tuple(t.strip().lower() for t in env.get("STUDIO_INBOX_TAGS", ",".join(Settings.inbox_tags))
                         .split(",") if t.strip()),
        public_url=env.get("BOT_PUBLIC_URL", "").strip().rstrip("/"),
        allowed_origins=_origins(env.get("BOT_ALLOWED_ORIGINS", "")),
        messages_per_minute=_int(env, "BOT_MESSAGES_PER_MINUTE", Settings.messages_per_minute),
        messages_per_minute_per_address=_int(
            env, "BOT_MESSAGES_PER_MINUTE_PER_ADDRESS", Settings.messages_per_minute_per_address
        ),
        votes_per_minute=_int(env, "BOT_VOTES_PER_MINUTE", Settings.votes_per_minute),
        connections_per_address=_int(env, "BOT_CONNECTIONS_PER_ADDRESS", Settings.connections_per_address),
        rasa_retry_seconds=float(env.get("BOT_RASA_RETRY_SECONDS", str(Settings.rasa_retry_seconds))),
        trust_forwarded_for=_flag(env, "BOT_TRUST_FORWARDED_FOR"),
        log_dir=Path(env.get("BOT_LOG_DIR", str(root / "var" / "log"))),
        log_level=_choice(env, "BOT_LOG_LEVEL", LOG_LEVELS, "info"),
        verbose=_flag(env, "BOT_VERBOSE"),
        redis_url=env.get("REDIS_URL", "").strip(),
        redis_prefix=env.get("BOT_REDIS_PREFIX", "").strip() or Settings.redis_prefix,
        tracker_store_url=env.get("TRACKER_STORE_URL", "").strip(),
        rasa_lock_lifetime_seconds=max(1, _int(env, "RASA_LOCK_LIFETIME_SECONDS", Settings.rasa_lock_lifetime_seconds)),
        cluster_instances=max(1, _int(env, "BOT_CLUSTER_INSTANCES", Settings.cluster_instances)),
        cluster_first_port=_int(env, "BOT_CLUSTER_FIRST_PORT", Settings.cluster_first_port),
        training_source=Path(env.get("BOT_TRAINING_SOURCE", str(root))),
        training_dir=Path(env.get("BOT_TRAINING_DIR", str(root / "var" / "training"))),
        published_models_dir=Path(env.get("BOT_PUBLISHED_MODELS_DIR", str(root / "var" / "models"))),
        model_eval_dir=Path(env.get("BOT_MODEL_EVAL_DIR", str(root / "tests" / "nlu"))),
        model_gate_tolerance=float(env.get("MODEL_GATE_TOLERANCE", "") or Settings.model_gate_tolerance),
        model_gate_intent_tolerance=float(env.get("MODEL_GATE_INTENT_TOLERANCE", "")
                                          or Settings.model_gate_intent_tolerance),
        model_pull_seconds=max(1, _int(env, "RASA_MODEL_PULL_SECONDS", Settings.model_pull_seconds)),
        live_conversations=max(1, _int(env, "RASA_LIVE_CONVERSATIONS", Settings.live_conversations)),
    )
