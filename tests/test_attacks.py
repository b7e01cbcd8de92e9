"""Issue #14's attack list, each case tried as an attacker would, through the real endpoints.

The callback cases go to the production server (real gunicorn, ``bench.serve.gunicorn``) as raw
HTTP; the scene cases go through the same endpoint in-process (Flask's test client) where a
server adds nothing. The slow-client cases (nginx in front of gunicorn, and bare gunicorn) are in
``tests/test_slow_clients.py``.
"""

from __future__ import annotations

import http.client
import json
import socket
import time
from dataclasses import replace
from urllib.parse import quote, urlsplit

import psutil
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import optimizers
from app.export import formats as export
from app.serving import budget
from app.serving.request_guard import MAX_BODY, MAX_DEPTH, MAX_TEXT
from app.state.link import query_to_scene, scene_to_query
from app.state.scene import Scene, clamp_scene
from bench import dash_requests as dr
from bench.serve import gunicorn


@pytest.fixture(scope="module")
def server():
    """Real gunicorn with the project's config: (host, port, master pid)."""
    with gunicorn(workers=1, WARMUP_SURFACES="none") as (url, pid):
        parts = urlsplit(url)
        yield parts.hostname, parts.port, pid


def _post(server, data: bytes) -> tuple[int, bytes]:
    host, port, _ = server
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.request("POST", dr.ENDPOINT, body=data, headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def _chunked_post(server, total: int, fill: bytes = b"a") -> tuple[int, bytes, float]:
    """POST a valid load request whose search is ``total`` bytes of ``fill``, chunked, as fast as the
    server takes it; returns the status, the answer and the seconds until it came."""
    host, port, _ = server
    head, tail = json.dumps(dr.load("?q=PLACEHOLDER")).encode().split(b"PLACEHOLDER")
    sock = socket.create_connection((host, port), timeout=60)
    t0 = time.perf_counter()
    try:
        sock.sendall(
            f"POST {dr.ENDPOINT} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n".encode()
        )
        block = fill * 65536
        pieces = [head] + [block] * (total // len(block)) + [tail]
        try:
            for piece in pieces:
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and stopped reading: what it should do
        answer = b""
        try:
            while b"\r\n\r\n" not in answer or len(answer) < answer.index(b"\r\n\r\n") + 4 + _length(answer):
                more = sock.recv(65536)
                if not more:
                    break
                answer += more
        except OSError:
            pass
    finally:
        sock.close()
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, answer, time.perf_counter() - t0


def _length(answer: bytes) -> int:
    for line in answer.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":")[1])
    return 0


def _worker_rss(server) -> int:
    master = psutil.Process(server[2])
    return sum(child.memory_info().rss for child in master.children())


# 2. The body limit holds for chunked bodies, and nothing oversized is echoed back.


def test_a_chunked_100_mb_body_gets_a_413_without_growing_the_worker(server):
    before = _worker_rss(server)
    status, answer, _ = _chunked_post(server, 100 * 1024 * 1024)
    assert status == 413 and b"at most 256 KB" in answer
    assert b"aaaaaaaa" not in answer  # the search string is not echoed
    assert _worker_rss(server) - before < 50 * 1024 * 1024  # it grew by 628 MB before
    status, _ = _post(server, json.dumps(dr.new_seed(1)).encode())
    assert status == 200  # and the worker still answers


def test_a_chunked_body_just_over_the_limit_is_refused_and_one_under_is_served(server):
    status, answer, _ = _chunked_post(server, MAX_BODY + 1)
    assert status == 413
    status, answer, _ = _chunked_post(server, 2000)  # a valid request, sent chunked
    assert status == 200 and b'"controls"' in answer


def test_a_long_text_value_is_refused_without_being_echoed(server):
    status, answer = _post(server, json.dumps(dr.load("?q=" + "a" * 200_000)).encode())
    assert status == 400 and b"200,003 characters long" in answer and b"aaaaaaaa" not in answer
    status, answer = _post(server, json.dumps(dr.load("?q=" + "a" * (MAX_TEXT - 3))).encode())
    assert status == 200 and b"longer than 4000 characters" in answer


