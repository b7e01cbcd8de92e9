"""The rules beyond the notebook's twelve (ASGD, Rprop, Lion, Schedule-Free SGD and AdamW, ADOPT):
equal to their references (torch.optim or the authors' packages) in float64 on the paraboloid,
Rosenbrock and the monkey saddle, with gradient noise and odd settings; their second points (ASGD's
averaged iterate, schedule-free's x) equal the references' own; branches worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

import landscapes
import optimizers
from tests.reference_torch import TORCH_FACTORY, torch_path

NEW = ("asgd", "rprop", "lion", "schedulefree_sgd", "schedulefree_adamw", "adopt")
SURFACES = [
    ("paraboloid", (-9.0, 8.0), {"lr": 0.05}),
    ("rosenbrock", (-1.5, 2.5), {"lr": 1e-3}),
    ("monkey_saddle", (0.3, -0.2), {"lr": 0.01}),
]
ODD = {"rho": 0.8, "beta1": 0.85, "beta2": 0.995, "eps": 1e-6, "weight_decay": 0.02, "lambd": 0.01}
ODD |= {"alpha": 0.6, "t0": 15.0, "etaminus": 0.4, "etaplus": 1.3, "step_size_min": 1e-4, "step_size_max": 0.5}
ODD |= {"warmup_steps": 12.0, "r": 0.5, "weight_lr_power": 1.5}


def _settings(rule, base, odd):
    defaults = optimizers.RULES[rule].defaults
    chosen = {**(ODD if odd else {}), **base}
    return {**defaults, **{k: v for k, v in chosen.items() if k in defaults}}


@pytest.mark.parametrize("odd", [False, True], ids=["defaults", "odd"])
@pytest.mark.parametrize("surface_name, start, base", SURFACES)
@pytest.mark.parametrize("rule", NEW)
def test_equals_its_reference_with_noise(rule, surface_name, start, base, odd):
    import torch

    s = landscapes.get(surface_name)
    hyper = _settings(rule, base, odd)
    steps, sigma = 300, 0.05
    ours = optimizers.run(rule, s, start, steps, grad_noise=sigma, seed=3, **hyper)
    noise = optimizers.gradient_noise(sigma, 3, steps, 1)[:, 0]
    with np.errstate(all="ignore"):  # the reference runs on past a divergence; compared up to it
        ref = torch_path(torch, rule, s, start, steps, hyper, noise=noise)
    end = steps + 1 if ours.diverged_at is None else ours.diverged_at
    assert end > 40, f"{rule} on {surface_name} left the domain at step {end}: pick a gentler setting"
    np.testing.assert_allclose(ours.path[:end], ref[:end], rtol=1e-6, atol=1e-9)


def _reference_second_points(rule, surface, start, steps, hyper):
    """The references' own averaged points after each step: ASGD's ``ax`` state, and the
    schedule-free packages' eval-mode parameter (``opt.eval()`` sets it to x; ``opt.train()`` back)."""
    import torch

    p = torch.tensor(np.asarray(start, dtype=np.float64), dtype=torch.float64, requires_grad=True)
    opt = TORCH_FACTORY[rule](torch, p, hyper)
    default = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)  # ASGD keeps its eta and mu in the default dtype
    try:
        return _second_points(torch, rule, opt, p, surface, steps)
    finally:
        torch.set_default_dtype(default)


def _second_points(torch, rule, opt, p, surface, steps):
    out = []
    for _ in range(steps):
        x, y = p.detach().numpy()
        p.grad = torch.tensor(np.array(surface.gradient(x, y), dtype=np.float64), dtype=torch.float64)
        opt.step()
        if rule == "asgd":
            out.append(opt.state[p]["ax"].numpy().copy())
        else:
            opt.eval()
            out.append(p.detach().numpy().copy())
            opt.train()
    return np.array(out)


@pytest.mark.parametrize("rule", ["asgd", "schedulefree_sgd", "schedulefree_adamw"])
def test_the_second_point_equals_the_references(rule):
    s = landscapes.get("rosenbrock")
    hyper = _settings(rule, {"lr": 1e-3}, odd=True)
    r = optimizers.RULES[rule]
    ours = optimizers.run(rule, s, (-1.5, 2.5), 200, **hyper)
    second = ours.state[r.companion]
    assert second.shape == (201, 2)
    want = _reference_second_points(rule, s, (-1.5, 2.5), 200, hyper)
    np.testing.assert_allclose(second[1:], want, rtol=1e-6, atol=1e-9)
    if rule == "asgd":  # before t0 the average is the iterate itself; afterwards it lags behind
        np.testing.assert_array_equal(second[1:16], ours.path[1:16])
        assert np.abs(second[100] - ours.path[100]).max() > 1e-4


