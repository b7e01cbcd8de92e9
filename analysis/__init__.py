"""Dash-free analysis of runs: what happened in a run, told without a browser (no Dash, no Plotly).

    import landscapes, optimizers, analysis
    surface = landscapes.get("rosenbrock")
    outcome = analysis.describe("adam", optimizers.run("adam", surface, (-1.5, 2.5), 500, lr=0.05), surface)
    outcome.status, analysis.events_of(outcome, surface)

- ``outcomes``: a scene's runs and what the table says about each (final loss, nearest minimum,
  converged / diverged / left the view);
- ``events``: converged, diverged (with the reason), left the view, stalled, escaped a saddle;
- ``inspector``: each rule's state at a step, and the arrows of one step;
- ``statistics``: the ensemble's band, the log view's L*, drawable ranges, thinning of long lines.
"""

from analysis.events import Event, events_of, run_sentence
from analysis.inspector import arrows, state_at
from analysis.outcomes import Outcome, describe, run_scene, surface_of

__all__ = [
    "Event",
    "Outcome",
    "arrows",
    "describe",
    "events_of",
    "run_scene",
    "run_sentence",
    "state_at",
    "surface_of",
]
