"""Server CPU per request, split by where it goes: ``python -m bench.request_cost`` (about a minute).

One process, no gunicorn: the requests of ``bench.load`` and ``bench.lecture`` go through the Flask
app's test client (the real endpoint: request guard, Dash's dispatch, the callback, serialisation,
compression), as a browser sends them (``Accept-Encoding: gzip, deflate, br``). Kinds:

- main view, whole scene: a new scene (surface, steps, seed), every figure; computed (the worker's
  kept answers and runs cleared first) and asked again (a kept answer: a hall opening one link);
- main view, one learning rate: one optimizer's traces as Patches (that optimizer's run computed: rates
  vary; the other runs kept by the worker, as after the page's previous answer);
- basin map poll (``bench.lecture``'s 200 x 200 map): while queued (one job ahead), running
  (progress), and done (the map drawn: once per page), and the click on Compute.

CPU is ``time.process_time`` (this process, all its threads), so other work on the machine counts
far less than in wall-clock times; the load average is printed beside. Each request's CPU is split
by the innermost of these that is running (each listed function is timed, the rest is what is left):

- engine/analysis: ``surface_of``, each optimizer's run and its events (``app.runs.kept_runs``), the
  inspector's numbers, a map's bytes read;
- figures: the figure builders (main view's four charts and data panel, the basin map);
- components: results table, summary, inspector panel, notices;
- JSON: Dash's serialisation of the answer (``to_json``: orjson when the answer is plain data);
- compression: flask-compress (brotli at ``compression.BR_LEVEL``, the per-request level);
- guard: the request guard (including parsing the request's JSON, which Dash reuses);
- Dash dispatch: Dash reading the request's inputs into its callback context (``app.serving.dash_ids``);
- job store: the queue's SQLite table;
- rest: Flask, werkzeug, Dash's answer assembly, the callbacks' glue.

Then what brotli's quality (and gzip's level) costs and saves on these answers. ``--profile KIND``
prints cProfile's top functions for one kind (``scene``, ``setting``, ``kept``, ``queued``,
``running``, ``done``), with profiling's own overhead on every Python call.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import gzip
import json
import os
import pstats
import random
import statistics
import tempfile
import time
from collections import Counter

import brotli
from flask_compress.flask_compress import compression

from bench import dash_requests as dr
from bench.load import HEADERS, _request_after

GOAL_CHANGE_MS = 10.0  # CPU per main-view change, bench.load's mix
GOAL_POLL_MS = 2.0  # CPU per job poll (30 waiting pages at 2 polls/s: 12 % of a core at most)
LECTURE_MAP = {"rule": "adam", "resolution": "200", "steps": 200, "link": "?surface=himmelblau&seed=99"}
CATEGORIES = (
    "engine/analysis",
    "figures",
    "components",
    "JSON",
    "compression",
    "guard",
    "Dash dispatch",
    "job store",
    "rest",
)


class Split:
    """CPU time charged to the innermost category running (a stack of the timed functions)."""

    def __init__(self) -> None:
        self.spent: Counter = Counter()
        self.stack = ["rest"]
        self.t = time.process_time()

    def switch(self, push: str | None) -> None:
        now = time.process_time()
        self.spent[self.stack[-1]] += now - self.t
        self.t = now
        if push is None:
            self.stack.pop()
        else:
            self.stack.append(push)

    def reset(self) -> None:
        self.spent.clear()
        self.t = time.process_time()


SPLIT = Split()


def _timed(category: str, func):
    @functools.wraps(func)
    def timed(*args, **kwargs):
        SPLIT.switch(category)
        try:
            return func(*args, **kwargs)
        finally:
            SPLIT.switch(None)

    return timed


PATCHED: list[tuple[object, str, object]] = []  # (object, attribute, its own value): put back by ``restore``


def _patch(obj, attr: str, category: str | None, value=None) -> None:
    original = getattr(obj, attr)
    PATCHED.append((obj, attr, original))
    setattr(obj, attr, _timed(category, original) if category else value)


def restore() -> None:
    """Undo ``instrument`` and the private job queue (``python -m bench`` runs more benchmarks after)."""
    while PATCHED:
        obj, attr, original = PATCHED.pop()
        if isinstance(obj, dict):
            obj[attr] = original
        else:
            setattr(obj, attr, original)


def instrument(app) -> None:
    """Time the functions of ``CATEGORIES`` where the app calls them (module attributes patched)."""
    import dash._callback
    import flask_compress.flask_compress as fc

    import jobs
    from app.explore import callbacks as explore_cb
    from app.runs import callbacks as runs_cb
    from app.runs import inspector_view, kept_runs, summary

    _patch(runs_cb, "surface_of", "engine/analysis")
    for name in ("run_rule", "events_of"):
        _patch(kept_runs, name, "engine/analysis")
    for name in ("arrows", "state_at"):
        _patch(inspector_view, name, "engine/analysis")
    _patch(summary, "table_rows", "engine/analysis")
    for name in ("from_bytes", "basin_shares"):
        _patch(explore_cb, name, "engine/analysis")
    for name in ("_main_figures", "_data_figure"):
        _patch(runs_cb, name, "figures")
    _patch(explore_cb, "basin_figure", "figures")
    for name in ("results_table", "summary_text", "inspector_view", "_alerts"):
        _patch(runs_cb, name, "components")
    _patch(dash._callback, "to_json", "JSON")
    _patch(fc, "_compress_data", "compression")
    _patch(jobs.Queue, "_ask", "job store")
    for name in ("_initialize_context", "_prepare_callback", "_inputs_to_vals"):
        _patch(app, name, "Dash dispatch")
    hooks = app.server.before_request_funcs[None]
    PATCHED.append((app.server.before_request_funcs, None, list(hooks)))
    hooks[:] = [_timed("guard", h) if h.__name__ == "_check_callback_request" else h for h in hooks]


class Poster:
    """POSTs a body to the callback endpoint (``send``: the timed part); ``answer()`` decodes the last
    answer (untimed: a browser's work, not the server's)."""

    def __init__(self, client) -> None:
        self.client = client
        self.response = None

    def send(self, body: bytes | dict) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.response = self.client.post(dr.ENDPOINT, data=data, headers=HEADERS)

    @property
    def wire(self) -> int:
        return len(self.response.data)

    @property
    def body(self) -> bytes:
        answer = self.response
        assert answer.status_code == 200, (answer.status_code, answer.data[:200])
        return brotli.decompress(answer.data) if answer.headers.get("Content-Encoding") == "br" else answer.data

    def answer(self) -> dict:
        return json.loads(self.body).get("response", {})

    def __call__(self, body: bytes | dict) -> dict:
        self.send(body)
        return self.answer()


def measure(label: str, run, n: int, before=None) -> dict:
    """``run()`` ``n`` times (``before()`` untimed before each): CPU ms per request, split."""
    totals, splits, wire, raw = [], Counter(), [], []
    for _ in range(n):
        if before is not None:
            before()
        SPLIT.reset()
        t0 = time.process_time()
        run()
        SPLIT.switch("rest")  # charge the tail to rest, then drop the pushed entry
        SPLIT.stack.pop()
        totals.append(time.process_time() - t0)
        splits.update(SPLIT.spent)
        wire.append(POST.wire)
        raw.append(POST.body)
    return {
        "label": label,
        "n": n,
        "median": statistics.median(totals) * 1e3,
        "mean": statistics.mean(totals) * 1e3,
        "split": {k: v / n * 1e3 for k, v in splits.items()},
        "wire": statistics.mean(wire),
        "bodies": raw,
    }


POST: Poster


def _main_view(n: int, rng: random.Random) -> list[dict]:
    from app.runs import kept_runs
    from app.runs.callbacks import _scene_part

    bodies = {"scene": [], "setting": []}
    while min(len(v) for v in bodies.values()) < n:
        kind, body, before = _request_after(rng)
        bodies[kind].append((body, before))
    for kind in bodies:  # compile and warm outside the timing
        for body, _ in bodies[kind][:3]:
            POST(body)
    out = []
    for kind, label in (("scene", "main view: whole scene, computed"), ("setting", "main view: one learning rate")):
        it = iter(bodies[kind])
        asked: list[bytes] = []

        def before(it=it, asked=asked) -> None:
            """No answer kept, nor any optimizer's run; for a setting, the page's previous answer (the
            default rate) asked first: its runs are kept, as in a worker that sent it."""
            body, shown = next(it)
            _scene_part.cache_clear()
            kept_runs.forget()
            if shown is not None:
                POST(shown)
                _scene_part.cache_clear()
            asked[:] = [body]

        out.append(measure(label, lambda asked=asked: POST.send(asked[0]), n, before))
    kept = bodies["scene"][0][0]
    POST(kept)
    out.append(measure("main view: whole scene, kept answer", lambda: POST.send(kept), n))
    return out


def _jobs(n: int) -> list[dict]:
    """The basin tab's requests while its job is queued, running and done (a private SQLite queue,
    no runner processes: the states are set in the store)."""
    import jobs
    from app.explore.jobs import basin_bytes
    from jobs.spec import Limits
    from jobs.store import SQLiteStore

    folder = tempfile.mkdtemp(prefix="request-cost-")
    store = SQLiteStore(os.path.join(folder, "jobs.sqlite"), Limits(workers=1, per_client=1000, queue=1000))
    queue = jobs.Queue(store)
    _patch(jobs, "default_queue", None, lambda: queue)  # app.explore.job_view asks jobs.default_queue() each time
    deps = {d["output"]: d for d in dr.dependencies()}
    key = dr.output_key(deps, "basin-graph.figure")

    def flow(trigger: str, settings: dict, job=None, client="bench", tick=None) -> dict:
        return dr.basin_flow(key, trigger, job=job, client=client, tick=tick, **settings)

    ahead = {**LECTURE_MAP, "link": "?surface=rastrigin&seed=1"}
    first = POST(flow("run", ahead, client="first"))["basin-job"]["data"]
    clicks = iter([json.dumps(flow("run", {**LECTURE_MAP, "link": f"?surface=himmelblau&seed={i}"})) for i in range(n)])
    out = [measure("basin map: Compute clicked", lambda: POST.send(next(clicks).encode()), n)]
    store.alive(os.getpid())  # a runner is there (busy): the page is told how many jobs are ahead
    mine = POST(flow("run", LECTURE_MAP, client="me"))["basin-job"]["data"]
    assert store.status(mine["key"]).state == "queued"
    queued = json.dumps(flow("poll", LECTURE_MAP, mine, "me", 1)).encode()
    out.append(measure("basin map poll: queued", lambda: POST.send(queued), n))
    store.claim(first["key"])
    store.progress(first["key"], 12_000, 40_000)
    running = json.dumps(flow("poll", ahead, first, "first", 2)).encode()
    out.append(measure("basin map poll: running", lambda: POST.send(running), n))
    payload = json.loads(store.db.execute("SELECT payload FROM jobs WHERE key = ?", (mine["key"],)).fetchone()[0])
    store.claim(mine["key"])
    store.finish(mine["key"], basin_bytes(payload))
    done = json.dumps(flow("poll", LECTURE_MAP, mine, "me", 3)).encode()
    POST(done)  # warm
    out.append(measure("basin map poll: done (the map)", lambda: POST.send(done), n))
    return out


def _levels(rows: list[dict]) -> None:
    print("\nCompression of these answers (CPU ms and KB per answer, mean over the kinds' answers):")
    levels = [("br", q) for q in (1, 2, 3, 4, 5, 6, 9, 11)] + [("gzip", g) for g in (1, 4, 6, 9)]
    levels += [("zstd", z) for z in (1, 3)]
    header = "  " + f"{'answer':<40}{'raw KB':>8}" + "".join(f"{a[:2]}{lv:>3}".rjust(14) for a, lv in levels)
    print(header)
    zstd = compression.zstd
    for row in rows:
        bodies = row["bodies"][:5]
        cells = []
        for algo, level in levels:
            t0 = time.process_time()
            size = 0
            for b in bodies:
                if algo == "br":
                    size += len(brotli.compress(b, quality=level, lgwin=20))
                elif algo == "zstd":
                    size += len(zstd.compress(b, level))
                else:
                    size += len(gzip.compress(b, level, mtime=0))
            ms = (time.process_time() - t0) / len(bodies) * 1e3
            cells.append(f"{ms:5.2f}ms {size / len(bodies) / 1024:5.1f}K")
        raw = statistics.mean(len(b) for b in bodies) / 1024
        print(f"  {row['label'][:39]:<40}{raw:>8.1f}" + "".join(c.rjust(14) for c in cells))


def report(rows: list[dict]) -> None:
    from app.serving import compression

    print(
        f"Server CPU per request (ms, process time; median of {rows[0]['n']}, then the mean split by where it "
        f"went); load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}; brotli quality "
        f"{compression.BR_LEVEL}"
    )
    short = {"engine/analysis": "engine", "Dash dispatch": "dash", "compression": "compr.", "job store": "jobs"}
    print(
        f"  {'request':<40}{'median':>7}{'mean':>7} |"
        + "".join(f"{short.get(c, c):>8}" for c in CATEGORIES)
        + f" |{'wire KB':>8}{'raw KB':>8}"
    )
    for row in rows:
        raw = statistics.mean(len(b) for b in row["bodies"]) / 1024
        print(
            f"  {row['label']:<40}{row['median']:>7.2f}{row['mean']:>7.2f} |"
            + "".join(f"{row['split'].get(c, 0.0):>8.2f}" for c in CATEGORIES)
            + f" |{row['wire'] / 1024:>8.1f}{raw:>8.1f}"
        )


def students_per_core(rows: list[dict]) -> None:
    """The lecture's arithmetic: CPU per request x requests per student per second."""
    by = {r["label"]: r["mean"] for r in rows}
    scene = by["main view: whole scene, computed"]
    setting = by["main view: one learning rate"]
    mix = (scene + setting) / 2  # bench.load's mix: half whole scenes, half one learning rate
    poll = by["basin map poll: queued"]
    print("\nStudents one core serves (CPU only; Python's GIL holds a worker to about one core):")
    print(
        f"  a main-view change (half whole scenes {scene:.1f} ms, half one rate {setting:.1f} ms): {mix:.1f} ms "
        f"(goal <= {GOAL_CHANGE_MS:g} ms: 100 students at 1 change/s within one of the two cores)"
    )
    print(
        f"  1 change/s each: {1000 / mix:.0f} students saturate a core; at 70 % busy (queueing stays short) "
        f"{700 / mix:.0f}"
    )
    print(
        f"  a waiting map page polls 2/s at {poll:.1f} ms (goal <= {GOAL_POLL_MS:g} ms): "
        f"{2 * poll:.1f} ms of CPU per second per waiting page"
    )


