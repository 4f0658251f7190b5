import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest

from bot.rasa import models


def write_archive(path: Path, rasa_version: str) -> Path:
    data = json.dumps({"rasa_open_source_version": rasa_version}).encode()
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("metadata.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture
def project(tmp_path: Path, root: Path) -> Path:
    for name in ("config.yml", "domain.yml"):
        shutil.copy(root / name, tmp_path / name)
    for folder in ("data/nlu", "data/rules", "data/stories", "data/responses"):
        shutil.copytree(root / folder, tmp_path / folder)
    return tmp_path


def test_fingerprint_follows_training_data(project: Path):
    before = models.training_fingerprint(project)
    with (project / "data" / "nlu" / "extra.yml").open("w") as handle:
        handle.write('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - moikkelis\n')
    assert models.training_fingerprint(project) != before


def test_fingerprint_ignores_answers(project: Path):
    before = models.training_fingerprint(project)
    english = project / "data" / "responses" / "en.yml"
    english.write_text(english.read_text() + "\n# edited\n")
    domain = project / "domain.yml"
    domain.write_text(domain.read_text().replace("responses:", "responses:\n  utter_new:\n  - text: new", 1))
    assert models.training_fingerprint(project) == before


def test_fingerprint_follows_the_rasa_version(project: Path):
    assert models.training_fingerprint(project, "3.6.21") != models.training_fingerprint(project, "3.6.20")


def test_model_of_an_older_rasa_is_refused(tmp_path: Path):
    archive = write_archive(tmp_path / "old.tar.gz", "3.6.0")
    with pytest.raises(models.IncompatibleModel, match="3.6.0"):
        models.check_model(archive, "3.6.21")


def test_model_of_this_rasa_is_accepted(tmp_path: Path):
    archive = write_archive(tmp_path / "new.tar.gz", models.installed_rasa_version())
    models.check_model(archive)


def test_broken_archive_is_refused(tmp_path: Path):
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(b"not a tar")
    with pytest.raises(models.IncompatibleModel):
        models.check_model(broken)


def test_ensure_model_reuses_a_matching_model(project: Path, monkeypatch):
    models_dir = project / "models"
    models_dir.mkdir()
    expected = models.model_path_for(project, models_dir)
    write_archive(expected, models.installed_rasa_version())
    monkeypatch.setattr(models, "train", lambda *a, **k: pytest.fail("must not train"))
    assert models.ensure_model(project, models_dir) == expected


def test_ensure_model_retrains_a_stale_model(project: Path, monkeypatch):
    models_dir = project / "models"
    models_dir.mkdir()
    expected = models.model_path_for(project, models_dir)
    write_archive(expected, "3.5.0")
    trained = []

    def fake_train(root, output, extra_args=()):
        trained.append(output)
        write_archive(output, models.installed_rasa_version())

    monkeypatch.setattr(models, "train", fake_train)
    assert models.ensure_model(project, models_dir) == expected
    assert trained == [expected]
    models.check_model(expected)
