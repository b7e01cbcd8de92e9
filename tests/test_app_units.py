"""Pure parts of the app: URL round trip, clamping with notices, figure builders, callbacks' glue."""

import json
from dataclasses import replace

import numpy as np
import pytest
from dash._utils import to_json

import optimizers
from analysis import outcomes as compute
from app.runs import figures
from app.runs.summary import summary_text
from app.state.link import query_to_scene, scene_to_query
from app.state.scene import Scene, clamp_scene


def test_url_round_trip_restores_the_exact_scene():
    scene = Scene(
        surface="rosenbrock",
        roughness=0.5,
        grad_noise=0.25,
        seed=1234,
        start=(-1.25, 2.75),
        steps=777,
        rules=("adam", "sgd", "nadam"),
        hyper={"adam": {"lr": 0.0123, "beta2": 0.99}, "sgd": {"lr": 1e-3}},
        log_loss=True,
        theme="dark",
        embed=True,
        hide=("noise", "steps"),
    )
    back, notices = query_to_scene(scene_to_query(scene))
    assert notices == []
    assert back == scene


@pytest.mark.parametrize(
    "query, check, notice",
    [
        ("?steps=abc", lambda s: s.steps == 2000, "steps"),
        ("?steps=1e12", lambda s: s.steps == 20000, "steps: 1e+12 is outside"),
        ("?surface=evil", lambda s: s.surface == "multimodal", "unknown"),
        ("?opt=sgd,shampoo", lambda s: s.rules == ("sgd",), "'shampoo' is unknown"),
        ("?adam.lr=-5", lambda s: s.hyper["adam"]["lr"] == 1e-6, "adam lr"),
        ("?adam.lr=nan", lambda s: s.hyper_of("adam")["lr"] == 0.1, "adam lr"),
        ("?adam.rho=0.5", lambda s: "adam" not in s.hyper, "no setting 'rho'"),
        ("?x=1e300&y=0&surface=paraboloid", lambda s: s.start == (10.0, 0.0), "start x"),
        ("?x=abc&y=2", lambda s: s.start is None, "start point"),
        ("?seed=-4", lambda s: s.seed == 0, "seed"),
        ("?theme=neon", lambda s: s.theme == "light", "theme"),
        ("?" + "a=1&" * 3000, lambda s: s == Scene(), "longer than"),
        ("?__import__('os')=1", lambda s: s == Scene(), "unknown setting"),
    ],
)
def test_bad_url_values_fall_back_with_a_notice(query, check, notice):
    scene, notices = query_to_scene(query)
    assert check(scene)
    assert any(notice in n for n in notices), notices


def test_clamp_scene_leaves_a_valid_scene_alone():
    scene, notices = clamp_scene(Scene())
    assert notices == [] and scene == Scene()


def _default():
    scene = Scene()
    surface = compute.surface_of(scene)
    return scene, surface, compute.run_scene(scene, surface)


def test_figures_have_traces_for_the_enabled_rules_only_and_small_payloads():
    scene, surface, outcomes = _default()
    f3 = figures.surface_figure(surface, outcomes, scene)
    fc = figures.contour_figure(surface, outcomes, scene)
    fl = figures.loss_figure(surface, outcomes, scene)
    drawn = figures.drawn_rules(outcomes)
    assert drawn == [r for r in optimizers.NAMES if r in scene.rules] and len(drawn) < len(optimizers.NAMES)
    n = len(drawn)
    assert len(f3["data"]) == figures.HEAD + 3 * n  # path line, end, now
    assert len(fc["data"]) == figures.HEAD + 3 * n  # no ensemble, no L-BFGS, no second point: nothing more
    assert len(fl["data"]) == 3 * n  # line, now, events: no ensemble, no band
    assert f3["data"][0]["type"] == "surface" and fc["data"][0]["type"] == "contour"
    for rule in scene.rules:
        path = f3["data"][figures.rule_trace_index(rule, outcomes, figures.roles_3d)]
        assert path["meta"]["rule"] == rule and path["line"]["color"] == optimizers.RULES[rule].color
        assert path["uid"] == f"{rule}-line"
    rules_seen = {(t.get("meta") or {}).get("rule") for f in (f3, fc, fl) for t in f["data"]} - {None}
    assert rules_seen == set(scene.rules)  # a disabled rule (adagrad) has no traces at all
    total = len(to_json([f3, fc, fl]))
    assert total < 400_000


