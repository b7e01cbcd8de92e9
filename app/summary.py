"""Plain-language summary and the results table of a scene's outcomes (pure)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

import optimizers
from app.compute import Outcome, table_rows
from app.controls import swatch


def summary_text(outcomes: dict[str, Outcome]) -> str:
    if not outcomes:
        return "No optimizer is enabled."
    parts = []
    for rule, o in outcomes.items():
        label = optimizers.RULES[rule].label
        if o.result.diverged_at is not None:
            parts.append(
                f"{label} diverged at step {o.result.diverged_at} (learning rate too large for this curvature)"
            )
        elif o.left_view_at is not None:
            parts.append(f"{label} left the view at step {o.left_view_at}")
        elif o.converged_at is not None:
            x, y = o.nearest_minimum
            parts.append(f"{label} reached the minimum at ({x:.3g}, {y:.3g}) within 1e-3 at step {o.converged_at}")
        else:
            parts.append(f"{label} ended at loss {o.final_loss:.4g} after {o.result.steps} steps")
    return "; ".join(parts) + "."


def results_table(outcomes: dict[str, Outcome]):
    rows = table_rows(outcomes)
    if not rows:
        return html.Div()
    head = html.Thead(
        html.Tr([html.Th(h) for h in ("Optimizer", "Final loss", "Distance to nearest minimum", "Result")])
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td([swatch(r["rule"]), r["optimizer"]]),
                    html.Td(r["final loss"]),
                    html.Td(r["distance to nearest minimum"]),
                    html.Td(r["status"]),
                ],
                id=f"row-{r['rule']}",
            )
            for r in rows
        ]
    )
    return dbc.Table([head, body], size="sm", hover=True, className="small", id="results-table")
