"""A stand-in for bot/studio/train_worker.py in the job's tests: the same arguments and `[studio]` lines,
a candidate file and a report from FAKE_REPORT (JSON), or exit code FAKE_EXIT; FAKE_SECONDS of "training"."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--run-dir", type=Path)
    parser.add_argument("--root", type=Path)
    parser.add_argument("--running", type=Path)
    parser.add_argument("--eval-dir", type=Path)
    args = parser.parse_args()
    print("[studio] components 2\n[studio] stage training", flush=True)
    print("INFO rasa.engine.training.hooks  - Finished training component 'TfidfIntentClassifier'.", flush=True)
    time.sleep(float(os.environ.get("FAKE_SECONDS", "1")))
    if os.environ.get("FAKE_EXIT"):
        print("[studio] error rasa train exited with 1", flush=True)
        return int(os.environ["FAKE_EXIT"])
    print(f"running model: {args.running.name if args.running else ''}", flush=True)
    (args.run_dir / "candidate.tar.gz").write_bytes(b"candidate of " + args.run_dir.name.encode())
    (args.run_dir / "report.json").write_text(os.environ["FAKE_REPORT"], encoding="utf-8")
    print("[studio] stage done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
