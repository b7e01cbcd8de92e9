"""The state inspector and the gradient arrows at step k."""

import numpy as np
import pytest

from analysis import outcomes as compute
from analysis.inspector import ARROW_SPAN, arrows, state_at
from analysis.numbers import pair
from app.state.link import query_to_scene, scene_to_query
from app.state.scene import Scene, clamp_scene


def _run(**kw):
    scene, _ = clamp_scene(Scene(**kw))
    surface = compute.surface_of(scene)
    return scene, surface, compute.run_scene(scene, surface)


def test_plain_sgds_effective_learning_rate_is_its_learning_rate():
    _, _, out = _run(surface="multimodal", rules=("sgd",), hyper={"sgd": {"lr": 0.05}}, steps=50)
    rows = dict(state_at(out["sgd"], 10)["rows"])
    assert rows["effective learning rate −Δθ / g"] == "(0.05, 0.05)"
    assert "velocity" not in " ".join(rows)


def test_adams_moments_are_shown_raw_and_bias_corrected():
    _, _, out = _run(surface="rosenbrock", rules=("adam",), steps=20)
    o = out["adam"]
    st = state_at(o, 5)
    rows = dict(st["rows"])
    m = o.result.state["m"][5]
    assert rows["update count t"] == "5"
    m_hat = m / (1 - 0.9**5)
    assert rows["bias-corrected m̂ = m / (1 − β₁ᵗ)"] == pair(m_hat)
    assert st["step"] == 5 and state_at(o, 10_000)["step"] == 20  # clamped to the run


def test_arrows_share_one_scale_and_show_noise_lookahead_and_decay():
    _, surface, out = _run(surface="multimodal", rules=("nesterov", "adamw"), grad_noise=0.5, steps=60)
    notes, scale = arrows(out["nesterov"], 30, surface, 0.5)
    texts = [a["name"] for a in notes]
    assert texts == ["−lr·∇L (true gradient)", "−lr·g (noisy gradient used)", "step taken", "look-ahead θ − lr·ρ·v"]
    assert [a["text"] for a in notes] == ["∇L", "g", "step", "look-ahead"]
    lengths = [np.hypot(a["x"] - a["ax"], a["y"] - a["ay"]) for a in notes]
    assert max(lengths) == pytest.approx(ARROW_SPAN * 24.0)
    step = out["nesterov"].result.path[31] - out["nesterov"].result.path[30]
    assert lengths[2] == pytest.approx(scale * np.hypot(*step))
    decay, _ = arrows(out["adamw"], 30, surface, 0.5)
    assert decay[-1]["name"].startswith("weight-decay pull")
    clean, _ = arrows(_run(surface="multimodal", rules=("sgd",), steps=60)[2]["sgd"], 30, surface, 0.0)
    assert [a["name"] for a in clean] == ["−lr·∇L (true gradient)", "step taken"]


def test_the_step_and_the_inspected_optimizer_live_in_the_link():
    scene, notices = query_to_scene("?opt=sgd,adam&steps=100&k=40&inspect=adam")
    assert notices == [] and scene.step == 40 and scene.inspect == "adam"
    assert "k=40" in scene_to_query(scene) and "inspect=adam" in scene_to_query(scene)
    clamped, notices = query_to_scene("?opt=sgd&steps=100&k=500&inspect=adam")
    assert clamped.step == 100 and clamped.inspect == "" and len(notices) == 2
