"""Small layout pieces shared by the main view and the explore tabs."""

from __future__ import annotations

from dash import dcc, html

GRAPH_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}, "responsive": True}


def graph(gid: str, height: str, label: str, placeholder: str = "computing…", described_by: str = "summary"):
    """A responsive graph with a loading overlay, labelled for screen readers."""
    figure = dcc.Graph(
        id=gid,
        config=GRAPH_CONFIG,
        style={"height": height},
        figure={
            "data": [],
            "layout": {"title": {"text": placeholder}, "xaxis": {"visible": False}, "yaxis": {"visible": False}},
        },
    )
    loading = dcc.Loading(
        figure, type="circle", delay_show=400, overlay_style={"visibility": "visible", "opacity": 0.6}
    )
    return html.Div(loading, role="img", **{"aria-label": label, "aria-describedby": described_by})
