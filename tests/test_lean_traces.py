"""The main view's figures send no empty placeholder traces, and the Patches that replace one
optimizer's traces (a setting changed) or move the playback markers (the paused scrubber) still land
on exactly the traces the whole figure has for them."""

import json

import pytest
from dash._utils import to_json

from analysis import outcomes as compute
from app.runs import figures
from app.runs.patches import marker_patches, rule_patches
from app.state.scene import DATA, Scene, clamp_scene
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
    for op in json.loads(to_json(patch.to_plotly_json()))["operations"]:
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
