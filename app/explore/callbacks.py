"""Callbacks of the explore tabs: glue only. Long work goes through the job queue (``jobs``, ``job_view``)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

import explore
import i18n
import optimizers
from analysis.outcomes import run_scene, surface_of
from app.components import alert, graph_config, swatch
from app.explore import job_view
from app.explore.figures import basin_figure, basin_shares, compare_figures, sweep_data, sweep_figure
from app.explore.jobs import (
    BASIN_FUNC,
    SWEEP_FUNC,
    basin_job,
    basin_payload,
    compare_scenes,
    second_settings,
    setting_link,
    start_link,
    sweep_job,
    sweep_payload,
)
from app.state.link import query_to_scene
from explore.serial import from_bytes
from explore.sweep import SWEEPABLE
from i18n import _, number


@callback(
    output={
        "figure": Output("basin-graph", "figure"),
        "summary": Output("basin-summary", "children"),
        "shown": Output("basin-rule-shown", "data"),
        **job_view.outputs("basin"),
    },
    inputs=job_view.inputs("basin"),
    state={
        "rule": State("basin-rule", "value"),
        "resolution": State("basin-resolution", "value"),
        "steps": State("basin-steps", "value"),
        **job_view.state("basin"),
    },
    prevent_initial_call=True,
)
def basin_flow(run, tick, cancel, rule, resolution, steps, query, search, job, client):
    """Every start of the view, one optimizer, coloured by where it ends: queued, computed once
    for everyone who asks the same, polled until drawn."""

    def submit():
        request, notices = basin_job(rule, resolution, steps, job_view.link(query, search))
        return BASIN_FUNC, basin_payload(request), notices

    out, data = job_view.flow(ctx.triggered_id, "basin", submit, job, client)
    out.update(figure=no_update, summary=no_update, shown=no_update)
    if data is not None:
        bmap = from_bytes(explore.BasinMap, data)
        request, _notices = basin_job(rule, resolution, steps, job_view.link(query, search))
        shares = basin_shares(bmap)
        listed = "; ".join(f"{name} {number(round(100 * share))} %" for name, share in shares[:8])
        more = _("; and {n} more").format(n=len(shares) - 8) if len(shares) > 8 else ""
        out["summary"] = _("{rule} from {n} starts: {listed}{more}.").format(
            rule=optimizers.RULES[bmap.rule].label, n=number(bmap.label.size, "#,##0"), listed=listed, more=more
        )
        out["figure"] = basin_figure(bmap, request.scene)
        out["shown"] = bmap.rule
    return out


@callback(
    output=dict(
        options=Output("sweep-second", "options"),
        value=Output("sweep-second", "value"),
        disabled=Output("sweep-second", "disabled"),
    ),
    inputs=dict(rule=Input("sweep-rule", "value")),
)
def sweep_second_options(rule):
    """The second axis offers the chosen optimizer's own settings."""
    names = second_settings(rule)
    if not names:
        return {"options": [{"label": _("learning rate only"), "value": ""}], "value": "", "disabled": True}
    return {"options": [{"label": n, "value": n} for n in names], "value": names[0], "disabled": False}


@callback(
    output=dict(lo=Output("sweep-lo", "value"), hi=Output("sweep-hi", "value")),
    inputs=dict(second=Input("sweep-second", "value")),
)
def sweep_second_range(second):
    if second not in SWEEPABLE:
        raise PreventUpdate
    lo, hi = SWEEPABLE[second]
    return {"lo": i18n.box_text(lo), "hi": i18n.box_text(hi)}


