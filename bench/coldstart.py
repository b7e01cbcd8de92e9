"""Cold processes: how long a fresh process waits for the compiled engine, once the machine's kernel
cache exists (``optimizers.kernel_cache``), and what the cache saves against compiling.

Each figure comes from a fresh Python process started by this script:
- interpreter start to the dashboard's default scene computed (import the app as the server does,
  run the default scene, build its three figures and their JSON): goal < 3 s; and the same with an
  empty kernel cache (what every process paid before the cache);
- the first run of every (rule, surface) pairing in a process that has started as the server
  starts (app imported, ``warm_up``): goal < 100 ms for each;
- numba's one-time set-up in a process that has done nothing yet (part of start-up);
- the engine's steady-state default scene (5 rules x 2,000 steps): about 1 ms as before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

DEFAULT_SCENE = """
from bench.app import full_response
from app.state.scene import Scene
full_response(Scene())
"""

EVERY_PAIRING = """
import json, time
t0 = time.perf_counter()
import app.server  # noqa: F401  (the server's imports)
from app.serving.warmup import warm_up
warm_up(("multimodal",))  # what python -m app does before serving
started = time.perf_counter() - t0
import landscapes, optimizers
firsts = {}
for name in landscapes.NAMES:
    surface = landscapes.get(name)
    for rule in optimizers.NAMES:
        t = time.perf_counter()
        optimizers.run(rule, surface, surface.start, 200)
        firsts[rule + " on " + name] = time.perf_counter() - t
print(json.dumps({"started": started, "firsts": firsts}))
"""

BARE_FIRST_RUN = """
import json, time
import landscapes, optimizers
surface = landscapes.get("beale")
t = time.perf_counter()
optimizers.run("radam", surface, surface.start, 200)
first = time.perf_counter() - t
t = time.perf_counter()
optimizers.run("nadam", surface, surface.start, 200)
print(json.dumps({"first": first, "second_pairing": time.perf_counter() - t}))
"""


def _python(code: str, **env: str) -> tuple[float, str]:
    """Seconds from starting a fresh interpreter to its exit, and what it printed."""
    environ = {**os.environ, **env}
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return seconds, out.stdout


def main() -> None:
    from optimizers.precompile import precompile

    t0 = time.perf_counter()
    precompile()  # the cache exists (as after the Docker build); loads what is already there
    fill = time.perf_counter() - t0

    print("Cold start (fresh processes, kernel cache filled)")
    print(f"  kernel cache ready after {fill:.1f} s (every pairing loaded or compiled, both cores)")
    cached = sorted(_python(DEFAULT_SCENE)[0] for _ in range(3))[1]
    with tempfile.TemporaryDirectory() as empty:
        uncached = _python(DEFAULT_SCENE, KERNEL_CACHE=empty)[0]
    print(f"  interpreter start to the default scene computed (median of 3): {cached:.2f} s  (goal < 3 s)")
    print(f"    the same with an empty kernel cache (compiling its 5 pairings): {uncached:.2f} s")

    report = json.loads(_python(EVERY_PAIRING)[1].strip().splitlines()[-1])
    firsts = report["firsts"]
    worst = max(firsts, key=firsts.get)
    ordered = sorted(firsts.values())
    print(f"  a process started as the server starts (app imported, warm_up): {report['started']:.2f} s")
    print(
        f"  then the first run of each of the {len(firsts)} pairings: median {ordered[len(ordered) // 2] * 1e3:.0f} ms,"
        f" worst {firsts[worst] * 1e3:.0f} ms ({worst})  (goal < 100 ms)"
    )
    bare = json.loads(_python(BARE_FIRST_RUN)[1].strip().splitlines()[-1])
    print(
        f"  in a bare process (engine imported, nothing run): first run {bare['first'] * 1e3:.0f} ms"
        f" (numba's one-time set-up), a second pairing {bare['second_pairing'] * 1e3:.0f} ms"
    )

    from bench.engine import engine_scene

    engine_scene()
    times = []
    for _ in range(20):
        t = time.perf_counter()
        engine_scene()
        times.append(time.perf_counter() - t)
    print(f"  steady state, default scene (5 rules x 2,000 steps): {min(times) * 1e3:.2f} ms  (about 1 ms before)")


if __name__ == "__main__":
    main()
