from pathlib import Path

import pytest

from bot.config import load_settings


def test_defaults_need_no_environment():
    settings = load_settings({})
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert settings.rasa_port == 5005 and settings.action_port == 5055
    assert settings.default_language == "fi"
    assert settings.models_dir == settings.project_root / "models"


def test_environment_overrides(tmp_path: Path):
    settings = load_settings(
        {"BOT_PORT": "9000", "RASA_URL": "http://127.0.0.1:6005/", "BOT_DEFAULT_LANGUAGE": "sv",
         "BOT_PROJECT_ROOT": str(tmp_path)}
    )
    assert settings.port == 9000
    assert settings.rasa_url == "http://127.0.0.1:6005" and settings.rasa_port == 6005
    assert settings.default_language == "sv"
    assert settings.models_dir == tmp_path / "models"


@pytest.mark.parametrize("env", [{"BOT_PORT": "eighty"}, {"BOT_DEFAULT_LANGUAGE": "de"}])
def test_bad_settings_are_reported(env):
    with pytest.raises(ValueError):
        load_settings(env)
