"""The vector rules through the app's paths: events and summary (Newton's labelled stop), the
inspector, arrows, the contour map's evaluated points, basin maps, sweeps and the link."""

from __future__ import annotations

import base64

import numpy as np

import explore
import landscapes
from analysis.events import events_of
from analysis.inspector import arrows, state_at
from analysis.outcomes import run_scene, surface_of
from app.runs.figures import ROLES_2D, rule_traces_2d
from app.state.link import query_to_scene, scene_to_query
from app.state.scene import Scene

VECTOR = ("newton", "lbfgs", "adafactor")


def test_a_scene_with_every_vector_rule_runs_inspects_and_draws():
    scene = Scene(
        surface="rosenbrock",
        rules=VECTOR,
        steps=60,
        start=(-1.5, 2.5),
        hyper={"lbfgs": {"line_search": 1.0, "max_eval": 25.0}},
        step=3,
    )
    surface = surface_of(scene)
    out = run_scene(scene, surface)
    assert out["lbfgs"].status.startswith("converged")
    assert out["newton"].converged_at is not None  # after a first step out of the view, as Newton does here
    for rule, o in out.items():
        rows = dict(state_at(o, 3)["rows"])
        assert "point θ" in rows and "next step taken θₖ₊₁ − θₖ" in rows, rule
        vectors, _ = arrows(o, 3, surface, 0.0)
        assert vectors, rule
        events_of(o, surface)
    rows = dict(state_at(out["lbfgs"], 3)["rows"])
    evals = out["lbfgs"].result.state["evals"][3]
    assert rows["function evaluations (this step, in total)"] == f"({evals[0]:.4g}, {evals[1]:.4g})"
    assert evals[0] > 1  # the line search tried more than one step length
    rows = dict(state_at(out["newton"], 1)["rows"])
    assert "eigenvalues λ1 ≥ λ2 of the Hessian H where the last step started" in rows
    assert any(text.startswith("step per unit gradient") for text in rows)
    cloud = rule_traces_2d("lbfgs", out["lbfgs"])[ROLES_2D.index("cloud")]  # L-BFGS's evaluated points
    xs = np.frombuffer(base64.b64decode(cloud["x"]["bdata"]), dtype=cloud["x"]["dtype"])
    evaluated = int(out["lbfgs"].result.state["evals"][1:, 0].sum())
    assert cloud["meta"]["role"] == "cloud" and len(xs) == evaluated > out["lbfgs"].points  # every evaluated point


def test_newtons_singular_stop_is_an_event_and_a_status():
    scene = Scene(surface="monkey_saddle", rules=("newton", "adam"), steps=50, start=(0.0, 0.0))
    surface = surface_of(scene)
    o = run_scene(scene, surface)["newton"]
    assert o.status.startswith("stopped at step 0: the Hessian")
    kinds = [e.kind for e in events_of(o, surface)]
    assert kinds == ["stopped"]


def test_basin_maps_and_sweeps_run_the_vector_rules():
    s = landscapes.get("himmelblau")
    m = explore.basin_map("lbfgs", s, resolution=12, steps=60, line_search=1.0, max_eval=25.0)
    assert m.label.shape == (12, 12) and (m.label >= 0).mean() > 0.8  # most starts arrive at a minimum
    m = explore.basin_map("newton", s, resolution=8, steps=30)
    assert m.label.shape == (8, 8)
    lr = explore.sweep_values("lr", 0.1, 1.0, 4)
    damping = explore.sweep_values("damping", 0.0, 5.0, 3)
    sw = explore.sweep("newton", s, (0.3, -0.2), 30, lr, "damping", damping)
    assert np.asarray(sw.final_loss).size == 12


def test_the_link_keeps_the_vector_rules_settings():
    scene = Scene(
        surface="rosenbrock",
        rules=("lbfgs", "newton"),
        hyper={"lbfgs": {"line_search": 1.0, "max_eval": 25.0}, "newton": {"saddle_free": 1.0, "damping": 0.5}},
    )
    back, notices = query_to_scene(scene_to_query(scene))
    assert notices == []
    assert back.hyper_of("lbfgs")["line_search"] == 1.0 and back.hyper_of("lbfgs")["max_eval"] == 25.0
    assert back.hyper_of("newton")["saddle_free"] == 1.0 and back.hyper_of("newton")["damping"] == 0.5
