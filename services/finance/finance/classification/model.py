"""The text classifier: TF-IDF over word uni/bigrams (of six-letter stems) of the purpose, the
counterparty's name and a few tokens (direction, the КБК's administrator, the personal
account) → logistic regression, one model for the КОСГУ and one for the КВФО over the same
features. Probabilities of КОСГУ codes of the wrong section (an income code for a payment out)
are zeroed.

``train`` holds out a stratified part for the metrics (macro-F1 of the КОСГУ, of the КВФО and
of the pair, per-class precision/recall), then fits the final model on every sample."""

from __future__ import annotations

import io
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.model_selection import train_test_split

from finance.budget.codes import INCOME_CODES
from finance.classification.rules import PaymentText

_DIGITS = re.compile(r"\d")
_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b")
MIN_SAMPLES = 30
HELD_OUT_SHARE = 0.2


def model_text(p: PaymentText) -> str:
    """The text the model reads: numbers reduced to their shape, dates dropped."""
    purpose = _DATE.sub(" ", p.purpose.lower())
    purpose = _DIGITS.sub("0", purpose)
    tokens = [f"dir_{p.direction}"]
    account = p.personal_account
    if account:
        tokens += [f"ls_{account[:2]}", f"ls_{account.lower()}"]
    if p.kbk and len(p.kbk) == 20:
        tokens.append(f"kbk_{p.kbk[:3]}")
    return f"{purpose} || {p.counterparty_name.lower()} || {' '.join(tokens)}"


_WORD = re.compile(r"(?u)\b\w[\w/]*\b")
_KEPT = ("ls_", "kbk", "dir")  # the tokens model_text adds: kept whole


def stems(text: str) -> str:
    """Words cut to their first six letters — a stemmer for Russian inflection («препаратов»,
    «препараты» → «препар») that costs a slice; the added tokens stay whole."""
    return " ".join(w if w[:3] in _KEPT else w[:6] for w in _WORD.findall(text))


def _features() -> TfidfVectorizer:
    """Word uni- and bigrams over the stems. Character n-grams scored the same on the demo
    distribution but transformed ~5× slower (sklearn's analyzer is Python per document)."""
    return TfidfVectorizer(
        analyzer="word",
        preprocessor=stems,
        ngram_range=(1, 2),
        min_df=2,
        sublinear_tf=True,
        token_pattern=r"(?u)\b\w[\w/]*\b",  # noqa: S106 (a regex, not a password)
        dtype=np.float32,
    )


def _classifier(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=300, solver="lbfgs")


@dataclass
class Classifier:
    """The fitted features (shared) and the two classifiers; ``predict`` is vectorised."""

    features: TfidfVectorizer
    kosgu: LogisticRegression
    kvfo: LogisticRegression

    @property
    def kosgu_classes(self) -> list[str]:
        return [str(c) for c in self.kosgu.classes_]

    @property
    def kvfo_classes(self) -> list[int]:
        return [int(c) for c in self.kvfo.classes_]

    def transform(self, texts: Sequence[str]) -> Any:
        return self.features.transform(texts)

    def kosgu_proba(self, x: Any, directions: Sequence[str]) -> np.ndarray:
        proba = self.kosgu.predict_proba(x)
        income = np.array([c in INCOME_CODES for c in self.kosgu_classes])
        incoming = np.array([d == "in" for d in directions])
        # a payment in takes an income code, a payment out an expense one
        mask = incoming[:, None] == income[None, :]
        proba = np.where(mask, proba, 0.0)
        total = proba.sum(axis=1, keepdims=True)
        result: np.ndarray = np.divide(proba, total, out=np.zeros_like(proba), where=total > 0)
        return result

    def kvfo_proba(self, x: Any) -> np.ndarray:
        return np.asarray(self.kvfo.predict_proba(x))

    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        joblib.dump({"features": self.features, "kosgu": self.kosgu, "kvfo": self.kvfo}, buffer, compress=3)
        return buffer.getvalue()

    @classmethod
    def loads(cls, data: bytes) -> Classifier:
        parts = joblib.load(io.BytesIO(data))  # our own bytes, written by ``dumps``
        return cls(features=parts["features"], kosgu=parts["kosgu"], kvfo=parts["kvfo"])


@dataclass(frozen=True)
class Sample:
    text: str  # model_text
    direction: str
    kvfo: int
    kosgu: str


@dataclass
class TrainResult:
    classifier: Classifier
    samples: int
    held_out: int
    metrics: dict[str, Any]
    seconds: float


def _per_class(y_true: Sequence[Any], y_pred: Sequence[Any], labels: list[Any]) -> list[dict[str, Any]]:
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    return [
        {
            "label": str(label),
            "precision": round(float(p), 4),
            "recall": round(float(r), 4),
            "f1": round(float(f), 4),
            "support": int(s),
        }
        for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
    ]