# 4. Malformed JSON gets a 400 with the reason, not a server error.


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"[" * 100_000, b"nested more than"),
        (json.dumps(dr.load("?x=1")).replace('"?x=1"', "[" * 1200 + "1" + "]" * 1200).encode(), b"nested more than"),
        (json.dumps(dr.load("?x=1")).replace('"?x=1"', "[" * MAX_DEPTH + "1" + "]" * MAX_DEPTH).encode(), b"nested"),
        (json.dumps(dr.load("?f=\ud800&surface=custom")).encode(), b"lone surrogate"),
        (json.dumps(dr.recompute(surface="custom", formula="x^2\udfff")).encode(), b"lone surrogate"),
        (
            json.dumps(dr.call("formula-feedback.children", [("formula", "value", "\ud800x")])).encode(),
            b"lone surrogate",
        ),
    ],
    ids=["100k-brackets", "nested-1200", "nested-just-over", "surrogate-in-link", "surrogate-in-formula", "feedback"],
)
def test_malformed_json_gets_a_400_naming_the_problem(server, data, reason):
    status, answer = _post(server, data)
    assert status == 400 and reason in answer, answer[:300]


def test_a_surrogate_pair_is_text_and_is_served(server):
    status, answer = _post(server, json.dumps(dr.load("?surface=\ud83d\ude00")).encode())
    assert status == 200 and b"is unknown" in answer


# 5. Every change to a value is said, clamps first, and nothing is cut off silently.


def _app():
    from app.server import app

    return app


@pytest.fixture(scope="module")
def client():
    return _app().server.test_client()


def _texts(component) -> list[str]:
    """The list items of a notice alert, as text."""
    if isinstance(component, dict):
        props = component.get("props", {})
        if component.get("type") == "Li":
            return ["".join(_strings(props.get("children")))]
        return _texts(props.get("children"))
    if isinstance(component, list):
        return [t for c in component for t in _texts(c)]
    return []


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return _strings(value.get("props", {}).get("children"))
    return []


def _call(client, body: dict) -> dict:
    r = client.post(dr.ENDPOINT, data=json.dumps(body), content_type="application/json")
    assert r.status_code == 200, r.data[:300]
    return json.loads(r.data)["response"]


def link_notices(client, search: str) -> list[str]:
    """What the page says when it opens ``search`` (the load callback through the endpoint)."""
    return _texts(_call(client, dr.load(search))["notices"]["children"])


def panel_notices(client, **controls) -> list[str]:
    """What the panel says under the controls for these values (the recompute callback)."""
    return _texts(_call(client, dr.recompute(**controls))["control-notices"]["children"])


@pytest.mark.parametrize(
    ("search", "said"),
    [
        ("?steps=2.5", "steps: 2.5 is not a whole number; using 3."),
        ("?seed=7.9", "seed: 7.9 is not a whole number; using 8."),
        ("?gnoise=1&ens=3.5", "ensemble: 3.5 is not a whole number; using 4."),
        ("?k=1.5", "step shown (k): 1.5 is not a whole number; using 2."),
        ("?opt=adam&adam.sched=step:1.5:0.5", "adam schedule every (steps): 1.5 is not a whole number; using 2."),
        ("?opt=adam&adam.sched=cosine:1:0.2:3:4", "adam.sched: a schedule has two settings after its name; '3:4'"),
        ("?surface=custom&f=", "f (your formula) is empty; using sin(x)*cos(y) + 0.1*(x^2 + y^2)."),
        ("?f=x^2&view=0:1:0:1", "f and view (your own formula) apply only to surface=custom; ignored."),
        ("?lesson=noise-and-sgd&lstep=0", "lesson step (lstep): 0 is outside [1, 1000]; using 1."),
        ("?lesson=noise-and-sgd&lstep=2.5", "lesson step (lstep): 2.5 is not a whole number; using 3."),
    ],
)
def test_a_link_value_that_is_changed_is_said(client, search, said):
    notices = link_notices(client, search)
    assert any(n.startswith(said) for n in notices), notices


def test_a_whole_number_in_the_panel_is_said_too(client):
    assert "steps: 2.5 is not a whole number; using 3." in panel_notices(client, steps=2.5)
    assert "Your formula is empty; using sin(x)*cos(y) + 0.1*(x^2 + y^2)." in panel_notices(
        client, surface="custom", formula="  "
    )


def test_a_clamp_is_never_hidden_behind_unknown_settings(client):
    junk = "&".join(f"zz{i}=1" for i in range(190))
    notices = link_notices(client, f"?{junk}&steps=99999")
    assert notices[1] == "steps: 99999 is outside [1, 20000]; using 20000."  # after the heading line
    assert notices[2] == "unknown settings 'zz0', 'zz1', 'zz2', 'zz3', 'zz4' and 185 more ignored."


def test_more_than_twenty_notices_end_with_how_many_more(client):
    rules = "sgd,momentum,nesterov,rmsprop,adam,adagrad,adadelta,adamw,amsgrad,adamax,nadam,radam"
    bad = "&".join(f"{r}.lr=99&{r}.eps=5" for r in rules.split(","))  # 24 clamps
    notices = link_notices(client, f"?opt={rules}&{bad}&steps=99999")
    assert len(notices) == 20 and notices[-1] == "… and 7 more."  # heading + 25 clamps: 19 shown + 7
    assert notices[1] == "steps: 99999 is outside [1, 20000]; using 20000."


