"""Vector rules (Newton, L-BFGS, Adafactor): the default scene with every rule, and an L-BFGS basin map
with torch's strong-Wolfe line search. Run once while the machine is quiet: ``python -m bench.vector``.

Every figure is printed with the machine's load average (1 min) at that moment: on a shared machine a
load above its core count stretches every figure. ``--repeats`` sets the basin maps' repeats (median);
``--baseline DIR`` first runs this same bench on the checkout in DIR (e.g. the main branch), so that
both sets of figures come from one run under the same load; ``--scene-only`` skips the basin maps.

The default scene is timed as the main view computes it: ``analysis.outcomes.run_scene`` (every rule's
run, outcome and ensemble, side by side on the usable cores), its engine share (``optimizers.run_many``),
and the same runs one after another on one core, then each rule's share and the Python around a call.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

import explore
import landscapes
import optimizers
from analysis.events import events_of
from analysis.outcomes import run_scene, surface_of
from app.state.scene import Scene
from jobs.cores import usable_cores

STEPS = 300
SCENE_GOAL = 5e-3
BASIN_GOAL = 3.0


def _median_of(fn, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def load() -> str:
    """The 1-minute load average and the core count, as printed beside every figure."""
    return f"[load {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores]"


def main(repeats: int = 3, scene_only: bool = False) -> dict:
    out = {}
    scene = Scene(rules=tuple(optimizers.NAMES))
    surface = surface_of(scene)

    def one(rule):
        optimizers.run(rule, surface, scene.start_point(), scene.steps, **scene.hyper_of(rule))

    def engine_runs():  # the engine's share of the default scene, one run after another
        for rule in scene.rules:
            one(rule)

    hyper = {rule: scene.hyper_of(rule) for rule in scene.rules}

    def engine_side_by_side():  # the same runs as run_scene makes them: on every core (optimizers.run_many)
        optimizers.run_many(scene.rules, surface, scene.start_point(), scene.steps, hyper)

    engine_runs()  # compile (or load) every kernel outside the timing
    run_scene(scene, surface)
    n = len(scene.rules)
    goal = f"(goal < {SCENE_GOAL * 1e3:.0f} ms)"
    print(
        f"Default scene, all {n} rules, {scene.steps} steps, as the main view computes it "
        f"({usable_cores()} usable cores):"
    )
    how = "side by side" if hasattr(optimizers, "run_many") else "one by one  "  # a baseline may predate it
    t = _median_of(lambda: run_scene(scene, surface), 15)
    print(f"  whole run_scene (runs and their outcomes), {how}:         {t * 1e3:.2f} ms {goal} {load()}")
    out["scene_run_scene"] = t
    outcomes = run_scene(scene, surface)
    t = _median_of(lambda: [events_of(o, surface) for o in outcomes.values()], 9)
    print(f"  then the events the main view adds (events_of, one by one):      {t * 1e3:.2f} ms {load()}")
    out["scene_events"] = t
    if hasattr(optimizers, "run_many"):  # a baseline checkout may predate it
        t = _median_of(engine_side_by_side, 15)
        print(f"  its engine share (optimizers.run_many):                          {t * 1e3:.2f} ms {goal} {load()}")
        out["scene_all_rules"] = t
    t = _median_of(engine_runs, 9)
    print(f"  the engine runs one after another (one core):                    {t * 1e3:.2f} ms {load()}")
    out["scene_one_by_one"] = t
    shares = {rule: _median_of(lambda rule=rule: one(rule), 9) for rule in scene.rules}
    overhead = _median_of(lambda: [optimizers.run(r, surface, scene.start_point(), 1) for r in scene.rules], 9)
    print(
        f"  each rule's share (ms, {scene.steps} steps; of which the Python around {n} calls: {overhead * 1e3:.2f}, "
        f"{overhead / n * 1e6:.0f} us a call):"
    )
    ranked = sorted(shares.items(), key=lambda kv: -kv[1])
    for i in range(0, len(ranked), 4):
        print("    " + "  ".join(f"{rule:>18s} {s * 1e3:5.2f}" for rule, s in ranked[i : i + 4]))
    if scene_only:
        return out
    compared = [optimizers.SEED_FIVE[-1], *(name for name, r in optimizers.RULES.items() if r.vector)]  # Adam first
    for rule in compared:
        t = _median_of(lambda rule=rule: optimizers.run(rule, surface, scene.start_point(), 2000), 9)
        print(f"  one run of {rule}, 2000 steps: {t * 1e3:.2f} ms")
    hyper = {"line_search": 1.0, "max_eval": 25.0}
    for name in ("himmelblau", "rosenbrock"):
        s = landscapes.get(name)
        explore.basin_map("lbfgs", s, resolution=10, steps=3, **hyper)
        t = _median_of(lambda s=s: explore.basin_map("lbfgs", s, resolution=200, steps=STEPS, **hyper), repeats)
        print(
            f"Basin map 200x200, L-BFGS strong Wolfe (max_eval 25), {STEPS} steps, {name:10s}: {t:6.2f} s  "
            f"(goal < {BASIN_GOAL:.0f} s) {load()}"
        )
        out[f"lbfgs_basin_{name}"] = t
    return out


def baseline(folder: str, repeats: int, scene_only: bool = False) -> None:
    """This bench's figures for the code in ``folder`` (its packages first on the path), in a fresh process."""
    print(f"Baseline: {folder}")
    argv = ["vector", "--repeats", str(repeats), *(["--scene-only"] if scene_only else [])]
    code = (
        f"import sys, runpy; sys.path.insert(0, {folder!r}); sys.argv = {argv!r}; "
        f"runpy.run_path({__file__!r}, run_name='__main__')"
    )
    subprocess.run([sys.executable, "-c", code], cwd=folder, check=True)
    print("This checkout:")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="basin-map repeats (the median is printed)")
    parser.add_argument("--baseline", metavar="DIR", help="first run this bench on the checkout in DIR")
    parser.add_argument("--scene-only", action="store_true", help="the default scene only, no basin maps")
    args = parser.parse_args()
    if args.baseline:
        baseline(args.baseline, args.repeats, args.scene_only)
    main(args.repeats, args.scene_only)
