"""The public entry points ``run`` and ``run_batch``: check, draw noise, loop, package."""

from __future__ import annotations

import math
from functools import partial

import numpy as np

from optimizers.data_engine import run_data_batch
from optimizers.hyper import HYPER_NAMES
from optimizers.kernel_cache import formula_kernel, kernel
from optimizers.numpy_loop import run_numpy
from optimizers.numpy_vector_loop import run_numpy_vector
from optimizers.result import RunResult, from_loop, hyper_record
from optimizers.schedules import Schedule, multipliers
from optimizers.validation import (
    DEFAULT_BOUND,
    MAX_POINT_STEPS,
    check_bound,
    check_noise,
    check_rule,
    check_starts,
    check_steps,
    checked_hyper,
    hyper_table,
    hyper_tuple,
)

NO_LAYER = (np.zeros(8), np.zeros(8), np.zeros((4, 4)), np.zeros(4), 0.0)
_NO_FACTOR = np.empty(0)  # no schedule: the loops read its length only


def _layer(surface) -> tuple:
    """The surface's rough layer as the kernel's plain arrays (or none)."""
    lay = surface.layer
    if lay is None or lay.amplitude == 0.0:
        return NO_LAYER
    return (lay.tx, lay.ty, np.ascontiguousarray(lay.coef), lay.box, lay.amplitude)


def gradient_noise(sigma: float, seed: int, steps: int, n: int, first_stream: int = 0) -> np.ndarray:
    """Seeded Gaussian gradient noise, shape (steps, n, 2); empty when ``sigma`` is 0.

    Start i's noise is stream ``first_stream + i`` of ``SeedSequence(seed)`` (its ``spawn``-ed child of
    that number): a start's noise does not depend on how many other starts run beside it, and a batch
    cut into chunks draws the same noise as the whole when each chunk passes its first start's index.
    """
    if sigma == 0.0:
        return np.empty((0, n, 2))
    streams = [np.random.SeedSequence(seed, spawn_key=(first_stream + i,)) for i in range(n)]
    draws = np.stack([np.random.default_rng(s).standard_normal((steps, 2)) for s in streams], axis=1)
    return sigma * draws


def run_batch(
    rule: str,
    surface,
    starts,
    steps: int,
    grad_noise: float = 0.0,
    seed: int = 0,
    bound: float = DEFAULT_BOUND,
    keep_state: bool = False,
    backend: str = "auto",
    lr_schedule: Schedule | None = None,
    shuffle_seeds=None,
    loss_every: int = 1,
    first_stream: int = 0,
    **hyper,
) -> RunResult:
    """Run ``rule`` from every start in ``starts`` (shape (n, 2)) for ``steps`` steps.

    ``lr_schedule`` (``optimizers.schedules.Schedule``) scales the learning rate per step as
    ``torch.optim.lr_scheduler`` would; None keeps it constant.

    Hyperparameters are scalars or arrays of length n (one setting per start, for sweeps).
    ``grad_noise`` adds N(0, grad_noise^2) to every gradient component, drawn from
    ``numpy.random.default_rng(seed)`` (the same seed always gives the same path): start i draws
    stream ``first_stream + i`` (``gradient_noise``; a chunk of a larger batch passes its offset).
    A start whose point becomes non-finite or leaves [-bound, bound] stops there
    (``diverged_at[i]`` is that step; later points are NaN). ``backend`` is "auto"
    (compiled when the surface allows), "numba" or "numpy".

    Result arrays: path (steps+1, n, 2), loss (steps+1, n), grads (steps, n, 2),
    state {slot: (steps+1, n, 2)} when ``keep_state``, diverged_at (n,) int (-1: did not).

    On a data landscape (a surface with a ``problem``, ``landscapes.data``) every step's gradient is
    one minibatch's (``optimizers.data_engine``): ``seed`` (or ``shuffle_seeds``, one per start) seeds the
    shuffling, ``grad_noise`` must be 0 (the batches are the noise), and the result adds
    ``batch_loss`` and ``batches``; ``loss_every`` thins the full-data loss (see ``run_data_batch``). A
    vector rule's closure and Hessian there are the current batch's objective.
    """
    r = check_rule(rule)
    steps = check_steps(steps)
    starts = check_starts(starts)
    sigma, seed = check_noise(grad_noise, seed)
    bound = check_bound(bound)
    n = starts.shape[0]
    if getattr(surface, "problem", None) is not None:
        if sigma != 0.0:
            raise ValueError("grad_noise must be 0 on a data landscape: its minibatches are the noise")
        return run_data_batch(
            r, surface, starts, steps, seed, bound, keep_state, lr_schedule, hyper, shuffle_seeds, loss_every
        )
    if n * max(steps, 1) > MAX_POINT_STEPS:
        raise ValueError(f"starts x steps must be at most {MAX_POINT_STEPS:,}, got {n:,} x {steps:,}")
    hyper_values, floats, row = checked_hyper(r, hyper)
    table = np.repeat(row, n, axis=0) if row is not None else hyper_table(hyper_values, n)
    arrays = _execute(
        r, surface, starts, steps, table, sigma, seed, bound, keep_state, backend, lr_schedule, first_stream
    )
    return from_loop(r, hyper_record(hyper_values, floats), bound, *arrays)


