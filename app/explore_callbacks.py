"""Callbacks of the explore tabs: glue only. Long work runs as background callbacks (app.background)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

import optimizers
from app import compute
from app.controls import swatch
from app.explore_figures import basin_figure, basin_shares, compare_figures, sweep_data, sweep_figure
from app.explore_jobs import (
    basin_job,
    compare_scenes,
    run_basins,
    run_sweep,
    second_settings,
    setting_link,
    start_link,
    sweep_job,
)
from app.layout_parts import GRAPH_CONFIG
from app.urlstate import query_to_scene
from explore.sweep import SWEEPABLE


def _notice(notices: list[str], color: str = "warning"):
    if not notices:
        return None
    return dbc.Alert(html.Ul([html.Li(n) for n in notices[:10]], className="mb-0"), color=color, className="py-2 small")


def _job_outputs(prefix: str) -> dict:
    """Background-callback options shared by both jobs: buttons, progress bar, cancel."""
    return {
        "background": True,
        "interval": 250,  # ms between the browser's progress polls
        "running": [
            (Output(f"{prefix}-run", "disabled"), True, False),
            (Output(f"{prefix}-cancel", "disabled"), False, True),
            (Output(f"{prefix}-progress-box", "style"), {}, {"display": "none"}),
        ],
        "cancel": [Input(f"{prefix}-cancel", "n_clicks")],
        "progress": [Output(f"{prefix}-progress", "value"), Output(f"{prefix}-progress", "label")],
        "progress_default": [0, ""],
        "prevent_initial_call": True,
    }


def _link(query, search):
    """The main view's scene: its link as the last run wrote it, or (before the first run has
    answered) the page's own address."""
    return query if isinstance(query, str) else search


def _reporter(set_progress):
    def report(done: int, total: int) -> None:
        pct = round(100 * done / max(total, 1))
        set_progress((pct, f"{done:,} of {total:,} runs"))

    return report


@callback(
    Output("basin-graph", "figure"),
    Output("basin-summary", "children"),
    Output("basin-notice", "children"),
    Output("basin-rule-shown", "data"),
    Input("basin-run", "n_clicks"),
    State("basin-rule", "value"),
    State("basin-resolution", "value"),
    State("basin-steps", "value"),
    State("query", "data"),
    State("url", "search"),
    **_job_outputs("basin"),
)
def compute_basins(set_progress, _, rule, resolution, steps, query, search):
    """Every start of the view, one optimizer, coloured by where it ends."""
    job, notices = basin_job(rule, resolution, steps, _link(query, search))
    try:
        bmap = run_basins(job, _reporter(set_progress))
    except ValueError as err:
        return no_update, "", _notice([f"Could not compute the basin map: {err}"], "danger"), no_update
    shares = basin_shares(bmap)
    listed = "; ".join(f"{name} {share:.0%}" for name, share in shares[:8])
    more = f"; and {len(shares) - 8} more" if len(shares) > 8 else ""
    summary = f"{optimizers.RULES[job.rule].label} from {bmap.label.size:,} starts: {listed}{more}."
    return basin_figure(bmap, job.scene), summary, _notice(notices), job.rule


@callback(
    Output("sweep-second", "options"),
    Output("sweep-second", "value"),
    Output("sweep-second", "disabled"),
    Input("sweep-rule", "value"),
)
def sweep_second_options(rule):
    """The second axis offers the chosen optimizer's own settings."""
    names = second_settings(rule)
    if not names:
        return [{"label": "learning rate only", "value": ""}], "", True
    return [{"label": n, "value": n} for n in names], names[0], False


@callback(Output("sweep-lo", "value"), Output("sweep-hi", "value"), Input("sweep-second", "value"))
def sweep_second_range(second):
    if second not in SWEEPABLE:
        raise PreventUpdate
    return SWEEPABLE[second]


@callback(
    Output("sweep-data", "data"),
    Output("sweep-notice", "children"),
    Input("sweep-run", "n_clicks"),
    State("sweep-rule", "value"),
    State("sweep-second", "value"),
    State("sweep-lr-lo", "value"),
    State("sweep-lr-hi", "value"),
    State("sweep-lo", "value"),
    State("sweep-hi", "value"),
    State("sweep-size", "value"),
    State("sweep-steps", "value"),
    State("query", "data"),
    State("url", "search"),
    **_job_outputs("sweep"),
)
def compute_sweep(set_progress, _, rule, second, lr_lo, lr_hi, lo, hi, size, steps, query, search):
    """Learning rate x a second setting, from the main view's start."""
    job, notices = sweep_job(rule, second, lr_lo, lr_hi, lo, hi, size, steps, _link(query, search))
    try:
        sw = run_sweep(job, _reporter(set_progress))
    except ValueError as err:
        return no_update, _notice([f"Could not compute the sweep: {err}"], "danger")
    return sweep_data(sw, compute.surface_of(job.scene).minima_array()), _notice(notices)


@callback(
    Output("sweep-graph", "figure"),
    Input("sweep-data", "data"),
    Input("sweep-metric", "value"),
    State("query", "data"),
    prevent_initial_call=True,
)
def draw_sweep(data, metric, query):
    if not isinstance(data, dict) or metric not in ("steps", "loss", "outcome"):
        raise PreventUpdate
    try:
        return sweep_figure(data, metric, query_to_scene(query)[0])
    except (KeyError, TypeError, ValueError):  # a hostile store: leave the chart as it was
        raise PreventUpdate from None


@callback(
    Output("url", "search"),
    Output("view-tabs", "active_tab"),
    Input("basin-graph", "clickData"),
    Input("sweep-graph", "clickData"),
    State("query", "data"),
    State("basin-rule-shown", "data"),  # not the figure itself: that is too big to send back
    State("sweep-data", "data"),
    prevent_initial_call=True,
)
def open_cell(basin_click, sweep_click, query, basin_rule, sweep):
    """A click on a cell opens that run in the main view (start, or settings) through its link."""
    if ctx.triggered_id == "basin-graph":
        link = start_link(query, basin_click, basin_rule)
    else:
        link = setting_link(query, sweep_click, sweep)
    if link is None:
        raise PreventUpdate
    return link, "runs"


@callback(
    Output("compare-grid", "children"),
    Output("compare-notice", "children"),
    Input("view-tabs", "active_tab"),
    Input("compare-surfaces", "value"),
    Input("query", "data"),
)
def compare(tab, names, query):
    """Small multiples: the same optimizers and settings on two to four surfaces."""
    if tab != "compare":
        raise PreventUpdate  # computed when seen
    scenes, notices = compare_scenes(query, names)
    panels = []
    for sub in scenes:
        surf = compute.surface_of(sub)
        panels.append((surf, compute.run_scene(sub, surf), sub))
    width = 12 // max(min(len(panels), 2), 1)
    cols = [
        dbc.Col(
            html.Div(
                dcc.Graph(figure=fig, config=GRAPH_CONFIG, style={"height": "380px"}, id=f"compare-{sub.surface}"),
                role="img",
                **{"aria-label": f"contour map of {surf.label} with the optimizers' paths"},
            ),
            md=width,
        )
        for fig, (surf, _, sub) in zip(compare_figures(panels), panels, strict=True)
    ]
    key = html.P(
        [html.Span([swatch(r), optimizers.RULES[r].label], className="me-3") for r in scenes[0].rules]
        if scenes
        else [],
        className="small mb-1",
    )
    return [dbc.Col(key, width=12), *cols], _notice(notices, "info")
