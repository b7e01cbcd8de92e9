"""Update rules: hand-computed first steps, fixed points, torch.optim and notebook references."""

import math

import numpy as np
import pytest

import landscapes
import optimizers
from optimizers.rule import Hyper

PARABOLOID = landscapes.get("paraboloid")
# Coordinate-wise rules; the vector rules (Newton, L-BFGS, Adafactor) are tested in test_vector_rules.py.
COORDINATE = [name for name in optimizers.NAMES if not optimizers.RULES[name].vector]


def _hyper(rule, **overrides):
    values = {name: 0.0 for name in optimizers.HYPER_NAMES}
    values.update(optimizers.RULES[rule].defaults, **overrides)
    return Hyper(**values)


# First step from theta_0 = 3 with gradient g = 2 (one coordinate), worked out by hand.
G, P = 2.0, 3.0
FIRST_STEP = {
    "sgd": P - 0.1 * G,
    "momentum": P - 0.1 * G,  # v_1 = g
    "nesterov": P - 0.1 * (G + 0.9 * G),
    "rmsprop": P - 0.1 * G / (math.sqrt(0.1 * G * G) + 1e-7),
    "adagrad": P - 0.1 * G / (G + 1e-7),
    "adadelta": P - 1.0 * math.sqrt(1e-6) / math.sqrt(0.1 * G * G + 1e-6) * G,
    "adam": P - 0.1 * (0.1 * G / 0.1) / (math.sqrt(0.001 * G * G) / math.sqrt(0.001) + 1e-7),
    "amsgrad": P - 0.1 * (0.1 * G / 0.1) / (math.sqrt(0.001 * G * G) / math.sqrt(0.001) + 1e-7),
    "adamw": P * (1 - 0.1 * 0.01) - 0.1 * G / (G + 1e-7),
    "adamax": P - 0.1 / 0.1 * (0.1 * G) / (G + 1e-7),
    "radam": P - 0.1 * G,  # rho_1 = 1 <= 5: un-rectified step on m_hat = g
    "asgd": P * (1 - 1e-4 * 0.1) - 0.1 * G,  # eta_1 = lr, decay term 1 - lambd * eta
    "rprop": P - 0.01,  # prev = 0: factor 1, the first step size is lr, times sign(g)
    "lion": P - 0.1,  # sign(0.9 * 0 + 0.1 * g) = 1
    "adopt": P,  # the first step only sets v = g^2
    "schedulefree_sgd": P - 0.1 * G,  # c_1 = 1: y = z = P, then lr * (0.9 * 0 - 1) * g
    "schedulefree_adamw": P - 0.1 * G / (math.sqrt(0.001 * G * G / 0.001) + 1e-8),
}


def _nadam_first_step():
    mu1 = 0.9 * (1 - 0.5 * 0.96**0.004)
    mu2 = 0.9 * (1 - 0.5 * 0.96**0.008)
    denom = math.sqrt(0.001 * G * G / 0.001) + 1e-7
    return P - 0.1 * (1 - mu1) / (1 - mu1) * G / denom - 0.1 * mu2 / (1 - mu1 * mu2) * (0.1 * G) / denom


FIRST_STEP["nadam"] = _nadam_first_step()


def test_every_rule_has_a_hand_computed_first_step():
    assert set(FIRST_STEP) == set(COORDINATE)


@pytest.mark.parametrize("rule", COORDINATE)
def test_first_step_by_hand(rule):
    r = optimizers.RULES[rule]
    params = np.array([P])
    new, _ = r.update(np.array([G]), r.init(params), params, _hyper(rule))
    assert new[0] == pytest.approx(FIRST_STEP[rule], rel=1e-12)


@pytest.mark.parametrize("rule", COORDINATE)
def test_update_is_pure_and_vectorised(rule):
    r = optimizers.RULES[rule]
    params = np.array([[1.0, -2.0], [0.5, 4.0]])
    grad = np.array([[0.3, -1.0], [2.0, 0.1]])
    state = r.init(params)
    before = [s.copy() for s in state]
    new, new_state = r.update(grad, state, params, _hyper(rule))
    assert new.shape == params.shape and len(new_state) == len(r.slots)
    for s, b in zip(state, before, strict=True):
        np.testing.assert_array_equal(s, b)  # inputs untouched
    # Row-wise equals one-at-a-time: the rule is coordinate-wise.
    for i in range(2):
        row, _ = r.update(grad[i], r.init(params[i]), params[i], _hyper(rule))
        np.testing.assert_allclose(new[i], row, rtol=1e-15)


@pytest.mark.parametrize("rule", optimizers.NAMES)
def test_minimum_is_a_fixed_point(rule):
    r = optimizers.run(rule, PARABOLOID, (0.0, 0.0), 50)
    assert np.all(r.path == 0.0)


# Settings under which each rule reaches the paraboloid's minimum from the default start.
CONVERGE = {
    "sgd": ({"lr": 0.1}, 300),
    "momentum": ({}, 600),
    "nesterov": ({}, 300),
    "rmsprop": ({"lr": 0.01}, 3000),
    "adagrad": ({"lr": 2.0}, 3000),
    "adadelta": ({}, 3000),
    "adam": ({}, 3000),
    "amsgrad": ({}, 3000),
    "adamw": ({}, 3000),
    "adamax": ({}, 3000),
    "nadam": ({}, 3000),
    "radam": ({}, 3000),
    "asgd": ({}, 300),
    "rprop": ({}, 300),
    "lion": ({"lr": 0.01}, 3000),
    "adopt": ({}, 3000),
    "schedulefree_sgd": ({}, 600),
    "schedulefree_adamw": ({}, 3000),
    "newton": ({}, 1),
    "lbfgs": ({}, 50),
    "adafactor": ({"lr": 0.1}, 3000),
}


