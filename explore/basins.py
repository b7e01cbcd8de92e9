"""Basin-of-attraction map: run one optimizer from every point of a grid over the view and colour
each start by where its run ends."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explore.batch import Progress, run_endings
from explore.endings import Endings
from landscapes import Surface
from optimizers.schedules import Schedule

MAX_RESOLUTION = 200  # starts per side: 40,000 runs
MAX_BASIN_STEPS = 2000


@dataclass(frozen=True)
class BasinMap:
    """Start (xs[i], ys[j]) ended as ``label[j, i]`` (Plotly's z layout); ``minima`` are the labels
    0..k-1; ``final_loss`` and ``steps_to`` are laid out the same way."""

    rule: str
    xs: np.ndarray
    ys: np.ndarray
    label: np.ndarray
    final_loss: np.ndarray
    steps_to: np.ndarray
    minima: np.ndarray
    tol: float
    steps: int


def basin_map(
    rule: str,
    surface: Surface,
    resolution: int = 100,
    steps: int = 300,
    grad_noise: float = 0.0,
    seed: int = 0,
    lr_schedule: Schedule | None = None,
    progress: Progress | None = None,
    **hyper,
) -> BasinMap:
    """Run ``rule`` from each point of a ``resolution`` x ``resolution`` grid over the surface's
    domain for ``steps`` steps and classify where each run ends (``explore.endings``)."""
    if not 2 <= resolution <= MAX_RESOLUTION:
        raise ValueError(f"resolution must be between 2 and {MAX_RESOLUTION}, got {resolution!r}")
    if not 1 <= steps <= MAX_BASIN_STEPS:
        raise ValueError(f"steps must be between 1 and {MAX_BASIN_STEPS}, got {steps!r}")
    (x0, x1), (y0, y1) = surface.domain
    xs = np.linspace(x0, x1, resolution)
    ys = np.linspace(y0, y1, resolution)
    xx, yy = np.meshgrid(xs, ys)
    starts = np.stack([xx.ravel(), yy.ravel()], axis=1)
    ends: Endings = run_endings(
        rule,
        surface,
        starts,
        steps,
        hyper,
        progress=progress,
        grad_noise=grad_noise,
        seed=seed,
        lr_schedule=lr_schedule,
    )
    grid = ends.grid((resolution, resolution))
    return BasinMap(rule=rule, xs=xs, ys=ys, minima=surface.minima_array(), steps=steps, **grid)
