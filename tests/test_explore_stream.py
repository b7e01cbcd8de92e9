"""The streaming endings path (optimizers.run_batch_ends, explore.run_endings) against full histories.

Reference: ``explore.endings.endings`` of one ``run_batch`` over every start at once (the history path,
no chunks). Labels and steps_to must be identical, final losses equal to 1e-12 relative.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import explore
import landscapes
import optimizers
from explore import batch
from explore.endings import DIVERGED, LEFT_VIEW, NOT_ARRIVED, endings, settled_from, tolerance
from landscapes.formula import formula_surface
from landscapes.surface import distance
from optimizers.schedules import Schedule


def grid_starts(surface, side: int, pad: float = 0.0) -> np.ndarray:
    (x0, x1), (y0, y1) = surface.domain
    wx, wy = (x1 - x0) * pad, (y1 - y0) * pad
    xx, yy = np.meshgrid(np.linspace(x0 - wx, x1 + wx, side), np.linspace(y0 - wy, y1 + wy, side))
    return np.stack([xx.ravel(), yy.ravel()], axis=1)


def reference(rule, surface, starts, steps, hyper, **options):
    return endings(optimizers.run_batch(rule, surface, starts, steps, **options, **hyper), surface)


def assert_same(new, old):
    np.testing.assert_array_equal(new.label, old.label)
    np.testing.assert_array_equal(new.steps_to, old.steps_to)
    np.testing.assert_array_equal(np.isnan(new.final_loss), np.isnan(old.final_loss))
    ok = ~np.isnan(old.final_loss)
    np.testing.assert_allclose(new.final_loss[ok], old.final_loss[ok], rtol=1e-12, atol=0)
    assert new.tol == old.tol


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    """Chunks of 97 starts on two threads: chunk boundaries and noise streams are exercised."""
    monkeypatch.setattr(batch, "STREAM_CHUNK", 97)
    monkeypatch.setattr(batch, "WORKERS", 2)


ROUGH = landscapes.get("himmelblau", roughness=0.4, seed=2)
CASES = [
    ("himmelblau", "adam", 300, {"lr": 0.05}, {}),
    ("multimodal", "sgd", 250, {"lr": 0.05}, {"grad_noise": 0.7, "seed": 3}),
    ("rastrigin", "momentum", 200, {"lr": 0.004}, {"lr_schedule": Schedule("cosine", 0.0, 0.1)}),
    ("rosenbrock", "adam", 300, {"lr": "per-start"}, {}),
    ("monkey_saddle", "sgd", 200, {"lr": 0.05}, {}),
    ("rough", "adam", 200, {"lr": 0.05}, {"grad_noise": 0.3, "seed": 1}),
    ("himmelblau", "rmsprop", 200, {"lr": 0.02}, {"lr_schedule": Schedule("step", 50.0, 0.5)}),
    ("paraboloid", "nesterov", 100, {"lr": 0.999}, {}),
    ("formula", "adam", 200, {"lr": 0.05}, {"grad_noise": 0.2, "seed": 4}),
    ("himmelblau", "lbfgs", 40, {}, {}),
    ("rosenbrock", "newton", 30, {}, {}),
    ("rastrigin", "newton", 30, {"lr": 0.5}, {"grad_noise": 0.5, "seed": 2}),
    ("himmelblau", "adafactor", 150, {"lr": 0.05}, {"lr_schedule": Schedule("warmup", 20.0, 0.1)}),
    ("multimodal", "lbfgs", 30, {"lr": "per-start"}, {"grad_noise": 0.2, "seed": 5}),
]


def surface_named(name):
    if name == "rough":
        return ROUGH
    if name == "formula":
        return formula_surface("sin(x)*cos(y) + 0.1*(x^2 + y^2)")
    return landscapes.get(name)


@pytest.mark.parametrize(("name", "rule", "steps", "hyper", "options"), CASES, ids=lambda v: str(v)[:20])
def test_streamed_endings_equal_the_histories(name, rule, steps, hyper, options):
    surface = surface_named(name)
    starts = grid_starts(surface, 21, pad=0.05)  # some starts outside the view
    hyper = dict(hyper)
    if hyper.get("lr") == "per-start":  # a sweep's per-start settings: from gentle to diverging
        hyper["lr"] = np.logspace(-4, 0.5, starts.shape[0])
    assert optimizers.ends_supported(rule, surface)
    new = batch.run_endings(rule, surface, starts, steps, hyper, **options)
    old = reference(rule, surface, starts, steps, hyper, **options)
    assert_same(new, old)
    assert_same(batch.run_endings_history(rule, surface, starts, steps, hyper, **options), old)
    assert (old.label >= 0).any() or surface.minima_array().shape[0] == 0


def test_the_cases_meet_divergence_leaving_the_view_and_settling_late():
    """The cases above are not vacuous: they see every kind of ending and steps_to > 0."""
    seen = set()
    for name, rule, steps, hyper, options in CASES[:8]:
        surface = surface_named(name)
        starts = grid_starts(surface, 21, pad=0.05)
        hyper = dict(hyper)
        if hyper.get("lr") == "per-start":
            hyper["lr"] = np.logspace(-4, 0.5, starts.shape[0])
        ends = batch.run_endings(rule, surface, starts, steps, hyper, **options)
        seen |= set(np.unique(ends.label[ends.label < 0]).tolist())
        if (ends.steps_to > 0).any():
            seen.add("late")
    assert {DIVERGED, LEFT_VIEW, NOT_ARRIVED, "late"} <= seen


def test_hessian_rules_on_a_rough_surface_fall_back_to_histories():
    assert not optimizers.ends_supported("newton", ROUGH)
    starts = grid_starts(ROUGH, 5)
    new = batch.run_endings("newton", ROUGH, starts, 10, {})
    assert_same(new, reference("newton", ROUGH, starts, 10, {}))


def test_minima_closer_than_two_tolerances_take_the_history_path():
    """A point may be near two minima at once: the streaming loop refuses, run_endings falls back."""
    surface = landscapes.get("himmelblau")
    tol = tolerance(surface)
    m = surface.minima_array()[0]
    offsets = np.array([[0.6 * tol, 0.0], [-0.6 * tol, 0.0]])
    targets = np.vstack([m + offsets, [[50.0, 50.0]]])
    starts = grid_starts(surface, 9)
    with pytest.raises(ValueError, match="2 tol apart"):
        optimizers.run_batch_ends("sgd", surface, starts, 10, targets, tol, lr=0.003)
    close = dataclasses.replace(surface, minima=tuple(map(tuple, targets)))
    hyper = {"lr": 0.003}
    assert_same(batch.run_endings("sgd", close, starts, 300, hyper), reference("sgd", close, starts, 300, hyper))


def test_streamed_nearness_matches_the_path_for_any_separated_targets():
    """Targets that are not minima (runs pass near them and leave): steps_to of the last stretch."""
    surface = landscapes.get("himmelblau")
    tol = 0.3
    rng = np.random.default_rng(7)
    targets = list(surface.minima_array() + np.array([0.1, -0.05]))  # runs end near these; others they pass by
    for point in rng.uniform(-5, 5, (60, 2)):
        if all(np.hypot(*(point - t)) > 2.2 * tol for t in targets):
            targets.append(point)
    targets = np.array(targets)
    starts = grid_starts(surface, 15)
    ends = optimizers.run_batch_ends("sgd", surface, starts, 300, targets, tol, lr=0.004)
    run = optimizers.run_batch("sgd", surface, starts, 300, lr=0.004)
    d = np.stack([distance(run.path[-1], t) for t in targets], axis=-1)
    nearest = np.where(d.min(axis=-1) <= tol, d.argmin(axis=-1), -1)
    np.testing.assert_array_equal(ends.nearest, nearest)
    near = distance(run.path, targets[np.maximum(nearest, 0)]) <= tol
    settled = np.where(nearest >= 0, settled_from(near), -1)
    np.testing.assert_array_equal(ends.settled, settled)
    passed_by = any((distance(run.path, t) <= tol).any() for t in targets[4:])
    assert passed_by and (settled > 0).any()


def test_sweeps_and_maps_stream_and_match_the_history_path(monkeypatch):
    surface = landscapes.get("multimodal")
    lr = explore.sweep_values("lr", 1e-3, 1.0, 12)
    beta = explore.sweep_values("rho", 0.0, 0.99, 9)
    calls = []
    real = optimizers.run_batch_ends
    monkeypatch.setattr(optimizers, "run_batch_ends", lambda *a, **k: calls.append(1) or real(*a, **k))
    s = explore.sweep("momentum", surface, surface.start, 200, lr, "rho", beta, grad_noise=0.1, seed=2)
    assert calls
    starts = np.repeat(np.asarray([surface.start], dtype=float), lr.size * beta.size, axis=0)
    ll, vv = np.meshgrid(lr, beta)
    old = reference("momentum", surface, starts, 200, {"lr": ll.ravel(), "rho": vv.ravel()}, grad_noise=0.1, seed=2)
    np.testing.assert_array_equal(s.label.ravel(), old.label)
    np.testing.assert_array_equal(s.steps_to.ravel(), old.steps_to)


def test_a_stopped_job_drops_the_chunks_not_yet_started(monkeypatch):
    """progress raising (jobs.runner.Stopped: cancelled or abandoned) ends the work with the chunks
    under way, not after the whole batch."""
    monkeypatch.setattr(batch, "STREAM_CHUNK", 50)
    calls = []
    real = optimizers.run_batch_ends
    monkeypatch.setattr(optimizers, "run_batch_ends", lambda *a, **k: calls.append(1) or real(*a, **k))

    class Stopped(Exception):
        pass

    def progress(done, total):
        raise Stopped

    surface = landscapes.get("himmelblau")
    with pytest.raises(Stopped):
        batch.run_endings("adam", surface, grid_starts(surface, 40), 2000, {"lr": 0.05}, progress=progress)
    assert 1 <= len(calls) < 16  # of 32 chunks: the first, and those the two threads had begun meanwhile
