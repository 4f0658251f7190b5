"""`python -m bot.studio.train_worker`: one training run, in a process of its own (started `nice`d by
bot/studio/training_runs.py; its output is the run's log).

1. `rasa train` on the run's directory (config.yml, domain.yml, data/) into candidate.tar.gz;
2. the candidate's figures and the running model's on the held-out sets (bot/studio/evaluate.py);
3. report.json with both. Lines starting with `[studio]` tell the web app the stage and the progress.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import List, Optional

import yaml

from bot.config import rasa_telemetry_env
from bot.ports import child_exit_guard

CANDIDATE = "candidate"


def say(kind: str, value: object) -> None:
    """A line for the web app's progress parser (bot/studio/progress.py)."""
    print(f"[studio] {kind} {value}", flush=True)


def component_count(config: Path) -> int:
    """How many components `rasa train` may report training: the pipeline's and the policies'."""
    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    return max(1, len(data.get("pipeline") or []) + len(data.get("policies") or []))


def train(run_dir: Path, root: Path) -> None:
    """`rasa train` of the run's files (in the project root, where the custom components import from)."""
    command: List[str] = [
        sys.executable, "-m", "rasa", "train", "--config", str(run_dir / "config.yml"),
        "--domain", str(run_dir / "domain.yml"), "--data", str(run_dir / "data"),
        "--out", str(run_dir), "--fixed-model-name", CANDIDATE, "--force",
    ]
    subprocess.run(command, cwd=root, check=True, env={**os.environ, **rasa_telemetry_env()}, **child_exit_guard())


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.studio.train_worker")
    parser.add_argument("--run-dir", type=Path, required=True)
    parser.add_argument("--root", type=Path, required=True, help="the project root")
    parser.add_argument("--running", type=Path, help="the model the Rasa servers run now")
    parser.add_argument("--eval-dir", type=Path, required=True)
    args = parser.parse_args(argv)
    started = time.monotonic()
    say("components", component_count(args.run_dir / "config.yml"))
    say("stage", "training")
    try:
        train(args.run_dir, args.root)
    except subprocess.CalledProcessError as exc:
        say("error", f"rasa train exited with {exc.returncode}")
        return 1
    trained = time.monotonic() - started
    say("stage", "evaluating")
    sys.path.insert(0, str(args.root))  # bench/nlu_sets.py: the scoring of `make bench-nlu`
    from rasa.utils.log_utils import configure_structlog

    from bot.studio.evaluate import evaluate_model

    configure_structlog(logging.WARNING)  # not a log line per parsed test message

    candidate = asyncio.run(evaluate_model(args.run_dir / f"{CANDIDATE}.tar.gz", args.eval_dir))
    say("progress", 90)
    running = {}
    if args.running is not None and args.running.is_file():
        running = asyncio.run(evaluate_model(args.running, args.eval_dir))
    report = {"candidate": candidate, "running": running, "running_model": args.running.name if args.running else "",
              "train_seconds": round(trained, 1), "seconds": round(time.monotonic() - started, 1)}
    (args.run_dir / "report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    say("stage", "done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
