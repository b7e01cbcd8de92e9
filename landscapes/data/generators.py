"""Seeded data sets and the shipped real ones, as plain arrays X (N, 2) and y (N,).

Regression data use X[:, 0] (x) and leave X[:, 1] at 0; classification data use both features and
labels y in {0, 1}. Every generator draws from ``numpy.random.default_rng(seed)``: the same settings
always give the same points.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SETS = Path(__file__).with_name("sets")
MAX_N = 10_000
SHAPES = ("separable", "overlapping", "imbalanced")


def regression(
    n: int, noise: float, outliers: float, seed: int, model: str = "linear"
) -> tuple[np.ndarray, np.ndarray]:
    """x ~ U(-2, 2); y = 1.5·x + 0.5 (linear) or 2·tanh(1.2·x) (tanh) plus N(0, noise²);
    a fraction ``outliers`` of the points gets +/- 4 to 8 more."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, n)
    y = 2.0 * np.tanh(1.2 * x) if model == "tanh" else 1.5 * x + 0.5
    y = y + noise * rng.standard_normal(n)
    k = round(outliers * n)
    if k:
        idx = rng.choice(n, size=k, replace=False)
        y[idx] += rng.choice([-1.0, 1.0], size=k) * rng.uniform(4.0, 8.0, size=k)
    return np.stack([x, np.zeros(n)], axis=1), y


def classification(n: int, noise: float, shape: str, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian clouds, labels 1 and 0, around ±(1, 0.6) with spread ``noise``.

    ``separable`` keeps only points on their own side of the line through the origin orthogonal to
    (1, 0.6) (so some W separates them all and the unregularised loss has no minimum);
    ``overlapping`` keeps every point; ``imbalanced`` makes 1 point in 10 of class 1.
    """
    rng = np.random.default_rng(seed)
    frac = 0.1 if shape == "imbalanced" else 0.5
    labels = (rng.uniform(size=n) < frac).astype(float)
    centre = np.array([1.0, 0.6])
    sign = np.where(labels == 1.0, 1.0, -1.0)
    X = sign[:, None] * centre + max(noise, 1e-3) * rng.standard_normal((n, 2))
    if shape == "separable":
        margin = X @ centre * sign
        bad = margin <= 0.05
        X[bad] -= (
            (margin[bad, None] - 0.05 - 0.2 * rng.uniform(size=(bad.sum(), 1)))
            * sign[bad, None]
            * centre
            / (centre @ centre)
        )
    return X, labels


def _read(name: str) -> list[dict[str, str]]:
    with (SETS / name).open(newline="") as handle:
        return list(csv.DictReader(handle))


def _standardise(X: np.ndarray) -> np.ndarray:
    return (X - X.mean(axis=0)) / X.std(axis=0)


def iris(pair: tuple[str, str], features: tuple[str, str]) -> tuple[np.ndarray, np.ndarray]:
    rows = [r for r in _read("iris.csv") if r["species"] in pair]
    X = np.array([[float(r[f]) for f in features] for r in rows])
    y = np.array([1.0 if r["species"] == pair[1] else 0.0 for r in rows])
    return _standardise(X), y


def real(name: str) -> tuple[np.ndarray, np.ndarray]:
    """A shipped data set (see ``REAL``); classification features are centred and scaled to unit
    variance (the logistic model has no bias)."""
    if name == "mtcars":
        rows = _read("mtcars.csv")
        x = np.array([float(r["wt"]) for r in rows])
        y = np.array([float(r["mpg"]) for r in rows])
    elif name == "anscombe":
        rows = _read("anscombe1.csv")
        x = np.array([float(r["x"]) for r in rows])
        y = np.array([float(r["y"]) for r in rows])
    elif name == "iris_sepal":
        return iris(("setosa", "versicolor"), ("sepal_length", "sepal_width"))
    elif name == "iris_petal":
        return iris(("versicolor", "virginica"), ("petal_length", "petal_width"))
    else:
        raise ValueError(f"unknown data set {name!r}; choose one of: {', '.join(REAL)}")
    return np.stack([x, np.zeros_like(x)], axis=1), y


# name: (kind, words). Licences: landscapes/data/sets/LICENSES.md (all public domain).
REAL = {
    "mtcars": ("regression", "Motor Trend cars (1974): fuel use (mpg) against weight (1000 lb), 32 cars"),
    "anscombe": ("regression", "Anscombe's quartet, set I (1973): 11 points"),
    "iris_sepal": ("classification", "Fisher's irises (1936): setosa vs versicolor by sepal size (separable)"),
    "iris_petal": ("classification", "Fisher's irises (1936): versicolor vs virginica by petal size (overlapping)"),
}
