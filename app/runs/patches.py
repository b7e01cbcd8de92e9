"""Dash ``Patch``es that replace some traces and leave the surface mesh where it is."""

from __future__ import annotations

from dash import Patch

from analysis.outcomes import Outcome
from analysis.statistics import loss_floor, shown_z_range
from app.runs import figures
from app.state.scene import Scene


def rule_patches(rule: str, outcomes: dict[str, Outcome], surface, scene: Scene) -> tuple[Patch, Patch, Patch]:
    """Patches for the 3-D, contour and loss figures that send only ``rule``'s traces."""
    _, _, z = surface.grid(figures.GRID_3D)
    outcome = outcomes[rule]
    floor = loss_floor(outcomes, surface)
    drawn = figures.drawn_rules(outcomes)
    p3, pc, pl = Patch(), Patch(), Patch()
    for patch, first, traces in (
        (
            p3,
            figures.rule_trace_index(rule, drawn, figures.PER_RULE_3D),
            figures.rule_traces_3d(rule, outcome, surface, z, scene),
        ),
        (pc, figures.rule_trace_index(rule, drawn), figures.rule_traces_2d(rule, outcome, scene.step)),
        (pl, figures.loss_trace_index(rule, drawn), figures.rule_traces_loss(rule, outcome, scene, floor, surface)),
    ):
        for j, trace in enumerate(figures.with_uids(rule, traces)):
            patch["data"][first + j] = trace
    return p3, pc, pl


NOW = 2  # the playback marker's place among a rule's traces (path line, end marker, marker)
LOSS_NOW = 1  # on the loss chart: line, marker


def marker_patches(outcomes: dict[str, Outcome], surface, scene: Scene) -> tuple[Patch, Patch, Patch]:
    """Patches for the 3-D, contour and loss figures that move every rule's playback marker to
    ``scene.step`` (a few hundred bytes; nothing else is resent)."""
    _, _, z = surface.grid(figures.GRID_3D)
    zrange = shown_z_range(z)  # once for every rule's marker
    floor = loss_floor(outcomes, surface)
    drawn = figures.drawn_rules(outcomes)
    p3, pc, pl = Patch(), Patch(), Patch()
    for rule, outcome in outcomes.items():
        t3, tc, tl = figures.now_traces(rule, outcome, z, scene, floor, zrange)
        p3["data"][figures.rule_trace_index(rule, drawn, figures.PER_RULE_3D) + NOW] = figures.with_uids(
            rule, [t3], NOW
        )[0]
        pc["data"][figures.rule_trace_index(rule, drawn) + NOW] = figures.with_uids(rule, [tc], NOW)[0]
        pl["data"][figures.loss_trace_index(rule, drawn) + LOSS_NOW] = figures.with_uids(rule, [tl], LOSS_NOW)[0]
    return p3, pc, pl
