"""Load the engine for common scenes before the server takes requests.

Each (optimizer, surface) pairing is compiled once per machine and kept on disk
(``optimizers.kernel_cache``; the Docker image compiles them all at build time); a process loads a
cached kernel in about 10 ms, after numba's one-time set-up of about 0.4 s. gunicorn loads the app
in its master (``preload_app``) and calls ``warm_up`` there before it forks the workers, so every
worker starts with these kernels loaded and numba set up (and shares their memory). Other pairings
load on first use, in the process that needs them.
"""

from __future__ import annotations

import os
import time

import landscapes
import optimizers

DEFAULT_SURFACES = ("multimodal", "paraboloid", "monkey_saddle", "rosenbrock")


def surfaces_from_env(value: str | None) -> tuple[str, ...]:
    """``WARMUP_SURFACES``: comma-separated names, ``all``, or ``none`` (unknown names are skipped)."""
    if value is None or not value.strip():
        return DEFAULT_SURFACES
    value = value.strip().lower()
    if value == "all":
        return landscapes.NAMES
    if value == "none":
        return ()
    return tuple(n for n in (v.strip() for v in value.split(",")) if n in landscapes.NAMES)


def warm_up(surfaces: tuple[str, ...] | None = None, rules: tuple[str, ...] = optimizers.SEED_FIVE) -> float:
    """Run two steps of every rule on every surface (compiling each pairing); return the seconds taken."""
    if surfaces is None:
        surfaces = surfaces_from_env(os.environ.get("WARMUP_SURFACES"))
    t0 = time.perf_counter()
    for name in surfaces:
        surface = landscapes.get(name)
        for rule in rules:
            optimizers.run(rule, surface, surface.start, 2)
    return time.perf_counter() - t0
