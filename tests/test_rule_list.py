"""The optimizer list with twenty-odd rules: grouped with a line each, every (colour, dash) pair its own,
and every rule (the newer ones too) through the panel, link, contour map, inspector, events and explore."""

from __future__ import annotations

import numpy as np
import pytest

import explore
import landscapes
import optimizers
from analysis import inspector
from analysis import outcomes as compute
from analysis.events import events_of
from app.runs import controls, figures
from app.state.link import query_to_scene, scene_to_query
from app.state.scene import Scene, clamp_scene
from optimizers.rule import GROUPS

OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
PLOTLY_DASHES = {"solid", "dot", "dash", "longdash", "dashdot", "longdashdot"}
NEW = ("asgd", "rprop", "lion", "schedulefree_sgd", "schedulefree_adamw", "adopt")


def test_every_rule_has_its_own_colour_and_dash_from_okabe_ito():
    pairs = [(r.color.upper(), r.dash) for r in optimizers.RULES.values()]
    assert len(set(pairs)) == len(pairs), sorted(pairs)
    assert {c for c, _ in pairs} <= OKABE_ITO and {d for _, d in pairs} <= PLOTLY_DASHES


def test_every_rule_has_a_group_and_a_line_of_description():
    for r in optimizers.RULES.values():
        assert r.group in GROUPS and 10 < len(r.blurb) <= 110, r.name
    assert tuple(GROUPS) == ("classic", "adaptive", "second-order", "modern")
    with pytest.raises(ValueError, match="group must be one of"):
        optimizers.Rule(**{**_fields(optimizers.RULES["sgd"]), "group": "exotic"})
    with pytest.raises(ValueError, match="not a state slot"):
        optimizers.Rule(**{**_fields(optimizers.RULES["sgd"]), "companion": "nothing"})


def _fields(rule):
    from dataclasses import fields

    return {f.name: getattr(rule, f.name) for f in fields(rule)}


def test_the_list_is_grouped_under_headings_in_order():
    options = controls.rule_options()
    headings = [o["value"] for o in options if o.get("disabled")]
    used = [g for g in GROUPS if any(r.group == g for r in optimizers.RULES.values())]
    assert headings == [controls.GROUP_PREFIX + g for g in used]
    current = None
    seen = []
    for o in options:
        if o.get("disabled"):
            current = o["value"].removeprefix(controls.GROUP_PREFIX)
        else:
            assert optimizers.RULES[o["value"]].group == current
            seen.append(o["value"])
    assert sorted(seen) == sorted(optimizers.NAMES)
    assert [s for s in seen if optimizers.RULES[s].group == "modern"][:2] == ["lion", "schedulefree_sgd"]
    text = str(controls.controls_panel(Scene()))
    assert "Muon" in text and "SparseAdam" in text and "Schedule-Free AdamW" in text
    # a heading sent as a rule (hostile link or page) is refused with a notice, not run
    scene, notices = clamp_scene(Scene(rules=("sgd", "group:modern")))
    assert scene.rules == ("sgd",) and any("unknown" in n for n in notices)


def _scene():
    hyper = {"asgd": {"lr": 0.002, "t0": 30.0}, "schedulefree_sgd": {"lr": 0.002, "warmup_steps": 5.0}}
    hyper |= {"rprop": {"etaplus": 1.5}, "lion": {"lr": 0.01}, "adopt": {"beta2": 0.999}}
    return clamp_scene(Scene(surface="rosenbrock", rules=NEW, steps=200, hyper=hyper, grad_noise=0.01))


def test_the_new_rules_through_the_link_the_map_the_inspector_and_the_events():
    scene, notices = _scene()
    assert notices == []
    query = scene_to_query(scene)
    assert "rprop.etaplus=1.5" in query and "asgd.t0=30" in query and "schedulefree_sgd.warmup_steps=5" in query
    assert query_to_scene(query) == (scene, [])
    surface = compute.surface_of(scene)
    outcomes = compute.run_scene(scene, surface)
    data = figures.contour_figure(surface, outcomes, scene)["data"]
    for rule in NEW:
        o = outcomes[rule]
        first, roles = figures.rule_trace_index(rule, outcomes), figures.roles_2d(o)
        mine = data[first : first + len(roles)]
        assert [t["meta"]["role"] for t in mine] == list(roles) and {t["meta"]["rule"] for t in mine} == {rule}
        companion = optimizers.RULES[rule].companion
        if companion is None:
            assert "second" not in roles  # no empty placeholder
        else:
            second = mine[roles.index("second")]
            assert second.get("visible", True) is not False and "dot" == second["line"]["dash"]
            assert second["name"].startswith(optimizers.RULES[rule].label + ": ")
        rows = dict(inspector.state_at(o, 50)["rows"])
        for slot in optimizers.RULES[rule].slots:
            assert optimizers.RULES[rule].slot_words[slot] in rows, (rule, slot)
        vectors, _ = inspector.arrows(o, 50, surface, scene.grad_noise)
        assert vectors  # at least the gradient's arrow
        assert isinstance(events_of(o, surface), list)
    # ASGD's averaged iterate starts at step t0 = 30: equal to theta before, behind it after
    ax = outcomes["asgd"].result.state["ax"]
    np.testing.assert_array_equal(ax[1:31], outcomes["asgd"].result.path[1:31])
    assert np.abs(ax[150] - outcomes["asgd"].result.path[150]).max() > 0


@pytest.mark.parametrize(
    "rule, second, values",
    [("rprop", "etaplus", (1.1, 1.5)), ("asgd", "lambd", (0.0, 0.05)), ("schedulefree_sgd", "warmup_steps", (0, 20))],
)
def test_sweeps_and_basin_maps_run_the_new_rules(rule, second, values):
    s = landscapes.get("paraboloid")
    lr = explore.sweep_values("lr", 1e-3, 0.5, 4)
    sw = explore.sweep(rule, s, s.start, 200, lr, second, np.array(values, dtype=float))
    assert sw.label.shape == (2, 4) and (sw.label == 0).any()
    basin = explore.basin_map(rule, landscapes.get("himmelblau"), resolution=8, steps=100, lr=0.005)
    assert basin.label.shape == (8, 8)
