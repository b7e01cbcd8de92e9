"""Many runs at once, summarised: basin-of-attraction maps and hyperparameter sweeps.

Built on ``optimizers.run_batch_ends`` (only how each run ended; ``optimizers.run_batch``, full
histories, where it cannot run: see ``explore.batch``); no Dash here.

>>> import landscapes, explore
>>> m = explore.basin_map("adam", landscapes.get("himmelblau"), resolution=40, steps=300, lr=0.05)
>>> sorted(set(m.label.ravel()))[:4]
[0, 1, 2, 3]
"""

from __future__ import annotations

from explore.basins import BasinMap, basin_map
from explore.endings import DIVERGED, LEFT_VIEW, NOT_ARRIVED, NOT_CONVERGED, Endings, endings, tolerance
from explore.sweep import SWEEPABLE, Sweep, sweep, sweep_values

__all__ = [
    "DIVERGED",
    "LEFT_VIEW",
    "NOT_ARRIVED",
    "NOT_CONVERGED",
    "SWEEPABLE",
    "BasinMap",
    "Endings",
    "Sweep",
    "basin_map",
    "endings",
    "sweep",
    "sweep_values",
    "tolerance",
]
