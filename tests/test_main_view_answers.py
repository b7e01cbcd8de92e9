"""The main view's answers reach Dash's serialiser as plain data, so orjson encodes them directly
(``app.serving.plain``): no component, Patch or non-contiguous array left for plotly's slow
cleaning walk, and the bytes on the wire are what they were."""

import json
from html.parser import HTMLParser

import dash._callback
import numpy as np
import orjson
import pytest
from dash import Patch, html
from plotly.io.json import to_json_plotly

from app.server import app
from app.serving.plain import BOOTSTRAP, element, plain, plain_answer
from app.state.scene import Scene
from bench import dash_requests as dr

OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS
LR = '{"name":"lr","rule":"adam","type":"hp"}.value'


@pytest.fixture
def handed_over(monkeypatch):
    """Every object the app hands to Dash's serialiser, through the real endpoint."""
    seen = []
    real = dash._callback.to_json

    def spy(obj):
        seen.append(obj)
        return real(obj)

    monkeypatch.setattr(dash._callback, "to_json", spy)
    return seen


def _post(body: dict) -> dict:
    answer = app.server.test_client().post(dr.ENDPOINT, data=json.dumps(body), content_type="application/json")
    assert answer.status_code == 200
    return answer.get_json()


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(lambda: dr.recompute_scene(Scene(roughness=0.5, grad_noise=0.3, ensemble=5)), id="whole scene"),
        pytest.param(lambda: dr.recompute_scene(Scene(hyper={"adam": {"lr": 0.05}}), changed=LR), id="one setting"),
        pytest.param(lambda: dr.recompute_scene(Scene(surface="saddle", steps=3000, step=40)), id="step shown"),
        pytest.param(lambda: dr.inspect(7, "adam", "surface=rosenbrock"), id="inspector"),
    ],
)
def test_main_view_answers_go_straight_to_orjson(handed_over, body):
    answer = _post(body())
    assert handed_over, "the endpoint did not serialise through dash._callback.to_json"
    obj = handed_over[-1]
    assert obj["response"], "an answer with nothing in it proves nothing"
    # raises TypeError if anything in it would need plotly's cleaning walk
    assert json.loads(orjson.dumps(obj, option=OPTIONS)) == answer


def test_plain_data_is_serialised_exactly_as_dash_would_serialise_the_original():
    patch = Patch()
    patch["data"][3] = {"x": np.arange(6.0)[::2], "name": "Adam"}
    patch["layout"]["annotations"] = [{"text": "−lr·∇L"}]
    answer = {
        "table": html.Table([html.Tr([html.Td("a", title="x"), html.Td(np.float64(-0.5))])], className="t"),
        "panel": [html.P(["k = ", html.B(3)]), "text", (1, None, True, {"k": [2.5, html.I("i")]})],
        "figure": patch,
        "strided": np.arange(12.0).reshape(3, 4)[:, ::2],
        "plain figure": {"data": [{"x": np.arange(3.0)}], "layout": {}},
    }
    made_plain = plain_answer(answer)
    assert orjson.dumps(made_plain, option=OPTIONS).decode() == to_json_plotly(answer)
    assert made_plain["plain figure"] is answer["plain figure"]  # figures are passed on unwalked
    assert orjson.dumps(plain(answer["strided"]), option=OPTIONS) == b"[[0.0,2.0],[4.0,6.0],[8.0,10.0]]"


def test_elements_are_the_json_dash_sends_for_the_same_components():
    import dash_bootstrap_components as dbc

    cells = [html.B("m̂"), " = 0.1"]
    built = element(
        "Table",
        [element("Thead", element("Tr", [element("Th", "")])), element("Tbody", [element("Td", cells, id="c")])],
        namespace=BOOTSTRAP,
        size="sm",
        className="small",
        id="t",
        responsive=True,
    )
    dash_made = dbc.Table(
        [html.Thead(html.Tr([html.Th("")])), html.Tbody([html.Td(cells, id="c")])],
        size="sm",
        className="small",
        id="t",
        responsive=True,
    )
    assert json.loads(orjson.dumps(built, option=OPTIONS)) == json.loads(to_json_plotly(dash_made))


