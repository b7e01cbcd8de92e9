"""Hostile input, generated: every server callback through the real endpoint, and the URL parser.

Hypothesis sends 10,800 inputs in all (examples per test below): out-of-range and non-finite
numbers, huge steps, empty and unknown optimizer lists, wrong types, very long strings. Each must
give a normal answer (never a server error), and a refused or clamped value a visible notice.
"""

from __future__ import annotations

import json
import math
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import landscapes
import optimizers
from app.lessons import model as lessons
from app.runs.panel import scene_from_controls
from app.server import app
from app.serving.request_guard import MAX_BODY, value_problem
from app.state.link import query_to_scene, scene_to_query
from app.state.scene import Scene, clamp_scene
from bench import dash_requests as dr

LONG = "x" * 20_000
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([0, -1, 1e-300, 1e300, 2**63, 20_001, 1e9, 10**400, -(10**400)]),  # 10**400: beyond float
)
junk = st.one_of(
    st.none(),
    st.booleans(),
    numbers,
    st.text(max_size=30),
    st.just(LONG),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
anything = st.one_of(numbers, junk)
names = st.one_of(st.sampled_from(landscapes.NAMES), junk)
rule_names = st.one_of(st.sampled_from(optimizers.NAMES), junk)
URL_KEYS = ["surface", "x", "y", "steps", "opt", "rough", "gnoise", "seed", "log", "theme", "embed", "hide"]
URL_KEYS += [f"{r}.{k}" for r in ("adam", "sgd", "adamw", "nope") for k in ("lr", "beta1", "weight_decay", "zz")]
url_values = st.one_of(
    st.text(max_size=40), st.just(LONG[:5000]), numbers.map(repr), st.sampled_from(["nan", "inf", "-inf", "1e999", ""])
)
queries = st.one_of(
    st.text(max_size=300),
    st.lists(st.tuples(st.sampled_from(URL_KEYS), url_values), max_size=12).map(lambda kv: "?" + urlencode(kv)),
)

SETTINGS = {"deadline": None, "suppress_health_check": list(HealthCheck), "database": None}


@pytest.fixture(scope="module")
def client():
    return app.server.test_client()


def _post(client, body) -> tuple[int, dict | None]:
    """POST as the renderer would; any answer but 200 (figures), 204 (nothing to do), 413 (too
    large) or 400 (a text value longer than the guard allows) fails."""
    data = json.dumps(body, allow_nan=True)
    r = client.post(dr.ENDPOINT, data=data, content_type="application/json")
    if len(data) > MAX_BODY:
        assert r.status_code == 413
        return 413, None
    if value_problem(body):
        assert r.status_code == 400 and "characters long" in r.get_json()["error"]
        return 400, None
    assert r.status_code in (200, 204), (r.status_code, r.data[:300])
    return r.status_code, (json.loads(r.data)["response"] if r.status_code == 200 else None)


def _in_bounds(scene: Scene) -> bool:
    return clamp_scene(scene)[1] == []


@settings(max_examples=4000, **SETTINGS)
@given(queries)
def test_url_parser_never_raises_and_always_gives_a_scene_in_bounds(query):
    scene, notices = query_to_scene(query)
    assert _in_bounds(scene)
    assert query_to_scene(scene_to_query(scene)) == (scene, [])  # what it shows, it restores
    assert all(len(n) < 400 for n in notices)  # hostile text is not echoed at length


@settings(max_examples=1500, **SETTINGS)
@given(st.one_of(queries, junk), st.one_of(st.none(), st.text(max_size=20)))
def test_loading_any_url_builds_the_panel_and_says_what_it_changed(client, client_search, loaded):
    status, response = _post(client, dr.load(client_search, loaded))
    if status in (400, 413):
        return
    if status == 204:
        assert loaded == (client_search or "")  # only "same URL again" is skipped
        return
    assert response["controls"]["children"]
    scene, notices = query_to_scene(client_search)
    notices += lessons.find(scene)[2]
    assert (response["notices"]["children"] is not None) == bool(notices)


CONTROLS = st.fixed_dictionaries(
    {
        "surface": names,
        "roughness": anything,
        "grad_noise": anything,
        "ensemble": st.one_of(junk, st.integers(0, 200)),
        "seed": anything,
        "sx": anything,
        "sy": anything,
        "steps": st.one_of(anything, st.integers(1, 20_000)),
        "rules": st.one_of(st.lists(rule_names, max_size=5), junk),
        "log_loss": junk,
        "camera": st.one_of(st.sampled_from(["top", "side", "notebook"]), junk),
        "theme": st.one_of(st.sampled_from(["light", "dark"]), junk),
        "flags": st.one_of(
            st.fixed_dictionaries({"embed": junk, "hide": junk, "lock": junk, "lesson": junk, "lstep": junk}), junk
        ),
        "formula": st.one_of(st.text(max_size=80), st.sampled_from(["x^2+y^2", "9^9^9", "__import__"]), junk),
        "view": st.tuples(anything, anything, anything, anything),
    }
)
HYPER = st.lists(st.tuples(rule_names, st.sampled_from(["lr", "rho", "beta1", "eps", "zz"]), anything), max_size=4)
SCHEDULES = st.lists(
    st.tuples(
        rule_names,
        st.sampled_from(["kind", "a", "b", "zz"]),
        st.one_of(st.sampled_from(["constant", "step", "exponential", "cosine", "warmup", "saw"]), anything),
    ),
    max_size=4,
)


@settings(max_examples=2500, **SETTINGS)
@given(CONTROLS, HYPER, SCHEDULES)
def test_recompute_answers_every_control_value_with_figures_or_a_notice(client, controls, hyper, schedules):
    body = dr.recompute(**controls, hyper=hyper, schedules=schedules)
    status, response = _post(client, body)
    if status in (400, 413):
        return
    assert response["graph-3d"]["figure"]["data"] and response["graph-loss"]["figure"]["layout"]
    at = {dr._pattern(spec): i for i, spec in enumerate(dr.dependency(dr.RECOMPUTE)["inputs"])}
    hyper_inputs, sched_inputs = (body["inputs"][at[f"{{{kind}}}.value"]] for kind in ("hp", "sched"))
    scene, notices = scene_from_controls({**controls, "hyper_inputs": hyper_inputs, "sched_inputs": sched_inputs})
    assert _in_bounds(scene) and response["query"]["data"] == scene_to_query(scene)
    assert (response["control-notices"]["children"] is not None) == bool(notices)


@pytest.mark.parametrize("huge", [10**400, -(10**400)], ids=["1e400", "-1e400"])
def test_whole_numbers_beyond_floats_range_in_every_box_get_a_notice(client, huge):
    """JSON carries integers of any length; float() of 10**400 raises OverflowError, not ValueError."""
    body = dr.recompute(
        surface="custom",
        roughness=huge,
        grad_noise=huge,
        seed=huge,
        sx=huge,
        sy=huge,
        steps=huge,
        ensemble=huge,
        hyper=[("adam", "lr", huge), ("adam", "beta1", huge), ("sgd", "lr", huge)],
        schedules=[("adam", "kind", "step"), ("adam", "a", huge), ("adam", "b", huge)],
        view=(huge, huge, -huge, huge),
    )
    status, response = _post(client, body)
    assert status == 200 and response["control-notices"]["children"]
    click = {"points": [{"x": huge, "y": 0}]}
    assert _post(client, dr.recompute(click=click, changed="graph-contour.clickData"))[0] in (200, 204)
    assert _post(client, dr.pick_start("himmelblau", click, "graph-contour.clickData"))[0] in (200, 204)
    status, response = _post(
        client, dr.basin_flow(_key("basin-graph.figure"), "run", None, "p", "adam", huge, huge, "")
    )
    assert status == 200 and "not a number" in json.dumps(response["basin-notice"])


@settings(max_examples=1000, **SETTINGS)
@given(
    names,
    st.one_of(junk, st.fixed_dictionaries({"points": st.one_of(junk, st.lists(junk, max_size=2))})),
    st.sampled_from(["graph-contour.clickData", "surface.value"]),
)
def test_picking_a_start_accepts_any_click_or_surface(client, surface, click, changed):
    status, response = _post(client, dr.pick_start(surface, click, changed))
    if status == 200 and "start-x" in response:
        x, y = response["start-x"]["value"], response["start-y"]["value"]
        assert math.isfinite(x) and math.isfinite(y)


@settings(max_examples=300, **SETTINGS)
@given(st.sampled_from(dr.EXPORT_ITEMS), st.one_of(queries, junk), junk)
def test_export_answers_any_link_with_a_file(client, item, query, clicks):
    status, response = _post(client, dr.export(item, query, clicks))
    if status == 200:
        assert response["download"]["data"]["content"]
    else:
        assert status == 400 or (status == 204 and not isinstance(query, str))


@settings(max_examples=500, **SETTINGS)
@given(anything, st.one_of(rule_names, junk), junk, st.one_of(queries, junk))
def test_inspector_answers_any_step_rule_and_link(client, k, rule, shown, query):
    status, response = _post(client, dr.inspect(k, rule, query, shown))
    if status == 200:
        assert response["inspector"]["children"] and response["query"]["data"].startswith("?")
    else:
        assert status == 400 or (status == 204 and not isinstance(query, str))


@settings(max_examples=1000, **SETTINGS)
@given(junk)
def test_new_seed_ignores_what_the_button_reports(client, n_clicks):
    status, response = _post(client, dr.new_seed(n_clicks))
    assert status == 400 or (status == 200 and 0 <= response["seed"]["value"] < 1_000_000)


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        {},
        {"output": "nope"},
        {"output": dr.NEW_SEED, "inputs": []},
        {"output": dr.RECOMPUTE, "inputs": [1, 2, 3], "outputs": []},
        {**dr.new_seed(1), "outputs": "seed"},
        {**dr.new_seed(1), "changedPropIds": [1]},
    ],
)
def test_malformed_callback_requests_get_a_400_with_a_reason(client, body):
    data = body if isinstance(body, str) else json.dumps(body)
    r = client.post(dr.ENDPOINT, data=data, content_type="application/json")
    assert r.status_code == 400 and "malformed callback request" in r.get_json()["error"]