def _one(rule, grads, start=3.0, **over):
    """Apply ``rule`` to one coordinate with the gradients ``grads``; the points after each step."""
    r = optimizers.RULES[rule]
    values = {name: 0.0 for name in optimizers.HYPER_NAMES} | r.defaults | over
    h = optimizers.Hyper(**values)
    p, state, out = np.array([start]), r.init(np.array([start])), []
    for g in grads:
        p, state = r.update(np.array([g]), state, p, h)
        out.append(float(p[0]))
    return out, state


def test_rprop_grows_while_the_sign_holds_and_skips_a_flip():
    pts, (t, prev, size) = _one("rprop", [2.0, 1.0, -1.0, -1.0])
    # steps: 0.01 (first), 0.012 (same sign), flip: size 0.006 and no move, then prev = 0: size stays 0.006
    want = [3.0 - 0.01, 3.0 - 0.01 - 0.012, 3.0 - 0.022, 3.0 - 0.022 + 0.006]
    assert pts == pytest.approx(want, rel=1e-14)
    assert size[0] == pytest.approx(0.006) and prev[0] == -1.0 and t[0] == 4.0


def test_adopt_second_step_and_its_clip():
    pts, _ = _one("adopt", [2.0, 2.0])
    # v_1 = 4; n_2 = 2 / 2 = 1 (inside the clip 2^(1/4)); m_2 = 0.1; theta = 3 - 0.1 * 0.1
    assert pts == pytest.approx([3.0, 3.0 - 0.1 * 0.1], rel=1e-14)
    pts, _ = _one("adopt", [0.5, 50.0])  # n_2 = 50 / 0.5 = 100, clipped to 2^(1/4)
    assert pts[1] == pytest.approx(3.0 - 0.1 * 0.1 * 2**0.25, rel=1e-14)


def test_lion_moves_every_coordinate_by_exactly_lr():
    r = optimizers.run("lion", landscapes.get("rosenbrock"), (-1.3, 2.1), 50, lr=0.01)
    steps = np.abs(np.diff(r.path, axis=0))
    assert np.all(np.isclose(steps, 0.01, rtol=1e-9) | (steps == 0.0))


def test_schedule_free_second_step_by_hand():
    # step 1: c = 1, y = z = 3 - 0.1 g1; step 2: w = 0.01 each, c = 1/2, y = lerp(y, z, 1/2) = y
    pts, (k, z, x, lr_max, wsum) = _one("schedulefree_sgd", [2.0, 1.0])
    y1 = 3.0 - 0.2
    z2 = y1 - 0.1 * 1.0
    y2 = y1 + 0.1 * (0.9 * 0.5 - 1.0) * 1.0
    assert pts == pytest.approx([y1, y2], rel=1e-14)
    assert z[0] == pytest.approx(z2) and x[0] == pytest.approx(y2 + (1 - 1 / 0.9) * (z2 - y2))
    assert wsum[0] == pytest.approx(0.02) and lr_max[0] == pytest.approx(0.1) and k[0] == 2.0


def test_schedule_free_warm_up_scales_the_first_steps():
    pts, (_, _, _, lr_max, _) = _one("schedulefree_sgd", [1.0], warmup_steps=4.0)
    assert pts[0] == pytest.approx(3.0 - 0.1 / 4, rel=1e-14) and lr_max[0] == pytest.approx(0.025)


def test_asgd_step_size_decays_as_torch_writes_it():
    _, (t, eta, mu, _) = _one("asgd", [1.0] * 5, lambd=0.1, alpha=0.5, t0=2.0)
    assert eta[0] == pytest.approx(0.1 / math.sqrt(1 + 0.1 * 0.1 * 5), rel=1e-14)
    assert mu[0] == pytest.approx(1 / 3) and t[0] == 5.0


@pytest.mark.parametrize("rule", NEW)
def test_compiled_and_numpy_engines_agree(rule):
    s = landscapes.get("monkey_saddle")
    a = optimizers.run(rule, s, (0.5, 0.4), 200, backend="numba", lr=0.01)
    b = optimizers.run(rule, s, (0.5, 0.4), 200, backend="numpy", lr=0.01)
    np.testing.assert_allclose(a.path, b.path, rtol=1e-12, atol=1e-14)
    for slot in optimizers.RULES[rule].slots:
        np.testing.assert_allclose(a.state[slot], b.state[slot], rtol=1e-12, atol=1e-14)
