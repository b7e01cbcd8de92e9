"""The job queue's rules, on both tables (SQLite on one machine, a real Redis scaled out):
identical jobs shared, queue and per-page bounds, cancel, abandon, failures, progress."""

from __future__ import annotations

import os
import threading
import time

import pytest

from bench.serve import redis_server
from jobs import Queue, job_for
from jobs.runner import execute, serve
from jobs.spec import Limits, Refused
from jobs.store import SQLiteStore

LIMITS = Limits(workers=1, queue=3, per_client=2, abandon_after=5.0, silent_after=30.0, result_ttl=60.0)


@pytest.fixture(params=["sqlite", "redis"])
def store(request, tmp_path):
    if request.param == "sqlite":
        yield SQLiteStore(str(tmp_path / "jobs.sqlite"), LIMITS)
    else:
        from jobs.redis_store import RedisStore

        with redis_server() as url:
            yield RedisStore(url, LIMITS)


# Job functions for the runner (importable by name, as the app's are).
CALLS: list[dict] = []


def double(payload: dict, progress) -> bytes:
    CALLS.append(payload)
    for done in range(0, payload["n"] + 1, 5):
        progress(done, payload["n"])
    return str(2 * payload["n"]).encode()


def broken(payload: dict, progress) -> bytes:
    raise ValueError("no such surface")


def job(n: int, func: str = "tests.test_jobs:double"):
    return job_for(func, {"n": n})


def test_identical_requests_are_one_job_computed_once_and_shared(store):
    CALLS.clear()
    a = store.submit(job(10), "alice")
    b = store.submit(job(10), "bob")
    assert a.key == b.key and a.state == b.state == "queued"
    running = store.claim()
    assert running.key == a.key and store.claim() is None  # one computation
    assert execute(store, running) == "done"
    assert CALLS == [{"n": 10}]
    assert store.result(a.key) == b"20"
    later = store.submit(job(10), "carol")  # a later asker gets the kept result at once
    assert later.state == "done" and store.claim() is None and CALLS == [{"n": 10}]


def test_the_same_payload_in_another_order_is_the_same_job():
    assert job_for("m:f", {"a": 1, "b": 2}).key == job_for("m:f", {"b": 2, "a": 1}).key
    assert job_for("m:f", {"a": 1}).key != job_for("m:g", {"a": 1}).key


def test_the_queue_says_how_many_are_ahead(store):
    keys = [store.submit(job(n), f"client-{n}").key for n in (1, 2, 3)]
    assert [store.status(k).ahead for k in keys] == [0, 1, 2]
    store.claim()
    assert store.status(keys[0]).state == "running"
    assert [store.status(k).ahead for k in keys[1:]] == [0, 1]


def test_the_job_most_pages_wait_for_goes_first_and_the_queue_says_so(tmp_path):
    store = SQLiteStore(str(tmp_path / "jobs.sqlite"), LIMITS)
    first = store.submit(job(1), "alice").key
    wanted = store.submit(job(2), "bob").key
    assert [store.status(k).ahead for k in (first, wanted)] == [0, 1]  # first come, first served
    store.submit(job(2), "carol")  # a second page asks for the same map
    assert [store.status(k).ahead for k in (first, wanted)] == [1, 0]
    assert store.claim().key == wanted
    assert store.status(first).ahead == 0
    store.cancel(wanted, "bob")
    store.cancel(wanted, "carol")  # nobody waits any more: cancelled, and the other job is next
    assert store.claim().key == first


def test_the_queue_is_bounded_with_a_message(store):
    for n in range(LIMITS.queue):
        store.submit(job(n), f"client-{n}")
    with pytest.raises(Refused, match="queue is full"):
        store.submit(job(99), "someone-else")
    store.submit(job(0), "joins-an-existing-job")  # joining costs nothing: always allowed


def test_each_page_may_have_two_jobs_at_a_time(store):
    store.submit(job(1), "alice")
    store.submit(job(2), "alice")
    with pytest.raises(Refused, match="already have 2 jobs"):
        store.submit(job(3), "alice")
    store.cancel(job(1).key, "alice")
    store.submit(job(3), "alice")  # a slot again