def test_oversized_callback_requests_are_refused(client):
    r = client.post(dr.ENDPOINT, data="[" + "1," * 200_000 + "1]", content_type="application/json")
    assert r.status_code == 413


def _key(fragment: str) -> str:
    return dr.output_key(app.callback_map, fragment)


@settings(max_examples=600, **SETTINGS)
@given(st.one_of(st.text(max_size=250), junk))
def test_formula_feedback_explains_any_text(client, text):
    status, response = _post(client, dr.call(_key("formula-feedback.children"), [("formula", "value", text)]))
    assert status == 400 or (status == 200 and response["formula-feedback"]["children"])


@settings(max_examples=400, **SETTINGS)
@given(
    junk,
    st.one_of(st.integers(-2, 5), junk),
    st.one_of(
        junk,
        st.fixed_dictionaries(
            {"lesson": st.sampled_from(["noise-and-sgd", "x", ""]), "lstep": st.one_of(st.integers(-1, 9), junk)}
        ),
    ),
)
def test_checking_a_lesson_answer_accepts_anything(client, clicks, choice, flags):
    body = dr.call(
        _key("lesson-feedback.children"),
        [("lesson-check", "n_clicks", clicks)],
        [("lesson-choice", "value", choice), ("view-flags", "data", flags)],
    )
    status, response = _post(client, body)
    if status == 200:
        assert response["lesson-feedback"]["children"]


