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


def hyper_record(values: dict, floats: dict | None = None) -> dict:
    """A result's ``hyper``: the checked plain numbers when known, else each value as a float (one
    setting) or its array (one per start)."""
    if floats is not None:
        return dict(floats)
    return {k: (float(v) if v.ndim == 0 else v) for k, v in values.items()}


def stop_words(rule, stopped: np.ndarray | None) -> str:
    """The rule's words for its stop when any start stopped (one code per rule today: Newton's singular
    Hessian), else ""."""
    return next(iter(rule.stops.values()), "") if stopped is not None and (stopped >= 0).any() else ""


def from_loop(
    rule,
    hyper: dict,
    bound: float,
    path: np.ndarray,
    loss: np.ndarray,
    grads: np.ndarray,
    state: np.ndarray,
    diverged: np.ndarray,
    stopped: np.ndarray | None = None,
    trail: np.ndarray | None = None,
    *,
    one: bool = False,
    batch_loss: np.ndarray | None = None,
    **extra,
) -> RunResult:
    """Package a loop's start-major arrays as a RunResult: path (n, steps+1, 2), loss (n, steps+1),
    grads (n, steps, 2), state (n, steps+1 or 0 when not kept, slots, 2), diverged and stopped (n,),
    trail (n, steps or 0, E, 2), batch_loss (n, steps). A batch gets step-major views; ``one`` gets
    start 0's arrays, with ``diverged_at``/``stopped_at`` an int or None. ``extra``: further fields."""
    slots = rule.slots
    kept = state.shape[1] > 0
    trail = trail[0] if trail is not None and trail.shape[1] else None
    if one:
        d = int(diverged[0])
        s = -1 if stopped is None else int(stopped[0])
        return RunResult(
            rule=rule.name,
            hyper=hyper,
            path=path[0],
            loss=loss[0],
            grads=grads[0],
            state={name: state[0, :, j, :] for j, name in enumerate(slots)} if kept else {},
            diverged_at=None if d < 0 else d,
            bound=bound,
            stopped_at=None if s < 0 else s,
            stop_reason=stop_words(rule, stopped),
            trail=trail,
            batch_loss=None if batch_loss is None else batch_loss[0],
            **extra,
        )
    state = state.swapaxes(0, 1)
    return RunResult(
        rule=rule.name,
        hyper=hyper,
        path=path.swapaxes(0, 1),
        loss=loss.T,
        grads=grads.swapaxes(0, 1),
        state={name: state[:, :, j, :] for j, name in enumerate(slots)} if kept else {},
        diverged_at=diverged,
        bound=bound,
        stopped_at=stopped,
        stop_reason=stop_words(rule, stopped),
        trail=trail,
        batch_loss=None if batch_loss is None else batch_loss.T,
        **extra,
    )
