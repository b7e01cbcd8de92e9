"""Layout pieces of the phone drawer and the projector mode (ids owned here).

- Below Bootstrap's ``lg`` breakpoint (992 px) the control panel is an off-canvas drawer
  (Bootstrap's responsive ``offcanvas-lg``): the charts come first, "☰ Controls" opens it. At
  ``lg`` and wider it is the usual panel beside the charts.
- ``present=1`` (or the header's "Present" link, which reloads the page with it) puts the page in
  projector mode (``assets/present.js``, ``assets/20-present.css``).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from i18n import _


def drawer(children) -> html.Div:
    """The control panel inside the responsive off-canvas drawer."""
    head = html.Div(
        [
            html.H5(_("Controls"), className="offcanvas-title"),
            dbc.Button("✕ " + _("Close"), id="drawer-close", color="secondary", outline=True, size="sm"),
        ],
        className="offcanvas-header justify-content-between",
    )
    return html.Div(
        [head, html.Div(children, className="offcanvas-body")],
        id="controls-drawer",
        className="offcanvas-lg offcanvas-start",
        tabIndex="-1",
        **{"aria-label": _("Controls")},
    )


def drawer_button() -> dbc.Button:
    """Opens the drawer; shown below ``lg`` only."""
    return dbc.Button(
        "☰ " + _("Controls"),
        id="drawer-open",
        color="primary",
        className="d-lg-none me-2",
        title=_("Open the controls"),
    )


def drawer_fab() -> dbc.Button:
    """Opens the drawer in an embed (whose header, with "☰ Controls", is hidden): a floating button,
    shown by ``assets/20-present.css`` only below ``lg`` and only when the link keeps the panel
    (``embed=1&panel=1``: the header is ``d-none`` and the panel's column is not)."""
    return dbc.Button(
        "☰",
        id="drawer-fab",
        color="primary",
        className="rounded-circle shadow",
        title=_("Open the controls"),  # also its accessible name (the glyph alone says nothing)
    )


def present_link() -> html.A:
    """Projector mode: reloads the scene on screen with ``present=1`` (href kept current in the browser)."""
    return html.A(
        _("Present"),
        id="present-link",
        href="?present=1",
        className="btn btn-outline-secondary btn-sm me-3",
        title=_(
            "Projector mode: charts large, big fonts, thick lines (space: play/pause, arrows: step, f: full screen)"
        ),
    )


def present_bar() -> html.Div:
    """In projector mode: the shortcuts and a way back."""
    return html.Div(
        [
            html.Span(_("Space: play/pause · ← →: step · f: full screen"), className="me-3"),
            html.A(_("Exit presentation"), id="present-exit", href="?", className="btn btn-outline-secondary btn-sm"),
        ],
        id="present-bar",
        className="present-only align-items-center justify-content-end mb-2",
    )