@callback(
    output={"data": Output("sweep-data", "data"), **job_view.outputs("sweep")},
    inputs=job_view.inputs("sweep"),
    state={
        "rule": State("sweep-rule", "value"),
        "second": State("sweep-second", "value"),
        "lr_lo": State("sweep-lr-lo", "value"),
        "lr_hi": State("sweep-lr-hi", "value"),
        "lo": State("sweep-lo", "value"),
        "hi": State("sweep-hi", "value"),
        "size": State("sweep-size", "value"),
        "steps": State("sweep-steps", "value"),
        **job_view.state("sweep"),
    },
    prevent_initial_call=True,
)
def sweep_flow(run, tick, cancel, rule, second, lr_lo, lr_hi, lo, hi, size, steps, query, search, job, client):
    """Learning rate x a second setting, from the main view's start (queued and shared as above)."""

    def request():
        return sweep_job(rule, second, lr_lo, lr_hi, lo, hi, size, steps, job_view.link(query, search))

    def submit():
        req, notices = request()
        return SWEEP_FUNC, sweep_payload(req), notices

    out, data = job_view.flow(ctx.triggered_id, "sweep", submit, job, client)
    out["data"] = no_update
    if data is not None:
        sw = from_bytes(explore.Sweep, data)
        out["data"] = sweep_data(sw, surface_of(request()[0].scene).minima_array())
    return out


@callback(
    output=dict(figure=Output("sweep-graph", "figure")),
    inputs=dict(data=Input("sweep-data", "data"), metric=Input("sweep-metric", "value")),
    state=dict(query=State("query", "data")),
    prevent_initial_call=True,
)
def draw_sweep(data, metric, query):
    if not isinstance(data, dict) or metric not in ("steps", "loss", "outcome"):
        raise PreventUpdate
    try:
        return {"figure": sweep_figure(data, metric, query_to_scene(query)[0])}
    except (KeyError, TypeError, ValueError):  # a hostile store: leave the chart as it was
        raise PreventUpdate from None


@callback(
    output=dict(search=Output("url", "search"), tab=Output("view-tabs", "active_tab")),
    inputs=dict(basin_click=Input("basin-graph", "clickData"), sweep_click=Input("sweep-graph", "clickData")),
    state=dict(
        query=State("query", "data"),
        basin_rule=State("basin-rule-shown", "data"),  # not the figure itself: that is too big to send back
        sweep=State("sweep-data", "data"),
    ),
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
    return {"search": link, "tab": "runs"}


# The small multiples follow the main view's link only while their tab is open: opening it hands
# them the link; while it is open, each new link is handed on in the browser (assets/explore.js).
clientside_callback(
    ClientsideFunction("explore", "compareQuery"),
    Output("compare-query", "data"),
    Input("view-tabs", "active_tab"),
    State("query", "data"),
)


@callback(
    output=dict(grid=Output("compare-grid", "children"), notice=Output("compare-notice", "children")),
    inputs=dict(
        query=Input("compare-query", "data"),  # the main view's link, passed on only while this tab is open
        names=Input("compare-surfaces", "value"),
    ),
    state=dict(tab=State("view-tabs", "active_tab")),
)
def compare(query, names, tab):
    """Small multiples: the same optimizers and settings on two to four surfaces."""
    if tab != "compare":
        raise PreventUpdate  # computed when seen
    scenes, notices = compare_scenes(query, names)
    panels = []
    for sub in scenes:
        surf = surface_of(sub)
        panels.append((surf, run_scene(sub, surf), sub))
    width = 12 // max(min(len(panels), 2), 1)
    cols = [
        dbc.Col(
            html.Div(
                dcc.Graph(figure=fig, config=graph_config(), style={"height": "380px"}, id=f"compare-{sub.surface}"),
                role="img",
                **{"aria-label": _("contour map of {surface} with the optimizers' paths").format(surface=surf.label)},
            ),
            md=width,
        )
        for fig, (surf, _outcomes, sub) in zip(compare_figures(panels), panels, strict=True)
    ]
    key = html.P(
        [html.Span([swatch(r), optimizers.RULES[r].label], className="me-3") for r in scenes[0].rules]
        if scenes
        else [],
        className="small mb-1",
    )
    return {"grid": [dbc.Col(key, width=12), *cols], "notice": alert(notices, "info")}
