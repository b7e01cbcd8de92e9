"""The data settings as the page keeps them (``dcc.Store`` "data-spec", plain JSON), and back.

An uploaded file travels in the store as its bytes in base64 (at most ``landscapes.data.csvfile.MAX_BYTES``,
checked in the browser by ``assets/data.js`` before anything is sent) and is parsed on the server for
each request (cached), so no request carries more than the file.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import asdict, replace
from functools import lru_cache

from i18n import _
from landscapes.data.csvfile import MAX_BYTES, CsvError, read_csv
from landscapes.data.spec import UPLOAD, DataSpec, kind_of

FIELDS = tuple(f for f in asdict(DataSpec()) if f not in ("points", "upload_name"))


def spec_to_store(spec: DataSpec, upload: dict | None = None) -> dict:
    """The store's JSON for ``spec``; ``upload`` = {"name", "data" (base64)} of an uploaded file (if any)."""
    out = {k: getattr(spec, k) for k in FIELDS}
    if upload:
        out["upload"] = {"name": str(upload.get("name", ""))[:80], "data": upload.get("data", "")}
    return out


@lru_cache(maxsize=8)
def parse_upload(data: str, kind: str) -> tuple:
    """The rows of an uploaded file (base64; ``CsvError`` with the reason when it cannot be used)."""
    if len(data) > (MAX_BYTES * 4) // 3 + 8:
        raise CsvError(_("the file is larger than {limit} KB.").format(limit=MAX_BYTES // 1024))
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise CsvError(_("the upload could not be read (it is not base64); try again.")) from None
    return tuple(read_csv(raw, kind))


def spec_from_store(store) -> tuple[DataSpec, list[str]]:
    """The DataSpec a store describes (unclamped: ``clamp_scene`` clamps it), and notices."""
    if not isinstance(store, dict):
        return DataSpec(), []
    notices: list[str] = []
    spec = DataSpec(**{k: store[k] for k in FIELDS if k in store})
    upload = store.get("upload")
    if spec.source == UPLOAD and isinstance(upload, dict) and isinstance(upload.get("data"), str):
        try:
            rows = parse_upload(upload["data"], kind_of(spec.model))
            spec = replace(spec, points=rows, upload_name=str(upload.get("name", ""))[:80])
        except CsvError as err:
            notices.append(_("Your file {name}: {error}").format(name=str(upload.get("name", ""))[:40], error=err))
    return spec, notices


def with_upload(scene, store):
    """``scene`` (read from a link) with the page's uploaded file put back: an upload is never in the
    link, so callbacks that rebuild the scene from it (the paused step, the exports) take the file from
    the page's ``data-spec`` store. Any other scene is returned as it is."""
    if getattr(scene, "surface", None) != "data" or not isinstance(store, dict) or store.get("source") != UPLOAD:
        return scene
    return replace(scene, data=spec_from_store(store)[0])
