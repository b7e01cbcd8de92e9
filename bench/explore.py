"""Explore speed: a 200x200 basin map and a 30x30 sweep, each Adam (or momentum) for 300 steps, and
maximum-size maps (200x200 starts, 2,000 steps) on the streaming endings path against the history path.

Goals (issue 6): each 300-step map or sweep under 2 s on this machine. The baseline is the seed
notebook's way of running one start (a Python loop over a spline gradient), timed for one start and
scaled to the number of runs. Issue 13: a maximum-size map under 1 s wall on 2 threads (aimed at; the
streaming path's ratio to the history path, both timed in the same run, tells what the history cost),
and a map job's own memory (its arrays' peak, in a fresh process) under 50 MB. And the CPU seconds of
each of ``bench.lecture``'s 11 distinct maximum-size maps, as its server computes them (the app's job
with the link's settings), and their sum: within the hall's 60 s on 2 cores, less ~0.8 core for the
main view, they need well under 70 core-s; the goal is 35.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

import numpy as np
from scipy.interpolate import RectBivariateSpline

import explore
import landscapes
from landscapes.formula import formula_surface, parse

STEPS = 300
MAX_PAIRS = (("himmelblau", "adam"), ("multimodal", "sgd"), ("rastrigin", "momentum"))
MAX_MAP_GOAL_S = 1.0
LECTURE_CPU_GOAL_S = 35.0  # core-seconds for the lecture hall's distinct maximum-size maps together
MAP_JOB_MB_GOAL = 50
# One maximum-size map in a fresh process, after a small one (kernels loaded): the peak of its arrays
# (tracemalloc traces NumPy's allocations) and the process's peak resident set (imports included), in MB.
MAP_JOB = """
import resource, sys, tracemalloc, landscapes, explore
from explore import basins, batch
if sys.argv[1] == "history":
    basins.run_endings = batch.run_endings_history
