"""Argument checks for the engine's entry points: clear ``ValueError``s, never a crash later.

Documented caps (they bound the work of any single request):

* ``MAX_STEPS`` steps per run;
* ``MAX_POINT_STEPS`` = starts x steps per ``run_batch`` call;
* ``bound``: a run is stopped ("diverged") once a coordinate leaves [-bound, bound].
"""

from __future__ import annotations

import math

import numpy as np

from optimizers.hyper import HYPER_NAMES, SPECS, Hyper
from optimizers.registry import RULES
from optimizers.rule import Rule

MAX_STEPS = 100_000
MAX_POINT_STEPS = 50_000_000
DEFAULT_BOUND = 1e6

# Allowed ranges: (low, high, low inclusive, high inclusive), from ``optimizers.hyper.SPECS``.
RANGES = {n: (s.low, s.high, not s.low_open, not s.high_open) for n, s in SPECS.items()}


def check_rule(name: str) -> Rule:
    if name not in RULES:
        raise ValueError(f"unknown optimizer {name!r}; choose one of: {', '.join(RULES)}")
    return RULES[name]


def check_value(name: str, value) -> np.ndarray:
    """A hyperparameter value (scalar or array) inside its documented range."""
    if type(value) in (float, np.float64):  # the common case, without numpy's reductions
        lo, hi, lo_in, hi_in = RANGES[name]
        v = float(value)
        if math.isfinite(v) and (v >= lo if lo_in else v > lo) and (v <= hi if hi_in else v < hi):
            return np.asarray(v)
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    lo, hi, lo_in, hi_in = RANGES[name]
    ok = np.isfinite(arr) & (arr >= lo if lo_in else arr > lo) & (arr <= hi if hi_in else arr < hi)
    if not np.all(ok):
        bad = arr[~ok].flat[0] if arr.ndim else float(arr)
        raise ValueError(f"{name} must be in {SPECS[name].interval()}, got {bad!r}")
    return arr


def hyper_for(rule: Rule, overrides: dict) -> dict[str, np.ndarray]:
    """The rule's defaults with ``overrides`` applied, every value checked."""
    unknown = [k for k in overrides if k not in rule.defaults]
    if unknown:
        raise ValueError(f"{rule.name} has no hyperparameter {unknown[0]!r}; it takes: {', '.join(rule.defaults)}")
    merged = {**rule.defaults, **overrides}
    return {k: check_value(k, v) for k, v in merged.items()}


_CHECKED: dict[tuple, tuple] = {}  # checked_hyper's memory: (rule name, settings) -> (rule, its answer)
_CHECKED_MAX = 512


def _settings_key(overrides: dict) -> tuple | None:
    """``overrides`` as a dict key when every value is a plain number (None: not memorised). A zero keeps
    its sign in the key (-0.0 == 0.0 to a dict, not to the arithmetic)."""
    key = []
    for k, v in overrides.items():
        t = type(v)
        if t is not float and t is not int:
            return None
        key.append((k, v if v != 0 else repr(v)))
    return tuple(key)


def checked_hyper(
    rule: Rule, overrides: dict
) -> tuple[dict[str, np.ndarray], dict[str, float] | None, np.ndarray | None]:
    """``hyper_for(rule, overrides)``, plus for scalar settings their floats and the one-row table
    ((1, 7), ``hyper_table`` of one start; else both None). Plain-number settings are remembered (a
    scene asks for the same few again and again): the answer is shared, read it, do not write to it."""
    key = _settings_key(overrides)
    if key is not None:
        found = _CHECKED.get((rule.name, key))
        if found is not None and found[0] is rule:
            return found[1]
    values = hyper_for(rule, overrides)
    floats, row = None, None
    if all(v.ndim == 0 for v in values.values()):
        floats = {k: float(v) for k, v in values.items()}
        row = hyper_table(values, 1)
    if key is not None:
        if len(_CHECKED) >= _CHECKED_MAX:
            _CHECKED.clear()
        _CHECKED[(rule.name, key)] = (rule, (values, floats, row))
    return values, floats, row


def hyper_table(hyper: dict[str, np.ndarray], n: int) -> np.ndarray:
    """(n, 7) float array in ``Hyper`` field order; unused fields are 0."""
    if all(np.ndim(v) == 0 for v in hyper.values()):  # one setting for every start: one row, repeated
        row = np.array([float(hyper[name]) if name in hyper else 0.0 for name in HYPER_NAMES])
        return np.repeat(row[None, :], n, axis=0)
    table = np.zeros((n, len(HYPER_NAMES)))
    for j, name in enumerate(HYPER_NAMES):
        if name in hyper:
            try:
                table[:, j] = np.broadcast_to(hyper[name], (n,))
            except ValueError:
                raise ValueError(f"{name} must be a scalar or have one value per start ({n})") from None
    return table


def hyper_tuple(table: np.ndarray) -> Hyper:
    """Columns of the table as a ``Hyper`` of (n, 1) arrays, broadcastable over (n, 2)."""
    return Hyper(*(table[:, j : j + 1] for j in range(table.shape[1])))


def check_steps(steps) -> int:
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
        raise ValueError(f"steps must be a whole number, got {steps!r}")
    if not 0 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be between 0 and {MAX_STEPS:,}, got {steps:,}")
    return int(steps)


def check_starts(starts) -> np.ndarray:
    try:
        arr = np.asarray(starts, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"start points must be numbers, got {starts!r}") from None
    if arr.ndim != 2 or arr.shape[1] != 2 or arr.shape[0] == 0:
        raise ValueError(f"starts must have shape (n, 2) with n >= 1, got {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError("start points must be finite numbers (no NaN or infinity)")
    return np.ascontiguousarray(arr)


def check_noise(grad_noise, seed) -> tuple[float, int]:
    try:
        sigma = float(grad_noise)
    except (TypeError, ValueError):
        raise ValueError(f"grad_noise must be a number, got {grad_noise!r}") from None
    if not math.isfinite(sigma) or sigma < 0:
        raise ValueError(f"grad_noise must be a finite number >= 0, got {grad_noise!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be an integer between 0 and 2**32 - 1, got {seed!r}")
    return sigma, int(seed)


def check_bound(bound) -> float:
    try:
        b = float(bound)
    except (TypeError, ValueError):
        raise ValueError(f"bound must be a number, got {bound!r}") from None
    if not (math.isfinite(b) and b > 0):
        raise ValueError(f"bound must be a finite number > 0, got {bound!r}")
    return b