def _execute(
    r, surface, starts, steps, table, sigma, seed, bound, keep_state, backend, lr_schedule, first_stream=0
) -> tuple:
    """Run the checked arguments on the compiled loop (or numpy's): start-major arrays
    ``(path, loss, grads, state, diverged, stopped, trail)``, ``trail`` None for a coordinate-wise rule."""
    n = starts.shape[0]
    noise = gradient_noise(sigma, seed, steps, n, first_stream)
    lr_factor = _NO_FACTOR if lr_schedule is None else multipliers(lr_schedule, steps)

    # Start-major storage (each start's history contiguous); returned as step-major views.
    path = np.empty((n, steps + 1, 2))
    loss = np.empty((n, steps + 1))
    grads = np.empty((n, steps, 2))
    state = np.empty((n, steps + 1 if keep_state else 0, len(r.slots), 2))
    diverged = np.empty(n, dtype=np.int64)

    fn = getattr(surface, "kernel_function", None)  # an own formula's compiled value and gradient
    compiled = fn is not None or (surface.kernel_gradient is not None and surface.kernel_value is not None)
    layer = surface.layer
    if r.uses_hessian and layer is not None and layer.amplitude != 0.0:
        compiled = False  # the rough layer's Hessian is scipy's spline: the numpy loop
    if backend not in ("auto", "numba", "numpy"):
        raise ValueError(f"backend must be 'auto', 'numba' or 'numpy', got {backend!r}")
    if backend == "numba" and not compiled:
        raise ValueError(f"surface {surface.name!r} has no compiled form; use backend='numpy'")
    stopped = np.full(n, -1, dtype=np.int64)
    trail = None
    noise_sm = np.ascontiguousarray(noise.swapaxes(0, 1)) if sigma != 0.0 else np.empty((n, 0, 2))
    if r.vector:
        width = min(r.evals, int(table[:, HYPER_NAMES.index("max_eval")].max())) if r.evals else 0
        trail = np.full((n, steps if keep_state and n == 1 and width else 0, max(width, 1), 2), np.nan)
        if compiled and backend != "numpy":
            run_kernel = (
                partial(formula_kernel(r), fn)
                if fn is not None
                else kernel(r, surface.kernel_value, surface.kernel_gradient)
            )
            args = (starts, table, _layer(surface), lr_factor, noise_sm, steps, bound)
            run_kernel(*args, path, loss, grads, state, diverged, trail, stopped)
        else:
            run_numpy_vector(
                r,
                surface,
                starts,
                table,
                lr_factor,
                noise_sm,
                steps,
                bound,
                path,
                loss,
                grads,
                state,
                diverged,
                trail,
                stopped,
            )
    elif compiled and backend != "numpy":
        if fn is not None:
            run_kernel = partial(formula_kernel(r), fn)
        else:
            run_kernel = kernel(r, surface.kernel_value, surface.kernel_gradient)
        run_kernel(
            starts, table, _layer(surface), lr_factor, noise_sm, steps, bound, path, loss, grads, state, diverged
        )
    else:
        run_numpy(
            r,
            surface,
            starts,
            hyper_tuple(table),
            lr_factor,
            noise,
            steps,
            bound,
            path.swapaxes(0, 1),
            loss.T,
            grads.swapaxes(0, 1),
            state.swapaxes(0, 1),
            diverged,
        )
    return path, loss, grads, state, diverged, stopped, trail


