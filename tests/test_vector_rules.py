"""Vector rules (Newton, L-BFGS, Adafactor): torch.optim and a numpy reference in float64, 1e-6
relative, on several surfaces with gradient noise; hand-computed first steps; both engine loops."""

from __future__ import annotations

import math

import numpy as np
import pytest

import landscapes
import optimizers
from landscapes.formula import formula_surface
from optimizers.schedules import Schedule
from tests.reference_torch import lbfgs

VECTOR = [name for name in optimizers.NAMES if optimizers.RULES[name].vector]
FORMULA = "sin(x)*cos(y) + 0.1*(x^2 + y^2)"
# (surface, start, steps): monkey saddle runs stay short (every rule leaves along a valley).
SURFACES = [
    ("paraboloid", (-9.0, 8.0), 30),
    ("rosenbrock", (-1.5, 2.5), 40),
    ("monkey_saddle", (1.5, 0.2), 6),
    ("formula", (1.0, -2.0), 30),
]


def _surface(name):
    return formula_surface(FORMULA) if name == "formula" else landscapes.get(name)


def _torch():
    try:
        import torch
    except ImportError:  # pragma: no cover - CI installs torch (requirements-dev.txt)
        pytest.fail("torch is required for the reference tests: pip install -r requirements-dev.txt")
    return torch


def test_the_vector_rules_are_registered():
    assert set(VECTOR) == {"newton", "lbfgs", "adafactor"}
    assert set(FIRST_STEP) == set(VECTOR)
    for name in VECTOR:
        rule = optimizers.RULES[name]
        assert rule.blurb and rule.group in ("adaptive", "second-order")


# --- torch.optim -----------------------------------------------------------------------------------


def torch_lbfgs(torch, surface, start, steps, hyper, noise=None):
    """torch.optim.LBFGS(max_iter=1): one .step(closure) per step; the closure's loss is
    L + n_k·θ so its gradient is the noisy one. Returns the path, evaluation points and counts."""
    p = torch.tensor(np.asarray(start, dtype=np.float64), requires_grad=True)
    opt = lbfgs(torch, p, hyper)
    path, points, counts = [p.detach().numpy().copy()], [], []
    for k in range(steps):
        n = np.zeros(2) if noise is None else noise[k]
        seen = []

        def closure(n=n, seen=seen):
            x, y = (float(v) for v in p.detach().numpy())
            seen.append((x, y))
            g = np.array(surface.gradient(np.float64(x), np.float64(y)), dtype=float) + n
            p.grad = torch.tensor(g, dtype=torch.float64)
            loss = float(surface.value(np.float64(x), np.float64(y))) + (n[0] * x + n[1] * y)
            return torch.tensor(loss, dtype=torch.float64)  # float64: torch.tensor(float) would be float32

        opt.step(closure)
        path.append(p.detach().numpy().copy())
        points.append(seen)
        counts.append(len(seen))
    return np.array(path), points, counts


def torch_adafactor(torch, surface, start, steps, hyper, noise=None):
    p = torch.tensor(np.asarray(start, dtype=np.float64), requires_grad=True)
    opt = torch.optim.Adafactor(
        [p],
        lr=hyper["lr"],
        beta2_decay=hyper["beta2_decay"],
        eps=(None if hyper["eps"] == np.finfo(np.float64).eps else hyper["eps"], hyper["eps2"]),
        d=hyper["d"],
        weight_decay=hyper["weight_decay"],
    )
    path = [p.detach().numpy().copy()]
    for k in range(steps):
        x, y = p.detach().numpy()
        g = np.array(surface.gradient(np.float64(x), np.float64(y)), dtype=float)
        if noise is not None:
            g = g + noise[k]
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        path.append(p.detach().numpy().copy())
    return np.array(path)


def _finite_prefix(ours, ref):
    """Compare while both are inside the engine's bound (the monkey saddle falls away)."""
    ok = np.all(np.isfinite(ours), axis=1) & np.all(np.abs(ref) < 1e6, axis=1)
    upto = int(np.argmin(ok)) if not ok.all() else len(ok)
    assert upto >= 3
    return ours[:upto], ref[:upto]


@pytest.mark.parametrize("line_search", [0, 1])
@pytest.mark.parametrize("surface_name, start, steps", SURFACES)
def test_lbfgs_matches_torch(surface_name, start, steps, line_search):
    torch = _torch()
    s = _surface(surface_name)
    hyper = {**optimizers.RULES["lbfgs"].defaults, "line_search": float(line_search), "max_eval": 25.0}
    if surface_name != "paraboloid":
        hyper["history_size"] = 5.0  # the history fills and shifts within the run
    if surface_name == "monkey_saddle" and line_search:
        # the search runs off along a valley in steps t + 0.01 (t − t_prev) whose cubic fits cancel
        # catastrophically (x1 − x2 ~ 1e-8 t): from step 4 on, last-bit differences in g·d decide it
        steps = 3
    noise = optimizers.gradient_noise(0.05, 3, steps, 1)[:, 0]
    ours = optimizers.run("lbfgs", s, start, steps, grad_noise=0.05, seed=3, **hyper)
    ref, points, counts = torch_lbfgs(torch, s, start, steps, hyper, noise=noise)
    a, b = _finite_prefix(ours.path, ref)
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9)
    # every evaluation of a step, and how many: torch's closure calls
    for k in range(len(a) - 1):
        assert ours.state["evals"][k + 1, 0] == counts[k]
        # trial points x + t·d lie far out where d is long: its rounding (y·s cancels near the
        # minimum) shows there, while the accepted steps agree to 1e-6
        np.testing.assert_allclose(ours.trail[k, : counts[k]], np.array(points[k]), rtol=1e-4, atol=1e-9)
        assert np.isnan(ours.trail[k, counts[k] :]).all()
    if line_search and surface_name == "rosenbrock":
        assert max(counts) > 2  # the line search brackets and zooms


