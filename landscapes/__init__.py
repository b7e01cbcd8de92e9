"""2-D loss landscapes: exact values and gradients, domains, starts, known minima, noise.

>>> import landscapes
>>> s = landscapes.get("rosenbrock")
>>> s.value(1.0, 1.0), s.gradient(1.0, 1.0)
(0.0, (0.0, 0.0))
"""

from __future__ import annotations

import math

from landscapes.catalog import build
from landscapes.noise import roughen
from landscapes.surface import Surface

_CLEAN: dict[str, Surface] = build()

NAMES: tuple[str, ...] = tuple(_CLEAN)
MAX_ROUGHNESS = 100.0  # larger values only draw noise; refused to keep plots meaningful


def get(name: str, roughness: float = 0.0, seed: int = 0) -> Surface:
    """The surface ``name``, optionally with the seeded rough-surface noise layer.

    Raises ``ValueError`` with a clear message for an unknown name, a negative or non-finite
    roughness, or a seed that is not a non-negative integer.
    """
    if name not in _CLEAN:
        raise ValueError(f"unknown surface {name!r}; choose one of: {', '.join(NAMES)}")
    try:
        roughness = float(roughness)
    except (TypeError, ValueError):
        raise ValueError(f"roughness must be a number, got {roughness!r}") from None
    if not math.isfinite(roughness) or not 0.0 <= roughness <= MAX_ROUGHNESS:
        raise ValueError(f"roughness must be between 0 and {MAX_ROUGHNESS:g}, got {roughness!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be an integer between 0 and 2**32 - 1, got {seed!r}")
    return roughen(_CLEAN[name], roughness, seed)


__all__ = ["MAX_ROUGHNESS", "NAMES", "Surface", "get"]
