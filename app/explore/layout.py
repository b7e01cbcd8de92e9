"""The explore tabs: basin map, sweep and small multiples (filled by ``app.explore.callbacks``)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

import i18n
import landscapes
import optimizers
from app.components import graph
from app.explore import job_view
from app.explore.figures import METRIC_HELP, METRICS
from app.state.scene import HYPER_RANGE
from explore.basins import MAX_BASIN_STEPS
from explore.sweep import LR_RANGE, MAX_SWEEP, MAX_SWEEP_STEPS
from i18n import _, number

RESOLUTIONS = (50, 100, 150, 200)
SWEEP_SIZES = (10, 20, 30, 40)
LR_BOUNDS = HYPER_RANGE["lr"]  # the main view's learning-rate bounds
RULE_OPTIONS = [{"label": optimizers.RULES[r].label, "value": r} for r in optimizers.NAMES]


def _field(label: str, control, help_text: str, width: str = "9em") -> html.Div:
    return html.Div(
        [
            dbc.Label(html.Span(label, title=help_text), html_for=control.id, className="small fw-semibold mb-0"),
            control,
        ],
        style={"width": width},
        className="me-2 mb-2",
    )


def _number(cid: str, value: float, **bounds) -> dbc.Input:
    """A small text box for a number (``0,01`` and ``0.01`` alike; ``bounds`` are checked on the server,
    which names what it changed)."""
    del bounds
    return dbc.Input(id=cid, type="text", inputMode="decimal", value=i18n.box_text(value), size="sm")


def _grid(cid: str, sizes: tuple[int, ...], value: int) -> dbc.Select:
    """A menu of square grid sizes (n×n)."""
    return dbc.Select(
        id=cid, options=[{"label": f"{n}×{n}", "value": str(n)} for n in sizes], value=str(value), size="sm"
    )


def _steps(cid: str, most: int) -> dbc.Input:
    return _number(cid, 300, min=1, max=most, step=1)


def basins_tab() -> html.Div:
    return html.Div(
        [
            html.P(
                _(
                    "Start one optimizer from every point of the view, on the surface and settings of the main "
                    "view, and colour each start by where its run ends."
                ),
                className="small mb-2",
            ),
            html.Div(
                [
                    _field(
                        _("Optimizer"),
                        dbc.Select(id="basin-rule", options=RULE_OPTIONS, value="adam", size="sm"),
                        _("the optimizer and its settings from the main view"),
                    ),
                    _field(
                        _("Grid"),
                        _grid("basin-resolution", RESOLUTIONS, 100),
                        _("starts per side"),
                    ),
                    _field(
                        _("Steps"),
                        _steps("basin-steps", MAX_BASIN_STEPS),
                        _("steps per run, 1 to {most}").format(most=number(MAX_BASIN_STEPS, "#,##0")),
                    ),
                    *job_view.controls("basin", _("basin map")),
                    job_view.client_store(),
                ],
                className="d-flex flex-wrap align-items-end",
            ),
            html.Div(id="basin-notice"),
            dcc.Store(id="basin-rule-shown"),
            graph(
                "basin-graph",
                "560px",
                _("basin-of-attraction map: each start coloured by where its run ends"),
                _("Press “Compute basin map”"),
                "basin-summary",
            ),
            html.P(id="basin-summary", className="small mt-2", **{"aria-live": "polite"}),
        ],
        className="pt-2",
    )


def sweep_tab() -> html.Div:
    return html.Div(
        [
            html.P(
                _("Run one optimizer from the main view's start for every pair of learning rate and a second setting."),
                className="small mb-2",
            ),
            html.Div(
                [
                    _field(
                        _("Optimizer"),
                        dbc.Select(id="sweep-rule", options=RULE_OPTIONS, value="momentum", size="sm"),
                        _("the optimizer; its other settings come from the main view"),
                    ),
                    _field(
                        _("Second setting"),
                        dbc.Select(id="sweep-second", options=[], value=None, size="sm"),
                        _("the setting on the vertical axis"),
                    ),
                    _field(
                        _("lr from"),
                        _number("sweep-lr-lo", LR_RANGE[0], min=LR_BOUNDS[0], max=LR_BOUNDS[1]),
                        _("smallest learning rate (log axis)"),
                        "7em",
                    ),
                    _field(
                        _("lr to"),
                        _number("sweep-lr-hi", LR_RANGE[1], min=LR_BOUNDS[0], max=LR_BOUNDS[1]),
                        _("largest learning rate"),
                        "7em",
                    ),
                    _field(
                        _("from"),
                        _number("sweep-lo", 0.0),
                        _("smallest value of the second setting"),
                        "6em",
                    ),
                    _field(
                        _("to"),
                        _number("sweep-hi", 0.99),
                        _("largest value of the second setting"),
                        "6em",
                    ),
                    _field(
                        _("Grid"),
                        _grid("sweep-size", SWEEP_SIZES, 30),
                        _("values per axis (at most {most})").format(most=MAX_SWEEP),
                        "7em",
                    ),
                    _field(
                        _("Steps"),
                        _steps("sweep-steps", MAX_SWEEP_STEPS),
                        _("steps per run, 1 to {most}").format(most=number(MAX_SWEEP_STEPS, "#,##0")),
                        "7em",
                    ),
                    *job_view.controls("sweep", _("sweep")),
                ],
                className="d-flex flex-wrap align-items-end",
            ),
            dbc.RadioItems(
                id="sweep-metric",
                options=[{"label": html.Span(_(v), title=_(METRIC_HELP[k])), "value": k} for k, v in METRICS.items()],
                value="steps",
                inline=True,
                className="small mb-1",
            ),
            html.Div(id="sweep-notice"),
            dcc.Store(id="sweep-data"),
            graph(
                "sweep-graph", "520px", _("hyperparameter sweep heatmap"), _("Press “Compute sweep”"), "sweep-notice"
            ),
        ],
        className="pt-2",
    )


def compare_tab() -> html.Div:
    options = [{"label": landscapes.get(n).label, "value": n} for n in landscapes.NAMES]
    return html.Div(
        [
            html.P(
                _("The main view's optimizers and settings on two to four surfaces side by side, each from its start."),
                className="small mb-2",
            ),
            dcc.Dropdown(
                id="compare-surfaces",
                options=options,
                value=["paraboloid", "multimodal", "monkey_saddle", "rosenbrock"],
                multi=True,
                clearable=False,
                className="mb-2",
            ),
            html.Div(id="compare-notice"),
            dcc.Loading(dbc.Row(id="compare-grid", className="g-2"), type="circle", delay_show=300),
        ],
        className="pt-2",
    )
