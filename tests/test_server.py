"""Production server: the Dockerfile's own command under real gunicorn answers on localhost."""

import contextlib
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import landscapes
from app.state.scene import Scene
from bench import dash_requests as dr
from bench.serve import free_port

ROOT = Path(__file__).resolve().parents[1]


def _dockerfile_cmd() -> list[str]:
    text = (ROOT / "Dockerfile").read_text()
    return json.loads(re.search(r"^CMD (\[.*\])$", text, re.M).group(1))


def test_dockerfile_copies_every_package_the_server_imports():
    text = (ROOT / "Dockerfile").read_text()
    for needed in (
        "requirements.txt",
        "landscapes/",
        "optimizers/",
        "explore/",
        "app/",
        "i18n/",
        "locale/",
        "lessons/",
        "gunicorn.conf.py",
    ):
        assert re.search(rf"^COPY {re.escape(needed)}", text, re.M), needed
    assert re.search(r"^USER (?!root)\w+", text, re.M), "runs as a non-root user"
    assert _dockerfile_cmd()[:1] == ["gunicorn"] and "app.server:server" in _dockerfile_cmd()


@contextlib.contextmanager
def _serve(**env: str):
    """The Dockerfile's CMD under real gunicorn on a free port; yields its base URL."""
    port = free_port()
    cmd = _dockerfile_cmd()
    cmd[0] = str(Path(sys.executable).with_name("gunicorn"))
    environ = {**os.environ, "PORT": str(port), "WEB_CONCURRENCY": "2", **env}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    try:
        while time.time() < deadline:
            try:
                urllib.request.urlopen(url + "/", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(proc.stdout.read().decode())
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def gunicorn_server():
    with _serve() as url:
        yield url


def _post(url: str, body: dict) -> tuple[int, dict]:
    req = urllib.request.Request(
        url + dr.ENDPOINT, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


def test_gunicorn_serves_the_page_and_the_layout(gunicorn_server):
    with urllib.request.urlopen(gunicorn_server + "/", timeout=10) as r:
        assert r.status == 200 and b"Gradient-descent playground" in r.read()
    with urllib.request.urlopen(gunicorn_server + "/_dash-layout", timeout=10) as r:
        assert r.status == 200 and b"graph-3d" in r.read()


def test_gunicorn_answers_a_hostile_url_with_the_page(gunicorn_server):
    url = gunicorn_server + "/?steps=1e999&surface=%3Cscript%3E&adam.lr=nan&x=inf"
    with urllib.request.urlopen(url, timeout=10) as r:
        assert r.status == 200


def test_security_headers_on_the_page_and_on_callbacks(gunicorn_server):
    with urllib.request.urlopen(gunicorn_server + "/", timeout=10) as r:
        page = r.read().decode()
        headers = r.headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors *" in csp and "script-src 'self' 'sha256-" in csp and "object-src 'none'" in csp
    assert "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "X-Frame-Options" not in headers  # embedding is governed by frame-ancestors
    config = json.loads(re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', page).group(1))
    assert config["ui"] is False and config["props_check"] is False  # no debug tools under gunicorn
    status, _ = _post(gunicorn_server, dr.new_seed(1))
    assert status == 200


def test_frame_ancestors_can_be_restricted_by_the_environment():
    with _serve(FRAME_ANCESTORS="'self' https://moodle.example.edu", WARMUP_SURFACES="none") as url:
        with urllib.request.urlopen(url + "/", timeout=10) as r:
            csp = r.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://moodle.example.edu" in csp


def test_a_malformed_callback_request_gets_a_400_not_a_server_error(gunicorn_server):
    status, body = _post(gunicorn_server, {"output": "graph-3d.figure", "inputs": "x"})
    assert status == 400 and "malformed" in body["error"]


def test_clients_with_different_scenes_never_see_each_others_results(gunicorn_server):
    """Stateless: 8 scenes, each posted 6 times from 16 threads at once; every answer is its own."""
    scenes = [
        Scene(surface=s, steps=150 + 10 * i, rules=(r,), hyper={r: {"lr": 0.01 * (i + 1)}}, seed=i)
        for i, (s, r) in enumerate(
            [
                ("paraboloid", "sgd"),
                ("rosenbrock", "adam"),
                ("himmelblau", "rmsprop"),
                ("multimodal", "nesterov"),
                ("beale", "adamw"),
                ("saddle", "momentum"),
                ("monkey_saddle", "adagrad"),
                ("rastrigin", "radam"),
            ]
        )
    ]
    jobs = [scene for scene in scenes for _ in range(6)]

    def ask(scene):
        return scene, _post(gunicorn_server, dr.recompute_scene(scene))

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(ask, jobs))
    for scene, (status, body) in answers:
        assert status == 200, (scene, body)
        response = body["response"]
        assert response["query"]["data"] == dr.query_of(scene)
        title = response["graph-3d"]["figure"]["layout"]["title"]["text"]
        assert title.startswith(landscapes.get(scene.surface).label)
        assert response["step"]["max"] == scene.steps
