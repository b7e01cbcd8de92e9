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

MAX_BYTES = 150 * 1024  # with the rest of a request, within app.serving.request_guard.MAX_BODY
MAX_ROWS = 10_000
MAX_ABS = 1e6  # larger values only make the surface unreadable
COLUMNS = {"regression": ("x", "y"), "classification": ("x1", "x2", "label")}


class CsvError(ValueError):
    """A file that cannot be used, with the reason in words."""


def _text(raw: bytes) -> str:
    if not raw or not raw.strip():
        raise CsvError("the file is empty.")
    if len(raw) > MAX_BYTES:
        raise CsvError(f"the file is {len(raw) / 1024:,.0f} KB; at most {MAX_BYTES // 1024} KB can be uploaded.")
    nul = raw.find(bytes(1))
    if nul >= 0:
        raise CsvError(f"this is not a text file (byte {nul + 1} is a NUL byte); upload a CSV file.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CsvError(
            f"this is not a UTF-8 text file (byte {err.start + 1} cannot be read); upload a CSV file."
        ) from None


def _number(text: str, row: int, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise CsvError(f"row {row}, column {column}: {shown!r} is not a number.") from None
    if not math.isfinite(value):
        raise CsvError(f"row {row}, column {column}: {text.strip()} is not a finite number.")
    if abs(value) > MAX_ABS:
        raise CsvError(f"row {row}, column {column}: {value:g} is larger than {MAX_ABS:g} in size; rescale the data.")
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
        raise CsvError(f"the file is not valid CSV: {err}.") from None
    numbered = [(i + 1, [c.strip() for c in cells]) for i, cells in enumerate(lines) if any(c.strip() for c in cells)]
    if not numbered:
        raise CsvError("the file is empty.")
    if _is_header(numbered[0][1]):
        first, header = numbered[0]
        if len(header) != len(names):
            raise CsvError(
                f"row {first} (the header) has {len(header)} columns; expected {len(names)}: {','.join(names)}."
            )
        numbered = numbered[1:]
    if len(numbered) > MAX_ROWS:
        raise CsvError(f"the file has {len(numbered):,} rows; at most {MAX_ROWS:,} can be used.")
    rows = []
    for row, cells in numbered:
        if len(cells) != len(names):
            raise CsvError(f"row {row} has {len(cells)} columns; expected {len(names)}: {','.join(names)}.")
        values = [_number(c, row, name) for c, name in zip(cells, names, strict=True)]
        if kind == "classification" and values[2] not in (0.0, 1.0):
            raise CsvError(f"row {row}, column label: {cells[2]} is not 0 or 1.")
        rows.append((values[0], 0.0, values[1]) if kind == "regression" else tuple(values))
    if len(rows) < 2:
        raise CsvError(f"the file has {len(rows)} data row{'s' if len(rows) != 1 else ''}; at least 2 are needed.")
    inputs = ("x",) if kind == "regression" else ("x1", "x2")
    for j, name in enumerate(inputs):
        if len({r[j] for r in rows}) == 1:
            raise CsvError(
                f"column {name} has the same value ({rows[0][j]:g}) in every row; the model cannot learn from it."
            )
    if kind == "classification" and len({r[2] for r in rows}) == 1:
        raise CsvError(f"every label is {rows[0][2]:g}; a classifier needs both classes, 0 and 1.")
    return rows