def run(
    rule: str,
    surface,
    start,
    steps: int,
    grad_noise: float = 0.0,
    seed: int = 0,
    bound: float = DEFAULT_BOUND,
    backend: str = "auto",
    lr_schedule: Schedule | None = None,
    loss_every: int = 1,
    **hyper,
) -> RunResult:
    """Run ``rule`` on ``surface`` from one ``start`` (x, y); see ``run_batch`` (``loss_every``: data
    landscapes only).

    Shapes: path (steps+1, 2), loss (steps+1,), grads (steps, 2), state {slot: (steps+1, 2)};
    ``diverged_at`` is the first diverged step index or None.
    """
    try:
        start_arr = np.asarray(start, dtype=float)
    except (TypeError, ValueError):
        start_arr = None
    if start_arr is None or start_arr.shape != (2,):
        raise ValueError(f"start must be a pair of numbers (x, y), got {start!r}")
    if getattr(surface, "problem", None) is None:  # one start on a surface: without run_batch's batch record
        return _run_one(rule, surface, start_arr, steps, grad_noise, seed, bound, backend, lr_schedule, hyper)
    b = run_batch(
        rule,
        surface,
        start_arr[None, :],
        steps,
        grad_noise=grad_noise,
        seed=seed,
        bound=bound,
        keep_state=True,
        backend=backend,
        lr_schedule=lr_schedule,
        loss_every=loss_every,
        **hyper,
    )
    d = int(b.diverged_at[0])
    return RunResult(
        rule=b.rule,
        hyper=b.hyper,
        path=b.path[:, 0],
        loss=b.loss[:, 0],
        grads=b.grads[:, 0],
        state={k: v[:, 0] for k, v in b.state.items()},
        diverged_at=None if d < 0 else d,
        bound=b.bound,
        stopped_at=None if b.stopped_at is None or b.stopped_at[0] < 0 else int(b.stopped_at[0]),
        stop_reason=b.stop_reason,
        trail=b.trail,
        batch_loss=None if b.batch_loss is None else b.batch_loss[:, 0],
        batches=b.batches,
        loss_every=b.loss_every,
    )


def _run_one(
    rule, surface, start: np.ndarray, steps, grad_noise, seed, bound, backend, lr_schedule, hyper
) -> RunResult:
    """``run`` on a surface (no data problem): ``run_batch``'s checks and loop for one start, kept state,
    packed straight into the one-start result (a scene makes ~20 such calls per request)."""
    r = check_rule(rule)
    steps = check_steps(steps)
    if not (math.isfinite(start[0]) and math.isfinite(start[1])):
        check_starts(start[None, :])  # its message
    starts = start.reshape(1, 2)
    sigma, seed = check_noise(grad_noise, seed)
    bound = check_bound(bound)
    hyper_values, floats, row = checked_hyper(r, hyper)
    table = row if row is not None else hyper_table(hyper_values, 1)
    arrays = _execute(r, surface, starts, steps, table, sigma, seed, bound, True, backend, lr_schedule)
    return from_loop(r, hyper_record(hyper_values, floats), bound, *arrays, one=True)