@pytest.mark.parametrize("rule", optimizers.NAMES)
def test_reaches_the_known_minimum(rule):
    hyper, steps = CONVERGE[rule]
    r = optimizers.run(rule, PARABOLOID, PARABOLOID.start, steps, **hyper)
    assert r.diverged_at is None
    assert np.hypot(*r.path[-1]) < 1e-2


@pytest.mark.parametrize("rule", ["adam", "nesterov", "momentum"])
def test_reaches_rosenbrock_minimum(rule):
    s = landscapes.get("rosenbrock")
    hyper = {"lr": 0.02} if rule == "adam" else {"lr": 5e-4}
    r = optimizers.run(rule, s, s.start, 20000, **hyper)
    np.testing.assert_allclose(r.path[-1], (1.0, 1.0), atol=1e-2)


# --- torch.optim as independent reference -------------------------------------------------------


def _torch():
    try:
        import torch as t
    except ImportError:  # pragma: no cover - CI installs torch (requirements-dev.txt)
        pytest.fail("torch is required for the reference tests: pip install -r requirements-dev.txt")
    return t


SETTINGS = [
    ("rosenbrock", (-1.5, 2.5), {"lr": 1e-3}),
    ("multimodal", (-2.0, 2.0), {}),
    ("beale", (1.0, 1.5), {"lr": 1e-3}),
    ("himmelblau", (0.3, -0.2), {"lr": 0.005}),
]
ODD_HYPER = {"rho": 0.75, "decay": 0.95, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.05}
ODD_HYPER |= {"lambd": 0.01, "alpha": 0.6, "t0": 20.0, "etaminus": 0.4, "etaplus": 1.3}
ODD_HYPER |= {"step_size_min": 1e-4, "step_size_max": 0.5, "warmup_steps": 10.0, "r": 0.5, "weight_lr_power": 1.5}


@pytest.mark.parametrize("surface_name, start, base", SETTINGS)
@pytest.mark.parametrize("rule", COORDINATE)
def test_matches_torch_optim(rule, surface_name, start, base):
    from tests.reference_torch import torch_path

    t = _torch()
    s = landscapes.get(surface_name)
    defaults = optimizers.RULES[rule].defaults
    hyper = {**defaults, **{k: v for k, v in base.items() if k in defaults}}
    if rule == "adadelta":
        hyper["lr"] = 1.0
    ours = optimizers.run(rule, s, start, 400, **hyper)
    ref = torch_path(t, rule, s, start, 400, hyper)
    np.testing.assert_allclose(ours.path, ref, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("rule", COORDINATE)
def test_matches_torch_optim_with_other_hyperparameters_and_noise(rule):
    from tests.reference_torch import torch_path

    t = _torch()
    s = landscapes.get("multimodal")
    defaults = optimizers.RULES[rule].defaults
    hyper = {**defaults, **{k: v for k, v in ODD_HYPER.items() if k in defaults}, "lr": 0.03}
    ours = optimizers.run(rule, s, (1.0, -1.0), 300, grad_noise=0.1, seed=5, **hyper)
    noise = optimizers.gradient_noise(0.1, 5, 300, 1)[:, 0]
    ref = torch_path(t, rule, s, (1.0, -1.0), 300, hyper, noise=noise)
    np.testing.assert_allclose(ours.path, ref, rtol=1e-6, atol=1e-9)


# --- the seed notebook's own formulas as a second reference ---------------------------------------


def _notebook_paths(surface, start, steps, lr=0.1):
    """The five loops of the seed notebook, transcribed (scalar, plain Python)."""
    grad = lambda p: np.array(surface.gradient(np.float64(p[0]), np.float64(p[1])))
    out = {}
    p = np.array(start, float)
    path = [p]
    for _ in range(steps):
        p = p - lr * grad(p)
        path.append(p)
    out["sgd"] = path
    p, v, path = np.array(start, float), 0, [np.array(start, float)]
    for _ in range(steps):
        v = 0.9 * v + grad(p)
        p = p - lr * v
        path.append(p)
    out["momentum"] = path
    p, v, path = np.array(start, float), 0, [np.array(start, float)]
    for _ in range(steps):
        old_v = v
        v = 0.9 * v - lr * grad(p)
        p = p - 0.9 * old_v + (1 + 0.9) * v
        path.append(p)
    out["nesterov"] = path
    p, s, path = np.array(start, float), 0, [np.array(start, float)]
    for _ in range(steps):
        d = grad(p)
        s = 0.9 * s + 0.1 * d * d
        p = p - lr * d / (np.sqrt(s) + 1e-7)
        path.append(p)
    out["rmsprop"] = path
    p, m, v, path = np.array(start, float), 0, 0, [np.array(start, float)]
    for i in range(steps):
        d = grad(p)
        m = 0.9 * m + 0.1 * d
        v = 0.999 * v + 0.001 * d * d
        p = p - lr * (m / (1 - 0.9 ** (i + 1))) / (np.sqrt(v / (1 - 0.999 ** (i + 1))) + 1e-7)
        path.append(p)
    out["adam"] = path
    return {k: np.array(v) for k, v in out.items()}


def test_seed_five_match_the_notebook_formulas():
    s = landscapes.get("multimodal")
    ref = _notebook_paths(s, (-2.0, 2.0), 300)
    for rule in optimizers.SEED_FIVE:
        ours = optimizers.run(rule, s, (-2.0, 2.0), 300)
        np.testing.assert_allclose(ours.path, ref[rule], rtol=1e-6, atol=1e-9, err_msg=rule)