def test_the_main_views_tables_keep_their_rows_and_columns():
    """The tables built as plain data are the same tables: the results table has a row per optimizer
    and the inspector one column per optimizer (through the real endpoint)."""
    answer = _post(dr.recompute_scene(Scene(rules=("sgd", "adam"), step=3)))["response"]
    results = answer["results"]["children"]  # one Markdown of HTML (app.runs.markup), not a component per cell
    assert results["type"] == "Markdown" and results["props"]["dangerously_allow_html"] is True
    table = _Cells(results["props"]["children"])
    assert table.ids == ["results-table", "row-sgd", "row-adam"]
    assert table.rows[0] == ["Optimizer", "Final loss", "Distance to nearest minimum", "Result"]
    assert [r[0] for r in table.rows[1:]] == ["SGD", "Adam"] and len(table.rows[1]) == 4
    (inspector,) = answer["inspector"]["children"]
    cells = _Cells(inspector["props"]["children"])
    assert "inspector-table" in cells.ids and cells.rows[0] == ["", "SGD", "Adam"]
    assert all(len(r) == 3 for r in cells.rows) and len(cells.rows) > 3  # a row per quantity


class _Cells(HTMLParser):
    """The rows of cells (their text) and the element ids of an HTML table."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.ids: list[str] = []
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.ids += [v for k, v in attrs if k == "id"]
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_a_scene_asked_again_is_answered_from_the_cache_and_other_scenes_are_not(monkeypatch):
    import app.runs.callbacks as main_view
    from app.runs import kept_runs

    runs = []
    real = kept_runs._run
    monkeypatch.setattr(kept_runs, "_run", lambda scene, surf, rule: runs.append(rule) or real(scene, surf, rule))
    main_view._scene_part.cache_clear()
    kept_runs.forget()
    a = Scene(surface="himmelblau", steps=321, hyper={"adam": {"lr": 0.0123}})
    first = _post(dr.recompute_scene(a))["response"]
    again = _post(dr.recompute_scene(a))["response"]
    assert sorted(runs) == sorted(a.rules) and again == first  # the same bytes, each rule run once
    nearby = Scene(surface="himmelblau", steps=321, hyper={"adam": {"lr": 0.0124}})
    other = _post(dr.recompute_scene(nearby))["response"]
    assert runs[len(a.rules) :] == ["adam"] and other["query"] != first["query"]  # the other runs were kept
    assert other["graph-contour"]["figure"] != first["graph-contour"]["figure"]
    # a setting change (Patches) is an answer of its own, from the runs kept
    patched = _post(dr.recompute_scene(a, changed=LR))["response"]
    assert len(runs) == len(a.rules) + 1 and "__dash_patch_update" in json.dumps(patched["graph-loss"]["figure"])
    assert _post(dr.recompute_scene(a))["response"] == first and len(runs) == len(a.rules) + 1


def test_outputs_the_page_already_shows_are_left_out_of_the_answer():
    """The scrubber's range, the inspector's choices and the schedule chart's visibility are sent only
    when they differ from what the page shows (sent as state): fewer store updates in the browser."""
    body = dr.recompute_scene(Scene(rules=("sgd", "adam"), steps=300))
    first = _post(body)["response"]
    assert first["step"]["max"] == 300 and [o["value"] for o in first["inspect-rule"]["options"]] == ["sgd", "adam"]
    shown = {
        ("step", "max"): first["step"]["max"],
        ("inspect-rule", "options"): first["inspect-rule"]["options"],
        ("group-lr", "style"): first["group-lr"]["style"],
    }
    for entry in body["state"]:
        entry["value"] = shown.get((entry["id"], entry["property"]), entry.get("value"))
    again = _post(body)["response"]
    assert "max" not in again.get("step", {}) and "options" not in again["inspect-rule"]
    assert "group-lr" not in again and again["graph-3d"]["figure"]["data"]  # the rest is answered as before
    for entry in body["state"]:
        if (entry["id"], entry["property"]) == ("step", "max"):
            entry["value"] = 500  # the page shows another range: it is corrected
    assert _post(body)["response"]["step"]["max"] == 300
