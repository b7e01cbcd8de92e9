"""Basin maps and sweeps as bytes (NumPy's ``.npz``, no pickle), to pass between processes and machines.

    >>> data = to_bytes(bmap); from_bytes(BasinMap, data) == bmap  (field by field)

Every field is stored as an array (strings and numbers as 0-d arrays, ``None`` as an empty
array); loading never runs code from the data (``allow_pickle=False``).
"""

from __future__ import annotations

import dataclasses
import io

import numpy as np

_NONE = "__none__"


def to_bytes(record) -> bytes:
    """A dataclass of arrays, strings, numbers and ``None`` as ``.npz`` bytes."""
    fields = {}
    for field in dataclasses.fields(record):
        value = getattr(record, field.name)
        fields[field.name] = np.array([], dtype="U8") if value is None else np.asarray(value)
        if value is None:
            fields[_NONE + field.name] = np.array(True)
    out = io.BytesIO()
    np.savez(out, **fields)
    return out.getvalue()


def from_bytes(cls, data: bytes):
    """The ``cls`` record that ``to_bytes`` wrote."""
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        values = {}
        for field in dataclasses.fields(cls):
            if _NONE + field.name in npz.files:
                values[field.name] = None
                continue
            array = npz[field.name]
            if array.ndim == 0:
                item = array.item()
                values[field.name] = item
            else:
                values[field.name] = array
    return cls(**values)
