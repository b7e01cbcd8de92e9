"""The header's Export menu, the download it fills and the sink of the browser's image exports."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from app.components import header_menu
from app.export.animation_view import animation_modal
from i18n import N_, _
from i18n import gettext as translate  # messages marked above (N_)

FILES = {  # menu item id -> its label; the server writes these (``app.export.callbacks``)
    "export-csv": N_("Data of every step (CSV)"),
    "export-json": N_("Scene and results (JSON)"),
    "export-numpy": N_("Runnable NumPy script (.py)"),
    "export-torch": N_("Runnable PyTorch script (.py)"),
    "export-html": N_("Offline page that plays (HTML)"),
}
IMAGES = {  # the browser draws these itself (``assets/export.js``)
    "export-contour-svg": N_("Contour map (SVG)"),
    "export-loss-svg": N_("Loss chart (SVG)"),
    "export-3d-png": N_("3-D view (PNG)"),
}


def export_menu() -> list:
    """The menu, then the download component, the image exports' sink and the animation dialog."""
    items = [dbc.DropdownMenuItem(translate(label), id=mid) for mid, label in FILES.items()]
    items.append(dbc.DropdownMenuItem(_("Animation: GIF or MP4…"), id="export-animation"))
    items.append(dbc.DropdownMenuItem(divider=True))
    items += [dbc.DropdownMenuItem(translate(label), id=mid) for mid, label in IMAGES.items()]
    return [
        header_menu(_("Export"), "export-menu", items, "me-3"),
        dcc.Download(id="download"),
        html.Div(id="export-sink", hidden=True),
        animation_modal(),
    ]
