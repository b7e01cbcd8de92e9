"""The endings loop steps 8 starts side by side and takes the Adam family's t-only factors
(``t_factors``) once a step for all of them: every coordinate-wise rule's streamed ends must equal
``run_batch``'s last points and losses bit for bit, with one shared hyperparameter row and with one per
start, with noise and a schedule, and for a number of starts that is not a multiple of the lanes."""

from __future__ import annotations

import numpy as np
import pytest

import landscapes
import optimizers
from landscapes.formula import formula_surface
from optimizers.schedules import Schedule

SCALAR = [name for name in optimizers.NAMES if not optimizers.RULES[name].vector]
SURFACE = landscapes.get("himmelblau")


def starts(n: int) -> np.ndarray:
    (x0, x1), (y0, y1) = SURFACE.domain
    rng = np.random.default_rng(7)
    return np.stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)], axis=1)


def assert_bitwise(rule: str, points: np.ndarray, steps: int, surface=SURFACE, **options) -> None:
    run = optimizers.run_batch(rule, surface, points, steps, backend="numba", **options)
    ends = optimizers.run_batch_ends(rule, surface, points, steps, surface.minima_array(), 0.1, **options)
    n = points.shape[0]
    at = np.where(run.diverged_at < 0, steps, run.diverged_at)
    np.testing.assert_array_equal(ends.diverged_at, run.diverged_at)
    np.testing.assert_array_equal(ends.last, run.path[at, np.arange(n)])  # same bits (NaN where NaN)
    np.testing.assert_array_equal(ends.final_loss, run.loss[at, np.arange(n)])


@pytest.mark.parametrize("rule", SCALAR)
def test_lanes_and_shared_t_factors_give_the_histories_ends_bit_for_bit(rule):
    points = starts(37)  # four full lanes of 8 and one of 5
    assert_bitwise(rule, points, 120)
    lr = np.logspace(-3, 0.3, points.shape[0])  # a sweep's per-start rows: no factors shared
    schedule = Schedule("cosine", 0.0, 0.1)
    assert_bitwise(rule, points, 90, lr=lr, grad_noise=0.5, seed=3, lr_schedule=schedule)


@pytest.mark.parametrize("rule", ["sgd", "radam"])
def test_an_own_formulas_loop_takes_the_factors_too(rule):
    """The formula kernel's header binds ``t_factors``/``update_with`` as the built-in surfaces' does."""
    surface = formula_surface("sin(x)*cos(y) + 0.1*(x^2 + y^2)")
    assert_bitwise(rule, starts(13), 80, surface, lr=0.05)


def test_the_adam_family_names_its_t_factors():
    """Adam and its relatives pass their t-only factors to the loop (the map's speed rests on it)."""
    import importlib

    for name in ("adam", "adamw", "amsgrad", "adamax", "radam", "nadam", "adopt"):
        home = importlib.import_module(optimizers.RULES[name].update.__module__)
        assert callable(home.t_factors) and callable(home.update_with), name
