"""`python -m bot insights generate` and `aggregate` on a database of their own."""
from __future__ import annotations

from bot.__main__ import main


def test_generate_then_aggregate(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'app.db'}")
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    monkeypatch.setenv("BOT_SECRET_KEY", "cli-test")
    assert main(["insights", "generate", "--conversations", "60", "--days", "5"]) == 0
    assert main(["insights", "aggregate"]) == 0
    assert main(["insights", "aggregate"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("conversations written") and out[1].split()[0] != "0" and out[2].startswith("0 events")
