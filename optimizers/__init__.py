"""Gradient-descent update rules as pure ``init``/``update`` pairs, and a fast batched engine.

    >>> import landscapes, optimizers
    >>> r = optimizers.run("adam", landscapes.get("rosenbrock"), start=(-1.5, 2.5), steps=500)
    >>> r.path.shape, r.diverged_at
    ((501, 2), None)

Every rule reproduces ``torch.optim`` (same defaults where the seed notebook sets none, same
order of operations) in float64. See ``optimizers.registry`` for the list.
"""

from optimizers.engine import gradient_noise, run, run_batch
from optimizers.registry import NAMES, RULES, SEED_FIVE
from optimizers.result import RunResult
from optimizers.rule import HYPER_NAMES, Hyper, Rule
from optimizers.validation import DEFAULT_BOUND, MAX_POINT_STEPS, MAX_STEPS

__all__ = [
    "DEFAULT_BOUND",
    "HYPER_NAMES",
    "MAX_POINT_STEPS",
    "MAX_STEPS",
    "NAMES",
    "RULES",
    "SEED_FIVE",
    "Hyper",
    "Rule",
    "RunResult",
    "gradient_noise",
    "run",
    "run_batch",
]