@settings(max_examples=150, **SETTINGS)
@given(st.one_of(st.just("compare"), junk), st.one_of(st.lists(names, max_size=6), junk), st.one_of(queries, junk))
def test_small_multiples_accept_any_surfaces_and_link(client, tab, surfaces, query):
    status, response = _post(client, dr.compare(tab, surfaces, query))
    if status == 200:
        assert len(response["compare-grid"]["children"]) <= 5  # the key and at most four maps
    else:
        assert status == 400 or tab != "compare"


@settings(max_examples=400, **SETTINGS)
@given(
    junk, junk, st.one_of(st.fixed_dictionaries({"rule": rule_names, "second": junk}), junk), st.one_of(queries, junk)
)
def test_cell_clicks_accept_anything(client, basin_click, sweep_click, data, query):
    for changed in ("basin-graph.clickData", "sweep-graph.clickData"):
        body = dr.call(
            _key("url.search"),
            [("basin-graph", "clickData", basin_click), ("sweep-graph", "clickData", sweep_click)],
            [("query", "data", query), ("basin-rule-shown", "data", data), ("sweep-data", "data", data)],
            changed,
        )
        status, response = _post(client, body)
        if status == 200:
            assert response["url"]["search"].startswith("?") and response["view-tabs"]["active_tab"] == "runs"


