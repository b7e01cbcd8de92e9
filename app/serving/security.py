"""Security headers for every response, set by flask-talisman.

- Content-Security-Policy: scripts only from this site, plus the hashes of Dash's own inline
  scripts (``Dash.csp_hashes()``); styles from this site and inline (React and Plotly set style
  attributes); images also as data:/blob: URLs (Plotly's PNG/SVG export); no plugins.
- ``frame-ancestors`` from the ``FRAME_ANCESTORS`` environment variable: by default ``*`` (any
  course website may embed the app in an iframe). Restrict it with a space-separated list, e.g.
  ``FRAME_ANCESTORS="'self' https://moodle.example.edu"``. Each entry is checked against CSP's
  grammar for source expressions: a value that is not (``'self'; script-src *`` would add a
  directive) stops the server at start with the reason. No X-Frame-Options header: it cannot
  express such a list, and ``frame-ancestors`` supersedes it.
- X-Content-Type-Options: nosniff; Referrer-Policy: strict-origin-when-cross-origin.
- ``FORCE_HTTPS=1`` redirects http to https (leave it off behind a proxy that terminates TLS and
  for local use); HSTS is sent on https requests.
"""

from __future__ import annotations

import os
import re

from dash import Dash
from flask_talisman import Talisman

DEFAULT_FRAME_ANCESTORS = "*"
# CSP source expressions (CSP Level 3, section 2.3.1) that frame-ancestors accepts: *, 'self', a scheme
# (https:) or a host with optional scheme, port and path. No ; , quotes or spaces inside one: those
# would end the directive and start another.
_SOURCE = re.compile(
    r"""\*|'self'|[A-Za-z][A-Za-z0-9+.-]*:"""
    r"|(?:[A-Za-z][A-Za-z0-9+.-]*://)?(?:\*|(?:\*\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)"
    r"(?::(?:[0-9]{1,5}|\*))?(?:/[A-Za-z0-9._~%!$&()*+=:@/-]*)?"
)


def frame_ancestors(value: str | None) -> str:
    """The ``frame-ancestors`` sources from ``FRAME_ANCESTORS``: ``'none'`` alone, or space-separated
    source expressions; anything else (a ``;`` that would start another directive, a quote, a
    newline) stops the server from starting, with the reason."""
    value = (value or "").strip() or DEFAULT_FRAME_ANCESTORS
    sources = value.split(" ")
    if sources == ["'none'"]:
        return "'none'"
    bad = [s for s in sources if s and not _SOURCE.fullmatch(s)]  # any other character (a newline) is bad too
    if bad:
        shown = ", ".join(repr(b[:60]) for b in bad)
        raise ValueError(
            f"FRAME_ANCESTORS: {shown} is not a CSP source (use *, 'self', 'none' alone, a scheme such as "
            "https:, or hosts such as https://moodle.example.edu, separated by spaces)"
        )
    return " ".join(s for s in sources if s)


def content_security_policy(script_hashes: list[str], frame_ancestors: str) -> dict[str, str]:
    return {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "worker-src": "'self' blob:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": frame_ancestors,
    }


def secure(dash_app: Dash) -> Talisman:
    """Add the headers above to every response of ``dash_app.server``."""
    ancestors = frame_ancestors(os.environ.get("FRAME_ANCESTORS"))
    return Talisman(
        dash_app.server,
        content_security_policy=content_security_policy(dash_app.csp_hashes(), ancestors),
        content_security_policy_nonce_in=[],
        force_https=os.environ.get("FORCE_HTTPS", "") == "1",
        frame_options=None,
        referrer_policy="strict-origin-when-cross-origin",
        session_cookie_secure=False,
        x_xss_protection=False,
    )