def test_cancel_by_everyone_who_asked_stops_the_job(store):
    key = store.submit(job(100), "alice").key
    store.submit(job(100), "bob")
    running = store.claim()
    store.cancel(key, "alice")
    assert store.progress(key, 5, 100)  # bob still waits
    store.cancel(key, "bob")
    assert not store.progress(key, 10, 100)
    assert store.status(key).state == "cancelled"
    assert execute(store, running) == "cancelled" and store.result(key) is None


def test_a_job_nobody_polls_any_more_stops(store):
    t0 = time.time()
    key = store.submit(job(100), "alice", now=t0).key
    store.claim(now=t0 + 1)
    assert store.progress(key, 5, 100, now=t0 + 2)
    store.status(key, "alice", now=t0 + 4)  # a poll keeps it alive
    assert store.progress(key, 10, 100, now=t0 + 8)
    assert not store.progress(key, 15, 100, now=t0 + 10)  # nobody for 6 s > 5 s
    status = store.status(key)
    assert status.state == "cancelled" and "nobody" in status.message


def test_a_queued_job_nobody_waits_for_is_dropped_not_computed(store):
    t0 = time.time()
    key = store.submit(job(7), "alice", now=t0).key
    assert store.claim(key if not isinstance(store, SQLiteStore) else None, now=t0 + 60) is None
    assert store.status(key).state == "cancelled"


def test_a_failing_job_ends_with_a_message_not_a_hang(store):
    key = store.submit(job(1, "tests.test_jobs:broken"), "alice").key
    assert execute(store, store.claim()) == "failed"
    status = store.status(key, "alice")
    assert status.state == "failed" and "no such surface" in status.message and status.finished


def test_a_silent_running_job_is_reported_failed(store):
    t0 = time.time()
    key = store.submit(job(1), "alice", now=t0).key
    store.claim(now=t0)
    if isinstance(store, SQLiteStore):
        store.claim(now=t0 + LIMITS.silent_after + 1)  # the next claim notices
    status = store.status(key, now=t0 + LIMITS.silent_after + 1)
    assert status.state == "failed" and "stopped" in status.message


def test_progress_is_reported_to_the_waiting_page(store):
    key = store.submit(job(20), "alice").key
    store.claim()
    store.progress(key, 5, 20)
    status = store.status(key, "alice")
    assert (status.state, status.done, status.total) == ("running", 5, 20)


def test_the_runner_serves_the_queue_until_it_is_empty(tmp_path):
    store = SQLiteStore(str(tmp_path / "jobs.sqlite"), LIMITS)
    queue = Queue(store)
    keys = [queue.submit("tests.test_jobs:double", {"n": n}, f"c{n}").key for n in (3, 4)]
    serve(store, once=True)
    assert [queue.result(k) for k in keys] == [b"6", b"8"]


def test_a_cancelled_job_stops_at_its_next_progress_report(tmp_path):
    store = SQLiteStore(str(tmp_path / "jobs.sqlite"), LIMITS)
    key = store.submit(job(50), "alice").key
    running = store.claim()
    store.cancel(key, "alice")
    CALLS.clear()
    assert execute(store, running) == "cancelled"  # double() raised Stopped at its first report
    assert CALLS == [{"n": 50}] and store.result(key) is None


def test_a_held_write_lock_delays_a_submit_but_never_hangs_it(tmp_path):
    """Another connection holds the table's write lock for a second: the submit waits, then goes through."""
    path = str(tmp_path / "jobs.sqlite")
    store = SQLiteStore(path, LIMITS)
    import sqlite3

    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(1.0, lambda: holder.execute("COMMIT")).start()
    status = store.submit(job(5), "alice")
    assert status.state == "queued"


