"""Small layout pieces shared by the features: graphs, header menus, notices."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

import i18n
import optimizers
from i18n import _
from i18n.plotly_locales import graph_config as plotly_config

GRAPH_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}, "responsive": True}


def graph_config() -> dict:
    """``GRAPH_CONFIG`` with plotly.js's own interface in the request's language (i18n.plotly_locales)."""
    return plotly_config(GRAPH_CONFIG, i18n.current())


def graph(gid: str, height: str, label: str, placeholder: str = "", described_by: str = "summary"):
    """A responsive graph with a loading overlay, labelled for screen readers."""
    figure = dcc.Graph(
        id=gid,
        config=graph_config(),
        style={"height": height},
        figure={
            "data": [],
            "layout": {
                "title": {"text": placeholder or _("computing…")},
                "xaxis": {"visible": False},
                "yaxis": {"visible": False},
            },
        },
    )
    loading = dcc.Loading(
        figure, type="circle", delay_show=400, overlay_style={"visibility": "visible", "opacity": 0.6}
    )
    return html.Div(loading, role="img", **{"aria-label": label, "aria-describedby": described_by})


def header_menu(label: str, mid: str, items: list, class_name: str) -> dbc.DropdownMenu:
    """A small menu of the page's header, opening to the left."""
    return dbc.DropdownMenu(
        items, label=label, id=mid, size="sm", color="secondary", align_end=True, className=class_name
    )


def notice_list(notices: list[str]) -> html.Ul:
    return html.Ul([html.Li(n) for n in notices], className="mb-0")


def alert(notices: list[str], color: str = "warning") -> dbc.Alert | None:
    """Up to ten notices in a small alert (None when there are none)."""
    if not notices:
        return None
    return dbc.Alert(notice_list(notices[:10]), color=color, className="py-2 small")


# Plotly's line dashes as CSS gradient stops, so that a swatch looks like the line it stands for.
DASH_STOPS = {
    "dash": "{c} 0 6px, transparent 6px 9px",
    "dot": "{c} 0 2px, transparent 2px 5px",
    "dashdot": "{c} 0 6px, transparent 6px 8px, {c} 8px 10px, transparent 10px 12px",
    "longdash": "{c} 0 10px, transparent 10px 13px",
    "longdashdot": "{c} 0 10px, transparent 10px 12px, {c} 12px 14px, transparent 14px 16px",
}


def swatch(rule: str) -> html.Span:
    """A short line in the rule's colour and dash, beside its name in tables and legends."""
    r = optimizers.RULES[rule]
    style = {
        "display": "inline-block",
        "width": "1.6em",
        "height": "0.35em",
        "marginRight": "0.4em",
        "verticalAlign": "middle",
        "background": r.color,
    }
    if r.dash in DASH_STOPS:
        style["background"] = f"repeating-linear-gradient(90deg, {DASH_STOPS[r.dash].format(c=r.color)})"
    return html.Span(style=style, **{"aria-hidden": "true"})
