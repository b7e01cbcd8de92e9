"""The page skeleton. The control panel is filled from the URL by a callback (``app.runs.callbacks``)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from app.components import graph
from app.embed.view import embed_modal
from app.explore.layout import basins_tab, compare_tab, sweep_tab
from app.lessons.model import catalog, lesson_link
from app.state.scene import HYPER_RANGE
from optimizers.schedules import KINDS as SCHEDULE_KINDS


def layout() -> html.Div:
    header = dbc.Navbar(
        dbc.Container(
            [
                html.Span("Gradient-descent playground", className="navbar-brand fw-semibold"),
                html.Div(
                    [
                        dbc.RadioItems(
                            id="theme",
                            options=[{"label": "Light", "value": "light"}, {"label": "Dark", "value": "dark"}],
                            value="light",
                            inline=True,
                            className="me-3 small",
                        ),
                        dbc.DropdownMenu(
                            [
                                dbc.DropdownMenuItem(lesson.title, href=lesson_link(lesson, 0), external_link=True)
                                for lesson in catalog().values()
                            ],
                            label="Lessons",
                            id="lessons-menu",
                            size="sm",
                            color="secondary",
                            align_end=True,
                            className="me-2",
                        ),
                        dbc.Button("Embed", id="embed-open", size="sm", color="secondary", className="me-2"),
                        dbc.DropdownMenu(
                            [
                                dbc.DropdownMenuItem("Data of every step (CSV)", id="export-csv"),
                                dbc.DropdownMenuItem("Scene and results (JSON)", id="export-json"),
                                dbc.DropdownMenuItem("Runnable NumPy script (.py)", id="export-numpy"),
                                dbc.DropdownMenuItem("Runnable PyTorch script (.py)", id="export-torch"),
                                dbc.DropdownMenuItem(divider=True),
                                dbc.DropdownMenuItem("Contour map (SVG)", id="export-contour-svg"),
                                dbc.DropdownMenuItem("Loss chart (SVG)", id="export-loss-svg"),
                                dbc.DropdownMenuItem("3-D view (PNG)", id="export-3d-png"),
                            ],
                            label="Export",
                            id="export-menu",
                            size="sm",
                            color="secondary",
                            align_end=True,
                            className="me-3",
                        ),
                        dcc.Download(id="download"),
                        html.Div(id="export-sink", hidden=True),
                        html.Span(
                            [
                                dcc.Clipboard(
                                    id="copy-link",
                                    title="Copy a link to this exact scene",
                                    style={"display": "inline-block", "fontSize": 20, "cursor": "pointer"},
                                ),
                                html.Span(" Copy link", className="small"),
                            ]
                        ),
                    ],
                    className="d-flex align-items-center",
                ),
            ],
            fluid=True,
        ),
        id="header",
        className="mb-2 border-bottom",
    )

    playback = html.Div(
        [
            dbc.ButtonGroup(
                [
                    dbc.Button(
                        "▶ Play", id="play", size="sm", color="primary", title="Play or pause the run (keyboard: Enter)"
                    ),
                    dbc.Button("Step +1", id="step-one", size="sm", color="secondary", outline=True),
                ],
                className="me-2",
            ),
            dbc.Select(
                id="speed",
                size="sm",
                value="5",
                style={"width": "8em"},
                className="me-2",
                options=[{"label": f"{v} steps/frame", "value": str(v)} for v in (1, 5, 20, 100)],
            ),
            html.Div(
                dcc.Slider(
                    id="step",
                    min=0,
                    max=2000,
                    step=1,
                    value=0,
                    marks=None,
                    updatemode="drag",
                    tooltip={"placement": "bottom"},
                ),
                style={"flex": 1},
            ),
            html.Span("Step 0", id="step-label", className="small ms-2", **{"aria-live": "polite"}),
            dcc.Interval(id="ticker", interval=100, disabled=True),
        ],
        id="group-playback",
        className="d-flex align-items-center mb-2",
    )

    inspector = dbc.Card(
        [
            dbc.CardHeader(
                [html.Span("Inside the optimizers at step "), html.Span("0", id="inspect-step")],
                className="py-1 small fw-semibold",
            ),
            dbc.CardBody(
                [
                    html.Div(
                        [
                            html.Span("Arrows on the contour map for", className="small me-2"),
                            dbc.RadioItems(id="inspect-rule", options=[], value=None, inline=True, className="small"),
                        ],
                        className="d-flex flex-wrap align-items-center mb-1",
                    ),
                    html.Div(id="inspector", className="small", **{"aria-live": "polite"}),
                ],
                className="py-2",
            ),
        ],
        id="group-inspector",
        className="mb-2",
    )

    views = html.Div(
        [
            dbc.Row(
                [
                    dbc.Col(graph("graph-3d", "460px", "3-D loss surface with optimizer paths"), lg=6),
                    dbc.Col(graph("graph-contour", "460px", "contour map with optimizer paths"), lg=6),
                ],
                className="g-2",
            ),
            playback,
            inspector,
            graph("graph-loss", "320px", "loss per step"),
            html.Div(graph("graph-lr", "170px", "learning rate per step"), id="group-lr", style={"display": "none"}),
            html.P(id="summary", className="mt-2", **{"aria-live": "polite"}),
            html.Div(id="results", className="table-responsive"),
        ],
        id="views",
        tabIndex="-1",  # the skip link's target takes focus
    )

    tabs = dbc.Tabs(
        [
            dbc.Tab(views, label="Runs", tab_id="runs"),
            dbc.Tab(basins_tab(), label="Basin map", tab_id="basins"),
            dbc.Tab(sweep_tab(), label="Sweep", tab_id="sweep"),
            dbc.Tab(compare_tab(), label="Compare surfaces", tab_id="compare"),
        ],
        id="view-tabs",
        active_tab="runs",
    )
    return html.Div(
        [
            dcc.Location(id="url", refresh=False),
            dcc.Store(id="query"),
            dcc.Store(id="inspect-shown"),  # {k, rule, seq}: the step and arrows the figures show (callbacks)
            dcc.Store(id="inspect-at"),  # {k, rule, seq}: the paused scrubber's question to the server
            dcc.Store(id="compare-query"),  # the link, handed to the small multiples while their tab is open
            dcc.Store(id="loaded-search"),
            dcc.Store(id="schedule-kinds", data=SCHEDULE_KINDS),
            dcc.Store(id="lr-range", data=list(HYPER_RANGE["lr"])),
            dcc.Store(id="view-flags", data={"embed": False, "hide": []}),
            html.Div(id="sink", style={"display": "none"}),
            html.A("Skip to the charts", href="#views", className="skip-link"),
            embed_modal(),
            header,
            dbc.Container(
                [
                    html.Div(id="notices"),
                    html.Div(id="control-notices"),
                    dbc.Row(
                        [
                            dbc.Col(
                                html.Div(id="controls", children=dbc.Spinner(size="sm")),
                                id="controls-col",
                                lg=3,
                                className="mb-3",
                            ),
                            dbc.Col(
                                [
                                    html.Div(id="lesson-card"),
                                    html.Div(tabs, id="tabs-wrap"),
                                ],
                                id="views-col",
                                lg=9,
                            ),
                        ]
                    ),
                ],
                fluid=True,
            ),
        ]
    )
