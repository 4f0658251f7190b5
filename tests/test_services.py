"""Settings of several instances, start checks' words, the tracker store's URL (no server needed)."""
from bot.cluster.haproxy import config_text
from bot.cluster.layout import make_layout
from bot.cluster.start import cluster_settings, layout_problems
from bot.config import load_settings
from bot.rasa.tracker_store import url_arguments
from bot.services import sync_database_url, unreachable


def test_embedded_defaults_keep_everything_in_the_process():
    settings = load_settings({"TRACKER_DB": "/x/t.db"})
    env = settings.child_env()
    assert settings.redis_url == "" and env["RASA_LOCK_STORE"] == "in_memory"
    assert env["TRACKER_STORE_URL"] == "sqlite+aiosqlite:////x/t.db"
    assert env["TICKET_LOCK_LIFETIME"] == "20" and settings.rasa_lock_lifetime_seconds < settings.rasa_timeout_seconds


def test_redis_makes_rasa_use_the_redis_lock_store():
    settings = load_settings({"REDIS_URL": "redis://r:6379/0", "TRACKER_STORE_URL": "postgresql+asyncpg://u@db/bot"})
    env = settings.child_env()
    assert env["RASA_LOCK_STORE"] == "bot.rasa.lock_store.RedisUrlLockStore" and env["REDIS_URL"] == "redis://r:6379/0"
    assert env["TRACKER_STORE_URL"] == "postgresql+asyncpg://u@db/bot"


def test_the_refusal_names_the_setting_and_masks_the_password():
    error = unreachable("Redis", "REDIS_URL", "redis://:pw@10.0.0.5:6379/0", ConnectionRefusedError("refused"))
    assert str(error).startswith("cannot start: Redis at redis://:***@10.0.0.5:6379/0 (REDIS_URL)")
    assert "pw@" not in str(error)


def test_the_tracker_store_reads_one_url():
    assert url_arguments("postgresql+asyncpg://bot:pw@db:5433/bot?sslmode=require") == {
        "dialect": "postgresql", "host": "db", "port": 5433, "db": "bot", "username": "bot", "password": "pw",
        "query": {"sslmode": "require"},
    }
    assert sync_database_url("sqlite+aiosqlite:////v/t.db") == "sqlite:////v/t.db"


def test_the_cluster_needs_postgresql_and_redis():
    assert layout_problems(cluster_settings({})) == []
    problems = layout_problems(load_settings({}))
    assert any("DATABASE_URL" in p for p in problems) and any("REDIS_URL" in p for p in problems)


def test_the_balancer_is_the_only_public_listener():
    layout = make_layout(cluster_settings({"BOT_CLUSTER_FIRST_PORT": "9000"}))
    text = config_text(layout, 30)
    binds = [line.split()[1] for line in text.splitlines() if line.strip().startswith("bind")]
    assert binds == ["0.0.0.0:8080", "127.0.0.1:5005", "127.0.0.1:5055", "127.0.0.1:5056"]
    servers = [line.split()[2] for line in text.splitlines() if line.strip().startswith("server ")]
    assert all(s.startswith("127.0.0.1:") for s in servers) and len(servers) == 8
    assert "timeout tunnel" in text and "balance source" not in text and "cookie" not in text  # no stickiness
