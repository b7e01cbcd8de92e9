"""Long jobs through the real endpoints under real gunicorn: the machine's runner pool (one machine)
and Celery workers through a real Redis (scaled out, as docker-compose.yml runs them).

Each "page" below sends exactly what the browser sends (``bench.dash_requests.basin_flow``): a click
on Compute, then a poll every half second, as ``app.explore.job_view`` does."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest

from bench import dash_requests as dr
from bench.serve import celery_worker, gunicorn, redis_server
from jobs import store_path
from jobs.store import SQLiteStore
from tests.browser_helpers import open_tab, until
from tests.test_jobs import LIMITS

ROOT = Path(__file__).resolve().parents[1]
WAIT = 90
SMALL = {"resolution": "50", "steps": 100, "link": "?surface=himmelblau"}
LONG = {"resolution": "200", "steps": 2000, "link": "?surface=multimodal"}


def _post(url: str, body: dict) -> dict:
    req = urllib.request.Request(url + dr.ENDPOINT, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read()).get("response", {}) if r.status == 200 else {}


class Page:
    """One browser page's basin tab, spoken through the endpoint."""

    def __init__(self, url: str, client: str) -> None:
        self.url, self.client = url, client
        deps = json.loads(urllib.request.urlopen(url + "/_dash-dependencies", timeout=30).read())
        self.key = dr.output_key({d["output"]: d for d in deps}, "basin-graph.figure")
        self.job = None
        self.ticks = 0

    def compute(self, **settings) -> dict:
        answer = _post(self.url, dr.basin_flow(self.key, "run", client=self.client, **settings))
        self.job = answer.get("basin-job", {}).get("data")
        self.settings = settings
        return answer

    def poll(self) -> dict:
        self.ticks += 1
        body = dr.basin_flow(self.key, "poll", job=self.job, client=self.client, tick=self.ticks, **self.settings)
        return _post(self.url, body)

    def cancel(self) -> dict:
        return _post(self.url, dr.basin_flow(self.key, "cancel", job=self.job, client=self.client, **self.settings))

    def wait(self, first: dict, timeout: float = WAIT) -> dict:
        """Poll until the map or a message; returns the last answer."""
        answer, deadline = first, time.time() + timeout
        while not answer.get("basin-graph") and not answer.get("basin-poll", {}).get("disabled"):
            if time.time() > deadline:
                raise AssertionError(f"{self.client}: nothing after {timeout} s")
            time.sleep(0.5)
            answer = self.poll()
        return answer


def _summary(answer: dict) -> str:
    return answer.get("basin-summary", {}).get("children", "")


def _label(answer: dict) -> str:
    return answer.get("basin-progress", {}).get("label", "")


def _notice(answer: dict) -> str:
    return json.dumps(answer.get("basin-notice", {}).get("children"))


def _zombies(pid: int) -> list[int]:
    """Children of the server's master that have ended but were never reaped."""
    out = []
    for child in psutil.Process(pid).children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            if child.status() == psutil.STATUS_ZOMBIE:
                out.append(child.pid)
    return out


def _jobs(folder: Path) -> dict:
    return SQLiteStore(store_path({"CACHE_DIR": str(folder)}), LIMITS).counts()


def test_identical_maps_from_eight_pages_are_computed_once_and_reach_all(tmp_path):
    with gunicorn(workers=2, CACHE_DIR=str(tmp_path)) as (url, _):
        pages = [Page(url, f"student-{i}") for i in range(8)]
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda p: p.wait(p.compute(**SMALL)), pages))
    assert all(_summary(a).count("minimum") == 4 for a in answers)
    assert _jobs(tmp_path) == {"done": 1}


def test_a_page_is_told_its_place_in_the_queue_and_may_not_hog_it(tmp_path):
    with gunicorn(workers=1, CACHE_DIR=str(tmp_path), JOB_WORKERS="1") as (url, _):
        alice, bob = Page(url, "alice"), Page(url, "bob")
        alice.compute(**LONG)
        assert until(lambda: "runs" in _label(alice.poll()), 30)  # running, with its progress
        queued = bob.compute(**{**LONG, "steps": 1999})
        assert _label(queued) == "Queued: next in line"
        carol = Page(url, "carol")
        assert _label(carol.compute(**{**LONG, "steps": 1998})) == "Queued: 1 job ahead"
        alice.compute(**{**LONG, "steps": 1997})
        refused = alice.compute(**{**LONG, "steps": 1996})  # a third job from one page
        assert "already have 2 jobs" in _notice(refused) and refused["basin-run"]["disabled"] is False
        for page in (alice, bob, carol):
            page.cancel()


