"""The main view's figures send no empty placeholder traces, and the Patches that replace one
optimizer's traces (a setting changed) or move the playback markers (the paused scrubber) still land
on exactly the traces the whole figure has for them."""

import json
from dataclasses import replace

import pytest
from dash._utils import to_json

from analysis import outcomes as compute
from app.runs import figures
from app.runs.callbacks import shows_all_but
from app.runs.patches import marker_patches, rule_patches
from app.state.scene import DATA, Scene, clamp_scene
from bench import dash_requests as dr
from landscapes.data.spec import DataSpec

# with and without a second point (ASGD, schedule-free), L-BFGS's evaluated points, a plain rule between
MIX = ("sgd", "adam", "asgd", "schedulefree_sgd", "lbfgs")
CHANGES = {  # one setting of one rule, old and new value
    "sgd": ("lr", 0.01, 0.03),
    "asgd": ("lr", 0.002, 0.005),
    "schedulefree_sgd": ("lr", 0.002, 0.004),
    "lbfgs": ("max_eval", 1.0, 25.0),  # its evaluated points are drawn for every max_eval
}
HYPER = {"lbfgs": {"line_search": 1.0}}  # L-BFGS's line search: max_eval counts


def _scene(**kw) -> tuple:
    scene, notices = clamp_scene(Scene(**kw))
    assert notices == []
    surface = compute.surface_of(scene)
    return scene, surface, compute.run_scene(scene, surface)


def _figures(scene, surface, outcomes) -> list[dict]:
    figs = [
        figures.surface_figure(surface, outcomes, scene),
        figures.contour_figure(surface, outcomes, scene),
        figures.loss_figure(surface, outcomes, scene),
    ]
    return [json.loads(to_json(f)) for f in figs]  # as the browser gets them


def _apply(fig: dict, patch) -> dict:
    """``fig`` with ``patch``'s operations done to it, as Dash's renderer does them (only Assign here)."""
    fig = {**fig, "data": list(fig["data"]), "layout": dict(fig["layout"])}
    ops = patch if isinstance(patch, dict) else json.loads(to_json(patch.to_plotly_json()))  # an answer's, or a Patch
    for op in ops["operations"]:
        where, value = op["location"], op["params"]["value"]
        assert op["operation"] == "Assign" and len(where) == 2, op
        if where[0] == "data":
            assert 0 <= where[1] < len(fig["data"])  # replaces a trace the figure has: never appends one
        fig[where[0]][where[1]] = value
    return fig


def _empty(trace: dict) -> bool:
    return any(k in trace and (trace[k] == [] or trace[k] is None) for k in ("x", "y"))


def _placeholder(trace: dict) -> bool:
    """An empty or hidden trace, other than a run's events (they come and go with its settings, a
    Patch's change, so their trace stays, empty or not)."""
    return (_empty(trace) or trace.get("visible") is False) and trace["meta"]["role"] != "events"


def test_the_default_scene_sends_no_empty_trace():
    scene, surface, outcomes = _scene()
    f3, fc, fl = _figures(scene, surface, outcomes)
    n = len(scene.rules)
    assert n == 5 and all(o.ensemble is None for o in outcomes.values())
    assert [len(f["data"]) for f in (f3, fc, fl)] == [3 + 3 * n, 3 + 3 * n, 3 * n]  # were 18, 28, 30
    for fig in (f3, fc, fl):
        assert not [t["name"] for t in fig["data"] if _placeholder(t)]
        uids = [t["uid"] for t in fig["data"] if "uid" in t]
        assert len(uids) == len(set(uids)) == 3 * n


def test_an_ensemble_brings_its_cloud_band_and_median_and_companions_their_second_point():
    scene, surface, outcomes = _scene(rules=MIX, surface="rosenbrock", grad_noise=0.05, ensemble=8, steps=120)
    _, fc, fl = _figures(scene, surface, outcomes)
    for rule, o in outcomes.items():
        assert o.ensemble is not None
        has_second = figures.optimizers.RULES[rule].companion is not None
        assert figures.roles_2d(o) == ("line", "end", "now", "cloud") + (("second",) if has_second else ())
        assert figures.roles_loss(o) == figures.ROLES_LOSS
        first = figures.rule_trace_index(rule, outcomes)
        mine = fc["data"][first : first + len(figures.roles_2d(o))]
        assert [t["meta"]["role"] for t in mine] == list(figures.roles_2d(o))
        assert {t["meta"]["rule"] for t in mine} == {rule} and not any(_placeholder(t) for t in mine)
        assert "8 noise seeds" in mine[3]["name"]  # the ensemble's cloud, L-BFGS's too
        first = figures.loss_trace_index(rule, outcomes)
        mine = fl["data"][first : first + 6]
        assert [t["meta"]["role"] for t in mine] == ["line", "now", "events", "band", "band", "band"]
        assert [t["uid"] for t in mine] == [f"{rule}-{role}" for role in figures.ROLES_LOSS]
        assert mine[4]["fill"] == "tonexty" and "median of 8 seeds" in mine[5]["name"]
    assert len(fl["data"]) == figures.loss_traces_end(outcomes) == 6 * len(MIX)
    assert len(fc["data"]) == figures.rule_traces_end(outcomes) == 3 + 4 * len(MIX) + 2  # ASGD, SF-SGD: second
    assert not any(_placeholder(t) for f in (fc, fl) for t in f["data"][3:])


