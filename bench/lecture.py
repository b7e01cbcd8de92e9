"""A whole lecture hall at once: ``python -m bench.lecture`` (about two minutes).

Real gunicorn (the Dockerfile's command) on loopback, the load generator on the same 2-core machine:
- 100 students change a main-view setting about once a second each (Poisson arrivals, the requests
  of ``bench.load``: half whole scenes, half one learning rate);
- meanwhile 10 students ask for 10 different maximum-size basin maps (200x200 starts, 2,000 steps)
  and 20 students for the same one, each polling every half second as the page does.
Each student's page keeps its connection alive as a browser does (``Page``): a new connection only
once the server has closed the idle one (gunicorn's ``keepalive``, 2 s).

Prints, next to the goals: the main view's p95 (< 250 ms) and failed requests (0), when each job was
delivered (all within 60 s), how many jobs were computed for the 21 distinct requests (the 20
identical ones once), the server's peak memory (< 4 GB: master, web workers and job runners, PSS)
and its memory afterwards (flat), and failures by kind.

``--redis`` runs the same against Celery workers through a real Redis (``--celery-workers 1`` or 2,
``--celery-concurrency`` processes each, default 1): jobs' throughput with one and with two workers.
``--scale 0.5`` halves every count (a quicker look); ``--students 0`` leaves the jobs alone on the
machine; ``--pin`` gives each Celery worker one core of its own (CPU affinity: the worker and its
engine use that core only), as a worker machine with one core: ``--redis --pin --students 0`` with
``--celery-workers 1`` and then 2 shows what a second worker adds.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.client
import json
import os
import random
import re
import select
import statistics
import threading
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import brotli
import psutil

from bench import dash_requests as dr
from bench.load import HEADERS, _request
from bench.serve import gunicorn, is_job_runner

MAX_SIZE = {"resolution": "200", "steps": 2000}
SURFACES = ("multimodal", "himmelblau", "rastrigin", "rosenbrock", "beale", "paraboloid", "monkey_saddle", "saddle")
RULES = ("adam", "sgd", "momentum", "nesterov", "rmsprop")
SAME_MAP = ("?surface=himmelblau&seed=99", "adam")  # the map the ``same`` students all ask for
JOB_DEADLINE = 180.0  # s a job client keeps polling before it counts its job as lost
MEMORY_EVERY = 3.0  # s between samples of the server's PSS (each reads every process's smaps: ~25-50 ms of CPU)


DECODE = {"br": brotli.decompress, "gzip": gzip.decompress, "": bytes}


class Page:
    """One page's connection to the server, kept alive as a browser keeps it (HTTP/1.1): reused while
    the server keeps it open (gunicorn's ``keepalive``), replaced once the server has closed it (as a
    browser checks a pooled socket before reusing it), and a request the server closed on before
    answering is sent once more on a new connection, as a browser retries it."""

    def __init__(self, url: str) -> None:
        host = urlparse(url)
        self.conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)

    def post(self, body: bytes) -> tuple[int, bytes]:
        """(status, body decoded as its Content-Encoding says); status 0 when the connection failed."""
        sock = self.conn.sock
        if sock is not None and select.select([sock], [], [], 0)[0]:  # the server closed it (EOF waiting)
            self.conn.close()
        for attempt in range(2):
            reused = self.conn.sock is not None
            try:
                self.conn.request("POST", dr.ENDPOINT, body=body, headers=HEADERS)
                r = self.conn.getresponse()
                raw = r.read()
                return r.status, DECODE[r.getheader("Content-Encoding", "")](raw) if raw else b""
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                if not reused or attempt:
                    return 0, b""
            except (OSError, http.client.HTTPException):
                self.conn.close()
                return 0, b""
        return 0, b""

    def close(self) -> None:
        self.conn.close()


def _answer(status: int, raw: bytes) -> dict:
    return json.loads(raw).get("response", {}) if status == 200 and raw else {}


def student(url: str, seed: int, stop: threading.Event, out: list) -> None:
    """Main-view changes at about one a second (exponential gaps)."""
    rng, page = random.Random(seed), Page(url)
    while not stop.wait(rng.expovariate(1.0)):
        _, body = _request(rng)
        t0 = time.perf_counter()
        status, _ = page.post(body)
        out.append((time.perf_counter() - t0, status))
    page.close()


def job_client(url: str, key: str, link: str, rule: str, name: str, t_start: float, out: list) -> None:
    """Press Compute, poll every half second until the map, a message, or ``JOB_DEADLINE``."""
    settings = {"rule": rule, "link": link, **MAX_SIZE}
    page = Page(url)
    try:
        status, raw = page.post(json.dumps(dr.basin_flow(key, "run", client=name, **settings)).encode())
        answer = _answer(status, raw)
        job = answer.get("basin-job", {}).get("data")
        ticks = 0
        while True:
            if answer.get("basin-graph"):
                out.append((name, "delivered", time.perf_counter() - t_start))
                return
            if status != 200:
                out.append((name, f"HTTP {status}", time.perf_counter() - t_start))
                return
            if answer.get("basin-poll", {}).get("disabled"):
                text = json.dumps(answer.get("basin-notice"))
                said = " ".join(re.findall(r'"children": "([^"]+)"', text))[:160]
                kind = "refused" if "queue" in text or "already have" in text else f"ended without a map ({said})"
                out.append((name, kind, time.perf_counter() - t_start))
                return
            if time.perf_counter() - t_start > JOB_DEADLINE:
                out.append((name, "still waiting", time.perf_counter() - t_start))
                return
            time.sleep(0.5)
            ticks += 1
            body = dr.basin_flow(key, "poll", job=job, client=name, tick=ticks, **settings)
            status, raw = page.post(json.dumps(body).encode())
            answer = _answer(status, raw)
    finally:
        page.close()


def server_memory(pid: int) -> float:
    """PSS of the master and all its descendants (web workers, job runners), in MB."""
    procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.Error):
            total += p.memory_full_info().pss
    return total / 2**20


def server_cpu(pid: int, celery_pids: tuple[int, ...] = ()) -> dict[str, float]:
    """CPU seconds (user + system) used so far by the web workers (and master) and by the job runners
    (``is_job_runner``, or Celery's workers and their children)."""
    out = {"web": 0.0, "runners": 0.0}
    for top in (pid, *celery_pids):
        for p in [psutil.Process(top), *psutil.Process(top).children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                t = p.cpu_times()
                out["runners" if top != pid or is_job_runner(p) else "web"] += t.user + t.system
    return out


def map_requests(distinct: int, same: int) -> list[tuple[str, str]]:
    """(link, rule) of each map request: ``distinct`` different ones (each surface in turn, then the next
    rule; each its own seed), then ``same`` times ``SAME_MAP`` (bench.explore times the distinct ones)."""
    requests = [
        (f"?surface={SURFACES[i % len(SURFACES)]}&seed={i}", RULES[i // len(SURFACES) % len(RULES)])
        for i in range(distinct)
    ]
    return requests + [SAME_MAP] * same


def run(url: str, pid: int, students: int, distinct: int, same: int, celery_pids: tuple[int, ...] = ()) -> dict:
    deps = json.loads(urllib.request.urlopen(url + "/_dash-dependencies", timeout=30).read())
    key = dr.output_key({d["output"]: d for d in deps}, "basin-graph.figure")
    memory = [server_memory(pid) + sum(server_memory(p) for p in celery_pids)]
    stop, main_view, jobs_out = threading.Event(), [], []

    def sample():
        while not stop.wait(MEMORY_EVERY):
            memory.append(server_memory(pid) + sum(server_memory(p) for p in celery_pids))

    threads = [threading.Thread(target=sample)]
    threads += [threading.Thread(target=student, args=(url, i, stop, main_view)) for i in range(students)]
    for t in threads:
        t.start()
    time.sleep(3)  # the hall is busy before the first map is asked for
    t0, c0, s0, n0 = time.perf_counter(), time.process_time(), server_cpu(pid, celery_pids), len(main_view)
    requests = map_requests(distinct, same)
    with ThreadPoolExecutor(len(requests)) as pool:
        for i, (link, rule) in enumerate(requests):
            pool.submit(job_client, url, key, link, rule, f"job-client-{i}", t0, jobs_out)
            time.sleep(0.1)
    jobs_seconds = time.perf_counter() - t0
    generator_cpu = time.process_time() - c0  # this process: the students' and job clients' threads
    s1, n1 = server_cpu(pid, celery_pids), len(main_view)
    time.sleep(5)  # the main view alone again for a moment
    stop.set()
    for t in threads:
        t.join()
    after = memory[-1]
    time.sleep(5)
    settled = server_memory(pid) + sum(server_memory(p) for p in celery_pids)
    return {
        "main": main_view,
        "jobs": jobs_out,
        "jobs_seconds": jobs_seconds,
        "generator_cpu": generator_cpu,
        "server_cpu": {k: s1[k] - s0[k] for k in s0},
        "main_during_jobs": n1 - n0,
        "memory": memory,
        "after": after,
        "settled": settled,
        "requests": len(requests),
        "asked": {f"job-client-{i}": f"{rule} {link}" for i, (link, rule) in enumerate(requests)},
        "unique": distinct + (1 if same else 0),
    }


def report(result: dict, computed: int, label: str) -> None:
    lat = sorted(r[0] * 1e3 for r in result["main"])
    failed = sum(1 for r in result["main"] if r[1] != 200)
    q = statistics.quantiles(lat, n=100) if len(lat) > 2 else [float("nan")] * 99
    kinds = Counter(kind for _, kind, _ in result["jobs"])
    delivered = sorted(t for _, kind, t in result["jobs"] if kind == "delivered")
    print(f"Lecture hall ({label})")
    if lat:
        print(
            f"  main view: {len(lat)} requests, p50 {q[49]:.0f} ms, p95 {q[94]:.0f} ms (goal < 250 ms), "
            f"p99 {q[98]:.0f} ms; failed {failed} (goal 0)"
        )
    else:
        print("  main view: no students (the jobs alone)")
    if delivered:
        print(
            f"  jobs: {len(delivered)} of {result['requests']} delivered; first after {delivered[0]:.1f} s, "
            f"median {statistics.median(delivered):.1f} s, last {delivered[-1]:.1f} s (goal: all within 60 s)"
        )
        last = sorted((t, name) for name, kind, t in result["jobs"] if kind == "delivered")[-3:]
        print("  the last three delivered: " + "; ".join(f"{result['asked'][n]} after {t:.1f} s" for t, n in last))
    others = {k: v for k, v in kinds.items() if k != "delivered"}
    print(f"  jobs not delivered, by kind: {others or 'none'}")
    cpu, span = result["generator_cpu"], max(result["jobs_seconds"], 1e-9)
    print(
        f"  the load generator (this process, on the same cores) used {cpu:.1f} s of CPU in the {span:.0f} s "
        f"until the last job ended ({cpu / span:.0%} of a core)"
    )
    if "server_cpu" in result:
        web, runners, n = result["server_cpu"]["web"], result["server_cpu"]["runners"], result["main_during_jobs"]
        print(
            f"  the server in those {span:.0f} s: web workers {web:.1f} s of CPU ({web / span:.0%} of a core"
            + (f"; {web / n * 1e3:.1f} ms per main-view request, the job pages' polls included" if n else "")
            + f"), job runners "
            f"{runners:.1f} s ({runners / span:.0%} of a core); the machine has {psutil.cpu_count()} cores"
        )
    print(f"  jobs computed: {computed} for {result['unique']} distinct requests (goal: identical ones once)")
    maps = len({result["asked"][name] for name, kind, _ in result["jobs"] if kind == "delivered"})
    print(
        f"  job throughput: {maps} distinct maps delivered in {span:.0f} s, {maps * 60 / span:.1f} a minute "
        "(a second runner or Celery worker raises it where it has a core of its own)"
    )
    peak = max(result["memory"])
    print(
        f"  server memory: {result['memory'][0]:.0f} MB before, peak {peak:.0f} MB (goal < 4,096 MB), "
        f"{result['settled']:.0f} MB 5 s after the hall went quiet"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every count (0.5: half the hall)")
    parser.add_argument("--redis", action="store_true", help="Celery workers through a real Redis")
    parser.add_argument("--celery-workers", type=int, default=1)
    parser.add_argument("--celery-concurrency", type=int, default=1, help="processes per Celery worker")
    parser.add_argument("--pin", action="store_true", help="each Celery worker on a core of its own (affinity)")
    parser.add_argument("--students", type=int, help="main-view students instead of 100 x scale (0: the jobs alone)")
    args = parser.parse_args()
    students, distinct, same = (max(1, round(n * args.scale)) for n in (100, 10, 20))
    if args.students is not None:
        students = max(0, args.students)
    if not args.redis:
        import tempfile

        from jobs import store_path
        from jobs.spec import Limits
        from jobs.store import SQLiteStore

        with tempfile.TemporaryDirectory() as folder, gunicorn(CACHE_DIR=folder) as (url, pid):
            result = run(url, pid, students, distinct, same)
            table = store_path({"CACHE_DIR": folder})  # the server's table: one per code version
            computed = sum(SQLiteStore(table, Limits(workers=1)).counts().values())
        report(result, computed, f"{students} students, one machine: runner pool of {Limits.from_env().workers}")
        return

    from bench.serve import celery_worker, redis_server
    from jobs.redis_store import RedisStore
    from jobs.spec import Limits

    cores = sorted(os.sched_getaffinity(0))  # the cores this bench may use
    if args.pin and args.celery_workers > len(cores):
        parser.error(f"--pin gives each worker a core of its own: at most {len(cores)} workers here")
    with redis_server() as redis_url, contextlib.ExitStack() as stack:
        workers = [
            stack.enter_context(
                celery_worker(redis_url, str(args.celery_concurrency), {cores[i]} if args.pin else None)
            )
            for i in range(args.celery_workers)
        ]
        with gunicorn(REDIS_URL=redis_url) as (url, pid):
            result = run(url, pid, students, distinct, same, tuple(w.pid for w in workers))
            computed = sum(RedisStore(redis_url, Limits(workers=1)).counts().values())
    report(
        result,
        computed,
        f"{students} students, Celery through Redis: {args.celery_workers} worker(s) x "
        f"{args.celery_concurrency} process(es){', each pinned to a core of its own' if args.pin else ''}",
    )


if __name__ == "__main__":
    main()
