"""The request's language (``i18n.request.choose``) bound before every view, and the page's
``<html lang>`` written from it."""

from __future__ import annotations

import flask
from dash import Dash

import i18n
from i18n.request import choose


def bind_language(dash_app: Dash) -> None:
    """Before each request: the link's ``lang``, the page's (Referer), then ``Accept-Language``."""

    @dash_app.server.before_request
    def _language():
        request = flask.request
        query = request.query_string.decode("latin-1")
        i18n.set_language(choose(query, request.headers.get("Referer", ""), request.accept_languages.best_match))

    plain_index = dash_app.interpolate_index

    def interpolate_index(**kwargs) -> str:
        html = plain_index(**kwargs)
        return html.replace("<html>", f'<html lang="{i18n.current()}">', 1)

    dash_app.interpolate_index = interpolate_index
