"""The result of a run: plain arrays."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class RunResult:
    """One rule's run from one start (``run``) or many starts (``run_batch``).

    Shapes for ``run`` (n starts for ``run_batch`` add an axis after the step axis):

    path        (steps + 1, 2)     points theta_0 .. theta_steps; NaN after divergence
    loss        (steps + 1,)       L(theta_k)
    grads       (steps, 2)         the gradient the rule used at step k+1 (noise included)
    state       {slot: (steps + 1, 2)}  the rule's state after k steps (empty if not kept)
    diverged_at first step index whose point is non-finite or beyond ``bound``, else None
                (``run_batch``: an int array, -1 where the start did not diverge)
    stopped_at  the step at which a vector rule stopped (the point then stays), else None (-1)
    trail       vector rules, ``run`` only: (steps, E, 2) the points each step evaluated (NaN beyond)
    batch_loss  (steps,)           data landscapes only: the loss of step k+1's minibatch at theta_k
    batches     data landscapes only: every step's batch indices (``landscapes.data.batches.Batches``)
    loss_every  data landscapes only: the full-data ``loss`` is taken at every loss_every-th step (NaN
                between; 0: the first and the last only); ``analysis.outcomes.exact_loss`` fills any step
    """

    rule: str
    hyper: dict[str, float]
    path: np.ndarray
    loss: np.ndarray
    grads: np.ndarray
    state: dict[str, np.ndarray] = field(default_factory=dict)
    diverged_at: int | np.ndarray | None = None
    bound: float = 1e6
    stopped_at: int | np.ndarray | None = None  # a vector rule's stop (Newton: H singular), as diverged_at
    stop_reason: str = ""  # the rule's words for that stop
    trail: np.ndarray | None = None  # (steps, E, 2): every point a step evaluated (L-BFGS), NaN beyond
    batch_loss: np.ndarray | None = None
    batches: object | None = None
    loss_every: int = 1  # data landscapes: ``loss`` is known at every k-th step, the first, the last, a divergence

    @property
    def steps(self) -> int:
        return self.path.shape[0] - 1
