"""Vector rules (Newton, L-BFGS, Adafactor): the default scene with every rule, and an L-BFGS basin map
with torch's strong-Wolfe line search. Run once while the machine is quiet: ``python -m bench.vector``."""

from __future__ import annotations

import statistics
import time

import explore
import landscapes
import optimizers
from analysis.outcomes import run_scene
from app.state.scene import Scene

STEPS = 300


def _median_of(fn, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> dict:
    out = {}
    scene = Scene(rules=tuple(optimizers.NAMES))
    run_scene(scene)  # compile (or load) every kernel outside the timing
    t = _median_of(lambda: run_scene(scene), 9)
    print(f"Default scene, all {len(optimizers.NAMES)} rules, {scene.steps} steps: {t * 1e3:6.2f} ms  (goal < 5 ms)")
    out["scene_all_rules"] = t
    hyper = {"line_search": 1.0, "max_eval": 25.0}
    for name in ("himmelblau", "rosenbrock"):
        s = landscapes.get(name)
        explore.basin_map("lbfgs", s, resolution=10, steps=3, **hyper)
        t = _median_of(lambda s=s: explore.basin_map("lbfgs", s, resolution=200, steps=STEPS, **hyper), 3)
        print(
            f"Basin map 200x200, L-BFGS strong Wolfe (max_eval 25), {STEPS} steps, {name:10s}: {t:6.2f} s  (goal < 3 s)"
        )
        out[f"lbfgs_basin_{name}"] = t
    return out


if __name__ == "__main__":
    main()
