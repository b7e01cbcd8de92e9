"""What the figures show about runs, computed without Dash or Plotly: the ensemble's band, the log
view's reference L*, a surface's drawable range and how far long lines are thinned."""

from __future__ import annotations

import math

import numpy as np

from analysis.outcomes import Outcome

DRAWABLE = 1e36  # |value| the browser can draw (WebGL and SVG work in float32, up to 3.4e38); beyond: a gap
BAND_POINTS = 500  # steps per optimizer for the ensemble's median and band


def ensemble_band(o: Outcome, log_floor: float | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(steps, p10, median, p90) of the ensemble's loss at up to ``BAND_POINTS`` steps; a diverged run
    counts as +inf from its divergence on (so it lifts the upper quantiles, as it should)."""
    loss = np.array(o.ensemble.loss, dtype=float)
    loss[~np.isfinite(loss)] = np.inf
    if log_floor is not None:
        loss = np.maximum(loss - log_floor, 1e-16)
    every = max(1, int(getattr(o.ensemble, "loss_every", 1)))  # a data landscape's thinned full-data loss
    taken = np.unique(np.append(np.arange(0, loss.shape[0], every), loss.shape[0] - 1))
    idx = taken[np.unique(np.linspace(0, taken.size - 1, BAND_POINTS).astype(int))]
    p10, med, p90 = np.percentile(loss[idx], [10, 50, 90], axis=1)
    return idx, p10, med, p90


def loss_floor(outcomes: dict[str, Outcome], surface) -> float:
    """The reference L* for the log view: the lowest known minimum or lowest loss seen."""
    values = [float(surface.value(np.float64(x), np.float64(y))) for x, y in surface.minima]
    for o in outcomes.values():
        finite = o.result.loss[np.isfinite(o.result.loss)]
        if finite.size:
            values.append(float(finite.min()))
    return min(values) if values else 0.0


def z_range(z: np.ndarray) -> tuple[float, float]:
    """The lowest and highest drawable values of a surface grid ((0, 1) when there is none)."""
    with np.errstate(invalid="ignore"):
        shown = z[np.abs(z) <= DRAWABLE]
    if not shown.size:
        return 0.0, 1.0
    return float(shown.min()), float(shown.max())


CLIP_PERCENTILE = 95  # the 3-D view's z-axis: a peak beyond CLIP_FACTOR x this percentile's height is cut
CLIP_FACTOR = 3.0
CLIP_TO = 1.5  # ... and the axis then ends at this many times that height (above the lowest value)


def shown_z_range(z: np.ndarray) -> tuple[float, float, float | None]:
    """The 3-D view's z-range (lo, hi, peak): with q the 95th percentile of the drawable values and
    lo their minimum, a surface whose highest value exceeds lo + 3 (q - lo) (one tall peak would flatten
    the rest) is cut at hi = lo + 1.5 (q - lo) and ``peak`` is that highest value (None: not cut)."""
    lo, top = z_range(z)
    with np.errstate(invalid="ignore"):
        shown = z[np.abs(z) <= DRAWABLE]
    if not shown.size:
        return lo, top, None
    q = float(np.percentile(shown, CLIP_PERCENTILE))
    if q > lo and top - lo > CLIP_FACTOR * (q - lo):
        return lo, lo + CLIP_TO * (q - lo), top
    return lo, top, None


def stride_for(n: int, limit: int) -> int:
    """Every how many points a line of ``n`` points is drawn so that it has at most ``limit``."""
    return max(1, math.ceil(n / limit))
