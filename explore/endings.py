"""How a batch of runs ended: at which known minimum, diverged, left the view, or not yet converged."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import optimizers
from landscapes import Surface

# Labels for runs that did not end at a known minimum (minima are labelled 0, 1, 2, ...).
DIVERGED = -1
LEFT_VIEW = -2
NOT_CONVERGED = -3

TOL_FRACTION = 0.01  # "at a minimum": within 1 % of the view's larger side


def tolerance(surface: Surface) -> float:
    """The distance to a minimum that counts as "arrived": ``TOL_FRACTION`` of the view's larger side."""
    return TOL_FRACTION * surface.span()


@dataclass(frozen=True)
class Endings:
    """Per run: ``label`` (minimum index or a negative code), ``final_loss`` (NaN when diverged) and
    ``steps_to`` (first step from which the run stays within ``tol`` of its minimum; -1: never)."""

    label: np.ndarray
    final_loss: np.ndarray
    steps_to: np.ndarray
    tol: float


def settled_from(near: np.ndarray) -> np.ndarray:
    """For ``near`` of shape (steps+1, ...) (is point k close to the target?): the first step from
    which every later point is close, per run; -1 where the last point is not close."""
    away_from_end = np.argmax(~near[::-1], axis=0)  # steps counted back to the last "away" point
    out = np.where(near.all(axis=0), 0, near.shape[0] - away_from_end)
    return np.where(near[-1], out, -1)


def endings(result: optimizers.RunResult, surface: Surface, tol: float | None = None) -> Endings:
    """Classify every run of a ``run_batch`` result by its last point.

    A run that diverged is ``DIVERGED``; one whose last point lies outside the view is
    ``LEFT_VIEW``; one whose last point is within ``tol`` of known minimum j is j; any other is
    ``NOT_CONVERGED``.
    """
    tol = tolerance(surface) if tol is None else tol
    path = result.path  # (steps+1, n, 2)
    n = path.shape[1]
    diverged = result.diverged_at >= 0
    last = path[-1]
    (x0, x1), (y0, y1) = surface.domain
    with np.errstate(invalid="ignore"):
        inside = (last[:, 0] >= x0) & (last[:, 0] <= x1) & (last[:, 1] >= y0) & (last[:, 1] <= y1)
    label = np.full(n, NOT_CONVERGED, dtype=np.int64)
    steps_to = np.full(n, -1, dtype=np.int64)
    minima = surface.minima_array()
    if minima.shape[0]:
        d_last = np.hypot(last[:, None, 0] - minima[None, :, 0], last[:, None, 1] - minima[None, :, 1])
        nearest = np.argmin(np.where(np.isfinite(d_last), d_last, np.inf), axis=1)
        arrived = np.take_along_axis(d_last, nearest[:, None], axis=1)[:, 0] <= tol
        label[arrived] = nearest[arrived]
        # steps_to: one past the last step that was not within tol of the minimum it ended at.
        target = minima[nearest]  # (n, 2)
        with np.errstate(invalid="ignore"):
            near = np.hypot(path[..., 0] - target[:, 0], path[..., 1] - target[:, 1]) <= tol  # (steps+1, n)
        steps_to[arrived] = settled_from(near)[arrived]
    label[~inside] = LEFT_VIEW
    label[diverged] = DIVERGED
    steps_to[label < 0] = -1
    final_loss = np.where(diverged, np.nan, result.loss[-1])
    return Endings(label=label, final_loss=final_loss, steps_to=steps_to, tol=tol)
