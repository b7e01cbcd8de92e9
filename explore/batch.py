"""Big batches in chunks: bounded memory, both cores, and a progress report after each chunk.

Two paths to the same ``Endings``:

* streaming (``run_endings``' default wherever ``optimizers.ends_supported``: built-in surfaces,
  rough or not, and own formulas numba compiled, with every rule, coordinate-wise or vector, noise,
  schedules and per-start settings): ``optimizers.run_batch_ends`` keeps only each run's end, so
  memory is O(starts) (chunks are sized for prompt progress and stops, not for memory);
* histories (``run_endings_history``; the fallback for data landscapes, formulas numba refused and
  Hessian rules on a rough surface, which run on the numpy or minibatch loops, and surfaces with two
  minima within 2 tol of each other, ``optimizers.kernel_ends.separated``): ``run_batch`` keeps
  every path, ``explore.endings.endings`` reduces it, chunks of ``CHUNK_POINT_STEPS`` point-steps.

With gradient noise, start g of the whole batch draws noise stream g of ``SeedSequence(seed)``
whatever the chunks (each chunk passes its first start's index as ``first_stream``): the map is the
one ``run_batch`` over all starts at once would give.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

import optimizers
from explore.endings import Endings, endings, from_ends, tolerance
from landscapes import Surface
from optimizers.kernel_ends import separated

CHUNK = 2500  # starts per run_batch call at most
CHUNK_POINT_STEPS = 750_000  # starts x (steps + 1) per call: its history (path, loss, gradients) is ~30 MB
STREAM_CHUNK = 2500  # starts per run_batch_ends call at most (~100 bytes each)
# starts x steps per run_batch_ends call at most: a chunk takes ~0.1 s, so progress comes often and a
# cancelled or abandoned job (jobs.runner.Stopped, checked between chunks) ends promptly
STREAM_POINT_STEPS = 1_000_000
NOISE_CHUNK_BYTES = 16_000_000  # a streaming chunk's gradient noise (16 bytes a start-step) at most
WORKERS = int(os.environ.get("EXPLORE_THREADS", "2"))  # the compiled loop releases the GIL: chunks side by side

Progress = Callable[[int, int], None]


def chunk_size(steps: int) -> int:
    """Starts per ``run_batch`` call, so that a chunk's history stays within ``CHUNK_POINT_STEPS``."""
    return max(1, min(CHUNK, CHUNK_POINT_STEPS // (steps + 1)))


def stream_chunk_size(steps: int, noisy: bool) -> int:
    """Starts per ``run_batch_ends`` call: ``STREAM_CHUNK`` at most, ``STREAM_POINT_STEPS`` start-steps at
    most, fewer when each start carries its noise (``NOISE_CHUNK_BYTES``)."""
    size = min(STREAM_CHUNK, STREAM_POINT_STEPS // (steps + 1))
    if noisy:
        size = min(size, NOISE_CHUNK_BYTES // (16 * max(steps, 1)))
    return max(1, size)


def run_endings(
    rule: str,
    surface: Surface,
    starts: np.ndarray,
    steps: int,
    hyper: dict,
    progress: Progress | None = None,
    tol: float | None = None,
    **run_options,
) -> Endings:
    """``endings`` of ``run_batch(rule, surface, starts, steps, **run_options, **hyper)``, computed chunk
    by chunk on ``WORKERS`` threads, streaming where the engine can (see the module docstring).

    Hyperparameters may be arrays of length n (one per start); ``progress(done, total)`` is
    called after each chunk. Only the endings are kept, never the full histories.
    """
    tol = tolerance(surface) if tol is None else tol
    minima = surface.minima_array()
    streamable = optimizers.ends_supported(rule, surface) and separated(minima, tol)
    if not streamable or run_options.get("backend", "auto") == "numpy":
        return run_endings_history(rule, surface, starts, steps, hyper, progress, tol, **run_options)
    options = {k: v for k, v in run_options.items() if k != "backend"}
    size = stream_chunk_size(steps, bool(options.get("grad_noise", 0.0)))

    def one(a: int, b: int, part: dict) -> Endings:
        ends = optimizers.run_batch_ends(
            rule, surface, starts[a:b], steps, minima, tol, first_stream=a, **options, **part
        )
        return from_ends(ends, surface, tol)

    return _chunked(one, hyper, starts.shape[0], size, progress, tol)


def run_endings_history(
    rule: str,
    surface: Surface,
    starts: np.ndarray,
    steps: int,
    hyper: dict,
    progress: Progress | None = None,
    tol: float | None = None,
    **run_options,
) -> Endings:
    """``run_endings`` through full histories: ``run_batch`` per chunk of ``chunk_size(steps)`` starts,
    reduced by ``endings``. Memory is ``WORKERS`` chunks of at most ``CHUNK_POINT_STEPS`` point-steps."""
    if getattr(surface, "problem", None) is not None:  # a data landscape (landscapes.data): endings read
        run_options.setdefault("loss_every", 0)  # the last loss only, and the full-data loss costs N a step
    first = run_options.pop("first_stream", 0)

    def one(a: int, b: int, part: dict) -> Endings:
        result = optimizers.run_batch(rule, surface, starts[a:b], steps, first_stream=first + a, **run_options, **part)
        return endings(result, surface, tol)

    return _chunked(one, hyper, starts.shape[0], chunk_size(steps), progress, tol)


def _chunked(
    one: Callable[[int, int, dict], Endings], hyper: dict, n: int, size: int, progress: Progress | None, tol
) -> Endings:
    """``one(a, b, hyper for starts a..b-1)`` over chunks of ``size`` starts on ``WORKERS`` threads,
    reporting progress, concatenated (a per-start hyperparameter array is sliced to the chunk).

    When ``progress`` raises (a job cancelled or abandoned: ``jobs.runner.Stopped``), the chunks not
    yet started are dropped: the work ends with the chunks under way, not the whole batch."""
    bounds = [(i, min(i + size, n)) for i in range(0, n, size)]

    def chunk(span: tuple[int, int]) -> Endings:
        a, b = span
        return one(a, b, {k: (v[a:b] if np.ndim(v) else v) for k, v in hyper.items()})

    done = 0
    parts: list[Endings] = []
    pool = ThreadPoolExecutor(WORKERS)
    try:
        for part in pool.map(chunk, bounds):
            parts.append(part)
            done += part.label.size
            if progress is not None:
                progress(done, n)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return Endings(
        label=np.concatenate([p.label for p in parts]),
        final_loss=np.concatenate([p.final_loss for p in parts]),
        steps_to=np.concatenate([p.steps_to for p in parts]),
        tol=parts[0].tol if parts else (0.0 if tol is None else tol),
    )
