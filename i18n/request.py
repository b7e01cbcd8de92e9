"""Which language a request wants, in this order: the link's ``lang=``, the page's link (the Referer
of the page's own callbacks), the browser's ``Accept-Language``; else English. Flask-free: the
caller passes the header values."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from i18n import DEFAULT, LANGS, clean


def from_query(query: str) -> str:
    """``lang`` of a query string (with or without '?'), or ""."""
    try:
        values = parse_qs((query or "").lstrip("?"), max_num_fields=200).get("lang", [])
    except ValueError:
        return ""
    return clean(values[-1]) if values else ""


def choose(query: str, referer: str, best_match) -> str:
    """The request's language: ``query``'s lang, the ``referer``'s lang, ``best_match(LANGS)`` (an
    ``Accept-Language`` matcher such as Werkzeug's), or English."""
    lang = from_query(query)
    if not lang and referer:
        lang = from_query(urlsplit(referer).query)
    if not lang and best_match is not None:
        lang = clean(best_match(list(LANGS)))
    return lang or DEFAULT
