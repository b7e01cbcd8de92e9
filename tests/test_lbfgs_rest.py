"""L-BFGS at rest: once torch's LBFGS.step returns without moving (tolerance_grad, or the slope
g·d above −tolerance_change), the engine answers later steps in O(1) and a batch without kept
state stops stepping the start; the numbers stay torch's and the full loop's, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

import landscapes
import optimizers
from optimizers.lbfgs import IDLE
from tests.reference_torch import lbfgs
from tests.test_vector_rules import _torch, torch_lbfgs

LINE_SEARCH = {"line_search": 1.0, "max_eval": 25.0}


def torch_lbfgs_state(torch, surface, start, steps, hyper):
    """torch's path plus, per step, its state['t'] and the number of (s, y) pairs it remembers."""
    p = torch.tensor(np.asarray(start, dtype=np.float64), requires_grad=True)
    opt = lbfgs(torch, p, hyper)

    def closure():
        x, y = (float(v) for v in p.detach().numpy())
        p.grad = torch.tensor(np.array(surface.gradient(np.float64(x), np.float64(y)), dtype=float))
        return torch.tensor(float(surface.value(np.float64(x), np.float64(y))), dtype=torch.float64)

    path, ts, pairs = [p.detach().numpy().copy()], [], []
    for _ in range(steps):
        opt.step(closure)
        state = opt.state[p]
        path.append(p.detach().numpy().copy())
        ts.append(float(state.get("t", np.nan)))
        pairs.append(len(state.get("old_dirs", [])))
    return np.array(path), np.array(ts), np.array(pairs)


@pytest.mark.parametrize(
    "surface_name, start, extra",
    [("rosenbrock", (-1.5, 2.5), LINE_SEARCH), ("himmelblau", (0.3, -0.2), LINE_SEARCH), ("paraboloid", (3, 4), {})],
)
def test_resting_steps_are_torchs(surface_name, start, extra):
    """A long run without noise: most of its steps rest (checked), and every step's point, evaluation
    count, step length t and remembered pairs are torch's."""
    torch = _torch()
    s = landscapes.get(surface_name)
    hyper = {**optimizers.RULES["lbfgs"].defaults, **extra}
    steps = 80
    ours = optimizers.run("lbfgs", s, start, steps, **hyper)
    ref, ts, pairs = torch_lbfgs_state(torch, s, start, steps, hyper)
    _, _, counts = torch_lbfgs(torch, s, start, steps, hyper)
    np.testing.assert_allclose(ours.path, ref, rtol=1e-6, atol=1e-9)
    moved = np.any(ours.path[1:] != ours.path[:-1], axis=1)
    assert moved.sum() < steps // 2 and not moved[-10:].any()  # the run came to rest early
    np.testing.assert_array_equal(ours.state["evals"][1:, 0], counts)
    np.testing.assert_array_equal(ours.state["evals"][1:, 1], np.cumsum(counts))
    np.testing.assert_array_equal(ours.state["memory"][1:, 0], pairs)
    rest = ~np.isnan(ts)  # torch sets t from its first full step on
    np.testing.assert_allclose(ours.state["memory"][1:, 1][rest], ts[rest], rtol=1e-12)


def test_the_shortcut_needs_the_same_gradient():
    """Resting by the slope check is kept only while the gradient is bit-identical; a new gradient
    (noise) runs the full step."""
    from optimizers.hyper import SPECS, Hyper
    from optimizers.lbfgs import SLOPE_IDLE, init, still, update

    h = Hyper(**{name: spec.default for name, spec in SPECS.items()})
    h = h._replace(tolerance_change=1e3)  # every step stops at the slope check
    state = init(1.0, 2.0, h)
    no_trail = np.empty((0, 2))
    x, y, state, code = update(1.0, 0.5, -0.25, state, 1.0, 2.0, h, None, None, None, no_trail)
    assert (x, y, code) == (1.0, 2.0, 0) and state[1][IDLE] == SLOPE_IDLE and still(state)
    x, y, state, _ = update(1.0, 0.5, -0.25, state, x, y, h, None, None, None, no_trail)
    assert (x, y) == (1.0, 2.0) and still(state) and state[0][2, 1] == h.lr
    x, y, state, _ = update(1.0, 0.5 + 1e-3, -0.25, state, x, y, h, None, None, None, no_trail)
    assert (x, y) == (1.0, 2.0) and state[0][0, 1] == 3.0  # evaluations counted on every step


@pytest.mark.parametrize("backend", ["numba", "numpy"])
@pytest.mark.parametrize("surface_name", ["rosenbrock", "himmelblau"])
def test_a_resting_batch_is_its_full_runs(surface_name, backend):
    """Without kept state a batch stops stepping its resting starts; its path, loss and gradients equal
    the runs that step to the end (run keeps state, so it never skips)."""
    s = landscapes.get(surface_name)
    (x0, x1), (y0, y1) = s.domain
    starts = np.random.default_rng(5).uniform((x0, y0), (x1, y1), (6 if backend == "numpy" else 40, 2))
    sched = optimizers.schedules.Schedule("step", 10.0, 0.5)
    for options in ({}, {"lr_schedule": sched}):
        batch = optimizers.run_batch("lbfgs", s, starts, 60, backend=backend, **LINE_SEARCH, **options)
        for i in range(starts.shape[0]):
            one = optimizers.run("lbfgs", s, starts[i], 60, backend=backend, **LINE_SEARCH, **options)
            np.testing.assert_array_equal(batch.path[:, i], one.path)
            np.testing.assert_array_equal(batch.loss[:, i], one.loss)
            np.testing.assert_array_equal(batch.grads[:, i], one.grads)
            assert batch.diverged_at[i] == (-1 if one.diverged_at is None else one.diverged_at)


def test_noise_keeps_every_step():
    """With gradient noise each step's closure differs: a batch equals its single runs step for step."""
    s = landscapes.get("himmelblau")
    starts = np.array([[0.3, -0.2], [-4.0, 4.0]])
    batch = optimizers.run_batch("lbfgs", s, starts, 50, grad_noise=1e-3, seed=2, **LINE_SEARCH)
    one = optimizers.run("lbfgs", s, starts[0], 50, grad_noise=1e-3, seed=2, **LINE_SEARCH)
    np.testing.assert_array_equal(batch.path[:, 0], one.path)
    assert np.any(batch.path[-1, 0] != batch.path[-2, 0]) or np.any(batch.grads[-1, 0] != batch.grads[-2, 0])