def test_long_runs_are_thinned_for_display_and_the_titles_say_so():
    scene = Scene(surface="paraboloid", roughness=2.0, rules=("sgd",), steps=5000)  # the notebook's scene
    surface = compute.surface_of(scene)
    outcomes = compute.run_scene(scene, surface)
    f3 = figures.surface_figure(surface, outcomes, scene)
    path = f3["data"][figures.rule_trace_index("sgd", outcomes, figures.roles_3d)]
    stride = path["meta"]["stride"]
    assert stride == 9 and f"1 step in {stride}" in f3["layout"]["title"]["subtitle"]["text"]
    assert figures.loss_figure(surface, outcomes, scene)["layout"]["title"]["subtitle"]["text"].endswith("1 step in 3")
    short = Scene(rules=("sgd",), steps=500)
    s2 = compute.surface_of(short)
    assert not figures.surface_figure(s2, compute.run_scene(short, s2), short)["layout"]["title"]["subtitle"]["text"]


def test_figure_builders_are_pure():
    scene, surface, outcomes = _default()
    a = to_json(figures.contour_figure(surface, outcomes, scene))
    b = to_json(figures.contour_figure(surface, outcomes, scene))
    assert a == b


def test_diverged_run_is_drawn_up_to_divergence_and_labelled():
    scene = Scene(surface="paraboloid", rules=("sgd",), hyper={"sgd": {"lr": 2.0}}, steps=100)
    scene, _ = clamp_scene(scene)
    surface = compute.surface_of(scene)
    outcomes = compute.run_scene(scene, surface)
    o = outcomes["sgd"]
    assert o.status.startswith("diverged at step")
    traces = figures.rule_traces_2d("sgd", o)
    assert traces[1]["marker"]["symbol"] == "x" and "diverged" in traces[1]["name"]
    loss = figures.loss_figure(surface, outcomes, scene)["data"][0]
    assert "diverged at" in loss["name"]
    assert "diverged at step" in summary_text(outcomes, surface)
    json.loads(to_json(figures.surface_figure(surface, outcomes, scene)))  # serialisable, no NaN blow-up


def test_charts_leave_room_for_their_axis_labels_and_keep_automargin_for_the_rest():
    """Margins that fit the usual labels from the start (automargin would draw the chart again to
    widen them: ``tests/test_browser_round_trips.py`` counts the draws); wider for a diverging run's
    "−0.8×10³³" and for projector mode's big type."""
    scene, surface, outcomes = _default()
    fc, fl = figures.contour_figure(surface, outcomes, scene), figures.loss_figure(surface, outcomes, scene)
    assert fc["layout"]["margin"] == {"l": 64, "r": 20, "t": 64, "b": 50}
    assert fl["layout"]["margin"]["l"] == 70 and fl["layout"]["margin"]["b"] == 44
    assert all(fig["layout"][ax]["automargin"] for fig in (fc, fl) for ax in ("xaxis", "yaxis"))
    big = Scene(present=True)
    assert figures.contour_figure(surface, outcomes, big)["layout"]["margin"]["l"] == round(64 * 20 / 12)

    wild = Scene(surface="rosenbrock")  # the seed's learning rates: a run diverges to ~1e27 before it stops
    s2 = compute.surface_of(wild)
    diverged = compute.run_scene(wild, s2)
    assert max(np.nanmax(np.abs(o.result.loss)) for o in diverged.values()) > figures.BIG_LOSS
    assert figures.loss_figure(s2, diverged, wild)["layout"]["margin"]["l"] == 92
    assert figures.loss_figure(s2, diverged, replace(wild, log_loss=True))["layout"]["margin"]["l"] == 70


def test_outcomes_report_convergence_to_the_nearest_minimum():
    _, _, outcomes = _default()
    sgd = outcomes["sgd"]
    assert sgd.converged_at is not None and sgd.distance < 1e-3
    np.testing.assert_allclose(sgd.nearest_minimum, (-1.8768, 0.0435), atol=1e-3)


def test_log_view_plots_loss_above_the_floor():
    _, surface, outcomes = _default()
    scene_log = Scene(log_loss=True)
    fig = figures.loss_figure(surface, outcomes, scene_log)
    assert fig["layout"]["yaxis"]["type"] == "log"
    assert "L*" in fig["layout"]["yaxis"]["title"]["text"]


def test_a_setting_change_patches_only_that_optimizers_traces():
    from dash._utils import to_json as dumps

    from app.runs.patches import rule_patches

    scene = Scene(hyper={"adam": {"lr": 0.05}})
    surface = compute.surface_of(scene)
    outcomes = compute.run_scene(scene, surface)
    p3, pc, pl = rule_patches("adam", outcomes, surface, scene)
    figs = (
        figures.surface_figure(surface, outcomes, scene),
        figures.contour_figure(surface, outcomes, scene),
        figures.loss_figure(surface, outcomes, scene),
    )
    adam = outcomes["adam"]
    for patch, first, count, fig in (
        (p3, figures.rule_trace_index("adam", outcomes, figures.roles_3d), 3, figs[0]),
        (pc, figures.rule_trace_index("adam", outcomes), len(figures.roles_2d(adam)), figs[1]),
        (pl, figures.loss_trace_index("adam", outcomes), len(figures.roles_loss(adam)), figs[2]),
    ):
        ops = patch.to_plotly_json()["operations"]
        assert [op["location"] for op in ops] == [["data", first + j] for j in range(count)]
        assert all(op["params"]["value"]["meta"]["rule"] == "adam" for op in ops)
        # the patch lands on the slots of adam's traces in the whole figure, uid and all
        assert [op["params"]["value"]["uid"] for op in ops] == [fig["data"][first + j]["uid"] for j in range(count)]
    assert '"surface"' not in dumps(p3.to_plotly_json())  # the mesh is not resent


