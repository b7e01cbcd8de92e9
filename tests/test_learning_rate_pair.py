"""The learning-rate slider and its exact box: a move of either is one request, and its answer sets
the other (``app.runs.callbacks``: the slider is an input of the recompute itself, no clientside step
before the request)."""

import json
import math

import pytest

from app.runs.callbacks import _moved_setting, slider_lr, with_slider_lr
from app.server import app
from app.state.link import scene_to_query
from app.state.scene import HYPER_RANGE, Scene
from bench import dash_requests as dr

SLIDER = '{"rule":"adam","type":"lr-slider"}.value'
BOX = '{"name":"lr","rule":"adam","type":"hp"}.value'
BOX_ID = json.dumps({"name": "lr", "rule": "adam", "type": "hp"}, separators=(",", ":"), sort_keys=True)
SLIDER_ID = json.dumps({"rule": "adam", "type": "lr-slider"}, separators=(",", ":"), sort_keys=True)


def _post(body: dict) -> dict:
    answer = app.server.test_client().post(dr.ENDPOINT, data=json.dumps(body), content_type="application/json")
    assert answer.status_code == 200, answer.data[:300]
    return answer.get_json()["response"]


def _defaults(rules):
    import optimizers

    return [(r, k, v) for r in rules for k, v in optimizers.RULES[r].defaults.items()]


@pytest.mark.parametrize(
    ("position", "lr"), [(-0.99, 0.102), (-3, 0.001), (-2.99, 0.00102), (99, HYPER_RANGE["lr"][1]), (-99, 1e-6)]
)
def test_a_slider_position_is_its_learning_rate_to_three_digits(position, lr):
    assert slider_lr(position) == lr


@pytest.mark.parametrize("junk", [None, "0.1", float("nan"), float("inf"), True, [1]])
def test_a_slider_position_that_is_not_a_number_is_none(junk):
    assert slider_lr(junk) is None


@pytest.mark.parametrize(
    ("trigger", "moved"),
    [
        ({"type": "lr-slider", "rule": "adam"}, ("adam", None)),
        ({"type": "hp", "rule": "adam", "name": "lr"}, ("adam", "lr")),
        ({"type": "hp", "rule": "adam", "name": "lr-slider"}, ("adam", "lr-slider")),  # a box, not the slider
        ({"type": "hp", "rule": ["adam"], "name": "lr"}, None),  # ids from the page: never unhashable
        ({"type": "hp", "rule": "adam", "name": 3}, None),
        ({"type": "sched", "rule": "adam", "name": "kind"}, None),
        ("roughness", None),
        (None, None),
    ],
)
def test_the_trigger_names_one_optimizers_setting_or_nothing(trigger, moved):
    assert _moved_setting(trigger) == moved


def test_the_slider_replaces_its_rules_learning_rate_only():
    items = [
        {"id": {"type": "hp", "rule": "adam", "name": "lr"}, "value": "0.1"},
        {"id": {"type": "hp", "rule": "sgd", "name": "lr"}, "value": "0.1"},
        {"id": {"type": "hp", "rule": "adam", "name": "beta1"}, "value": 0.9},
    ]
    sliders = [{"id": {"type": "lr-slider", "rule": "adam"}, "value": -2}, "junk"]
    out = with_slider_lr(items, sliders, "adam")
    assert [i["value"] for i in out] == [0.01, "0.1", 0.9]
    assert with_slider_lr(items, "junk", "adam") == items and with_slider_lr(items, sliders, "sgd") == items


def test_a_slider_move_is_answered_with_its_box_and_only_adams_traces():
    rules = ("sgd", "adam")
    shown = scene_to_query(Scene(rules=rules, steps=200))
    body = dr.recompute(
        rules=rules,
        steps=200,
        hyper=_defaults(rules),
        sliders=[("sgd", -1.0), ("adam", math.log10(0.0237))],
        changed=SLIDER,
        shown_query=shown,
    )
    answer = _post(body)
    assert "adam.lr=0.0237" in answer["query"]["data"]
    assert answer[BOX_ID] == {"value": 0.0237}  # its box, written as the page's language does
    assert SLIDER_ID not in answer  # the slider is where the user put it
    assert "__dash_patch_update" in json.dumps(answer["graph-loss"]["figure"])  # Adam's traces only


def test_a_typed_learning_rate_moves_its_slider():
    rules = ("adam",)
    hyper = [(r, k, "0.001" if k == "lr" else v) for r, k, v in _defaults(rules)]
    answer = _post(dr.recompute(rules=rules, steps=200, hyper=hyper, sliders=[("adam", -1.0)], changed=BOX))
    assert answer[SLIDER_ID] == {"value": -3.0}
    assert BOX_ID not in answer and "adam.lr=0.001" in answer["query"]["data"]


def test_other_changes_leave_both_as_they_are():
    rules = ("adam",)
    answer = _post(dr.recompute(rules=rules, steps=300, hyper=_defaults(rules), changed="steps.value"))
    assert BOX_ID not in answer and SLIDER_ID not in answer


@pytest.mark.parametrize(
    "junk",
    [
        [{"id": "junk", "property": "value"}],
        [{"id": {"type": "hp"}, "property": "value"}],
        [{"id": {"name": "beta1", "rule": "adam", "type": "hp"}, "property": "value"}],
        {"id": {"name": "lr", "rule": "adam", "type": "hp"}, "property": "value"},
    ],
)
def test_outputs_that_are_not_the_callbacks_are_refused_with_a_message(junk):
    rules = ("adam",)
    body = dr.recompute(rules=rules, steps=100, hyper=_defaults(rules), sliders=[("adam", -2.0)], changed=SLIDER)
    at = next(i for i, o in enumerate(body["outputs"]) if isinstance(o, list) and o and o[0]["id"]["type"] == "hp")
    body["outputs"][at] = junk
    answer = app.server.test_client().post(dr.ENDPOINT, data=json.dumps(body), content_type="application/json")
    assert answer.status_code == 400 and b"the outputs do not match the callback" in answer.data
