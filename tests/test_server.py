"""Production server: the Dockerfile's own command under real gunicorn answers on localhost."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _dockerfile_cmd() -> list[str]:
    text = (ROOT / "Dockerfile").read_text()
    return json.loads(re.search(r"^CMD (\[.*\])$", text, re.M).group(1))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_dockerfile_copies_every_package_the_server_imports():
    text = (ROOT / "Dockerfile").read_text()
    for needed in ("requirements.txt", "landscapes/", "optimizers/", "app/", "gunicorn.conf.py"):
        assert re.search(rf"^COPY {re.escape(needed)}", text, re.M), needed
    assert re.search(r"^USER (?!root)\w+", text, re.M), "runs as a non-root user"
    assert _dockerfile_cmd()[:1] == ["gunicorn"] and "app.server:server" in _dockerfile_cmd()


@pytest.fixture(scope="module")
def gunicorn_server():
    port = _free_port()
    cmd = _dockerfile_cmd()
    cmd[0] = str(Path(sys.executable).with_name("gunicorn"))
    env = {**os.environ, "PORT": str(port), "WEB_CONCURRENCY": "2"}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(proc.stdout.read().decode())
            time.sleep(0.3)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_gunicorn_serves_the_page_and_the_layout(gunicorn_server):
    with urllib.request.urlopen(gunicorn_server + "/", timeout=10) as r:
        assert r.status == 200 and b"Gradient-descent playground" in r.read()
    with urllib.request.urlopen(gunicorn_server + "/_dash-layout", timeout=10) as r:
        assert r.status == 200 and b"graph-3d" in r.read()


def test_gunicorn_answers_a_hostile_url_with_the_page(gunicorn_server):
    url = gunicorn_server + "/?steps=1e999&surface=%3Cscript%3E&adam.lr=nan&x=inf"
    with urllib.request.urlopen(url, timeout=10) as r:
        assert r.status == 200