def test_lbfgs_default_max_eval_is_torchs():
    """torch's max_eval for max_iter=1 is 1·5//4 = 1: its line search then tries one step length."""
    torch = _torch()
    s = landscapes.get("rosenbrock")
    hyper = {**optimizers.RULES["lbfgs"].defaults, "line_search": 1.0}
    assert hyper["max_eval"] == 1.0 and hyper["lr"] == 1.0 and hyper["history_size"] == 100.0
    ours = optimizers.run("lbfgs", s, (-1.5, 2.5), 20, **hyper)
    ref, _, counts = torch_lbfgs(torch, s, (-1.5, 2.5), 20, hyper)
    np.testing.assert_allclose(ours.path, ref, rtol=1e-6, atol=1e-9)
    assert set(counts) <= {1, 2}


@pytest.mark.parametrize("surface_name, start, steps", SURFACES)
@pytest.mark.parametrize("odd", [False, True])
def test_adafactor_matches_torch(surface_name, start, steps, odd):
    torch = _torch()
    s = _surface(surface_name)
    hyper = dict(optimizers.RULES["adafactor"].defaults)
    assert hyper["lr"] == 1e-2 and hyper["beta2_decay"] == -0.8 and hyper["eps2"] == 1e-3 and hyper["d"] == 1.0
    if odd:
        hyper.update(lr=0.2, beta2_decay=-0.5, eps=1e-6, eps2=1e-2, d=1.5, weight_decay=0.05)
    noise = optimizers.gradient_noise(0.1, 7, steps * 5, 1)[:, 0]
    ours = optimizers.run("adafactor", s, start, steps * 5, grad_noise=0.1, seed=7, **hyper)
    ref = torch_adafactor(torch, s, start, steps * 5, hyper, noise=noise)
    a, b = _finite_prefix(ours.path, ref)
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9)


# --- Newton against numpy --------------------------------------------------------------------------


def numpy_newton(surface, start, steps, lr=1.0, damping=0.0, saddle_free=False, noise=None):
    p = np.array(start, dtype=float)
    path = [p.copy()]
    for k in range(steps):
        g = np.array(surface.gradient(np.float64(p[0]), np.float64(p[1])), dtype=float)
        if noise is not None:
            g = g + noise[k]
        h = surface.hessian_matrix(p[0], p[1])
        if saddle_free:
            lam, q = np.linalg.eigh(h)
            step = q @ ((q.T @ g) / (np.abs(lam) + damping))
        else:
            step = np.linalg.solve(h + damping * np.eye(2), g)
        p = p - lr * step
        path.append(p.copy())
    return np.array(path)


@pytest.mark.parametrize("surface_name, start, steps", SURFACES)
@pytest.mark.parametrize("variant", [{}, {"damping": 2.0, "lr": 0.5}, {"saddle_free": 1.0}])
def test_newton_matches_numpy(surface_name, start, steps, variant):
    s = _surface(surface_name)
    noise = optimizers.gradient_noise(0.05, 11, steps, 1)[:, 0]
    ours = optimizers.run("newton", s, start, steps, grad_noise=0.05, seed=11, **variant)
    ref = numpy_newton(
        s,
        start,
        steps,
        lr=variant.get("lr", 1.0),
        damping=variant.get("damping", 0.0),
        saddle_free=bool(variant.get("saddle_free")),
        noise=noise,
    )
    a, b = _finite_prefix(ours.path, ref)
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("text", ["x^2 + y^2", "3*x^2 + x*y + 2*y^2 - x + 4*y", "(x - 1)^2 - 2*y^2 + x*y"])
def test_newton_solves_a_quadratic_in_one_step(text):
    """lr 1 on a quadratic: θ₁ is its stationary point (a saddle too: pure Newton goes there)."""
    s = formula_surface(text)
    r = optimizers.run("newton", s, (3.0, -2.0), 3)
    g = np.array(s.gradient(r.path[1, 0], r.path[1, 1]), dtype=float)
    np.testing.assert_allclose(g, 0.0, atol=1e-12)
    np.testing.assert_allclose(r.path[2], r.path[1], atol=1e-12)
    r2 = optimizers.run("newton", landscapes.get("paraboloid"), (-9.0, 8.0), 1)
    np.testing.assert_array_equal(r2.path[1], (0.0, 0.0))