# 6. Degenerate scenes: refused with a reason, and nothing the browser cannot draw is sent.


@pytest.mark.parametrize(
    ("search", "said"),
    [
        ("?surface=custom&f=x^2&view=0:5e-324:0:5e-324", "the x range is 4.94e-324 wide; it must be at least 0.01"),
        ("?surface=custom&f=x^2&view=0:1e-300:0:1e-300", "the x range is 1e-300 wide"),
        ("?surface=custom&f=x^2&view=999.99:1000:0:1", "the x range is 0.01 wide; it must be at least 0.1 wide"),
        ("?surface=custom&f=log(-x^2-1)", "L(x, y) has no finite value on a 41×41 grid over this view"),
        ("?surface=custom&f=sqrt(-x^2-y^2)", "L(x, y) has no finite value on a 60×60 grid over this view"),
        ("?surface=custom&f=sqrt(-x^2)", "the formula is not a real number (it simplifies to I*Abs(x))"),
        ("?surface=custom&f=exp(x)&view=800:1000:0:1", "has no finite value"),
        ("?surface=custom&f=x^64&view=-1000:1000:-1000:1000", "L(x, y) reaches 1e+192 at (-1e+03, -1e+03)"),
    ],
)
def test_a_scene_that_cannot_be_drawn_is_refused_with_the_reason(client, search, said):
    notices = link_notices(client, search)
    assert any(said in n for n in notices), notices


def _numbers(value):
    """Every number in a figure, typed arrays decoded."""
    import base64

    import numpy as np

    if isinstance(value, dict):
        if "bdata" in value:
            dtype = {"f4": np.float32, "f8": np.float64, "i4": np.int32, "i2": np.int16, "i1": np.int8}
            yield from np.frombuffer(base64.b64decode(value["bdata"]), dtype=dtype[value["dtype"]]).tolist()
            return
        for v in value.values():
            yield from _numbers(v)
    elif isinstance(value, list):
        for v in value:
            yield from _numbers(v)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield value


@pytest.mark.parametrize(
    "search",
    [
        "?surface=custom&f=x^20%2By^2&view=-2:2:-2:2",  # diverges to 1e114 in one step; its loss overflows
        "?surface=custom&f=x^30%2By^2&view=-10:10:-10:10&log=1",  # values up to 1e30; log view
        "?surface=custom&f=1/x",  # a pole
        "?surface=rosenbrock&opt=adam,sgd&sgd.lr=10",
    ],
)
def test_every_number_sent_to_the_browser_can_be_drawn(client, search):
    from analysis.statistics import DRAWABLE

    scene, _ = query_to_scene(search)
    response = _call(client, dr.recompute_scene(scene))
    for key in ("graph-3d", "graph-contour", "graph-loss"):
        numbers = list(_numbers(response[key]["figure"]))
        assert all(v != v or abs(v) <= DRAWABLE for v in numbers), key  # NaN is a gap
    body = dr.inspect(3, scene.rules[0], scene_to_query(scene))
    notes = _call(client, body)["graph-contour"]["figure"]
    assert all(v != v or abs(v) <= DRAWABLE for v in _numbers(notes))


def test_a_narrow_view_survives_its_own_link():
    scene, notices = query_to_scene("?surface=custom&f=x^2&view=999.89999:1000:0.0123456789:0.05")
    assert notices == [] and query_to_scene(scene_to_query(scene)) == (scene, [])


# 3. A work budget per request: dear links are reduced, with a notice; own formulas run compiled.

ALL = ",".join(optimizers.NAMES)
NESTED = "sin(sin(sin(sin(sin(sin(sin(sin(sin(sin(sin(sin(x*y))))))))))))+cos(cos(cos(cos(cos(cos(cos(cos(x+y))))))))"


def _cost(scene) -> float:
    return budget.seconds(
        scene.rules,
        scene.steps,
        scene.ensemble,
        scene.clean_surface(),
        scene.formula,
        scene.roughness,
        scene.grad_noise,
    )