def _fit(samples: Sequence[Sample], c: float) -> Classifier:
    texts = [s.text for s in samples]
    features = _features()
    x = features.fit_transform(texts)
    kosgu = _classifier(c).fit(x, [s.kosgu for s in samples])
    kvfo_labels = [s.kvfo for s in samples]
    if len(set(kvfo_labels)) < 2:  # one КВФО only: a constant model
        kvfo = _classifier(c).fit(features.transform([*texts, "·"]), [*kvfo_labels, -1])
    else:
        kvfo = _classifier(c).fit(x, kvfo_labels)
    return Classifier(features=features, kosgu=kosgu, kvfo=kvfo)


def predict(classifier: Classifier, texts: Sequence[str], directions: Sequence[str]) -> dict[str, Any]:
    """Best КОСГУ/КВФО and their probabilities, and the full probability matrices."""
    x = classifier.transform(texts)
    kosgu_p = classifier.kosgu_proba(x, directions)
    kvfo_p = classifier.kvfo_proba(x)
    kosgu_classes = np.array(classifier.kosgu_classes, dtype=object)
    kvfo_classes = np.array(classifier.kvfo_classes)
    return {
        "kosgu": kosgu_classes[kosgu_p.argmax(axis=1)],
        "kosgu_p": kosgu_p.max(axis=1),
        "kvfo": kvfo_classes[kvfo_p.argmax(axis=1)],
        "kvfo_p": kvfo_p.max(axis=1),
        "kosgu_matrix": kosgu_p,
        "kvfo_matrix": kvfo_p,
    }


def evaluate(classifier: Classifier, samples: Sequence[Sample]) -> dict[str, Any]:
    got = predict(classifier, [s.text for s in samples], [s.direction for s in samples])
    true_kosgu = [s.kosgu for s in samples]
    true_kvfo = [s.kvfo for s in samples]
    pred_kosgu = [str(k) for k in got["kosgu"]]
    pred_kvfo = [int(k) for k in got["kvfo"]]
    true_pair = [f"{v}:{k}" for v, k in zip(true_kvfo, true_kosgu, strict=True)]
    pred_pair = [f"{v}:{k}" for v, k in zip(pred_kvfo, pred_kosgu, strict=True)]
    kosgu_labels = sorted(set(true_kosgu))
    kvfo_labels = sorted(set(true_kvfo))
    pair_labels = sorted(set(true_pair))
    return {
        "macro_f1_kosgu": round(
            float(f1_score(true_kosgu, pred_kosgu, labels=kosgu_labels, average="macro")), 4
        ),
        "macro_f1_kvfo": round(float(f1_score(true_kvfo, pred_kvfo, labels=kvfo_labels, average="macro")), 4),
        "macro_f1_pair": round(float(f1_score(true_pair, pred_pair, labels=pair_labels, average="macro")), 4),
        "accuracy_kosgu": round(float(np.mean(np.array(true_kosgu) == np.array(pred_kosgu))), 4),
        "accuracy_kvfo": round(float(np.mean(np.array(true_kvfo) == np.array(pred_kvfo))), 4),
        "accuracy_pair": round(float(np.mean(np.array(true_pair) == np.array(pred_pair))), 4),
        "per_class_kosgu": _per_class(true_kosgu, pred_kosgu, kosgu_labels),
        "per_class_kvfo": _per_class(true_kvfo, pred_kvfo, kvfo_labels),
    }


def split(samples: Sequence[Sample], seed: int = 0) -> tuple[list[Sample], list[Sample]]:
    """A stratified (by the КВФО–КОСГУ pair) held-out part; pairs too rare to split train only."""
    pairs = Counter((s.kvfo, s.kosgu) for s in samples)
    splittable = [s for s in samples if pairs[(s.kvfo, s.kosgu)] >= 5]
    rare = [s for s in samples if pairs[(s.kvfo, s.kosgu)] < 5]
    if len(splittable) < 10:
        return list(samples), []
    train, test = train_test_split(
        splittable,
        test_size=HELD_OUT_SHARE,
        random_state=seed,
        stratify=[(s.kvfo, s.kosgu) for s in splittable],
    )
    return [*train, *rare], list(test)


def train(samples: Sequence[Sample], *, c: float = 20.0, seed: int = 0, progress: Any = None) -> TrainResult:
    """Metrics on a stratified held-out part, then the final model fitted on every sample."""
    if len(samples) < MIN_SAMPLES:
        raise ValueError(f"для обучения нужно не меньше {MIN_SAMPLES} классифицированных платежей")
    if len({s.kosgu for s in samples}) < 2:
        raise ValueError("для обучения нужны платежи хотя бы двух статей КОСГУ")
    started = time.perf_counter()
    fit_part, held_out = split(samples, seed)
    metrics: dict[str, Any] = {}
    if held_out:
        trial = _fit(fit_part, c)
        if progress:
            progress(0.45)
        metrics = evaluate(trial, held_out)
    if progress:
        progress(0.55)
    final = _fit(samples, c)
    if progress:
        progress(0.95)
    return TrainResult(
        classifier=final,
        samples=len(samples),
        held_out=len(held_out),
        metrics=metrics,
        seconds=round(time.perf_counter() - started, 2),
    )