def test_cancel_and_abandon_free_the_runner_for_the_next_job(tmp_path):
    with gunicorn(workers=1, CACHE_DIR=str(tmp_path), JOB_WORKERS="1", JOB_ABANDON_AFTER="2") as (url, pid):
        alice = Page(url, "alice")
        alice.compute(**LONG)
        assert until(lambda: "runs" in _label(alice.poll()), 30)
        cancelled = alice.cancel()
        assert "Cancelled" in _notice(cancelled) and cancelled["basin-poll"]["disabled"] is True
        bob = Page(url, "bob")
        bob.compute(**{**LONG, "steps": 1999})  # then bob closes the tab: nobody polls
        assert until(lambda: _jobs(tmp_path).get("running", 0) == 1, 30)
        assert until(lambda: _jobs(tmp_path).get("running", 0) == 0, 30)
        carol = Page(url, "carol")
        assert _summary(carol.wait(carol.compute(**SMALL))).count("minimum") == 4
        states = _jobs(tmp_path)
        zombies = _zombies(pid)
    assert states == {"cancelled": 2, "done": 1}
    assert zombies == []


def test_jobs_submitted_while_the_table_is_locked_are_delayed_not_lost(tmp_path):
    with gunicorn(workers=2, threads=4, CACHE_DIR=str(tmp_path)) as (url, _):
        pages = [Page(url, f"p{i}") for i in range(4)]
        warm = Page(url, "warm")
        warm.wait(warm.compute(**SMALL))  # the table exists, the runners are ready
        table = store_path({"CACHE_DIR": str(tmp_path)})
        holder = sqlite3.connect(table, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock for 2 s
        threading.Timer(2.0, lambda: holder.execute("COMMIT")).start()
        with ThreadPoolExecutor(4) as pool:
            answers = list(
                pool.map(lambda ip: ip[1].wait(ip[1].compute(**{**SMALL, "steps": 101 + ip[0]})), enumerate(pages))
            )
    assert all(_summary(a).count("minimum") == 4 for a in answers)


def test_maps_run_on_celery_workers_through_redis_and_identical_ones_once():
    from jobs.redis_store import RedisStore

    with (
        redis_server() as redis_url,
        celery_worker(redis_url),
        gunicorn(workers=1, REDIS_URL=redis_url) as (url, pid),
    ):
        pages = [Page(url, f"student-{i}") for i in range(4)]
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda p: p.wait(p.compute(**SMALL)), pages))
        counts = RedisStore(redis_url, LIMITS).counts()
        runners = [c for c in psutil.Process(pid).children() if "jobs.runner" in " ".join(c.cmdline())]
    assert all(_summary(a).count("minimum") == 4 for a in answers)
    assert counts == {"done": 1}
    assert runners == []  # scaled out: the web machine computes no jobs


@pytest.mark.browser
def test_a_new_user_computes_a_basin_map_in_the_browser_under_gunicorn(dash_br, tmp_path):
    with gunicorn(workers=2, CACHE_DIR=str(tmp_path)) as (url, _):
        dash_br.driver.get(url + "/?surface=himmelblau")
        dash_br.wait_for_element("#results-table", timeout=WAIT)
        open_tab(dash_br, "Basin map")
        dash_br.find_element("#basin-run").click()
        assert until(lambda: "starts" in dash_br.find_element("#basin-summary").text, WAIT)
        summary = dash_br.find_element("#basin-summary").text
    assert summary.count("minimum") == 4
    assert _jobs(tmp_path) == {"done": 1}


def _runner_threads(pid: int) -> list[str]:
    """EXPLORE_THREADS of each job runner process under the server's master (``jobs.pool``)."""
    out = []
    for child in psutil.Process(pid).children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            if "jobs.runner" in child.cmdline():
                out.append(child.environ().get("EXPLORE_THREADS"))
    return out


def test_job_workers_and_job_threads_size_the_runner_pool(tmp_path):
    with gunicorn(workers=1, CACHE_DIR=str(tmp_path), JOB_WORKERS="3", JOB_THREADS="2") as (url, pid):
        assert until(lambda: len(_runner_threads(pid)) == 3, 30)
        assert _runner_threads(pid) == ["2", "2", "2"]
        page = Page(url, "alice")
        assert _summary(page.wait(page.compute(**SMALL))).count("minimum") == 4
    with gunicorn(workers=1, CACHE_DIR=str(tmp_path), JOB_WORKERS="1", JOB_THREADS="many") as (url, pid):
        assert until(lambda: len(_runner_threads(pid)) == 1, 30)
        assert _runner_threads(pid) == ["1"]  # not a number: the default, one thread a job