@pytest.mark.parametrize(
    "array",
    [
        np.linspace(-1, 1, 7, dtype=np.float32),
        np.arange(12, dtype=np.float32).reshape(3, 4),
        np.arange(5, dtype=np.int32),
    ],
)
def test_typed_arrays_are_written_as_plotly_writes_them(array):
    from _plotly_utils.utils import to_typed_array_spec

    assert figures.typed_array(array) == to_typed_array_spec(array)


@pytest.mark.parametrize("log_loss", [False, True])
def test_playback_markers_stand_at_the_scenes_step_and_the_scrubbers_patch_agrees(log_loss):
    from app.runs.patches import marker_patches

    # 5,000 steps are drawn through every 9th (3-D) and every 3rd step (contour, loss): the marker stands
    # on the last drawn point at or before the step, where the browser's playback puts it: 999 for 1001
    scene = Scene(surface="paraboloid", rules=("sgd", "adam"), steps=5000, step=1001, log_loss=log_loss)
    surface = compute.surface_of(scene)
    outcomes = compute.run_scene(scene, surface)
    figs = (
        figures.surface_figure(surface, outcomes, scene),
        figures.contour_figure(surface, outcomes, scene),
        figures.loss_figure(surface, outcomes, scene),
    )

    def marker_index(view: int, rule: str) -> int:
        if view == 2:
            return figures.loss_trace_index(rule, outcomes) + 1
        return figures.rule_trace_index(rule, outcomes, figures.roles_3d if view == 0 else figures.roles_2d) + 2

    patches = [p.to_plotly_json()["operations"] for p in marker_patches(outcomes, surface, scene)]
    assert [len(ops) for ops in patches] == [len(scene.rules)] * 3  # nothing but the markers is resent (below)
    for view, ops in enumerate(patches):
        for op in ops:
            assert op["operation"] == "Assign" and op["location"][0] == "data"
            assert op["params"]["value"] == figs[view]["data"][op["location"][1]]  # the very same marker
    for rule in scene.rules:
        now3, now2, now_loss = (figs[v]["data"][marker_index(v, rule)] for v in range(3))
        assert {t["name"] for t in (now3, now2, now_loss)} == {f"{optimizers.RULES[rule].label} now"}
        assert [now3["x"][0], now3["y"][0]] == [now2["x"][0], now2["y"][0]] == outcomes[rule].result.path[999].tolist()
        assert now_loss["x"] == [999]
    for view, ops in enumerate(patches):
        assert {op["location"][1] for op in ops} == {marker_index(view, rule) for rule in scene.rules}


def test_the_request_builders_name_the_apps_own_callbacks():
    from app.server import app
    from bench import dash_requests as dr

    for key in (dr.LOAD, dr.RECOMPUTE, dr.INSPECT, dr.COMPARE, dr.NEW_SEED, dr.EXPORT):
        assert key in app.callback_map, key
    for body in (dr.recompute(), dr.inspect(3, "sgd", "?steps=10"), dr.compare("compare", [], "?"), dr.load("?")):
        spec = app.callback_map[body["output"]]
        assert [(i["id"], i["property"]) for i in body["state"]] == [
            (s["id"], s["property"]) for s in spec.get("state", [])
        ]
        assert len(body["inputs"]) == len(spec["inputs"])


def test_the_tabs_come_from_one_table_and_each_feature_registers_its_callbacks():
    """A tab is its feature package plus one line in app.layout.TABS: the page shows the tabs in that
    order, and importing a feature package registered its callbacks (the app knows their outputs)."""
    from app.layout import TABS, tabs
    from app.server import app as dash_app

    built = tabs()
    assert [t.tab_id for t in built.children] == [tab_id for _, tab_id, _ in TABS]
    assert [t.label for t in built.children] == [label for label, _, _ in TABS]
    outputs = " ".join(dash_app.callback_map)
    for owned in ("graph-3d.figure", "basin-graph.figure", "sweep-graph.figure", "compare-grid.children"):
        assert owned in outputs
