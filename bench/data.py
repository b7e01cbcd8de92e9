"""Loss from data (landscapes.data): the issue's speed goals, printed beside their figures.

``python -m bench.data``. Goals: N = 1,000, B = 32, the seed's five rules x 2,000 steps < 20 ms (the
engine; with the full-data loss every step, at the main view's thinned steps, and at the last step
only); the main view's recompute p50 < 100 ms; the surface for N = 10,000 on the contour map's grid
< 200 ms; a 100 x 100 basin map, B = 32, 300 steps < 3 s.
"""

from __future__ import annotations

import os
import time

import numpy as np

import explore
import explore.batch
import optimizers
from analysis.outcomes import loss_every_for
from app.runs.figures import GRID_CONTOUR
from landscapes.data import DataProblem, data_surface, generators


def _best_cpu(fn, repeat: int = 3) -> tuple[float, float]:
    """The fastest of ``repeat`` calls: (wall time, this process's CPU time over all its threads). On a
    shared machine the CPU time shows the work itself; the wall time includes waiting for a core."""
    walls, cpus = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return min(walls), min(cpus)


def _load() -> str:
    """The load average (1, 5, 15 min): on a shared machine the figures mean little without it."""
    return "load average " + ", ".join(f"{a:.2f}" for a in os.getloadavg())


def _surface(model: str, n: int, batch: int = 32):
    if model == "logistic":
        X, y = generators.classification(n, 0.8, "overlapping", seed=0)
    else:
        X, y = generators.regression(n, 0.3, 0.0, seed=0, model=model)
    return data_surface(DataProblem(model=model, X=X, y=y, batch=batch, reg="L2", lam=0.01))


def main_view() -> dict:
    """The main view's answer for a data scene (engine, events, figures, inspector, table: what the
    recompute callback computes, without Dash's dispatch): a new scene on data already drawn (a changed
    setting: its grids are kept), and the first draw of new data (its grids computed; minima not counted)."""
    from app.runs import kept_runs
    from app.runs.callbacks import _scene_part, scene_keyed
    from app.state.scene import DATA, Scene, clamp_scene
    from landscapes.data.spec import DataSpec

    out = {}
    for model in ("logistic", "tanh"):
        for n in (200, 1000):
            scene = clamp_scene(Scene(surface=DATA, data=DataSpec(model=model, n=n)))[0]
            _scene_part(scene_keyed(scene), None)  # compile, find the minima, draw the grids once
            times = []
            for _ in range(7):
                _scene_part.cache_clear()
                kept_runs.forget()
                t0 = time.perf_counter()
                _scene_part(scene_keyed(scene), None)
                times.append(time.perf_counter() - t0)
            problem = scene.clean_surface().problem
            problem.__dict__.pop("_grids", None)
            _scene_part.cache_clear()
            kept_runs.forget()
            t0 = time.perf_counter()
            _scene_part(scene_keyed(scene), None)
            first = time.perf_counter() - t0
            p50 = float(np.median(times))
            print(
                f"Data main view, {model:8s} N={n:,}, 5 rules x 2,000 steps: p50 {p50 * 1e3:6.1f} ms (goal < 100 ms); "
                f"first draw of the data's grids {first * 1e3:6.1f} ms"
            )
            out[f"data_main_{model}_{n}"] = p50
    return out


def main() -> dict:
    out = {}
    print(f"Data landscapes ({_load()} on {os.cpu_count()} cores)")
    for model in ("linear", "logistic", "tanh"):
        s = _surface(model, 1000)
        start = np.array([s.start])
        thinned = loss_every_for(s, 2000)
        for every, words in (
            (1, "full-data loss every step"),
            (thinned, f"full-data loss 1 step in {thinned} (main view)"),
            (0, "full-data loss at the end"),
        ):
            if every == 1 and words.endswith("(main view)"):
                continue  # linear regression: every step is the main view's

            def five(every=every, s=s, start=start):
                for rule in optimizers.SEED_FIVE:
                    optimizers.run_batch(rule, s, start, 2000, loss_every=every)

            five()  # compile outside the timing
            t, cpu = _best_cpu(five)
            print(
                f"Data engine, {model:8s} N=1,000 B=32, 5 rules x 2,000 steps, {words}: "
                f"{t * 1e3:7.1f} ms (goal < 20 ms; CPU {cpu * 1e3:.1f} ms)"
            )
            out[f"data_engine_{model}_{every}"] = t
    out.update(main_view())
    for model in ("linear", "logistic", "tanh"):
        s = _surface(model, 10_000)

        def draw(s=s):
            s.problem.__dict__.pop("_grids", None)  # computed, not the kept copy
            return s.grid(GRID_CONTOUR)

        t, cpu = _best_cpu(draw)
        res = len(draw()[0])
        print(
            f"Data surface, {model:8s} N=10,000 on the {GRID_CONTOUR}x{GRID_CONTOUR} grid (drawn {res}x{res}): "
            f"{t * 1e3:7.1f} ms (goal < 200 ms; CPU {cpu * 1e3:.1f} ms)"
        )
        out[f"data_surface_{model}"] = t
    s = _surface("tanh", 1000)
    explore.basin_map("adam", s, resolution=4, steps=3)
    t, cpu = _best_cpu(lambda: explore.basin_map("adam", s, resolution=100, steps=300), 1)
    print(
        f"Data basin map 100x100, Adam, tanh unit N=1,000 B=32, 300 steps: {t:6.2f} s (goal < 3 s; "
        f"CPU {cpu:.2f} s over {explore.batch.WORKERS} threads)"
    )
    out["data_basin"] = t
    print(f"({_load()} at the end)")
    return out


if __name__ == "__main__":
    main()