@settings(max_examples=300, **SETTINGS)
@given(junk, st.sampled_from(["steps", "loss", "outcome", "nope"]), st.one_of(queries, junk))
def test_drawing_a_sweep_accepts_any_store(client, data, metric, query):
    body = dr.call(
        _key("sweep-graph.figure"),
        [("sweep-data", "data", data), ("sweep-metric", "value", metric)],
        [("query", "data", query)],
    )
    _post(client, body)


@settings(max_examples=400, **SETTINGS)
@given(
    junk,
    anything,
    junk,
    anything,
    junk,
    st.one_of(st.lists(junk, max_size=4), junk),
    junk,
    st.one_of(queries, junk),
    junk,
)
def test_the_embed_dialog_answers_any_option(client, is_open, width, unit, height, theme, shown, mode, query, href):
    body = dr.call(
        _key("embed-code.value"),
        [
            ("embed-modal", "is_open", is_open),
            ("embed-width", "value", width),
            ("embed-width-unit", "value", unit),
            ("embed-height", "value", height),
            ("embed-theme", "value", theme),
            ("embed-shown", "value", shown),
            ("embed-mode", "value", mode),
        ],
        [("query", "data", query), ("url", "href", href)],
    )
    status, response = _post(client, body)
    assert status == 400 or (status == 200 and response["embed-code"]["value"].startswith("<iframe "))


@settings(max_examples=300, **SETTINGS)
@given(st.sampled_from(["poll", "cancel"]), junk, junk, junk, anything, anything, st.one_of(queries, junk))
def test_job_polls_and_cancels_accept_any_store(client, trigger, job, page, rule, resolution, steps, query):
    """A forged or stale job handle ends the flow with the buttons back, never an error."""
    body = dr.basin_flow(_key("basin-graph.figure"), trigger, job, page, rule, resolution, steps, query, tick=3)
    status, response = _post(client, body)
    if status == 400:  # a text value longer than the guard allows (see _post)
        return
    assert status == 200 and response["basin-run"]["disabled"] is False and response["basin-poll"]["disabled"]


@settings(max_examples=40, **SETTINGS)
@given(rule_names, anything, anything, st.one_of(queries, junk), junk)
def test_a_basin_map_request_with_any_settings_is_queued_clamped_or_refused(
    client, rule, resolution, steps, query, page
):
    body = dr.basin_flow(_key("basin-graph.figure"), "run", None, page, rule, resolution, steps, query)
    status, response = _post(client, body)
    if status == 400:  # a text value longer than the guard allows (see _post)
        return
    assert status == 200
    job = response["basin-job"]["data"]
    queued = job is not None and response["basin-poll"]["disabled"] is False
    shared = response.get("basin-graph", {}).get("figure") is not None  # an identical job's kept result, at once
    refused = "jobs" in json.dumps(response["basin-notice"])
    assert queued or shared or refused


