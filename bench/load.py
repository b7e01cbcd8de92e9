"""Load test: 32 concurrent clients drive the real recompute callback under real gunicorn for 60 s.

``python -m bench.load [--clients 32] [--seconds 60] [--workers N] [--threads T]``

Each client is a thread with its own keep-alive connection, sending what the browser sends to
``/_dash-update-component`` as fast as answers come back: a lecture hall where every student
has the lesson open and moves sliders. Half the requests change a whole scene (surface, steps,
start: the full figures come back), half change one optimizer's learning rate (only its traces
come back, as a Patch). Scenes and rates are drawn from a seeded generator, so runs compare.

Requests say ``Accept-Encoding: gzip, deflate, br`` as a browser does, so answers come compressed
as users get them (``--compression off`` measures the server without compression, ``--compression
both`` one after the other in one run).
Prints requests/s, p50/p95/p99 latency, errors, the answers' size on the wire, and the server's
memory (master and workers, RSS) after warm-up and at the end. Goal on the 2-core machine:
>= 40 requests/s, p95 < 250 ms, 0 errors, memory growth < 10 %.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import threading
import time
from dataclasses import replace
from urllib.parse import urlparse

import psutil

import optimizers
from app.serving import compression
from app.serving.warmup import DEFAULT_SURFACES
from app.state.scene import Scene
from bench import dash_requests as dr
from bench.serve import gunicorn, is_job_runner

SURFACES = DEFAULT_SURFACES  # the ones gunicorn compiles before it forks (app/serving/warmup.py)
STEPS = (200, 500, 1000, 2000)
HEADERS = {"Content-Type": "application/json", "Accept-Encoding": "gzip, deflate, br"}  # as a browser sends


def _request(rng: random.Random) -> tuple[str, bytes]:
    kind, body, _ = _request_after(rng)
    return kind, body


def _request_after(rng: random.Random) -> tuple[str, bytes, bytes | None]:
    """(kind, body, the body of the scene the page showed before: for a setting, the same scene with
    the optimizer's default learning rate; None for a whole scene)."""
    surface = rng.choice(SURFACES)
    scene = Scene(surface=surface, steps=rng.choice(STEPS), seed=rng.randrange(5))
    if rng.random() < 0.5:
        return "scene", json.dumps(dr.recompute_scene(scene)).encode(), None
    rule = rng.choice(optimizers.SEED_FIVE)
    lr = round(10 ** rng.uniform(-3, -0.5), 4)
    before = Scene(surface=surface, steps=scene.steps)
    scene = replace(before, hyper={rule: {"lr": lr}})
    changed = json.dumps({"name": "lr", "rule": rule, "type": "hp"}, separators=(",", ":")) + ".value"
    body = json.dumps(dr.recompute_scene(scene, changed=changed)).encode()
    return "setting", body, json.dumps(dr.recompute_scene(before)).encode()


def _client(url: str, seed: int, rate: float, stop: threading.Event, out: list) -> None:
    """Send requests until ``stop``: ``rate`` per second (0: each as soon as the last is answered)."""
    rng = random.Random(seed)
    host = urlparse(url)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
    next_at = time.perf_counter() + (rng.random() / rate if rate else 0.0)  # clients out of step
    while not stop.is_set():
        kind, body = _request(rng)
        if rate:
            pause = next_at - time.perf_counter()
            if pause > 0 and stop.wait(pause):
                break
            next_at = max(next_at + 1.0 / rate, time.perf_counter())
        t0 = time.perf_counter()
        try:
            conn.request("POST", dr.ENDPOINT, body=body, headers=HEADERS)
            resp = conn.getresponse()
            size = len(resp.read())  # as sent: http.client does not decompress
            ok = resp.status == 200
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
            ok, size = False, 0
        out.append((time.perf_counter(), time.perf_counter() - t0, ok, kind, size))
    conn.close()


def drive(url: str, clients: int, seconds: float, rate: float, seed: int = 0) -> list:
    stop = threading.Event()
    results: list = []
    threads = [threading.Thread(target=_client, args=(url, seed + i, rate, stop, results)) for i in range(clients)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    return results


def server_memory(master_pid: int) -> float:
    """Memory of the gunicorn master and its workers, in MB: the sum of their PSS (shared pages,
    such as the code compiled before the fork, counted once rather than once per process)."""
    master = psutil.Process(master_pid)
    procs = [master, *master.children(recursive=True)]
    return sum(p.memory_full_info().pss for p in procs if p.is_running()) / 2**20


def _sample_memory(pid: int, seconds: float, out: list[float]) -> None:
    for _ in range(int(seconds // 10)):
        time.sleep(10)
        out.append(server_memory(pid))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=10, help="seconds of unmeasured load first")
    parser.add_argument(
        "--rate",
        type=float,
        default=1.5,
        help="requests per second per client (a student moving a slider); 0: closed loop, as fast as answered",
    )
    parser.add_argument(
        "--compression",
        choices=("on", "off", "both"),
        default="on",
        help="both: the same load without and then with compression, in one run (what compression costs)",
    )
    parser.add_argument("--workers", type=int, default=None, help="default: gunicorn.conf.py's")
    parser.add_argument("--threads", type=int, default=None, help="default: gunicorn.conf.py's")
    args = parser.parse_args()
    for setting in ("0", "1") if args.compression == "both" else ("1" if args.compression == "on" else "0",):
        measure(args, setting)


def measure(args, compress: str) -> None:
    """One load run against a fresh gunicorn with ``COMPRESS=compress``; prints its figures."""
    with gunicorn(args.workers, args.threads, COMPRESS=compress) as (url, pid):
        drive(url, args.clients, args.warmup, args.rate, seed=1000)  # unmeasured: caches and pools fill
        mem_start = server_memory(pid)
        samples: list[float] = []
        sampler = threading.Thread(target=_sample_memory, args=(pid, args.seconds, samples))
        sampler.start()
        t0 = time.perf_counter()
        results = drive(url, args.clients, args.seconds, args.rate)
        elapsed = time.perf_counter() - t0
        sampler.join()
        mem_end = server_memory(pid)
        children = psutil.Process(pid).children()
        runners = sum(1 for c in children if is_job_runner(c))
        workers = f"{len(children) - runners} web workers (and {runners} job runners)"

    latencies = sorted(r[1] * 1e3 for r in results)
    errors = sum(not r[2] for r in results)
    q = statistics.quantiles(latencies, n=100)
    kinds = {k: [r for r in results if r[3] == k] for k in ("scene", "setting")}
    pace = f"{args.rate:g} requests/s each" if args.rate else "closed loop, each as fast as answered"
    wire = "compressed" if compression.enabled({"COMPRESS": compress}) else "not compressed (COMPRESS=0)"
    print(
        f"Load: {args.clients} clients ({pace}) for {args.seconds:.0f} s against the recompute callback, "
        f"gunicorn with {workers} on localhost, answers {wire}"
    )
    print(f"  {len(results) / elapsed:.1f} requests/s (goal >= 40); {len(results)} requests, {errors} errors (goal 0)")
    print(f"  latency p50 {q[49]:.0f} ms, p95 {q[94]:.0f} ms (goal < 250), p99 {q[98]:.0f} ms")
    for kind, rows in kinds.items():
        if rows:
            size = statistics.mean(r[4] for r in rows) / 1024
            med = statistics.median(r[1] * 1e3 for r in rows)
            print(f"  {kind} changes: {len(rows)} requests, median {med:.0f} ms, {size:.0f} KB each on the wire")
    growth = (mem_end / mem_start - 1) * 100
    print(f"  server memory {mem_start:.0f} MB after warm-up, {mem_end:.0f} MB at the end", end=" ")
    print(f"({growth:+.1f} %, goal < 10 %); every 10 s: {', '.join(f'{m:.0f}' for m in samples)} MB")


if __name__ == "__main__":
    main()
