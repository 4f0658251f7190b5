"""The deployment files under deploy/ parse, and name only settings that bot/config.py knows."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any, Dict, Iterable, Set

import yaml

from bot.cluster.haproxy import haproxy_binary

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
# What every part of a real cluster must be given (their defaults are for one machine).
SHARED = {"DATABASE_URL", "TRACKER_STORE_URL", "REDIS_URL", "RASA_TOKEN", "NLG_TOKEN", "ACTION_TOKEN"}


def config_names() -> Set[str]:
    """Every environment variable bot/config.py reads or hands to the child processes."""
    return set(re.findall(r'"([A-Z][A-Z0-9_]+)"', (ROOT / "bot" / "config.py").read_text(encoding="utf-8")))


def _env_list(items: Iterable[Dict[str, Any]]) -> Set[str]:
    return {item["name"] for item in items}


def compose_names() -> Dict[str, Set[str]]:
    compose = yaml.safe_load((DEPLOY / "compose.yml").read_text(encoding="utf-8"))
    return {name: set(service.get("environment", {})) for name, service in compose["services"].items()
            if service.get("image") == "business-espoo-bot"}


def helm_names() -> Dict[str, Set[str]]:
    values = yaml.safe_load((DEPLOY / "helm" / "rasa-values.yml").read_text(encoding="utf-8"))
    return {"rasa": _env_list(values["extraEnv"]), "actions": _env_list(values["rasa-action-server"]["extraEnv"])}


def kubernetes_names() -> Dict[str, Set[str]]:
    documents = list(yaml.safe_load_all((DEPLOY / "kubernetes" / "web.yml").read_text(encoding="utf-8")))
    deployment = next(d for d in documents if d["kind"] == "Deployment")
    return {"web": _env_list(deployment["spec"]["template"]["spec"]["containers"][0]["env"])}


def test_every_file_names_only_settings_of_bot_config():
    known = config_names()
    for source in (compose_names(), helm_names(), kubernetes_names()):
        for part, names in source.items():
            assert names, part
            assert names <= known, f"{part}: {sorted(names - known)} are not settings of bot/config.py"


def test_each_part_gets_the_shared_services():
    compose = compose_names()
    assert set(compose) == {"web", "rasa", "actions"}
    for part in ("web", "rasa"):
        assert SHARED <= compose[part], part
    rasa, actions = helm_names()["rasa"], helm_names()["actions"]
    assert {"TRACKER_STORE_URL", "REDIS_URL", "RASA_TOKEN", "NLG_TOKEN", "ACTION_TOKEN"} <= rasa
    assert {"DATABASE_URL", "ACTION_TOKEN", "ACTION_SERVER_URL"} <= actions
    assert SHARED - {"ACTION_TOKEN"} | {"BOT_SECRET_KEY"} <= kubernetes_names()["web"]


def test_several_rasa_servers_share_a_redis_lock_store():
    compose = yaml.safe_load((DEPLOY / "compose.yml").read_text(encoding="utf-8"))["services"]
    values = yaml.safe_load((DEPLOY / "helm" / "rasa-values.yml").read_text(encoding="utf-8"))
    assert compose["rasa"]["deploy"]["replicas"] >= 2 and values["replicaCount"] >= 2
    assert compose["rasa"]["environment"]["RASA_LOCK_STORE"] == "bot.rasa.lock_store.RedisUrlLockStore"
    assert {"name": "RASA_LOCK_STORE", "value": "bot.rasa.lock_store.RedisUrlLockStore"} in values["extraEnv"]


def test_the_compose_balancer_configuration_is_valid():
    checked = subprocess.run([haproxy_binary(), "-c", "-q", "-f", str(DEPLOY / "haproxy.cfg")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