def test_newton_stops_where_the_hessian_is_singular():
    s = landscapes.get("monkey_saddle")
    r = optimizers.run("newton", s, (0.0, 0.0), 10)  # H = 0 at the monkey saddle's centre
    assert r.stopped_at == 0 and "singular" in r.stop_reason
    assert r.diverged_at is None and np.all(r.path == 0.0)
    flat = formula_surface("x^2 + 0*y")  # Lyy = 0 everywhere
    r = optimizers.run("newton", flat, (1.0, 1.0), 5)
    assert r.stopped_at == 0 and np.all(r.path == (1.0, 1.0))
    damped = optimizers.run("newton", flat, (1.0, 1.0), 5, damping=1.0)  # H + δI is regular
    assert damped.stopped_at is None and damped.stop_reason == ""


def test_saddle_free_newton_escapes_the_saddle_where_newton_is_drawn_in():
    s = landscapes.get("saddle")
    start = (0.5, 0.3)
    pure = optimizers.run("newton", s, start, 20)
    free = optimizers.run("newton", s, start, 20, saddle_free=1.0)
    assert np.hypot(*pure.path[-1]) < 1e-9  # the saddle at (0, 0)
    assert not np.isfinite(free.path[-1]).all() or np.hypot(*free.path[-1]) > 1.0


# --- hand-computed first steps (paraboloid, θ₀ = (3, 4), g = (6, 8)) ------------------------------

FIRST_STEP = {
    "newton": (3.0 - 0.5 * 6.0 / 2.0, 4.0 - 0.5 * 8.0 / 2.0),  # lr 0.5: H = 2I
    "lbfgs": (3.0 - 6.0 / 14.0, 4.0 - 8.0 / 14.0),  # t = min(1, 1/‖g‖₁)·lr, d = −g
    # t = 1: v = g², u = (1, 1), ‖u‖/√2 = 1; α = max(1e-3, 5/√2)·min(0.01, 1)
    "adafactor": (3.0 - 5.0 / math.sqrt(2.0) * 0.01, 4.0 - 5.0 / math.sqrt(2.0) * 0.01),
}


@pytest.mark.parametrize("backend", ["numba", "numpy"])
@pytest.mark.parametrize("rule", VECTOR)
def test_first_step_by_hand(rule, backend):
    hyper = {"lr": 0.5} if rule == "newton" else {}
    r = optimizers.run(rule, landscapes.get("paraboloid"), (3.0, 4.0), 1, backend=backend, **hyper)
    np.testing.assert_allclose(r.path[1], FIRST_STEP[rule], rtol=1e-12)


# --- the engine's two loops, batches, roughness, schedules ------------------------------------------


@pytest.mark.parametrize("rule", VECTOR)
def test_compiled_and_numpy_loops_agree(rule):
    s = landscapes.get("multimodal", roughness=0.5, seed=2)
    extra = {"line_search": 1.0, "max_eval": 25.0} if rule == "lbfgs" else {}
    a = optimizers.run(rule, s, (-2.0, 2.0), 40, grad_noise=0.1, seed=1, backend="auto", **extra)
    b = optimizers.run(rule, s, (-2.0, 2.0), 40, grad_noise=0.1, seed=1, backend="numpy", **extra)
    np.testing.assert_allclose(a.path, b.path, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(a.loss, b.loss, rtol=1e-9, atol=1e-12)
    for slot in a.state:
        np.testing.assert_allclose(a.state[slot], b.state[slot], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("rule", VECTOR)
def test_a_batch_is_its_single_runs(rule):
    """Each start of a batch (with its own learning rate) runs as it would alone."""
    s = landscapes.get("himmelblau")
    starts = np.array([[0.3, -0.2], [-4.0, 4.0], [1.0, 1.0]])
    lrs = np.array([0.5, 1.0, 0.05]) if rule != "adafactor" else np.array([0.01, 0.1, 0.05])
    batch = optimizers.run_batch(rule, s, starts, 25, lr=lrs)
    for i in range(3):
        one = optimizers.run(rule, s, starts[i], 25, lr=lrs[i])
        np.testing.assert_allclose(batch.path[:, i], one.path, rtol=1e-12, equal_nan=True)
    noisy = optimizers.run_batch(rule, s, starts, 25, grad_noise=0.02, seed=4, lr=lrs)
    first = optimizers.run(rule, s, starts[0], 25, grad_noise=0.02, seed=4, lr=lrs[0])  # noise stream 0
    np.testing.assert_allclose(noisy.path[:, 0], first.path, rtol=1e-12, equal_nan=True)


def test_schedules_scale_the_vector_rules_lr():
    s = landscapes.get("paraboloid")
    sched = Schedule("step", 1.0, 0.5)  # torch's StepLR(step_size=1, gamma=0.5)
    r = optimizers.run("newton", s, (4.0, -2.0), 2, lr=0.5, lr_schedule=sched)
    np.testing.assert_allclose(r.path[1], (2.0, -1.0))
    np.testing.assert_allclose(r.path[2], (1.5, -0.75))  # lr 0.25 after one step
