"""Dashboard speed: the recompute callback's work (engine + figures + JSON) and response sizes."""

from __future__ import annotations

import statistics
import time

from dash._utils import to_json

from app import compute, figures
from app.patches import rule_patches
from app.scene import Scene


def full_response(scene: Scene) -> str:
    surface = compute.surface_of(scene)
    outcomes = compute.run_scene(scene, surface)
    return to_json(
        [
            figures.surface_figure(surface, outcomes, scene),
            figures.contour_figure(surface, outcomes, scene),
            figures.loss_figure(surface, outcomes, scene),
        ]
    )


def patch_response(scene: Scene, rule: str) -> str:
    """What a change of one optimizer's setting sends: that optimizer's traces only."""
    surface = compute.surface_of(scene)
    patches = rule_patches(rule, compute.run_scene(scene, surface), surface, scene)
    return to_json([p.to_plotly_json() for p in patches])


def main() -> None:
    scene = Scene()
    full_response(scene)  # compile outside the timing
    times = []
    for _ in range(30):
        t0 = time.perf_counter()
        body = full_response(scene)
        times.append(time.perf_counter() - t0)
    notebook = Scene(surface="paraboloid", roughness=2.0, steps=5000)  # the seed's noisy paraboloid, 5 rules
    full_response(notebook)
    t0 = time.perf_counter()
    full_response(notebook)
    noisy_ms = (time.perf_counter() - t0) * 1e3
    changed = Scene(hyper={"adam": {"lr": 0.05}})
    patch = patch_response(changed, "adam")
    print("Dashboard recompute (default scene: engine + figures + JSON)")
    print(f"  p50 {statistics.median(times) * 1e3:.1f} ms  (goal < 60 ms)")
    print(f"  full response {len(body) / 1024:.0f} KB  (goal < 400 KB)")
    print(f"  the notebook's noisy paraboloid, 5 rules x 5,000 steps: {noisy_ms:.1f} ms")
    print(f"  one optimizer's setting changed: {len(patch) / 1024:.0f} KB  (goal < 100 KB, surface mesh not resent)")


if __name__ == "__main__":
    main()
