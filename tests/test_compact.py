"""The Rasa server's compact pipelines: same rankings as scikit-learn's, float32 weights, equal features shared."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from bot.rasa.compact import CompactLinear, compact, loaded_feature_sets
from bot.rasa.nlu import build_features, build_pipeline

CONFIG = {"C": 50.0, "word_ngrams": [1, 2], "char_ngrams": [2, 5], "max_iter": 3000}
TRAIN = [
    ("miten perustan toiminimen", "start_business"), ("yrityksen perustaminen espoossa", "start_business"),
    ("how do I register a company", "start_business"), ("hur grundar jag ett företag", "start_business"),
    ("paljonko yel maksaa", "yel"), ("what does YEL insurance cost", "yel"), ("vad kostar FöPL", "yel"),
    ("yel-vakuutuksen hinta aloittavalle", "yel"), ("onko starttirahaa vielä saatavilla", "funding"),
    ("can I get a startup grant", "funding"), ("kan jag få startpeng", "funding"), ("mistä rahoitusta", "funding"),
]
ASKED = ["paljonko maksaa yel", "startup grant for an existing company", "hur registrerar jag firman", "hei", ""]


def _fit(model=None):
    texts, labels = zip(*TRAIN)
    pipeline = build_pipeline(CONFIG) if model is None else make_pipeline(build_features(CONFIG), model)
    return pipeline.fit(list(texts), list(labels))


def test_the_compact_classifier_ranks_and_scores_as_scikit_learn():
    pipeline = _fit()
    made = compact(pipeline)
    assert isinstance(made, CompactLinear)
    assert made._weights.dtype == np.float32 and made._weights.nbytes * 2 == pipeline.steps[-1][1].coef_.nbytes
    assert list(made.classes_) == list(pipeline.classes_)
    np.testing.assert_allclose(made.predict_proba(ASKED), pipeline.predict_proba(ASKED), atol=1e-5)
    np.testing.assert_allclose(made.decision_function(ASKED), pipeline.decision_function(ASKED), atol=1e-4)
    assert (made.predict_proba(ASKED).argmax(1) == pipeline.predict_proba(ASKED).argmax(1)).all()


def test_the_compact_selector_scores_as_scikit_learn_and_gives_no_probabilities():
    pipeline = _fit(LinearSVC(C=1.0, class_weight="balanced", random_state=42))
    made = compact(pipeline)
    np.testing.assert_allclose(made.decision_function(ASKED), pipeline.decision_function(ASKED), atol=1e-4)
    with pytest.raises(AttributeError):
        made.predict_proba(ASKED)


def test_equal_features_are_loaded_once_and_different_ones_are_not():
    first, second = compact(_fit()), compact(_fit(LinearSVC(random_state=42)))
    assert first.features is second.features  # same texts, same settings: one vectorizer in memory
    texts, labels = zip(*TRAIN[:-1])
    other = compact(build_pipeline(CONFIG).fit(list(texts), list(labels)))
    assert other.features is not first.features
    assert sum(1 for f in loaded_feature_sets() if f in (first.features, other.features)) == 2
    # The second component reads the same texts from the first one's last transform.
    matrix = first.features.transform(ASKED)
    assert second.features.transform(ASKED) is matrix
    assert first.features.transform(ASKED[:2]) is not matrix


def test_pipelines_of_another_shape_stay_as_they_are():
    texts, labels = zip(*[(t, "a" if i % 2 else "b") for i, (t, _) in enumerate(TRAIN)])
    binary = build_pipeline(CONFIG).fit(list(texts), list(labels))
    assert compact(binary) is binary
    assert compact(None) is None


def test_the_stored_compact_form_gives_the_same_scores_without_pickle(tmp_path):
    from bot.rasa.compact import load_compact, save_compact

    pipeline = _fit()
    assert save_compact(pipeline, tmp_path / "classifier.npz")
    with np.load(tmp_path / "classifier.npz", allow_pickle=False) as stored:  # plain arrays only
        assert stored["weights"].dtype == np.float32
    loaded = load_compact(tmp_path / "classifier.npz")
    np.testing.assert_allclose(loaded.predict_proba(ASKED), pipeline.predict_proba(ASKED), atol=1e-5)
    assert list(loaded.classes_) == list(pipeline.classes_)
    assert loaded.features is compact(pipeline).features  # equal to the features already loaded
    selector = _fit(LinearSVC(random_state=42))
    assert save_compact(selector, tmp_path / "selector.npz")
    np.testing.assert_allclose(load_compact(tmp_path / "selector.npz").decision_function(ASKED),
                               selector.decision_function(ASKED), atol=1e-4)
    texts, labels = zip(*[(t, "a" if i % 2 else "b") for i, (t, _) in enumerate(TRAIN)])
    assert not save_compact(build_pipeline(CONFIG).fit(list(texts), list(labels)), tmp_path / "binary.npz")
