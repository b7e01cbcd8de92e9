"""Your own data set from a CSV file: read by Python's ``csv`` module, bounded, every fault named.

Regression files have two columns ``x,y``; classification files three, ``x1,x2,label`` with labels
0 and 1. A first row that is not numbers is a header. ``read_csv`` returns the rows as (x1, x2, y)
(x2 = 0 for regression) or raises ``CsvError`` whose message names the row and the problem: not
text, empty, too large, too many rows or columns, a wrong number of columns, a value that is not a
number or not finite or too large, a single row, a constant input column, or bad labels.
"""

from __future__ import annotations

import csv
import io
import math

from i18n import _, decimal_text, ngettext, number

MAX_BYTES = 150 * 1024  # with the rest of a request, within app.serving.request_guard.MAX_BODY
MAX_ROWS = 10_000
MAX_ABS = 1e6  # larger values only make the surface unreadable
COLUMNS = {"regression": ("x", "y"), "classification": ("x1", "x2", "label")}


class CsvError(ValueError):
    """A file that cannot be used, with the reason in words."""


def too_large(size: int) -> str:
    """The refusal of a file of ``size`` bytes (over ``MAX_BYTES``), in the reader's language."""
    return _("the file is {size} KB; at most {limit} KB can be uploaded.").format(
        size=number(round(size / 1024), "#,##0"), limit=MAX_BYTES // 1024
    )


def _text(raw: bytes) -> str:
    if not raw or not raw.strip():
        raise CsvError(_("the file is empty."))
    if len(raw) > MAX_BYTES:
        raise CsvError(too_large(len(raw)))
    nul = raw.find(bytes(1))
    if nul >= 0:
        raise CsvError(
            _("this is not a text file (byte {byte} is a NUL byte); upload a CSV file.").format(byte=nul + 1)
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CsvError(
            _("this is not a UTF-8 text file (byte {byte} cannot be read); upload a CSV file.").format(
                byte=err.start + 1
            )
        ) from None


def _number(text: str, row: int, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise CsvError(
            _("row {row}, column {column}: {value} is not a number.").format(row=row, column=column, value=repr(shown))
        ) from None
    if not math.isfinite(value):
        raise CsvError(
            _("row {row}, column {column}: {value} is not a finite number.").format(
                row=row, column=column, value=text.strip()
            )
        )
    if abs(value) > MAX_ABS:
        raise CsvError(
            _("row {row}, column {column}: {value} is larger than {limit} in size; rescale the data.").format(
                row=row, column=column, value=decimal_text(f"{value:g}"), limit=decimal_text(f"{MAX_ABS:g}")
            )
        )
    return value


def _is_header(cells: list[str]) -> bool:
    try:
        [float(c) for c in cells]
    except ValueError:
        return True
    return False


def read_csv(raw: bytes, kind: str) -> list[tuple[float, float, float]]:
    """The rows of a CSV file as (x1, x2, y); ``kind`` is "regression" or "classification"."""
    names = COLUMNS[kind]
    text = _text(raw)
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as err:
        raise CsvError(_("the file is not valid CSV: {error}.").format(error=err)) from None
    numbered = [(i + 1, [c.strip() for c in cells]) for i, cells in enumerate(lines) if any(c.strip() for c in cells)]
    if not numbered:
        raise CsvError(_("the file is empty."))
    if _is_header(numbered[0][1]):
        first, header = numbered[0]
        if len(header) != len(names):
            raise CsvError(
                _("row {row} (the header) has {count} columns; expected {expected}: {names}.").format(
                    row=first, count=len(header), expected=len(names), names=",".join(names)
                )
            )
        numbered = numbered[1:]
    if len(numbered) > MAX_ROWS:
        raise CsvError(
            _("the file has {count} rows; at most {limit} can be used.").format(
                count=number(len(numbered), "#,##0"), limit=number(MAX_ROWS, "#,##0")
            )
        )
    rows = []
    for row, cells in numbered:
        if len(cells) != len(names):
            raise CsvError(
                _("row {row} has {count} columns; expected {expected}: {names}.").format(
                    row=row, count=len(cells), expected=len(names), names=",".join(names)
                )
            )
        values = [_number(c, row, name) for c, name in zip(cells, names, strict=True)]
        if kind == "classification" and values[2] not in (0.0, 1.0):
            raise CsvError(_("row {row}, column label: {value} is not 0 or 1.").format(row=row, value=cells[2]))
        rows.append((values[0], 0.0, values[1]) if kind == "regression" else tuple(values))
    if len(rows) < 2:
        raise CsvError(
            ngettext(
                "the file has {count} data row; at least 2 are needed.",
                "the file has {count} data rows; at least 2 are needed.",
                len(rows),
            ).format(count=len(rows))
        )
    inputs = ("x",) if kind == "regression" else ("x1", "x2")
    for j, name in enumerate(inputs):
        if len({r[j] for r in rows}) == 1:
            raise CsvError(
                _("column {name} has the same value ({value}) in every row; the model cannot learn from it.").format(
                    name=name, value=decimal_text(f"{rows[0][j]:g}")
                )
            )
    if kind == "classification" and len({r[2] for r in rows}) == 1:
        raise CsvError(
            _("every label is {value}; a classifier needs both classes, 0 and 1.").format(value=f"{rows[0][2]:g}")
        )
    return rows
