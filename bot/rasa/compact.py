"""Trained TF-IDF + linear pipelines as the Rasa server keeps them: compact and sharing their features.

scikit-learn keeps a linear model's weights as float64 (classes x features) and each pipeline its own
vectorizers. The intent classifier and the specific-question selector are trained on the same texts
with the same feature settings, so their vectorizers are equal; loaded as they are, the two cost
about 480 MB of the server's memory. `compact` keeps the weights as float32 (scores differ by about
1e-7, the ranking not at all: tests/test_compact.py) and `shared_features` lets equal feature
extractors be one object, which also turns the selector's feature extraction of a message the
classifier has just read into a look-up.

The model stores them in that form too (`save_compact`, one .npz of plain arrays, read without
pickle): loading scikit-learn's own objects from skops files left about 100 MB of the server's memory
in fragments.
"""
from __future__ import annotations

import hashlib
import json
import weakref
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC
from sklearn.utils.extmath import softmax

_LOADED: "weakref.WeakValueDictionary[str, SharedFeatures]" = weakref.WeakValueDictionary()


class SharedFeatures:
    """A fitted FeatureUnion whose last transform is remembered (the next component asks for the same texts)."""

    def __init__(self, union: FeatureUnion) -> None:
        self.union = union
        self._last: Tuple[Tuple[str, ...], Any] = ((), None)

    def transform(self, texts: Sequence[str]) -> Any:
        """The float32 CSR feature matrix of `texts`."""
        key = tuple(texts)
        if self._last[1] is None or self._last[0] != key:
            self._last = (key, self.union.transform(list(key)).astype(np.float32).tocsr())
        return self._last[1]


def features_digest(union: FeatureUnion) -> str:
    """What makes two fitted feature extractors equal: their settings, vocabularies and IDF weights."""
    digest = hashlib.sha256()
    for name, vectorizer in union.transformer_list:
        digest.update(f"{name}|{sorted(vectorizer.get_params().items())!r}".encode())
        terms = sorted(vectorizer.vocabulary_.items(), key=lambda item: item[1])
        digest.update("\x00".join(term for term, _ in terms).encode())
        digest.update(np.asarray(vectorizer.idf_, dtype=np.float64).tobytes())
    return digest.hexdigest()


def shared_features(union: FeatureUnion) -> SharedFeatures:
    """The one loaded SharedFeatures equal to `union` (made from it when there is none yet)."""
    key = features_digest(union)
    found = _LOADED.get(key)
    if found is None:
        found = SharedFeatures(union)
        _LOADED[key] = found
    return found


class CompactLinear:
    """A TF-IDF + LogisticRegression/LinearSVC pipeline's predictions from float32 weights."""

    def __init__(self, features: SharedFeatures, classes: np.ndarray, weights: np.ndarray, intercept: np.ndarray,
                 probabilities: bool) -> None:
        self.features = features
        self.classes_ = classes
        self._weights = np.ascontiguousarray(weights, dtype=np.float32)  # features x classes
        self._intercept = np.asarray(intercept, dtype=np.float32)
        self._probabilities = probabilities

    @classmethod
    def of(cls, features: SharedFeatures, model: Union[LogisticRegression, LinearSVC]) -> "CompactLinear":
        """The compact form of a fitted scikit-learn model."""
        return cls(features, model.classes_, np.asarray(model.coef_, dtype=np.float32).T, model.intercept_,
                   isinstance(model, LogisticRegression))

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """One row of scores per text, as the scikit-learn model's decision_function (float32)."""
        scores = np.asarray(self.features.transform(texts) @ self._weights) + self._intercept
        return scores.ravel() if scores.shape[1] == 1 else scores

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """The multinomial logistic regression's probabilities (softmax of the scores)."""
        if not self._probabilities:
            raise AttributeError("a LinearSVC gives scores, not probabilities")
        return softmax(self.decision_function(texts).astype(np.float64))


def compact(pipeline: Any) -> Any:
    """`pipeline` as a CompactLinear when it is features then a multi-class linear model; else unchanged."""
    if not isinstance(pipeline, Pipeline) or len(pipeline.steps) != 2:
        return pipeline
    union, model = pipeline.steps[0][1], pipeline.steps[1][1]
    if not isinstance(union, FeatureUnion) or len(getattr(model, "classes_", ())) < 3:
        return pipeline
    multinomial = isinstance(model, LogisticRegression) and model.multi_class in ("auto", "multinomial") \
        and model.solver != "liblinear"
    if not (multinomial or isinstance(model, LinearSVC)):
        return pipeline
    return CompactLinear.of(shared_features(union), model)


def save_compact(pipeline: Any, path: Path) -> bool:
    """Write `pipeline` in the compact form to `path` (.npz); False when it has not that form."""
    made = compact(pipeline)
    if not isinstance(made, CompactLinear):
        return False
    arrays: Dict[str, np.ndarray] = {
        "classes": np.asarray([str(c) for c in made.classes_]), "weights": made._weights,
        "intercept": made._intercept, "probabilities": np.asarray(made._probabilities),
    }
    settings = []
    for index, (name, vectorizer) in enumerate(made.features.union.transformer_list):
        params = {k: v for k, v in vectorizer.get_params().items() if k not in ("dtype", "vocabulary")}
        settings.append({"name": name, "params": params})
        terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
        arrays[f"terms_{index}"], arrays[f"idf_{index}"] = np.asarray(terms), np.asarray(vectorizer.idf_)
    arrays["features"] = np.asarray(json.dumps(settings))
    with open(path, "wb") as stream:
        np.savez_compressed(stream, **arrays)
    return True


def load_compact(path: Path) -> Optional[CompactLinear]:
    """The pipeline `save_compact` wrote to `path` (its features shared with equal ones already loaded)."""
    with np.load(path, allow_pickle=False) as stored:
        vectorizers = []
        for index, entry in enumerate(json.loads(str(stored["features"]))):
            params = {**entry["params"], "ngram_range": tuple(entry["params"]["ngram_range"])}
            vectorizer = TfidfVectorizer(**params)
            terms = stored[f"terms_{index}"]
            vectorizer.vocabulary_ = {str(term): position for position, term in enumerate(terms)}
            vectorizer.idf_ = stored[f"idf_{index}"]
            vectorizers.append((entry["name"], vectorizer))
        return CompactLinear(shared_features(FeatureUnion(vectorizers)), stored["classes"].astype(object),
                             stored["weights"], stored["intercept"], bool(stored["probabilities"]))


def loaded_feature_sets() -> List[SharedFeatures]:
    """The feature extractors loaded in this process (for tests and the memory benchmark)."""
    return list(_LOADED.values())
