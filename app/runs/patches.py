"""Dash ``Patch``es that replace some traces and leave the surface mesh where it is."""

from __future__ import annotations

from dash import Patch

from analysis.outcomes import Outcome, draws_ensemble
from analysis.statistics import loss_floor, shown_z_range
from app.runs import figures
from app.state.scene import Scene


def rule_patches(rule: str, outcomes: dict[str, Outcome], surface, scene: Scene) -> tuple[Patch, Patch, Patch]:
    """Patches for the 3-D, contour and loss figures that send only ``rule``'s traces, at the indices
    they have in the whole figures (``figures.roles_*``: the same for the old setting and the new)."""
    _, _, z = surface.grid(figures.GRID_3D)
    outcome = outcomes[rule]
    floor = loss_floor(outcomes, surface)
    ensemble = draws_ensemble(scene, surface)
    p3, pc, pl = Patch(), Patch(), Patch()
    for patch, first, traces, roles in (
        (
            p3,
            figures.rule_trace_index(rule, outcomes, figures.roles_3d, ensemble),
            figures.rule_traces_3d(rule, outcome, surface, z, scene),
            figures.roles_3d(outcome),
        ),
        (
            pc,
            figures.rule_trace_index(rule, outcomes, figures.roles_2d, ensemble),
            figures.rule_traces_2d(rule, outcome, scene.step),
            figures.roles_2d(outcome),
        ),
        (
            pl,
            figures.loss_trace_index(rule, outcomes, ensemble),
            figures.rule_traces_loss(rule, outcome, scene, floor, surface),
            figures.roles_loss(outcome),
        ),
    ):
        for j, trace in enumerate(figures.with_uids(rule, traces, roles)):
            patch["data"][first + j] = trace
    return p3, pc, pl


def marker_patches(outcomes: dict[str, Outcome], surface, scene: Scene) -> tuple[Patch, Patch, Patch]:
    """Patches for the 3-D, contour and loss figures that move every rule's playback marker (role
    "now") to ``scene.step`` (a few hundred bytes; nothing else is resent). ``outcomes`` may be the
    single runs of a scene with an ensemble: the traces are counted as the scene draws them."""
    _, _, z = surface.grid(figures.GRID_3D)
    zrange = shown_z_range(z)  # once for every rule's marker
    floor = loss_floor(outcomes, surface)
    ensemble = draws_ensemble(scene, surface)
    p3, pc, pl = Patch(), Patch(), Patch()
    for rule, outcome in outcomes.items():
        markers = figures.now_traces(rule, outcome, z, scene, floor, zrange)
        for patch, first, roles, marker in zip(
            (p3, pc, pl),
            (
                figures.rule_trace_index(rule, outcomes, figures.roles_3d, ensemble),
                figures.rule_trace_index(rule, outcomes, figures.roles_2d, ensemble),
                figures.loss_trace_index(rule, outcomes, ensemble),
            ),
            (figures.roles_3d, figures.roles_2d, figures.roles_loss),
            markers,
            strict=True,
        ):
            now = first + roles(outcome, ensemble).index("now")
            patch["data"][now] = figures.with_uids(rule, [marker], ("now",))[0]
    return p3, pc, pl