@pytest.mark.parametrize(
    "raw",
    [
        '{"a": ["\\ud800"]}',  # a lone surrogate, as JSON can only carry one
        '{"a": "' + "x" * 10_001 + '"}',  # longer than any text a page sends
        "[" * 40 + "]" * 40,  # nested deeper than allowed
        '{"a": [[{"b": 1}]], "c": "ok"}',  # nothing wrong
        '{"pad": "' + "p" * 9_000 + '", "a": ' + "[" * 31 + "]" * 31 + "}",  # long body, 32 levels: allowed
        '{"pad": "' + "p" * 9_000 + '", "a": ' + "[" * 32 + "]" * 32 + "}",  # long body, 33 levels: too deep
        '{"pad": "' + "p" * 9_000 + '", "a": "[[[[{{{{' + "[" * 40 + '"}',  # brackets inside a text: not nesting
    ],
)
def test_the_guard_skips_no_check_when_it_reads_strings_only_where_they_could_be_wrong(raw):
    body = json.loads(raw)
    assert value_problem(body, raw.encode()) == value_problem(body)
    too_deep = raw.startswith("[" * 40) or "[" * 32 + "]" in raw  # the two cases nested beyond 32 levels
    assert ("nested" in (value_problem(body, raw.encode()) or "")) == too_deep


PADDING = ', "pad": [' + ", ".join(['"' + "p" * 40 + '"'] * 400) + "]"  # a body over 10,000 bytes of short strings
LONG_TEXTS = [
    '{"a": "' + "x" * 10_001 + '"' + PADDING + "}",  # one long string among many short ones
    '{"' + "k" * 10_001 + '": 1' + PADDING + "}",  # a long key
    '{"a": "' + 'x\\"' * 5_001 + '"' + PADDING + "}",  # escaped quotes inside: one string of 10,002 characters
    '{"a": "' + "x\\\\" * 5_001 + '"' + PADDING + "}",  # escaped backslashes: 10,002 characters
    '{"a": "' + "ü" * 10_001 + '"' + PADDING + "}",  # 20,002 bytes of UTF-8, 10,001 characters
]


