"""Big batches in chunks: bounded memory, both cores, and a progress report after each chunk."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

import optimizers
from explore.endings import Endings, endings
from landscapes import Surface

CHUNK = 2500  # starts per run_batch call at most
CHUNK_POINT_STEPS = 750_000  # starts x (steps + 1) per call: its history (path, loss, gradients) is ~30 MB
WORKERS = int(os.environ.get("EXPLORE_THREADS", "2"))  # the compiled loop releases the GIL: chunks side by side

Progress = Callable[[int, int], None]


def chunk_size(steps: int) -> int:
    """Starts per ``run_batch`` call, so that a chunk's history stays within ``CHUNK_POINT_STEPS``."""
    return max(1, min(CHUNK, CHUNK_POINT_STEPS // (steps + 1)))


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
    """``endings`` of ``run_batch(rule, surface, starts, steps, **hyper)``, computed chunk by chunk.

    Hyperparameters may be arrays of length n (one per start); ``progress(done, total)`` is
    called after each chunk. Only the endings are kept, never the full histories: memory is
    ``WORKERS`` chunks of at most ``CHUNK_POINT_STEPS`` point-steps each, whatever the grid.
    """
    n = starts.shape[0]
    if getattr(surface, "problem", None) is not None:  # a data landscape (landscapes.data): endings read
        run_options.setdefault("loss_every", 0)  # the last loss only, and the full-data loss costs N a step
    size = chunk_size(steps)
    bounds = [(i, min(i + size, n)) for i in range(0, n, size)]

    def one(span: tuple[int, int]) -> Endings:
        a, b = span
        part = {k: (v[a:b] if np.ndim(v) else v) for k, v in hyper.items()}
        result = optimizers.run_batch(rule, surface, starts[a:b], steps, **run_options, **part)
        return endings(result, surface, tol)

    done = 0
    parts: list[Endings] = []
    with ThreadPoolExecutor(WORKERS) as pool:
        for part in pool.map(one, bounds):
            parts.append(part)
            done += part.label.size
            if progress is not None:
                progress(done, n)
    return Endings(
        label=np.concatenate([p.label for p in parts]),
        final_loss=np.concatenate([p.final_loss for p in parts]),
        steps_to=np.concatenate([p.steps_to for p in parts]),
        tol=parts[0].tol if parts else 0.0,
    )
