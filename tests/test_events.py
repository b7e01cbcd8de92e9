"""Events and the plain-language summary, on scenes whose story is known."""

import math

import pytest

from analysis import outcomes as compute
from analysis.events import curvature, events_of, run_sentence
from app.runs import figures
from app.runs.patches import rule_patches
from app.runs.summary import summary_text
from app.state.scene import Scene, clamp_scene


def _run(**kw):
    scene, _ = clamp_scene(Scene(**kw))
    surface = compute.surface_of(scene)
    return scene, surface, compute.run_scene(scene, surface)


def _kinds(outcome, surface):
    return [(e.kind, e.step) for e in events_of(outcome, surface)]


def test_curvature_of_the_paraboloid_is_two_everywhere():
    _, surface, _ = _run(surface="paraboloid")
    assert curvature(surface, (3.0, -1.0)) == pytest.approx(2.0, rel=1e-6)


def test_converged_run_names_the_minimum_and_the_step():
    _, surface, out = _run(surface="paraboloid", rules=("sgd",), hyper={"sgd": {"lr": 0.1}}, steps=300)
    o = out["sgd"]
    events = events_of(o, surface)
    assert [e.kind for e in events] == ["converged"]
    assert events[0].step >= o.converged_at and events[0].landmark == (0.0, 0.0)
    assert "SGD reached the minimum at (0, 0) within 1e-3 at step" in run_sentence(o, events)


def test_divergence_explains_the_learning_rate_against_the_curvature():
    _, surface, out = _run(surface="paraboloid", rules=("sgd",), hyper={"sgd": {"lr": 1.5}}, steps=100)
    (event,) = events_of(out["sgd"], surface)
    assert event.kind == "diverged" and event.step == out["sgd"].result.diverged_at
    assert "learning rate 1.5 is above 2/λ = 1 for the curvature λ = 2" in event.text


def test_saddle_escape_then_the_surface_falls_away():
    _, surface, out = _run(surface="saddle", start=(0.5, 1e-3), rules=("sgd",), hyper={"sgd": {"lr": 0.05}})
    kinds = [k for k, _ in _kinds(out["sgd"], surface)]
    assert kinds == ["escaped a saddle", "diverged"]
    sentence = run_sentence(out["sgd"], events_of(out["sgd"], surface))
    assert "falls away without bound" in sentence and "after escaping the saddle at (0, 0)" in sentence


def test_a_start_on_the_saddles_stable_line_stalls_there():
    _, surface, out = _run(surface="saddle", start=(0.5, 0.0), rules=("sgd",), hyper={"sgd": {"lr": 0.05}})
    (event,) = events_of(out["sgd"], surface)
    assert event.kind == "stalled" and "near the saddle at (0, 0)" in event.text


def test_sgd_stalls_on_the_flat_outskirts_where_adam_moves_on():
    _, surface, out = _run(
        surface="multimodal", start=(-11.5, 11.5), rules=("sgd", "adam"), hyper={"sgd": {"lr": 0.01}}
    )
    assert _kinds(out["sgd"], surface)[0][0] == "stalled"
    assert "on a plateau" in events_of(out["sgd"], surface)[0].text
    assert [k for k, _ in _kinds(out["adam"], surface)] == ["converged"]


def test_leaving_the_view_is_an_event_and_the_summary_joins_every_optimizer():
    _, surface, out = _run(surface="monkey_saddle", rules=("sgd", "adam"))
    assert ("left the view", out["adam"].left_view_at) in _kinds(out["adam"], surface)
    text = summary_text(out, surface)
    assert text.startswith("SGD diverged at step") and "Adam left the view at step" in text and text.endswith(".")


def test_loss_chart_marks_each_optimizers_events_and_the_patch_carries_them():
    scene, surface, out = _run(surface="paraboloid", rules=("sgd", "adam"), hyper={"sgd": {"lr": 1.5}}, steps=300)
    fig = figures.loss_figure(surface, out, scene)
    sgd_events = fig["data"][figures.loss_trace_index("sgd", out) + 2]
    assert sgd_events["meta"]["events"] == ["diverged"] and sgd_events["marker"]["symbol"] == ["x"]
    assert sgd_events["x"] == [out["sgd"].result.diverged_at] and math.isfinite(sgd_events["y"][0])
    _, _, loss_patch = rule_patches("adam", out, surface, scene)
    ops = loss_patch.to_plotly_json()["operations"]
    assert len(ops) == 3  # line, marker and events of that optimizer only (no ensemble: no band)
