"""Loss from data (landscapes.data): the issue's speed goals, printed beside their figures.

``python -m bench.data``. Goals: N = 1,000, B = 32, the seed's five rules x 2,000 steps < 20 ms (the
engine; with the full-data loss every step, and with it at the last step only); the surface for
N = 10,000 on the contour map's grid < 200 ms; a 100 x 100 basin map, B = 32, 300 steps < 3 s.
"""

from __future__ import annotations

import time

import numpy as np

import explore
import optimizers
from app.runs.figures import GRID_CONTOUR
from landscapes.data import DataProblem, data_surface, generators


def _best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def _surface(model: str, n: int, batch: int = 32):
    if model == "logistic":
        X, y = generators.classification(n, 0.8, "overlapping", seed=0)
    else:
        X, y = generators.regression(n, 0.3, 0.0, seed=0, model=model)
    return data_surface(DataProblem(model=model, X=X, y=y, batch=batch, reg="L2", lam=0.01))


def main() -> dict:
    out = {}
    for model in ("linear", "logistic", "tanh"):
        s = _surface(model, 1000)
        start = np.array([s.start])
        for every, words in ((1, "full-data loss every step"), (0, "full-data loss at the end")):

            def five(every=every, s=s, start=start):
                for rule in optimizers.SEED_FIVE:
                    optimizers.run_batch(rule, s, start, 2000, loss_every=every)

            five()  # compile outside the timing
            t = _best(five)
            print(
                f"Data engine, {model:8s} N=1,000 B=32, 5 rules x 2,000 steps, {words}: "
                f"{t * 1e3:7.1f} ms (goal < 20 ms)"
            )
            out[f"data_engine_{model}_{every}"] = t
    for model in ("linear", "logistic", "tanh"):
        s = _surface(model, 10_000)
        t = _best(lambda s=s: s.grid(GRID_CONTOUR))
        print(
            f"Data surface, {model:8s} N=10,000 on the {GRID_CONTOUR}x{GRID_CONTOUR} grid: "
            f"{t * 1e3:7.1f} ms (goal < 200 ms)"
        )
        out[f"data_surface_{model}"] = t
    s = _surface("tanh", 1000)
    explore.basin_map("adam", s, resolution=4, steps=3)
    t = _best(lambda: explore.basin_map("adam", s, resolution=100, steps=300), 1)
    print(f"Data basin map 100x100, Adam, tanh unit N=1,000 B=32, 300 steps: {t:6.2f} s (goal < 3 s)")
    out["data_basin"] = t
    return out


if __name__ == "__main__":
    main()
