"""Each web worker keeps its last optimizer runs: a change of one optimizer's setting runs that one alone.

A main-view answer needs every enabled rule's run (``analysis.outcomes.run_rule``) and its events
(``analysis.events.events_of``). A run depends on the scene's surface, noise, start, steps and that
rule's own settings and schedule, not on the other rules: moving Adam's learning rate leaves the other
runs as they were, and students of one lecture share most of them. So each (run, events) is kept under
its ``run_key``, the scene reduced to that rule (the other rules and their settings dropped, the
scrubber's step and the inspected rule too, which only choose what is shown), in the language of its
texts, for the last ``RUNS_KEPT`` runs of this process. Ensembles (up to 400,000 points a rule) are
run each time, never kept: the kept runs stay at a few tens of MB (``RUNS_KEPT`` x at most 2,001
points x (path, loss, gradient: 5 floats) + the events' texts).

A kept run is shared by every answer that reads it: its arrays are made read-only.
"""

from __future__ import annotations

from dataclasses import fields, replace
from functools import lru_cache

import numpy as np

import i18n
from analysis.events import Event, events_of
from analysis.outcomes import Outcome, draws_ensemble, run_rule, run_scene
from app.runs.keyed import Keyed
from app.state.scene import Scene
from landscapes import Surface

RUNS_KEPT = 256  # runs each web worker keeps (with 2,000 steps ~80 KB each: ~20 MB at most)


def run_key(scene: Scene, rule: str) -> tuple[str, str]:
    """What ``rule``'s run in ``scene`` depends on, exactly (the reduced scene's ``repr``: floats as
    ``repr``), and the language its texts are in."""
    reduced = replace(
        scene,
        rules=(rule,),
        hyper={rule: scene.hyper_of(rule)},
        schedules={rule: scene.schedules[rule]} if rule in scene.schedules else {},
        step=0,
        inspect="",
    )
    return repr(reduced), scene.lang or i18n.current()


def _run(scene: Scene, surface: Surface, rule: str) -> tuple[Outcome, list[Event]]:
    outcome = run_rule(scene, surface, rule)
    return outcome, events_of(outcome, surface)


def _read_only(outcome: Outcome) -> Outcome:
    for f in fields(outcome.result):
        value = getattr(outcome.result, f.name)
        for a in value.values() if isinstance(value, dict) else (value,):
            if isinstance(a, np.ndarray):
                a.setflags(write=False)
    return outcome


@lru_cache(maxsize=RUNS_KEPT)
def _kept(keyed: Keyed) -> tuple[Outcome, list[Event]]:
    outcome, events = _run(*keyed.value)
    return _read_only(outcome), events


def _kept_run(scene: Scene, surface: Surface, rule: str) -> tuple[Outcome, list[Event]]:
    """``_run``, kept under the run's ``run_key`` (the scene and surface ride along unhashed)."""
    return _kept(Keyed(run_key(scene, rule), (scene, surface, rule)))


def runs(scene: Scene, surface: Surface) -> tuple[dict[str, Outcome], dict[str, list[Event]]]:
    """Every enabled rule's outcome and events, in the scene's order (as ``run_scene`` and
    ``events_of`` give them): kept ones at once, the others side by side on the cores, dearest first."""
    done = run_scene(scene, surface, _run if draws_ensemble(scene, surface) else _kept_run)
    return {r: d[0] for r, d in done.items()}, {r: d[1] for r, d in done.items()}


def forget() -> None:
    """Drop every kept run (benchmarks that time a run from scratch)."""
    _kept.cache_clear()