explore.basin_map("adam", landscapes.get("himmelblau"), resolution=20, steps=20)
tracemalloc.start()
explore.basin_map("adam", landscapes.get("himmelblau"), resolution=200, steps=2000)
print(tracemalloc.get_traced_memory()[1] / 2**20, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def _median_of(fn, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def notebook_adam_one_start(surface) -> float:
    """Seconds for one Adam run of STEPS steps in the notebook's style (spline gradient, Python loop)."""
    (x0, x1), (y0, y1) = surface.domain
    xs, ys = np.linspace(x0, x1, 500), np.linspace(y0, y1, 500)
    xx, yy = np.meshgrid(xs, ys, indexing="ij")
    f = RectBivariateSpline(xs, ys, surface.value(xx, yy))
    t0 = time.perf_counter()
    p, m, v = np.array(surface.start, dtype=float), 0.0, 0.0
    for t in range(1, STEPS + 1):
        g = np.array([f(p[0], p[1], dx=1, dy=0).item(0), f(p[0], p[1], dx=0, dy=1).item(0)])
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        p = p - 0.1 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-7)
    return time.perf_counter() - t0


def max_size_maps() -> dict:
    """Each of ``MAX_PAIRS`` as a 200x200, 2,000-step map, streaming and through histories, same run."""
    from explore import basins, batch

    out = {}
    for name, rule in MAX_PAIRS:
        s = landscapes.get(name)
        explore.basin_map(rule, s, resolution=10, steps=3)  # compile outside the timing
        batch.run_endings_history(rule, s, np.array([s.start], dtype=float), 3, {})
        t0, c0 = time.perf_counter(), time.process_time()
        new = explore.basin_map(rule, s, resolution=200, steps=2000)
        t_new, c_new = time.perf_counter() - t0, time.process_time() - c0
        basins.run_endings = batch.run_endings_history
        try:
            t0, c0 = time.perf_counter(), time.process_time()
            old = explore.basin_map(rule, s, resolution=200, steps=2000)
            t_old, c_old = time.perf_counter() - t0, time.process_time() - c0
        finally:
            basins.run_endings = batch.run_endings
        same = np.array_equal(new.label, old.label) and np.array_equal(new.steps_to, old.steps_to)
        print(
            f"Basin map 200x200, 2,000 steps, {rule:8s} on {name:10s}: {t_new:5.2f} s wall, {c_new:5.2f} s CPU "
            f"(goal < {MAX_MAP_GOAL_S:g} s wall); history path {t_old:5.2f} s wall, {c_old:5.2f} s CPU: "
            f"ratio {t_old / t_new:.2f}x wall, {c_old / c_new:.2f}x CPU; same endings: {same}; "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        out[f"max_{name}_{rule}"] = {"new": t_new, "old": t_old, "same": same}
    for path in ("streaming", "history"):
        job = subprocess.run([sys.executable, "-c", MAP_JOB, path], capture_output=True, text=True, check=True)
        arrays, rss = (float(v) for v in job.stdout.split())
        print(
            f"Map job (200x200, 2,000 steps, {path} path): its arrays peak at {arrays:,.1f} MB "
            f"(goal < {MAP_JOB_MB_GOAL} MB); the process's peak resident set {rss:,.0f} MB (imports included)"
        )
        out[f"memory_{path}"] = arrays
    return out


def lecture_maps() -> dict:
    """CPU seconds (both threads) of each distinct maximum-size map ``bench.lecture`` asks for, run as the
    server's job runs it (``app.explore.jobs``: the link's scene and the rule's settings), and their sum."""
    from app.explore.jobs import basin_job, run_basins
    from bench.lecture import MAX_SIZE, map_requests

    out, total = {}, 0.0
    for link, rule in dict.fromkeys(map_requests(10, 20)):  # the identical ones computed once
        job, notices = basin_job(rule, int(MAX_SIZE["resolution"]), MAX_SIZE["steps"], link)
        small, _ = basin_job(rule, 10, 3, link)
        run_basins(small)  # kernels loaded outside the timing
        t0, c0 = time.perf_counter(), time.process_time()
        run_basins(job)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        total += cpu
        ns = cpu / (job.resolution**2 * job.steps) * 1e9
        print(
            f"Lecture map {rule:5s} {link:34s}: {cpu:5.2f} s CPU, {wall:5.2f} s wall ({ns:5.1f} ns a start-step)"
            + (f"; {' '.join(notices)}" if notices else "")
        )
        out[f"lecture_{link}_{rule}"] = cpu
    print(
        f"Lecture hall's {len(out)} distinct maximum-size maps: {total:.1f} s CPU together (goal <= "
        f"{LECTURE_CPU_GOAL_S:g} core-s; 60 s on 2 cores less the main view's ~0.8 core is ~70); "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    out["lecture_cpu"] = total
    return out


def main() -> dict:
    out = max_size_maps()
    out.update(lecture_maps())
    for name in ("himmelblau", "multimodal"):
        s = landscapes.get(name)
        explore.basin_map("adam", s, resolution=10, steps=3)  # compile outside the timing
        t = _median_of(lambda s=s: explore.basin_map("adam", s, resolution=200, steps=STEPS))
        base = notebook_adam_one_start(s) * 200 * 200
        print(
            f"Basin map 200x200, Adam, {STEPS} steps, {name:10s}: {t:6.2f} s  (goal < 2 s; "
            f"notebook-style loop ~{base / 60:.0f} min, ratio {base / t:,.0f}x)"
        )
        out[f"basin_{name}"] = t
    s = landscapes.get("multimodal")
    lr = explore.sweep_values("lr", 1e-4, 1.0, 30)
    beta1 = explore.sweep_values("beta1", 0.0, 0.99, 30)
    explore.sweep("adam", s, s.start, 3, lr[:2], "beta1", beta1[:2])
    t = _median_of(lambda: explore.sweep("adam", s, s.start, STEPS, lr, "beta1", beta1))
    print(f"Sweep 30x30 (lr x beta1), Adam, {STEPS} steps, multimodal: {t:6.3f} s  (goal < 2 s)")
    out["sweep"] = t
    t0 = time.perf_counter()
    parse("sin(x)*cos(y) + 0.1*(x^2 + y^2)")
    t_parse = time.perf_counter() - t0
    f = formula_surface("sin(x)*cos(y) + 0.1*(x^2 + y^2)")
    t = _median_of(lambda: explore.basin_map("adam", f, resolution=200, steps=STEPS), 1)
    print(f"Own formula: parse + exact gradient {t_parse * 1e3:.0f} ms; its 200x200 basin map (compiled) {t:.2f} s")
    out["formula_basin"] = t
    return out


if __name__ == "__main__":
    main()