def test_a_queue_without_a_live_runner_says_so_while_the_job_waits(tmp_path):
    store = SQLiteStore(str(tmp_path / "jobs.sqlite"), LIMITS)
    t0 = time.time()
    key = store.submit(job(3), "alice", now=t0).key
    assert "No job runner" in store.status(key, now=t0).message  # none has ever started
    store.alive(4242, now=t0)
    assert store.status(key, now=t0 + 1).message == ""
    assert "No job runner" in store.status(key, now=t0 + 60).message  # it went silent


def test_runners_busy_with_long_jobs_count_as_alive(tmp_path):
    store = SQLiteStore(str(tmp_path / "jobs.sqlite"), LIMITS)
    t0 = time.time()
    store.alive(4242, now=t0)
    first = store.submit(job(1), "alice", now=t0).key
    store.claim(now=t0)
    waiting = store.submit(job(2), "bob", now=t0).key
    store.status(first, "alice", now=t0 + 55)
    store.progress(first, 5, 10, now=t0 + 55)  # the runner is busy, and says so
    assert store.status(waiting, now=t0 + 60).message == ""


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({}, None),  # no cgroup files: the affinity alone
        ({"cpu.max": "max 100000\n"}, None),  # v2, no quota
        ({"cpu.max": "150000 100000\n"}, 2),  # v2: 1.5 cores -> 2
        ({"cpu.max": "50000 100000\n"}, 1),
        ({"cpu/cpu.cfs_quota_us": "100000", "cpu/cpu.cfs_period_us": "100000"}, 1),  # v1
        ({"cpu/cpu.cfs_quota_us": "-1", "cpu/cpu.cfs_period_us": "100000"}, None),
        ({"cpu.max": "garbage"}, None),
    ],
)
def test_usable_cores_follow_the_affinity_and_a_containers_quota(tmp_path, files, expected):
    """Job runners and web workers are counted from the cores a container may use, not the host's."""
    from jobs.cores import usable_cores

    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    affinity = len(os.sched_getaffinity(0))
    assert usable_cores(tmp_path) == (affinity if expected is None else min(affinity, expected))


def test_a_store_that_does_not_answer_keeps_the_page_polling_with_a_message(tmp_path):
    """A write lock held longer than the store waits: the poll says so and keeps polling (never a
    server error); a Compute gets a message; once the lock is gone the same page gets its result."""
    import sqlite3

    from app.explore import job_view

    path = str(tmp_path / "jobs.sqlite")
    queue = Queue(SQLiteStore(path, LIMITS, busy_timeout=0.2))
    first, _ = job_view.flow("x-run", "x", lambda: ("tests.test_jobs:double", {"n": 5}, []), None, "alice", queue)
    key = first["job"]["key"]
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")  # not even readers get in
    polled, data = job_view.flow("x-poll", "x", None, {"key": key}, "alice", queue)
    assert data is None and polled["poll"] is False and "did not answer" in polled["label"]
    again, _ = job_view.flow("x-run", "x", lambda: ("tests.test_jobs:double", {"n": 6}, []), None, "bob", queue)
    assert again["poll"] is True and "did not answer" in str(again["notice"])
    holder.execute("COMMIT")
    execute(queue.store, queue.store.claim())
    done, data = job_view.flow("x-poll", "x", None, {"key": key}, "alice", queue)
    assert data == b"10" and done["poll"] is True


def test_a_failed_jobs_message_reaches_a_german_page_in_german(tmp_path):
    """The runner writes its message in English for everyone; each page reads it in its language."""
    import i18n
    from app.explore import job_view

    queue = Queue(SQLiteStore(str(tmp_path / "jobs.sqlite"), LIMITS))
    first, _ = job_view.flow("x-run", "x", lambda: ("tests.test_jobs:broken", {"n": 1}, []), None, "anna", queue)
    assert execute(queue.store, queue.store.claim()) == "failed"
    with i18n.use("de"):
        ended, data = job_view.flow("x-poll", "x", None, first["job"], "anna", queue)
    assert data is None and "Konnte nicht berechnet werden: no such surface" in str(ended["notice"])
    ended, _ = job_view.flow("x-poll", "x", None, first["job"], "anna", queue)
    assert "Could not compute it: no such surface" in str(ended["notice"])
