"""Dash's text for pattern-matched ids, kept (``app.serving.dash_ids``): the same text as Dash's own
for every id, hostile ones included, and the same main-view answers through the real endpoint."""

from __future__ import annotations

import json

import dash._callback
import dash._grouping
import dash._utils
import pytest

from app.serving import dash_ids
from bench import dash_requests as dr

IDS = [
    {"type": "hp", "rule": "adam", "name": "lr"},
    {"name": "lr", "rule": "adam", "type": "hp"},  # the same id, its keys in another order
    {"type": "sched", "rule": "sgd", "name": "kind"},
    {"a": "1"},
    {"a": 1},  # equal as numbers, written differently: never the kept text of another
    {"a": True},
    {"a": 1.0},
    {"a": -0.0},
    {"a": 0.0},
    {"a": None},
    {"a": [1, 2]},  # not hashable
    {"a": {"b": "c"}},
    {"a": 'ü \u2028 "quoted" \\ back'},
    {"a": "x" * 10_000},  # too long to keep
    {str(i): "v" for i in range(6)},  # too many items to keep
    {},
    "graph-3d",
    "",
]


@pytest.mark.parametrize("cid", IDS, ids=range(len(IDS)))
def test_the_kept_text_is_dashs_own(cid):
    expected = dash_ids.DASH_STRINGIFY_ID(cid)
    assert dash_ids.stringify_id(cid) == expected
    assert dash_ids.stringify_id(cid) == expected  # the second time from the kept texts


def test_ids_equal_as_numbers_are_not_confused():
    for cid in ({"a": "1"}, {"a": 1}, {"a": True}, {"a": 1.0}, {"a": "True"}):
        dash_ids.stringify_id(cid)
    texts = [dash_ids.stringify_id({"a": v}) for v in ("1", 1, True, 1.0)]
    assert texts == ['{"a":"1"}', '{"a":1}', '{"a":true}', '{"a":1.0}']


def test_the_kept_texts_stay_bounded():
    for i in range(dash_ids.MAX_KEPT + 50):
        cid = {"type": "hp", "rule": f"r{i}", "name": "lr"}
        assert dash_ids.stringify_id(cid) == dash_ids.DASH_STRINGIFY_ID(cid)
        assert len(dash_ids._KEPT) <= dash_ids.MAX_KEPT


def test_dash_uses_it_and_answers_as_with_its_own(monkeypatch):
    from app.server import server

    for module in dash_ids.MODULES:
        assert module.stringify_id is dash_ids.stringify_id
    assert {dash._utils, dash._grouping, dash._callback} == set(dash_ids.MODULES)
    client = server.test_client()
    changed = json.dumps({"name": "lr", "rule": "adam", "type": "hp"}, separators=(",", ":")) + ".value"
    shown = client.post(dr.ENDPOINT, json=dr.recompute()).get_json()["response"]["query"]["data"]  # the link drawn
    bodies = [dr.recompute(), dr.recompute(hyper=[("adam", "lr", 0.02)], changed=changed, shown_query=shown)]

    def answers():
        return [client.post(dr.ENDPOINT, json=b).get_json() for b in bodies]

    ours = answers()
    for module in dash_ids.MODULES:
        monkeypatch.setattr(module, "stringify_id", dash_ids.DASH_STRINGIFY_ID)
    assert answers() == ours
    assert "operations" in ours[1]["response"]["graph-3d"]["figure"]  # a Patch: ctx named the hp input that moved
