"""Long jobs as background callbacks under real gunicorn: in local processes (diskcache, the
default) and on a Celery worker through a real Redis (REDIS_URL), as docker-compose.yml runs them."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from app.background import manager
from bench.serve import free_port, gunicorn
from tests.browser_helpers import open_tab, until

ROOT = Path(__file__).resolve().parents[1]
WAIT = 90


def _basin_map_in_browser(dash_br, url: str) -> str:
    """A new user's steps: open the page, the Basin map tab, Compute; returns the summary."""
    dash_br.driver.get(url + "/?surface=himmelblau")
    dash_br.wait_for_element("#results-table", timeout=WAIT)
    open_tab(dash_br, "Basin map")
    dash_br.find_element("#basin-run").click()
    assert until(lambda: "starts" in dash_br.find_element("#basin-summary").text, WAIT)
    return dash_br.find_element("#basin-summary").text


@pytest.mark.browser
def test_basin_map_runs_in_a_background_process_under_gunicorn(dash_br, tmp_path):
    with gunicorn(workers=2, CACHE_DIR=str(tmp_path / "jobs")) as (url, _):
        summary = _basin_map_in_browser(dash_br, url)
    assert summary.count("minimum") == 4
    assert any((tmp_path / "jobs").iterdir())  # the job's progress and result went through the disk cache


@contextlib.contextmanager
def _redis():
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.fail("redis-server is not installed (.ci/run installs Debian's redis-server)")
    port = free_port()
    proc = subprocess.Popen([exe, "--port", str(port), "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextlib.contextmanager
def _celery_worker(redis_url: str):
    """The worker exactly as docker-compose.yml starts it."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    cmd = compose["services"]["worker"]["command"]
    cmd = [str(Path(sys.executable).with_name(cmd[0])), *cmd[1:]]
    env = {**os.environ, "REDIS_URL": redis_url}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.browser
def test_basin_map_runs_on_a_celery_worker_through_redis(dash_br):
    with (
        _redis() as redis_url,
        _celery_worker(redis_url) as worker,
        gunicorn(workers=1, REDIS_URL=redis_url) as (url, _),
    ):
        summary = _basin_map_in_browser(dash_br, url)
        assert worker.poll() is None  # the worker is alive: it ran the job
    assert summary.count("minimum") == 4


def test_the_manager_follows_the_environment(tmp_path):
    from dash import CeleryManager, DiskcacheManager

    assert isinstance(manager({"CACHE_DIR": str(tmp_path)}), DiskcacheManager)
    assert isinstance(manager({"REDIS_URL": "redis://127.0.0.1:1/0"}), CeleryManager)


def test_compose_file_runs_app_worker_and_redis():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"app", "worker", "redis"}
    for name in ("app", "worker"):
        assert services[name]["environment"]["REDIS_URL"].startswith("redis://redis:")
        assert services[name]["build"] == "."
    assert services["worker"]["command"][:3] == ["celery", "--app", "app.worker:celery_app"]
