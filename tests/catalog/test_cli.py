"""`python -m bot catalog ...` on the command line."""
import subprocess
import sys

from bot.config import PROJECT_ROOT


def run(tmp_path, *args, options=()):
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}", "PATH": "/usr/bin:/bin",
           "CATALOG_DIR": str(PROJECT_ROOT / "data" / "catalog")}
    return subprocess.run([sys.executable, "-m", "bot", *options, "catalog", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_load_samples_stats_import_and_search(tmp_path):
    loaded = run(tmp_path, "load-samples")
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.count("\n") == 1 and loaded.stderr == ""  # one line, no library notes
    assert "Sample catalogue in sqlite+aiosqlite:///" in loaded.stdout
    assert "46 channels, 45 services, 39 events, 34 offers" in loaded.stdout
    assert "unchanged since the last load (channels, services, events, offers)" in run(tmp_path, "load-samples").stdout
    detail = run(tmp_path, "load-samples", "--force", options=["-v"])
    assert "linked_events.json: linkedevents: 39/39 read" in detail.stdout
    stats = run(tmp_path, "stats")
    assert "events: 39 (sample 39)" in stats.stdout and "offers: 34 (sample 34)" in stats.stdout
    fixture = PROJECT_ROOT / "tests" / "fixtures" / "catalog" / "ptv_channels.json"
    imported = run(tmp_path, "import", "ptv", "--file", str(fixture))
    assert imported.returncode == 0 and "3 new" in imported.stdout and "skipped c0000000" in imported.stdout
    assert "read" in imported.stderr  # progress
    found = run(tmp_path, "search", "events", "verkostoituminen", "--lang", "fi")
    assert found.returncode == 0 and "EventHit" in found.stdout
