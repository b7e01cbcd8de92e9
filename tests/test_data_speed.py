"""The fast paths behind data landscapes' speed give the straightforward computation's answers: events
that look at the gradient only as far as needed, the tanh unit's separable grid, the main view's loss."""

import numpy as np
import pytest

from analysis import events
from analysis import outcomes as compute
from analysis.events import GRAD_TOL, MAX_CHECKED_POINTS, _grad_norm
from app.state.scene import DATA, Scene, clamp_scene
from landscapes.data.spec import DataSpec


def _run(**kw):
    scene, _ = clamp_scene(Scene(**kw))
    surface = compute.surface_of(scene)
    return scene, surface, compute.run_scene(scene, surface)


def _converged_reference(o, surface):
    """The first step from ``converged_at`` on with a small gradient: every gradient at once."""
    k = o.converged_at
    if k is None or o.result.diverged_at is not None:
        return None
    path = o.result.path
    g0 = float(_grad_norm(surface, path[:1])[0])
    small = np.flatnonzero(_grad_norm(surface, path[k:]) <= GRAD_TOL * max(1.0, g0))
    return k + int(small[0]) if small.size else None


def _stalled_reference(o, surface):
    """The stall check with the gradient at every checked point."""
    n = o.points
    stride = max(1, -(-n // MAX_CHECKED_POINTS))
    path = o.result.path[:n:stride]
    grad = _grad_norm(surface, path)
    window = max(1, events.STALL_WINDOW // stride)
    if path.shape[0] <= window:
        return None
    moved = np.hypot(*np.diff(path, axis=0).T)
    slow = moved < 1e-4 * surface.span() * stride
    run = np.convolve(slow.astype(int), np.ones(window, dtype=int), mode="valid") == window
    far = surface.nearest_minimum(path)[1]
    ok = run & (grad[: run.size] <= GRAD_TOL * max(1.0, float(grad[0]))) & (far[: run.size] > compute.CONVERGE_TOL)
    idx = np.flatnonzero(ok)
    return int(idx[0]) * stride if idx.size else None


SCENES = [
    {"surface": "paraboloid", "rules": ("sgd", "adam"), "steps": 600},
    {"surface": "saddle", "start": (0.5, 0.0), "rules": ("sgd",), "hyper": {"sgd": {"lr": 0.05}}},
    {"surface": "rosenbrock", "rules": ("sgd", "adam", "momentum")},
    {"surface": DATA, "data": DataSpec(model="tanh", n=300), "rules": ("sgd", "adam", "rmsprop")},
    {"surface": DATA, "data": DataSpec(model="linear", n=300, batch=300), "rules": ("sgd", "adam")},
    {"surface": DATA, "data": DataSpec(model="logistic", n=300, lam=0.1), "rules": ("adam", "momentum")},
]


@pytest.mark.parametrize("kw", SCENES)
def test_events_look_at_gradients_lazily_with_the_same_answers(kw):
    _, surface, out = _run(**kw)
    seen = set()
    for o in out.values():
        conv = events._converged_at(o, surface)
        assert conv == _converged_reference(o, surface)
        n = o.points
        stride = max(1, -(-n // MAX_CHECKED_POINTS))
        stalled = events._stalled_at(o, surface, o.result.path[:n:stride], stride)
        assert stalled == _stalled_reference(o, surface)
        seen.add((conv is not None, stalled is not None))
    assert seen  # (the saddle scene stalls, the paraboloid converges: both branches are exercised below)


def test_the_checked_scenes_cover_a_convergence_and_a_stall():
    kinds = set()
    for kw in SCENES[:2]:
        _, surface, out = _run(**kw)
        for o in out.values():
            kinds |= {e.kind for e in events.events_of(o, surface)}
    assert {"converged", "stalled"} <= kinds