def test_without_an_ensemble_only_what_a_rule_has_is_drawn():
    scene, surface, outcomes = _scene(rules=MIX, surface="rosenbrock", steps=120)
    _, fc, fl = _figures(scene, surface, outcomes)
    roles = {
        rule: tuple(t["meta"]["role"] for t in fc["data"] if (t.get("meta") or {}).get("rule") == rule) for rule in MIX
    }
    assert roles == {
        "sgd": ("line", "end", "now"),
        "adam": ("line", "end", "now"),
        "asgd": ("line", "end", "now", "second"),
        "schedulefree_sgd": ("line", "end", "now", "second"),
        "lbfgs": ("line", "end", "now", "cloud"),  # the points its steps evaluated
    }
    assert fc["data"][figures.rule_trace_index("lbfgs", outcomes) + 3]["uid"] == "lbfgs-cloud"
    assert fc["data"][figures.rule_trace_index("asgd", outcomes) + 3]["uid"] == "asgd-second"
    assert len(fl["data"]) == 3 * len(MIX) and not any(_placeholder(t) for f in (fc, fl) for t in f["data"][3:])


@pytest.mark.parametrize("ensemble", [0, 6])
@pytest.mark.parametrize("rule", sorted(CHANGES))
def test_a_settings_patch_turns_the_old_figures_into_the_new_ones(rule, ensemble):
    """The old setting's whole figures, patched with the new setting's Patches for ``rule``, equal
    the new setting's whole figures: the Patch lands exactly on that rule's traces, uids and all."""
    name, old, new = CHANGES[rule]
    kw = {"rules": MIX, "surface": "rosenbrock", "grad_noise": 0.05, "ensemble": ensemble, "steps": 120}
    before = _figures(*_scene(**kw, hyper=HYPER | {rule: HYPER.get(rule, {}) | {name: old}}))
    scene, surface, outcomes = _scene(**kw, hyper=HYPER | {rule: HYPER.get(rule, {}) | {name: new}})
    after = _figures(scene, surface, outcomes)
    patches = rule_patches(rule, outcomes, surface, scene)
    for old_fig, new_fig, patch in zip(before, after, patches, strict=True):
        assert old_fig["data"] != new_fig["data"]  # the setting changed what is drawn
        assert _apply(old_fig, patch)["data"] == new_fig["data"]
        ops = patch.to_plotly_json()["operations"]
        assert {op["params"]["value"]["meta"]["rule"] for op in ops} == {rule}  # nothing of the others


def test_the_scrubbers_patch_moves_every_marker_on_the_full_figures():
    kw = {"rules": MIX, "surface": "rosenbrock", "grad_noise": 0.05, "ensemble": 6, "steps": 120}
    before = _figures(*_scene(**kw, step=10))
    scene, surface, outcomes = _scene(**kw, step=77)
    after = _figures(scene, surface, outcomes)
    for old_fig, new_fig, patch in zip(before, after, marker_patches(outcomes, surface, scene), strict=True):
        assert _apply(old_fig, patch)["data"] == new_fig["data"]
        targets = [old_fig["data"][op["location"][1]] for op in patch.to_plotly_json()["operations"]]
        assert sorted(t["meta"]["rule"] for t in targets) == sorted(MIX)
        assert {t["meta"]["role"] for t in targets} == {"now"}


def test_a_data_landscapes_patch_and_overlays_keep_their_places():
    """On a data landscape (an ensemble without gradient noise: each run its own shuffling) the
    callback's Patch, with the batch-loss overlay after every rule's traces, equals the whole chart."""
    from app.data.figures import batch_surface_index
    from app.runs.callbacks import _main_figures

    def main(lr, patched):
        data = DataSpec(model="logistic", n=200, batch=16, batch_surface=True)
        scene, surface, out = _scene(
            surface=DATA, data=data, rules=("sgd", "asgd", "adam"), ensemble=4, steps=60, hyper={"asgd": {"lr": lr}}
        )
        assert all(o.ensemble is not None for o in out.values())
        figs = _main_figures(out, surface, scene, {}, [], patched)
        return out, {k: figs[k] for k in ("surface_figure", "contour_figure", "loss_figure")}

    _, before = main(0.01, None)
    out, after = main(0.03, None)
    _, patches = main(0.03, "asgd")
    for key in after:
        old, new = json.loads(to_json(before[key])), json.loads(to_json(after[key]))
        assert _apply(old, patches[key])["data"] == new["data"]
    assert after["contour_figure"]["data"][batch_surface_index(out)]["meta"]["role"] == "batch_surface"
    names = [t.get("name") for t in after["loss_figure"]["data"]]
    assert names.index("ASGD: batch loss") >= figures.loss_traces_end(out)


GRAPHS = ("graph-3d", "graph-contour", "graph-loss")


