"""The interface's language: gettext catalogs (Babel's ``.po`` files, compiled to ``.mo``), bound per request.

``_`` / ``ngettext`` translate into the language of the current context (a ``contextvars`` value, so
each request and thread has its own); ``use(lang)`` sets it for a block. English is the source
language: its messages are the msgids themselves. Dash-free and Flask-free: analysis/ sentences and
landscapes/ errors use it too. Numbers for people: ``number`` (Babel's ``format_decimal``); numbers
from people: ``parse_number`` (``0,01`` and ``0.01`` alike).

Adding a language: see the README ("Adding a language").
"""

from __future__ import annotations

import contextvars
import gettext as _gettext
import math
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from babel.numbers import format_decimal

LANGS = ("en", "de")  # the source language first
DEFAULT = "en"
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
NAMES = {"en": "English", "de": "Deutsch"}

_current: contextvars.ContextVar[str] = contextvars.ContextVar("lang", default=DEFAULT)


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog ``locale/<lang>/LC_MESSAGES/messages.mo``; English (and a missing file) is
    the identity."""
    if lang == DEFAULT:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def clean(lang) -> str:
    """``lang`` when it is one of ``LANGS``, else ""."""
    return lang if isinstance(lang, str) and lang in LANGS else ""


def current() -> str:
    return _current.get()


def set_language(lang: str) -> None:
    """Bind ``lang`` (one of ``LANGS``; anything else: English) for the rest of this context (a request)."""
    _current.set(clean(lang) or DEFAULT)


@contextmanager
def use(lang: str) -> Iterator[None]:
    """Translate into ``lang`` inside the block ("" or unknown: keep the current language)."""
    token = _current.set(clean(lang) or _current.get())
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:
    """Marks ``message`` for the catalog where it is defined; ``_`` translates it where it is shown."""
    return message


def decimal_text(text: str) -> str:
    """A number already written the English way (``-1.5``, ``2.5e6``, ``1,234``) in the current
    language's symbols (German: ``-1,5``, ``2,5e6``); English returns ``text`` unchanged."""
    lang = _current.get()
    if lang == DEFAULT:
        return text
    mantissa, e, exp = text.partition("e")
    try:
        value = Decimal(mantissa.replace(",", ""))
    except InvalidOperation:
        return text
    grouped = "," in mantissa
    pattern = "#,##0.##################" if grouped else "0.##################"
    return format_decimal(value, format=pattern, locale=lang) + e + exp


def box_text(value):
    """A number as a text box shows it in the current language: its shortest exact form with the
    language's decimal sign (German ``0,001``). In English, and for anything but a number, ``value``
    itself (the box writes it the English way)."""
    if _current.get() == DEFAULT or isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return decimal_text(repr(float(value)) if isinstance(value, float) else str(value))


def number(value: float, pattern: str | None = None) -> str:
    """``value`` by Babel's ``format_decimal`` in the current language (German: decimal comma)."""
    return format_decimal(value, format=pattern, locale=_current.get())


def parse_number(value) -> float:
    """A number a person typed: ``0,01`` and ``0.01`` alike (a single comma is a decimal comma);
    numbers pass through (an integer beyond float's range as ±inf). Raises ``ValueError``/``TypeError``
    like ``float``."""
    if isinstance(value, str):
        text = value.strip()
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        return float(text)
    try:
        return float(value)
    except OverflowError:  # a whole number beyond float's range (JSON carries 10**400): infinite
        return math.inf if value > 0 else -math.inf
