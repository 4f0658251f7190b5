"""Trained models: which one matches the current data, training it when none does."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Iterable, List, Optional

import yaml

from bot.config import rasa_telemetry_env

# What the model is trained from. Responses are served by the NLG endpoint, so
# editing an answer (data/responses/, the domain's responses) never retrains.
TRAINING_INPUTS = ("config.yml", "domain.yml", "data/nlu", "data/rules", "data/stories")


class IncompatibleModel(RuntimeError):
    """A model archive that this Rasa must not load."""


def installed_rasa_version() -> str:
    return package_version("rasa")


def _training_files(root: Path) -> List[Path]:
    files: List[Path] = []
    for name in TRAINING_INPUTS:
        path = root / name
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in (".yml", ".yaml")))
        elif path.is_file():
            files.append(path)
    return files


def _canonical_bytes(root: Path, path: Path) -> bytes:
    if path.resolve() == (root / "domain.yml").resolve():
        domain = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        domain.pop("responses", None)
        return json.dumps(domain, sort_keys=True).encode()
    return path.read_bytes()


def training_fingerprint(root: Path, rasa_version: Optional[str] = None) -> str:
    """A hash of the training inputs and the Rasa version."""
    digest = hashlib.sha256()
    digest.update(f"rasa={rasa_version or installed_rasa_version()}\n".encode())
    for path in _training_files(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(_canonical_bytes(root, path) + b"\0")
    return digest.hexdigest()[:20]


def model_path_for(root: Path, models_dir: Path, rasa_version: Optional[str] = None) -> Path:
    """Where the model of the current training inputs lives."""
    return models_dir / f"bot-{training_fingerprint(root, rasa_version)}.tar.gz"


def model_rasa_version(archive: Path) -> str:
    """The Rasa version that trained `archive` (from its metadata.json)."""
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar.getmembers():
                if Path(member.name).name == "metadata.json" and member.isfile():
                    handle = tar.extractfile(member)
                    if handle is None:
                        break
                    metadata = json.load(handle)
                    return str(metadata["rasa_open_source_version"])
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise IncompatibleModel(f"{archive} is not a readable Rasa model: {exc}") from exc
    raise IncompatibleModel(f"{archive} has no metadata.json")


def check_model(archive: Path, rasa_version: Optional[str] = None) -> None:
    """Refuse a model trained by any other Rasa version than the installed one."""
    wanted = rasa_version or installed_rasa_version()
    trained_by = model_rasa_version(archive)
    if trained_by != wanted:
        raise IncompatibleModel(
            f"{archive.name} was trained by Rasa {trained_by}, this is Rasa {wanted}: retrain it"
        )


def train(root: Path, output: Path, extra_args: Iterable[str] = ()) -> None:
    """Train a model of the current data into `output` with the installed Rasa."""
    output.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "rasa", "train",
        "--config", "config.yml", "--domain", "domain.yml", "--data", "data/nlu", "data/rules", "data/stories",
        "--out", str(output.parent), "--fixed-model-name", output.name[: -len(".tar.gz")],
        *extra_args,
    ]
    subprocess.run(command, cwd=root, check=True, env={**os.environ, **rasa_telemetry_env()})


def ensure_model(root: Path, models_dir: Path) -> Path:
    """The model of the current data, trained first if there is none (or only a stale one)."""
    path = model_path_for(root, models_dir)
    if path.exists():
        try:
            check_model(path)
            return path
        except IncompatibleModel as exc:
            print(f"not using {path.name}: {exc}", file=sys.stderr)
            path.unlink()
    train(root, path, ["--force"])
    check_model(path)
    return path
