"""Engine speed: the default scene against the seed notebook's loop and torch.optim.

The notebook's loop is reproduced in its own style: a Python list of points, the surface held
as a bicubic spline on a 500 x 500 grid (``RectBivariateSpline``; the notebook's ``interp2d`` is
gone from SciPy), two spline derivative calls per step, and a spline call per point for the
heights. torch.optim is driven with the same exact gradient the engine uses.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from scipy.interpolate import RectBivariateSpline

import landscapes
import optimizers

SCENE_RULES = optimizers.SEED_FIVE
SCENE_STEPS = 2000
START = (-2.0, 2.0)


def _best_of(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def engine_scene() -> None:
    surface = landscapes.get("multimodal")
    for rule in SCENE_RULES:
        optimizers.run(rule, surface, START, SCENE_STEPS)


def _nb_sgd(p, g, s, i, lr=0.1):
    return p - lr * g


def _nb_momentum(p, g, s, i, lr=0.1):
    s["v"] = 0.9 * s["v"] + g
    return p - lr * s["v"]


def _nb_nesterov(p, g, s, i, lr=0.1):
    old = s["v"]
    s["v"] = 0.9 * s["v"] - lr * g
    return p - 0.9 * old + 1.9 * s["v"]


def _nb_rmsprop(p, g, s, i, lr=0.1):
    s["s2"] = 0.9 * s["s2"] + 0.1 * g * g
    return p - lr * g / (np.sqrt(s["s2"]) + 1e-7)


def _nb_adam(p, g, s, i, lr=0.1):
    s["m"] = 0.9 * s["m"] + 0.1 * g
    s["s2"] = 0.999 * s["s2"] + 0.001 * g * g
    return p - lr * (s["m"] / (1 - 0.9 ** (i + 1))) / (np.sqrt(s["s2"] / (1 - 0.999 ** (i + 1))) + 1e-7)


# The seed notebook's five updates as it writes them: (point, gradient, its state, step index) -> next point.
NOTEBOOK_STEPS = {
    "sgd": _nb_sgd,
    "momentum": _nb_momentum,
    "nesterov": _nb_nesterov,
    "rmsprop": _nb_rmsprop,
    "adam": _nb_adam,
}


def notebook_scene() -> None:
    """The seed's five loops, as the notebook writes them (lr 0.1, 2,000 steps each)."""
    s = landscapes.get("multimodal")
    x = np.linspace(-12, 12, 500)
    xx, yy = np.meshgrid(x, x, indexing="ij")
    f = RectBivariateSpline(x, x, s.value(xx, yy))

    def evaluate_gradient(a, b):
        return np.array([f(a, b, dx=1, dy=0).item(0), f(a, b, dx=0, dy=1).item(0)])

    for rule in SCENE_RULES:
        pts = [np.array(START)]
        state = {"v": 0, "m": 0, "s2": 0}
        step = NOTEBOOK_STEPS[rule]
        for i in range(SCENE_STEPS):
            g = evaluate_gradient(pts[-1][0], pts[-1][1])
            pts.append(step(pts[-1], g, state, i))
        [f(p[0], p[1]).item(0) for p in pts]


def torch_scene(torch) -> None:
    s = landscapes.get("multimodal")
    make = {
        "sgd": lambda p: torch.optim.SGD([p], lr=0.1),
        "momentum": lambda p: torch.optim.SGD([p], lr=0.1, momentum=0.9),
        "nesterov": lambda p: torch.optim.SGD([p], lr=0.1, momentum=0.9, nesterov=True),
        "rmsprop": lambda p: torch.optim.RMSprop([p], lr=0.1, alpha=0.9, eps=1e-7),
        "adam": lambda p: torch.optim.Adam([p], lr=0.1, eps=1e-7),
    }
    for rule in SCENE_RULES:
        p = torch.tensor(START, dtype=torch.float64, requires_grad=True)
        opt = make[rule](p)
        path, loss = [], []
        for _ in range(SCENE_STEPS):
            x, y = p.detach().numpy()
            p.grad = torch.tensor(s.gradient(x, y), dtype=torch.float64)
            opt.step()
            path.append(p.detach().numpy().copy())
            loss.append(s.value(*path[-1]))


def main() -> dict:
    engine_scene()  # compile (or load from numba's cache) outside the timing
    t_engine = _best_of(engine_scene, 20)
    t_notebook = _best_of(notebook_scene, 1)
    print("Default scene: 5 rules x 2,000 steps on the multimodal surface")
    print(f"  engine            {t_engine * 1e3:9.2f} ms")
    print(f"  notebook loop     {t_notebook * 1e3:9.2f} ms   ratio {t_notebook / t_engine:8.0f}x  (goal >= 300x)")
    try:
        import torch
    except ImportError:
        print("  torch.optim       not installed (pip install -r requirements-dev.txt)")
        t_torch = None
    else:
        t_torch = _best_of(lambda: torch_scene(torch), 2)
        print(f"  torch.optim       {t_torch * 1e3:9.2f} ms   ratio {t_torch / t_engine:8.0f}x  (goal >= 150x)")

    surface = landscapes.get("multimodal")
    rng = np.random.default_rng(0)
    starts = rng.uniform(-12, 12, size=(10_000, 2))
    optimizers.run_batch("adam", surface, starts[:2], 3)
    batch = [_best_of(lambda: optimizers.run_batch("adam", surface, starts, 300), 1) for _ in range(3)]
    t_batch = statistics.median(batch)
    print(f"run_batch Adam, 10,000 starts x 300 steps: {t_batch:.3f} s  (goal < 0.5 s)")
    return {"engine": t_engine, "notebook": t_notebook, "torch": t_torch, "batch": t_batch}


if __name__ == "__main__":
    main()