@pytest.mark.parametrize("raw", LONG_TEXTS, ids=["value", "key", "escaped-quotes", "escaped-backslashes", "utf8"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32-le"])
def test_the_guard_finds_a_long_text_in_a_long_body_of_short_ones(raw, encoding):
    """A body over 10,000 bytes is read string by string only when one run between quotes could be
    that long (``longest_text``): the long one is found however it is written or encoded."""
    data = raw.encode(encoding)
    body = json.loads(data)
    assert "characters long" in value_problem(body, data)


def test_a_long_body_of_short_texts_is_not_read_string_by_string():
    """The main view's request with all 21 rules on (~18 KB, short strings): no run between quotes is
    near the limit."""
    from app.serving.request_guard import MAX_TEXT, longest_text

    raw = json.dumps(dr.recompute_scene(Scene(rules=tuple(optimizers.NAMES)))).encode()
    assert len(raw) > MAX_TEXT and longest_text(raw) < 1_000  # the longest: the output key
    assert value_problem(json.loads(raw), raw) is None


JSON_VALUES = st.recursive(
    st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def _wrapped(value, shells: list[bool]):
    """``value`` inside one list (True) or object (False) per shell, outermost first."""
    for is_list in reversed(shells):
        value = [value] if is_list else {'k[{\\"': value}  # a key with brackets, a quote and a backslash
    return value


def _depth(value) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


@given(JSON_VALUES, st.lists(st.booleans(), max_size=40))
@settings(max_examples=400, deadline=None)
def test_the_shape_read_from_the_bytes_is_the_values_own(value, shells):
    """``raw_shape``: no string (key or value) decodes to more characters than its longest text, and
    its depth is the value's nesting, for the JSON as any client may write it; the guard's answer from
    the bytes is the answer of the walk over the value."""
    from app.serving.request_guard import raw_shape

    value = _wrapped(value, shells)
    texts, stack = [], [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            texts.append(v)
        elif isinstance(v, dict):
            texts += list(v)
            stack += list(v.values())
        elif isinstance(v, list):
            stack += v
    for ascii_only in (True, False):
        for separators in ((",", ":"), (", ", ": ")):
            text = json.dumps(value, ensure_ascii=ascii_only, separators=separators)
            raw = text.encode("utf-8", "surrogatepass")
            longest, depth = raw_shape(raw)
            assert all(len(t) <= longest for t in texts)
            assert depth == _depth(value)
            try:
                strict = text.encode()  # a lone surrogate cannot be sent as UTF-8, only as a \\u escape
            except UnicodeEncodeError:
                continue
            assert value_problem(json.loads(strict), strict) == value_problem(value)


def test_an_uploaded_file_may_be_as_long_as_allowed_but_no_other_text():
    """The upload stores carry a whole CSV as base64 (up to 150 KB of file); any other text keeps
    the 10,000-character limit, and an upload beyond its own cap is refused."""
    from app.serving.request_guard import MAX_UPLOAD_TEXT, upload_problem

    big = "QUJD" * 40_000  # 160,000 characters: a 120 KB file
    spec = {"id": "data-spec", "property": "data", "value": {"source": "upload", "upload": {"data": big}}}
    other = {"id": "formula", "property": "value", "value": big}
    assert upload_problem({"output": "x", "inputs": [spec], "state": []}) is None
    assert "characters long" in upload_problem({"output": "x", "inputs": [spec, other]})
    assert "characters long" in upload_problem({"output": "x", "inputs": [other]})
    huge = {**spec, "value": {"upload": {"data": "A" * (MAX_UPLOAD_TEXT + 1)}}}
    assert "characters long" in upload_problem({"output": "x", "state": [huge]})


def test_newton_on_a_rough_surface_is_priced_as_the_python_loop_it_runs_in():
    """Newton reads the rough layer's Hessian from scipy's spline, so it runs in the numpy loop, one
    start at a time: the budget prices it so (a long ensemble is cut, with a notice)."""
    from app.serving import budget

    rough = landscapes.get("paraboloid", roughness=1.0, seed=0)
    smooth = landscapes.get("paraboloid")
    cost = budget.seconds(["newton"], 5000, 20, rough, "", 1.0, 0.5)
    assert cost > 10 * budget.seconds(["newton"], 5000, 20, smooth, "", 0.0, 0.5)
    assert cost > budget.BUDGET_SECONDS
    notices: list[str] = []
    steps, ensemble = budget.fit(["newton"], 5000, 20, rough, "", 1.0, 0.5, notices)
    assert budget.seconds(["newton"], steps, ensemble, rough, "", 1.0, 0.5) <= budget.BUDGET_SECONDS and notices


def test_a_hostile_data_store_gets_an_answer_not_a_server_error(client):
    """The data settings' store comes from the page: a list where a model name belongs, an upload that
    is not base64, are clamped or refused with a notice (no 500)."""
    scene = Scene(surface="data", steps=20, rules=("sgd",))
    body = dr.recompute_scene(scene)
    (spec,) = [i for i in body["inputs"] if isinstance(i, dict) and i.get("id") == "data-spec"]
    spec["value"] = {"model": ["tanh"], "source": "upload", "upload": {"name": ["x"], "data": "%%%"}}
    status, _ = _post(client, body)
    assert status in (200, 204)
