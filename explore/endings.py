"""How a batch of runs ended: arrived at a known minimum, diverged, left the view, or not arrived.

"Arrived" is this package's word (basin maps, sweeps): the last point lies within ``TOL_FRACTION``
of the view's larger side of a known minimum. It is coarser than the results table's "converged"
(within 1e-3 of a minimum, ``analysis.outcomes.CONVERGE_TOL``), so that a grid of thousands of short runs
can be read at a glance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import optimizers
from landscapes import Surface
from landscapes.surface import distance

# Labels for runs that did not end at a known minimum (minima are labelled 0, 1, 2, ...).
DIVERGED = -1
LEFT_VIEW = -2
NOT_ARRIVED = -3
NOT_CONVERGED = NOT_ARRIVED  # the former name

TOL_FRACTION = 0.01  # "arrived": within 1 % of the view's larger side


def tolerance(surface: Surface) -> float:
    """The distance to a minimum that counts as "arrived": ``TOL_FRACTION`` of the view's larger side."""
    return TOL_FRACTION * surface.span()


@dataclass(frozen=True)
class Endings:
    """Per run: ``label`` (minimum index or a negative code), ``final_loss`` (NaN when diverged) and
    ``steps_to`` (steps to arrive: the first step from which the run stays within ``tol`` of its
    minimum; -1: never)."""

    label: np.ndarray
    final_loss: np.ndarray
    steps_to: np.ndarray
    tol: float

    def grid(self, shape: tuple[int, ...]) -> dict:
        """``label``, ``final_loss`` and ``steps_to`` laid out in ``shape`` (a basin map's or a sweep's
        grid), with ``tol``: the fields a map or sweep record takes."""
        fields = {"label": self.label, "final_loss": self.final_loss, "steps_to": self.steps_to}
        return {**{k: v.reshape(shape) for k, v in fields.items()}, "tol": self.tol}


def settled_from(near: np.ndarray) -> np.ndarray:
    """For ``near`` of shape (steps+1, ...) (is point k close to the target?): the first step from
    which every later point is close, per run; -1 where the last point is not close."""
    away_from_end = np.argmax(~near[::-1], axis=0)  # steps counted back to the last "away" point
    out = np.where(near.all(axis=0), 0, near.shape[0] - away_from_end)
    return np.where(near[-1], out, -1)


def from_ends(ends: optimizers.BatchEnds, surface: Surface, tol: float) -> Endings:
    """``endings`` of the same runs from what ``optimizers.run_batch_ends`` kept (targets: the surface's
    minima, at ``tol``): the same labels, ``steps_to`` and ``final_loss``, decided the same way."""
    diverged = ends.diverged_at >= 0
    label = np.where(ends.nearest >= 0, ends.nearest, NOT_ARRIVED).astype(np.int64)
    steps_to = np.where(ends.nearest >= 0, ends.settled, -1).astype(np.int64)
    label[~surface.inside(ends.last)] = LEFT_VIEW
    label[diverged] = DIVERGED
    steps_to[label < 0] = -1
    final_loss = np.where(diverged, np.nan, ends.final_loss)
    return Endings(label=label, final_loss=final_loss, steps_to=steps_to, tol=tol)


def endings(result: optimizers.RunResult, surface: Surface, tol: float | None = None) -> Endings:
    """Classify every run of a ``run_batch`` result by its last point.

    A run that diverged is ``DIVERGED``; one whose last point lies outside the view is
    ``LEFT_VIEW``; one whose last point is within ``tol`` of known minimum j is j; any other is
    ``NOT_ARRIVED``.
    """
    tol = tolerance(surface) if tol is None else tol
    path = result.path  # (steps+1, n, 2)
    n = path.shape[1]
    diverged = result.diverged_at >= 0
    last = path[-1]
    inside = surface.inside(last)
    label = np.full(n, NOT_ARRIVED, dtype=np.int64)
    steps_to = np.full(n, -1, dtype=np.int64)
    minima = surface.minima_array()
    if minima.shape[0]:
        nearest, d_last = surface.nearest_minimum(last)
        arrived = d_last <= tol
        label[arrived] = nearest[arrived]
        # steps_to: one past the last step that was not within tol of the minimum it ended at.
        target = minima[np.maximum(nearest, 0)]  # (n, 2)
        with np.errstate(invalid="ignore"):
            near = distance(path, target) <= tol  # (steps+1, n): each run against its own minimum
        steps_to[arrived] = settled_from(near)[arrived]
    label[~inside] = LEFT_VIEW
    label[diverged] = DIVERGED
    steps_to[label < 0] = -1
    final_loss = np.where(diverged, np.nan, result.loss[-1])
    return Endings(label=label, final_loss=final_loss, steps_to=steps_to, tol=tol)
