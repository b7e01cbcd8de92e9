"""Gradient-descent update rules as pure ``init``/``update`` pairs, and a fast batched engine.

    >>> import landscapes, optimizers
    >>> r = optimizers.run("adam", landscapes.get("rosenbrock"), start=(-1.5, 2.5), steps=500)
    >>> r.path.shape, r.diverged_at
    ((501, 2), None)
    >>> runs = optimizers.run_many(["sgd", "adam"], landscapes.get("rosenbrock"), (-1.5, 2.5), 500)  # on all cores

Every rule reproduces ``torch.optim`` (same defaults where the seed notebook sets none, same
order of operations) in float64. See ``optimizers.registry`` for the list (``register`` adds
one), ``optimizers.hyper`` for the hyperparameters' table and ``optimizers.rule`` for a rule's parts.
"""

from optimizers import registry
from optimizers.ends_engine import BatchEnds, ends_supported, run_batch_ends
from optimizers.engine import gradient_noise, run, run_batch
from optimizers.hyper import SPECS, HyperSpec
from optimizers.parallel import run_many
from optimizers.registry import RULES, SEED_FIVE, register, unregister
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
    "SPECS",
    "BatchEnds",
    "Hyper",
    "HyperSpec",
    "Rule",
    "RunResult",
    "ends_supported",
    "gradient_noise",
    "register",
    "run",
    "run_batch",
    "run_batch_ends",
    "run_many",
    "unregister",
]


def __getattr__(attr: str):
    """``NAMES``: the registered rules' names, read live (``register`` adds to them)."""
    if attr == "NAMES":
        return registry.names()
    raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")