def _post(body: dict) -> dict:
    from app.server import app

    answer = app.server.test_client().post(dr.ENDPOINT, data=json.dumps(body), content_type="application/json")
    assert answer.status_code == 200
    return answer.get_json()["response"]


def _patch(answer: dict, graph: str) -> dict:
    figure = answer[graph]["figure"]
    assert "__dash_patch_update" in figure, f"{graph}: a whole figure, not a Patch"
    return figure


def test_through_the_endpoint_both_patches_turn_the_shown_figures_into_the_new_scenes():
    """The real callbacks, as the page asks them: the whole figures of a scene with an ensemble and
    a mix of rules; then ASGD's learning rate changed (its traces only) and the paused scrubber moved
    (every marker; the server runs the single runs only): each patched figure equals the whole
    figure the new scene gets."""
    kw = {"rules": MIX, "surface": "rosenbrock", "grad_noise": 0.05, "ensemble": 6, "steps": 120}
    old, _ = clamp_scene(Scene(**kw, hyper={"asgd": {"lr": 0.002}}))
    new, _ = clamp_scene(Scene(**kw, hyper={"asgd": {"lr": 0.005}}))
    shown = _post(dr.recompute_scene(old))
    setting = _post(dr.recompute_scene(new, changed='{"name":"lr","rule":"asgd","type":"hp"}.value'))
    whole = _post(dr.recompute_scene(new))
    for graph in GRAPHS:
        patched = _apply(shown[graph]["figure"], _patch(setting, graph))
        assert patched["data"] == whole[graph]["figure"]["data"], graph
    moved = _post(dr.inspect(77, "adam", dr.query_of(new), shown={"k": 0, "rule": "adam", "seq": 0}))
    at_77 = _post(dr.recompute_scene(replace(new, step=77)))
    for graph in GRAPHS:
        patched = _apply(whole[graph]["figure"], _patch(moved, graph))
        assert patched["data"] == at_77[graph]["figure"]["data"], graph


def test_the_scrubber_finds_the_batch_surface_after_an_ensembles_traces():
    """A data landscape with an ensemble and the batch's own surface: the paused scrubber's answer
    (single runs on the server) moves the markers and the batch surface where the whole figure has them."""
    from app.runs.callbacks import _main_figures

    data = DataSpec(model="logistic", n=200, batch=16, batch_surface=True)
    kw = {"surface": DATA, "data": data, "rules": ("sgd", "asgd", "lbfgs"), "ensemble": 4, "steps": 60}
    scene, surface, out = _scene(**kw)
    assert all(o.ensemble is not None for o in out.values())
    shown = json.loads(to_json(_main_figures(out, surface, scene, {}, [], None)["contour_figure"]))
    later, surface, out = _scene(**kw, step=23)
    whole = json.loads(to_json(_main_figures(out, surface, later, {}, [], None)["contour_figure"]))
    moved = _post(dr.inspect(23, "sgd", dr.query_of(later), shown={"k": 0, "rule": "sgd", "seq": 0}))
    patched = _apply(shown, _patch(moved, "graph-contour"))
    assert patched["data"] == whole["data"]
    assert {t["meta"]["role"] for t in patched["data"] if "meta" in t} >= {"cloud", "second", "batch_surface"}


def test_a_setting_is_patched_only_onto_figures_of_the_same_scene():
    """Dash drops an answer on its way when the same callback is asked again: the ensemble set (whole
    figures, dropped) and at once a learning rate changed. The page still shows the scene without the
    ensemble, whose traces lie elsewhere: it gets whole figures, not a Patch. A page that shows the
    scene at another step or with other arrows (they move without new figures) gets the Patch."""
    lr = '{"name":"lr","rule":"adam","type":"hp"}.value'
    kw = {"rules": MIX, "surface": "rosenbrock", "grad_noise": 0.05, "steps": 120}
    new, _ = clamp_scene(Scene(**kw, ensemble=6, hyper={"adam": {"lr": 0.02}}))
    for shown, patch in (
        (replace(new, hyper={"adam": {"lr": 0.01}}), True),
        (replace(new, hyper={}, step=40, inspect="asgd"), True),
        (replace(new, ensemble=0, hyper={"adam": {"lr": 0.01}}), False),
        (replace(new, rules=MIX[:-1]), False),
        (replace(new, hyper={"adam": {"lr": 0.01}, "sgd": {"lr": 0.05}}), False),
    ):
        answer = _post(dr.recompute_scene(new, changed=lr, shown_query=dr.query_of(shown)))
        for graph in GRAPHS:
            assert ("__dash_patch_update" in answer[graph]["figure"]) is patch, (shown, graph)
    whole = _post(dr.recompute_scene(new, changed=lr, shown_query=dr.query_of(replace(new, ensemble=0))))
    assert len(whole["graph-loss"]["figure"]["data"]) == 6 * len(MIX)  # the ensemble's band with each line
    for junk in (None, 7, {"q": 1}, "", "?opt=adam&ens=x&adam.lr=nan", "\x00" * 50):
        assert shows_all_but(junk, new, "adam") is False
