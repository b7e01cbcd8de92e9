"""Dash ``Patch``es that replace one optimizer's traces and leave the surface mesh where it is."""

from __future__ import annotations

from dash import Patch

from app import figures
from app.compute import Outcome
from app.scene import Scene


def rule_patches(rule: str, outcomes: dict[str, Outcome], surface, scene: Scene) -> tuple[Patch, Patch, Patch]:
    """Patches for the 3-D, contour and loss figures that send only ``rule``'s traces."""
    _, _, z = surface.grid(figures.GRID_3D)
    outcome = outcomes[rule]
    floor = figures.loss_floor(outcomes, surface)
    p3, pc, pl = Patch(), Patch(), Patch()
    for patch, first, traces in (
        (
            p3,
            figures.rule_trace_index(rule, figures.PER_RULE_3D),
            figures.rule_traces_3d(rule, outcome, surface, z, scene),
        ),
        (pc, figures.rule_trace_index(rule), figures.rule_traces_2d(rule, outcome)),
        (pl, figures.loss_trace_index(rule), figures.rule_traces_loss(rule, outcome, scene, floor, surface)),
    ):
        for j, trace in enumerate(traces):
            patch["data"][first + j] = trace
    return p3, pc, pl
