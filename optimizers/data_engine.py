"""``run_batch`` on a data landscape: every step the exact gradient of one minibatch's objective.

Called by ``optimizers.engine.run_batch`` when the surface carries a data ``problem``
(``landscapes.data.DataSurface``); the rules run unchanged (one compiled loop per rule,
``optimizers/data_loop.py``; vector rules ``optimizers/data_vector_loop.py``, whose closure and Hessian
are the step's batch's, as a PyTorch loop's ``opt.step(closure)`` over the current batch).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from landscapes.data.batches import Batches, plan
from optimizers.data_kernel import data_kernel
from optimizers.hyper import HYPER_NAMES
from optimizers.result import RunResult, from_loop, hyper_record
from optimizers.schedules import Schedule, multipliers
from optimizers.validation import MAX_POINT_STEPS, hyper_for, hyper_table

MAX_SAMPLE_STEPS = 2_000_000_000  # starts x steps x (N + B): the bound of one call's work


@lru_cache(maxsize=8)
def _plan_kept(n: int, size: int, drop_last: bool, steps: int, seeds: bytes) -> Batches:
    b = plan(n, size, drop_last, steps, np.frombuffer(seeds, dtype=np.int64))
    for a in (b.seeds, b.perms, b.seed_of_start, b.offset, b.sizes, b.epoch):
        a.setflags(write=False)  # shared by every run with these batches
    return b


def batches_for(n: int, size: int, drop_last: bool, steps: int, seeds: np.ndarray) -> Batches:
    """``landscapes.data.batches.plan``, kept for the last few settings (read-only): a scene's optimizers
    all shuffle with one seed, so they share one plan."""
    return _plan_kept(n, size, drop_last, steps, np.ascontiguousarray(seeds, dtype=np.int64).tobytes())


def check_shuffle_seeds(seed, shuffle_seeds, n: int) -> np.ndarray:
    """One shuffling seed per start: ``shuffle_seeds`` (n,) when given, else ``seed`` for all."""
    seeds = np.full(n, seed, dtype=np.int64) if shuffle_seeds is None else np.asarray(shuffle_seeds)
    if seeds.shape != (n,) or not np.issubdtype(seeds.dtype, np.integer) or np.any(seeds < 0) or np.any(seeds >= 2**32):
        raise ValueError(f"shuffle_seeds must be {n} integers between 0 and 2**32 - 1")
    return seeds.astype(np.int64)


def run_data_batch(
    r,
    surface,
    starts: np.ndarray,
    steps: int,
    seed: int,
    bound: float,
    keep_state: bool,
    lr_schedule: Schedule | None,
    hyper: dict,
    shuffle_seeds=None,
    loss_every: int = 1,
) -> RunResult:
    """Run rule ``r`` from every start (checked by the caller) on ``surface.problem``'s minibatches.

    Start i shuffles with seed ``shuffle_seeds[i]`` (default: ``seed`` for every start, so a basin map's
    starts all see the same batches; an ensemble passes one seed per run). The result also holds
    ``batch_loss`` (steps, n) and ``batches`` (every step's indices, ``landscapes.data.batches.Batches``).
    ``loss`` is the full-data objective at every ``loss_every``-th step (0: first and last only; NaN
    between), because it costs N sample evaluations where a step costs B. A vector rule's result also has
    ``stopped_at``/``stop_reason`` and (one start with ``keep_state``) ``trail``, as on other surfaces.
    """
    if isinstance(loss_every, bool) or not isinstance(loss_every, int | np.integer) or loss_every < 0:
        raise ValueError(f"loss_every must be a whole number >= 0, got {loss_every!r}")
    p = surface.problem
    n = starts.shape[0]
    full = p.n if p.model != "linear" else 1  # linear regression: O(1) from the data's moments
    hyper_values = hyper_for(r, hyper)
    table = hyper_table(hyper_values, n)
    width = _trail_width(r, table)
    passes = 1 + (r.vector and r.uses_hessian) + width  # batch passes a step: Newton's Hessian, L-BFGS's search
    work = n * max(steps, 1) * (full // max(loss_every, 1) if loss_every else 0)
    work += n * max(steps, 1) * min(p.batch, p.n) * passes
    if n * max(steps, 1) > MAX_POINT_STEPS or work > MAX_SAMPLE_STEPS:
        what = "N / loss_every + B" + (" x evaluations a step" if passes > 1 else "")
        raise ValueError(f"starts x steps x ({what}) must be at most {MAX_SAMPLE_STEPS:,}, got {work:,}")
    lr_factor = np.empty(0) if lr_schedule is None else multipliers(lr_schedule, steps)
    batches = batches_for(p.n, min(p.batch, p.n), p.drop_last, steps, check_shuffle_seeds(seed, shuffle_seeds, n))

    path = np.empty((n, steps + 1, 2))
    loss = np.empty((n, steps + 1))
    batch_loss = np.empty((n, steps))
    grads = np.empty((n, steps, 2))
    state = np.empty((n, steps + 1 if keep_state else 0, len(r.slots), 2))
    diverged = np.empty(n, dtype=np.int64)
    m1, m2 = p.mask
    arrays = [path, loss, batch_loss, grads, state, diverged]
    stopped = trail = None
    if r.vector:
        stopped = np.full(n, -1, dtype=np.int64)
        trail = np.full((n, steps if keep_state and n == 1 and width else 0, max(width, 1), 2), np.nan)
        arrays += [trail, stopped]
    data_kernel(r)(
        starts,
        table,
        lr_factor,
        steps,
        bound,
        int(loss_every),
        (p.model_id, p.x1, p.x2, p.y, p.stats),
        (p.reg_kind, float(p.lam), m1, m2),
        (batches.perms, batches.seed_of_start, batches.offset, batches.sizes),
        *arrays,
    )
    return from_loop(
        r,
        hyper_record(hyper_values),
        bound,
        path,
        loss,
        grads,
        state,
        diverged,
        stopped,
        trail,
        batch_loss=batch_loss,
        batches=batches,
        loss_every=int(loss_every),
    )


def _trail_width(r, table: np.ndarray) -> int:
    """Evaluation points a step of ``r`` records (L-BFGS: up to max_eval; 0 for other rules)."""
    if not (r.vector and r.evals):
        return 0
    return min(r.evals, int(table[:, HYPER_NAMES.index("max_eval")].max()))
