"""Minibatches as ``torch.utils.data.DataLoader(dataset, batch_size=B, shuffle=True, drop_last=...)``.

DataLoader with ``shuffle=True`` draws a ``RandomSampler`` permutation of 0..N-1 at the start of every
epoch and cuts it into consecutive batches of B (``BatchSampler``); the last, shorter batch is kept
unless ``drop_last``. This module does the same, with each epoch's permutation drawn by
``numpy.random.default_rng(seed).permutation(N)`` (one generator per shuffling seed, one draw per
epoch, in order). What matches torch: the structure (a fresh permutation per epoch, batch order,
sizes, the dropped remainder). What does not: the permutations themselves (torch's generator is
another algorithm), so the torch tests replay the indices recorded here.

A ``Batches`` record is every step's batch for every start: ``perms[s]`` holds seed s's epochs'
permutations end to end; step k takes ``perms[s, offset[k] : offset[k] + size[k]]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, kw_only=True)
class Batches:
    """The batch indices of every step (see module docstring)."""

    n: int  # data set size N
    size: int  # batch size B
    drop_last: bool
    seeds: np.ndarray  # (S,) distinct shuffling seeds
    perms: np.ndarray  # (S, epochs * N) int64
    seed_of_start: np.ndarray  # (starts,) row of ``perms`` each start uses
    offset: np.ndarray  # (steps,) where step k's batch begins in a row of perms
    sizes: np.ndarray  # (steps,) step k's batch size
    epoch: np.ndarray  # (steps,) the epoch (from 0) step k belongs to

    @property
    def per_epoch(self) -> int:
        """Steps in one epoch."""
        return self.n // self.size if self.drop_last else -(-self.n // self.size)

    def indices(self, k: int, start: int = 0) -> np.ndarray:
        """The sample indices of step k's batch (k from 0) for ``start``."""
        o, b = int(self.offset[k]), int(self.sizes[k])
        return self.perms[self.seed_of_start[start], o : o + b]


def plan(n: int, size: int, drop_last: bool, steps: int, seeds) -> Batches:
    """Batches for ``steps`` steps over N = ``n`` samples; ``seeds`` is one shuffling seed per start."""
    if not 1 <= size <= n:
        raise ValueError(f"batch size must be between 1 and N = {n}, got {size}")
    seeds = np.atleast_1d(np.asarray(seeds, dtype=np.int64))
    distinct, seed_of_start = np.unique(seeds, return_inverse=True)
    per_epoch = n // size if drop_last else -(-n // size)
    k = np.arange(steps)
    epoch = k // per_epoch
    within = k % per_epoch
    offset = epoch * n + within * size
    sizes = np.minimum(size, n - within * size)
    epochs = int(epoch[-1]) + 1 if steps else 0
    perms = np.empty((len(distinct), epochs * n), dtype=np.int64)
    for s, seed in enumerate(distinct):
        rng = np.random.default_rng(int(seed))
        for e in range(epochs):
            perms[s, e * n : (e + 1) * n] = rng.permutation(n)
    return Batches(
        n=n,
        size=size,
        drop_last=drop_last,
        seeds=distinct,
        perms=perms,
        seed_of_start=seed_of_start.astype(np.int64),
        offset=offset.astype(np.int64),
        sizes=sizes.astype(np.int64),
        epoch=epoch.astype(np.int64),
    )
