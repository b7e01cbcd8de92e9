"""The control panel lays out settings for the enabled optimizers only; a disabled rule's settings
live on in the page's ``hyper-kept`` store, the scene and the link (issue #13: every component on the
page is consulted at each update of its state)."""

from dash.development.base_component import Component

import optimizers
from app.runs.controls import controls_panel, kept_settings, settings_items
from app.runs.panel import scene_from_controls
from app.state.link import query_to_scene, scene_to_query
from app.state.scene import Scene, clamp_scene
from optimizers.schedules import Schedule


def _components(tree) -> list[Component]:
    """Every Dash component in ``tree`` (children and component-valued props, e.g. titles)."""
    found = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (list, tuple)):
            stack.extend(node)
        elif isinstance(node, Component):
            found.append(node)
            stack.extend(
                getattr(node, p) for p in node._prop_names if isinstance(getattr(node, p, None), (Component, list))
            )
    return found


def _setting_rules(tree) -> set[str]:
    return {
        c.id["rule"]
        for c in _components(tree)
        if isinstance(c.id if hasattr(c, "id") else None, dict) and c.id.get("type") in ("hp", "sched", "lr-slider")
    }


def test_the_default_panel_has_settings_for_its_five_rules_only():
    scene = Scene()
    panel = controls_panel(scene)
    assert _setting_rules(panel) == set(optimizers.SEED_FIVE)
    every = controls_panel(Scene(rules=optimizers.NAMES))
    assert _setting_rules(every) == set(optimizers.NAMES)
    per_rule = (len(_components(every)) - len(_components(panel))) / (len(optimizers.NAMES) - 5)
    assert per_rule > 10  # each rule's settings are a dozen components or more: left out when disabled
    assert len(_components(panel)) < len(_components(every)) / 2


def test_a_disabled_rules_settings_are_kept_and_come_back_with_its_boxes():
    scene, notices = clamp_scene(
        Scene(
            rules=("sgd",),
            hyper={"adam": {"lr": 0.05}, "sgd": {"lr": 0.02}},
            schedules={"adam": Schedule("cosine", 0, 0.1)},
        )
    )
    assert notices == []
    kept = kept_settings(scene)
    assert kept["hyper"]["adam"] == {"lr": 0.05} and kept["schedules"]["adam"]["kind"] == "cosine"
    assert _setting_rules(settings_items(scene)) == {"sgd"}

    # the panel's values -> the scene: Adam's boxes are not on the page, its kept settings stand
    sgd_lr = {"id": {"type": "hp", "rule": "sgd", "name": "lr"}, "value": "0.03"}
    sgd_sched = [
        {"id": {"type": "sched", "rule": "sgd", "name": n}, "value": v}
        for n, v in (("kind", "constant"), ("a", 0), ("b", 0))
    ]
    controls = {
        "surface": "multimodal",
        "rules": ["sgd"],
        "hyper_inputs": [sgd_lr],
        "sched_inputs": sgd_sched,
        "kept": kept,
    }
    back, notices = scene_from_controls(controls)
    assert not [n for n in notices if "setting" in n or "lr" in n or "schedule" in n], notices
    assert back.hyper == {"adam": {"lr": 0.05}, "sgd": {"lr": 0.03}}  # the box wins for a shown rule
    assert back.schedules == {"adam": Schedule("cosine", 0.0, 0.1)}
    assert "adam.lr=0.05" in scene_to_query(back) and "adam.sched=cosine" in scene_to_query(back)
    assert query_to_scene(scene_to_query(back))[0].hyper == back.hyper

    # re-enabled: Adam's boxes show its kept values
    enabled = settings_items(clamp_scene(Scene(rules=("sgd", "adam"), hyper=back.hyper, schedules=back.schedules))[0])
    boxes = {
        c.id["name"]: c.value
        for c in _components(enabled)
        if getattr(c, "id", None) == {"type": "hp", "rule": "adam", "name": "lr"}
        or (
            isinstance(getattr(c, "id", None), dict)
            and c.id.get("rule") == "adam"
            and c.id.get("type") == "sched"
            and c.id["name"] == "kind"
        )
    }
    assert boxes == {"lr": 0.05, "kind": "cosine"}


def test_a_box_emptied_on_the_page_falls_back_to_the_default_not_to_a_kept_value():
    kept = {"hyper": {"sgd": {"lr": 0.02}}, "schedules": {}}
    empty = {"id": {"type": "hp", "rule": "sgd", "name": "lr"}, "value": ""}
    scene, notices = scene_from_controls({"rules": ["sgd"], "hyper_inputs": [empty], "kept": kept})
    assert scene.hyper == {} and any("empty" in n for n in notices)


def test_hostile_kept_settings_are_refused_not_a_crash():
    for kept in (
        None,
        3,
        [],
        {"hyper": [1]},
        {"hyper": {"adam": 5}},
        {"hyper": {"nope": {"lr": 1}}},
        {"hyper": {"adam": {"lr": "x"}}},
        {"schedules": {"adam": {"kind": ["x"]}}},
        {"hyper": {"adam": {"lr": 10**400}}},
    ):
        scene, _notices = scene_from_controls(
            {"rules": ["sgd"], "hyper_inputs": [{"id": {"rule": ["x"]}}], "kept": kept}
        )
        assert scene.rules == ("sgd",)