@pytest.mark.parametrize(
    "search",
    [
        f"?surface=custom&steps=20000&gnoise=5&ens=20&opt={ALL}",  # 13.8 s before
        f"?surface=custom&steps=20000&opt={ALL}&f={quote(NESTED)}&rough=10",  # 15.6 s before
        f"?steps=20000&gnoise=5&ens=200&rough=10&opt={ALL}",
    ],
)
def test_a_link_over_the_work_budget_is_reduced_and_says_so(client, search):
    notices = link_notices(client, search)
    assert any("is more work than one request may do" in n for n in notices), notices
    scene, _ = query_to_scene(search)
    assert _cost(scene) <= budget.BUDGET_SECONDS
    asked = replace(scene, steps=20_000, ensemble=200 if scene.grad_noise else 0)  # as an attacker sends it
    response = _call(client, dr.recompute_scene(asked))
    assert response["query"]["data"] == scene_to_query(scene)  # the same reduced scene
    assert any("more work than one request may do" in n for n in _texts(response["control-notices"]["children"]))
    if scene.surface == "custom":
        assert scene.clean_surface().kernel_function is not None  # compiled, not the numpy loop


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.sampled_from(["rastrigin", "multimodal", "paraboloid", "custom"]),
    st.lists(st.sampled_from(optimizers.NAMES), min_size=1, max_size=12, unique=True),
    st.integers(1, 20_000),
    st.integers(0, 200),
    st.sampled_from([0.0, 0.5, 10.0]),
    st.sampled_from([0.0, 3.0]),
    st.sampled_from(["", NESTED, "x^2 + y^2"]),
)
def test_every_scene_fits_the_budget_and_its_link_keeps_it(surface, rules, steps, ens, rough, noise, formula):
    scene, _ = clamp_scene(
        Scene(
            surface=surface,
            rules=tuple(rules),
            steps=steps,
            ensemble=ens,
            roughness=rough,
            grad_noise=noise,
            formula=formula if surface == "custom" else "",
        )
    )
    assert _cost(scene) <= budget.BUDGET_SECONDS
    assert query_to_scene(scene_to_query(scene)) == (scene, [])  # the reduced scene is its own link


def test_the_small_multiples_share_one_budget(client):
    scene, _ = query_to_scene(f"?steps=20000&rough=10&opt={ALL}")
    surfaces = ["rastrigin", "multimodal", "himmelblau", "beale"]
    response = _call(client, dr.compare("compare", surfaces, scene_to_query(scene)))
    said = _strings(response["compare-notice"]["children"])
    assert any("4 surfaces side by side are more work than one request may do" in s for s in said), said
    from app.explore.jobs import compare_scenes

    subs, _ = compare_scenes(scene_to_query(scene), surfaces)
    assert sum(_cost(s) for s in subs) <= budget.BUDGET_SECONDS


def test_a_long_export_keeps_every_kth_step_and_says_so(client):
    twelve = ",".join(optimizers.NAMES[:12])  # 12 x 20,001 rows: every 3rd step fits, the last rule is RAdam
    scene, _ = query_to_scene(f"?steps=20000&opt={twelve}")
    response = _call(client, dr.export("export-csv", scene_to_query(scene)))
    lines = response["download"]["data"]["content"].splitlines()
    assert lines[0] == "# every 3rd step (at most 100,000 rows a file)" and lines[1].startswith("step,optimizer")
    assert len(lines) - 2 <= export.MAX_ROWS
    assert lines[2].startswith("0,sgd,") and lines[3].startswith("3,sgd,") and lines[-1].startswith("20000,radam,")
    doc = json.loads(_call(client, dr.export("export-json", scene_to_query(scene)))["download"]["data"]["content"])
    assert doc["kept"].startswith("every 3rd step") and doc["results"]["adam"]["step"][:3] == [0, 3, 6]


# 7. Long links reach the app, which says they are too long; FRAME_ANCESTORS is checked.


def _get(server, target: str) -> tuple[int, bytes]:
    host, port, _ = server
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.request("GET", target)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


@pytest.mark.parametrize("length", [4_095, 8_000])
def test_a_long_link_gets_the_page_and_the_apps_notice(server, client, length):
    search = "?steps=500&" + "&".join(f"zz{i}=1" for i in range(2000))
    search = search[:length]
    status, page = _get(server, "/" + search)
    assert status == 200 and b"Gradient-descent playground" in page  # gunicorn said 414 from 4,095 bytes
    assert (
        link_notices(client, search)[1]
        == "The link's settings are longer than 4000 characters; showing the default scene."
    )


def test_a_link_longer_than_the_server_takes_gets_a_414(server):
    status, _ = _get(server, "/?" + "a" * 9000)
    assert status == 414  # beyond gunicorn's largest request line (8,190 bytes)


def test_frame_ancestors_that_would_inject_a_directive_stop_the_server_with_the_reason():
    with pytest.raises(RuntimeError) as err:
        with gunicorn(workers=1, WARMUP_SURFACES="none", FRAME_ANCESTORS="'self'; script-src *"):
            pass
    assert """FRAME_ANCESTORS: "'self';" is not a CSP source""" in str(err.value)
