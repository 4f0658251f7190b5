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


def test_tokens_are_random_kept_private_and_never_fixed(tmp_path: Path):
    from bot.tokens import with_tokens

    settings = with_tokens(load_settings({"BOT_PROJECT_ROOT": str(tmp_path)}))
    tokens = {settings.rasa_token, settings.nlg_token, settings.action_token}
    assert len(tokens) == 3 and all(len(t) == 64 for t in tokens)
    for name in ("rasa.token", "nlg.token", "action.token"):
        assert (tmp_path / "var" / name).stat().st_mode & 0o777 == 0o600
    again = with_tokens(load_settings({"BOT_PROJECT_ROOT": str(tmp_path)}))
    assert (again.rasa_token, again.nlg_token, again.action_token) == (
        settings.rasa_token, settings.nlg_token, settings.action_token)
    configured = with_tokens(load_settings({"BOT_PROJECT_ROOT": str(tmp_path), "ACTION_TOKEN": "set"}))
    assert configured.action_token == "set"


def test_no_token_on_a_command_line(tmp_path: Path):
    from bot.supervisor import default_processes
    from bot.tokens import with_tokens

    settings = with_tokens(load_settings({"BOT_PROJECT_ROOT": str(tmp_path)}))
    specs = default_processes(settings, tmp_path / "model.tar.gz")
    for spec in specs:
        argv = " ".join(spec.argv)
        assert settings.rasa_token not in argv and settings.action_token not in argv
        assert spec.env["ACTION_TOKEN"] == settings.action_token
