"""The page: header, the stores the features share, the control panel and the tabs.

Each tab's content comes from its feature package; the control panel is filled from the URL by a
callback (``app.runs.callbacks``).
"""

from __future__ import annotations

from importlib import import_module

import dash_bootstrap_components as dbc
from dash import dcc, html

from app.embed.view import embed_button, embed_modal
from app.export.menu import export_menu
from app.language.view import language_switch
from app.lessons.view import lessons_menu
from app.present.view import drawer, drawer_button, drawer_fab, present_bar, present_link
from i18n import N_, _
from optimizers.schedules import KINDS as SCHEDULE_KINDS


def _copy_link() -> html.Span:
    return html.Span(
        [
            dcc.Clipboard(
                id="copy-link",
                title=_("Copy a link to this exact scene"),
                style={"display": "inline-block", "fontSize": 20, "cursor": "pointer"},
            ),
            html.Span(" " + _("Copy link"), className="small"),
            html.Span(id="data-link-note", className="small"),  # app.data: an upload is not in the link
        ]
    )


def header() -> dbc.Navbar:
    """Title, theme, the Lessons, Embed and Export menus and "Copy link" (hidden when embedded)."""
    theme = dbc.RadioItems(
        id="theme",
        options=[{"label": _("Light"), "value": "light"}, {"label": _("Dark"), "value": "dark"}],
        value="light",
        inline=True,
        className="me-3 small",
    )
    tools = html.Div(
        [language_switch(), theme, lessons_menu(), embed_button(), present_link(), *export_menu(), _copy_link()],
        className="d-flex align-items-center",
    )
    return dbc.Navbar(
        dbc.Container(
            [drawer_button(), html.Span(_("Gradient-descent playground"), className="navbar-brand fw-semibold"), tools],
            fluid=True,
        ),
        id="header",
        className="mb-2 border-bottom",
    )


def _schedule_settings() -> dict:
    """Each schedule kind's settings by name, for the browser (``playback.scheduleKind``)."""
    return {
        kind: {"a": _(a_name) if a_name else "", "a_default": a, "b": _(b_name) if b_name else "", "b_default": b}
        for kind, (_label, a_name, a, b_name, b, _torch) in SCHEDULE_KINDS.items()
    }


def stores() -> list:
    """The page's shared state: the link, the inspector's gate, flags from the link, static tables."""
    return [
        dcc.Location(id="url", refresh=False),
        dcc.Store(id="query"),
        dcc.Store(id="inspect-shown"),  # {k, rule, seq}: the step and arrows the figures show (callbacks)
        dcc.Store(id="inspect-at"),  # {k, rule, seq}: the paused scrubber's question to the server
        dcc.Store(id="compare-query"),  # the link, handed to the small multiples while their tab is open
        dcc.Store(id="loaded-search"),
        dcc.Store(id="schedule-kinds", data=_schedule_settings()),
        dcc.Store(id="view-flags", data={"embed": False, "hide": []}),
        html.Div(id="sink", style={"display": "none"}),
    ]


# The views, in order: (label, tab id, "module:builder" of the feature package that draws it). A new
# tab is its package (layout, callbacks.py, figures) plus one line here.
TABS = (
    (N_("Runs"), "runs", "app.runs.layout:runs_view"),
    (N_("Basin map"), "basins", "app.explore.layout:basins_tab"),
    (N_("Sweep"), "sweep", "app.explore.layout:sweep_tab"),
    (N_("Compare surfaces"), "compare", "app.explore.layout:compare_tab"),
)


def _builder(where: str):
    module, name = where.split(":")
    return getattr(import_module(module), name)


_BUILDERS = [(label, tab_id, _builder(where)) for label, tab_id, where in TABS]
# Features without a tab of their own; every feature's callbacks.py is imported here, which registers
# its callbacks before ``app.server`` builds the app (its other modules stay free of Dash).
OTHER_FEATURES = ("app.lessons", "app.embed", "app.export", "app.data", "app.present")
FEATURES = tuple(dict.fromkeys([where.split(":")[0].rsplit(".", 1)[0] for _, _, where in TABS] + list(OTHER_FEATURES)))
for _feature in FEATURES:
    import_module(_feature + ".callbacks")


def tabs() -> dbc.Tabs:
    """One tab per view (``TABS``)."""
    return dbc.Tabs(
        [dbc.Tab(build(), label=_(label), tab_id=tab_id) for label, tab_id, build in _BUILDERS],
        id="view-tabs",
        active_tab="runs",
    )


def body() -> dbc.Container:
    """Notices, the control panel (filled from the URL) and, beside it, a lesson's card and the tabs."""
    controls = drawer(html.Div(id="controls", children=dbc.Spinner(size="sm")))  # a drawer on phones (app.present)
    panel = dbc.Col([drawer_fab(), controls], id="controls-col", lg=3, className="mb-3")
    views = dbc.Col([present_bar(), html.Div(id="lesson-card"), html.Div(tabs(), id="tabs-wrap")], id="views-col", lg=9)
    return dbc.Container(
        [html.Div(id="notices"), html.Div(id="control-notices"), dbc.Row([panel, views])],
        fluid=True,
    )


def layout() -> html.Div:
    return html.Div(
        [
            *stores(),
            html.A(_("Skip to the charts"), href="#views", className="skip-link"),
            embed_modal(),
            header(),
            body(),
        ]
    )