def main(argv: list[str] | None = None) -> None:
    global POST
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=30, help="requests per kind")
    parser.add_argument(
        "--profile", choices=("scene", "setting", "kept", "queued", "running", "done"), help="cProfile one kind"
    )
    args = parser.parse_args(argv)
    from app.server import app

    gc.collect()
    gc.freeze()  # as gunicorn.conf.py does after loading the app: what was loaded is out of the collector's way
    POST = Poster(app.server.test_client())
    if args.profile:
        return profile(app, args)
    instrument(app)
    try:
        rows = _main_view(args.n, random.Random(0)) + _jobs(args.n)
    finally:
        restore()
        gc.unfreeze()
    report(rows)
    students_per_core(rows)
    _levels(rows)


def profile(app, args) -> None:
    """cProfile's view of one kind (its own overhead inflates Python-heavy parts ~2x)."""
    labels = {
        "scene": "main view: whole scene, computed",
        "setting": "main view: one learning rate",
        "kept": "main view: whole scene, kept answer",
        "queued": "basin map poll: queued",
        "running": "basin map poll: running",
        "done": "basin map poll: done (the map)",
    }
    global measure
    captured = {}
    inner = measure

    def wrapped(label, run, n, before=None):
        if label != labels[args.profile]:
            return inner(label, run, 1, before)
        prof = cProfile.Profile(time.thread_time)  # CPU, not wall: other work on the machine counts little

        def profiled():
            prof.enable()
            try:
                run()
            finally:
                prof.disable()

        captured["row"] = inner(label, profiled, n, before)
        captured["prof"] = prof
        return captured["row"]

    measure = wrapped
    rows = _main_view(args.n, random.Random(0))
    if args.profile in ("queued", "running", "done"):
        rows += _jobs(args.n)
    print(f"{labels[args.profile]}: {captured['row']['mean']:.2f} ms per request under cProfile")
    stats = pstats.Stats(captured["prof"])
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)
    if os.environ.get("PROFILE_CALLERS"):
        stats.print_callers(os.environ["PROFILE_CALLERS"])


if __name__ == "__main__":
    main()
