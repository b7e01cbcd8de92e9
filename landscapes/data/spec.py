"""The settings of a data landscape as one frozen record, their bounds, and the surface they build.

``DataSpec`` is what the dashboard's Scene carries (``app.state.scene``) and its link writes out
(except uploaded points: they never travel in a link). ``clamp_spec`` brings every value into its
bounds and says what it changed; ``spec_surface`` builds (and caches) the ``DataSurface``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from i18n import N_, _
from i18n.clamp import clamp_number, clamp_whole, short
from landscapes.data import generators
from landscapes.data.models import MODELS, REGULARISERS
from landscapes.data.problem import DataProblem, DataSurface, data_surface

GENERATED = "generated"
UPLOAD = "upload"
SOURCES = (GENERATED, *generators.REAL, UPLOAD)
N_RANGE = (2, generators.MAX_N)
NOISE_RANGE = (0.0, 5.0)
OUTLIER_RANGE = (0.0, 0.5)
LAMBDA_RANGE = (0.0, 10.0)
SEED_RANGE = (0, 2**32 - 1)
KIND_WORDS = (N_("regression"), N_("classification"))  # the kinds in words, for the catalog
KIND = {"linear": "regression", "tanh": "regression", "logistic": "classification"}


def kind_of(model) -> str:
    """ "regression" or "classification" for a model name; any other value (a hostile store's list)
    counts as regression, and the scene's clamping names it."""
    return KIND.get(model, "regression") if isinstance(model, str) else "regression"


@dataclass(frozen=True, kw_only=True)
class DataSpec:
    """Model, data (a generator's settings, a shipped set, or uploaded points), batches and λR(W)."""

    model: str = "linear"
    source: str = GENERATED  # GENERATED, a name of generators.REAL, or UPLOAD
    n: int = 200
    noise: float = 0.5
    outliers: float = 0.0  # regression: fraction of outliers
    shape: str = "overlapping"  # classification: one of generators.SHAPES
    data_seed: int = 0
    batch: int = 32
    drop_last: bool = False
    lam: float = 0.0
    reg: str = "L2"
    reg_bias: bool = False
    batch_surface: bool = False  # a view: the current batch's own loss surface on the contour map
    points: tuple[tuple[float, float, float], ...] = ()  # uploaded rows (x1, x2, y); not in links
    upload_name: str = ""

    def data(self) -> tuple[np.ndarray, np.ndarray, str]:
        """(X, y, words) of the chosen data (English: the surface is cached for every language)."""
        if self.source == UPLOAD and self.points:
            rows = np.asarray(self.points, dtype=float)
            return rows[:, :2], rows[:, 2], f"your file {self.upload_name or 'upload'}"
        if self.source in generators.REAL:
            X, y = generators.real(self.source)
            return X, y, generators.REAL[self.source][1]
        if KIND[self.model] == "classification":
            X, y = generators.classification(self.n, self.noise, self.shape, self.data_seed)
            return X, y, f"generated: {self.shape}, spread {self.noise:g}, seed {self.data_seed}"
        X, y = generators.regression(self.n, self.noise, self.outliers, self.data_seed, self.model)
        out = f", {self.outliers:.0%} outliers" if self.outliers else ""
        return X, y, f"generated: noise {self.noise:g}{out}, seed {self.data_seed}"


def _num(name, value, lo, hi, default, notices, whole=False):
    """``i18n.clamp``'s ``clamp_whole`` or ``clamp_number`` (``0,5`` and ``0.5`` alike), as int or float."""
    return (
        clamp_whole(name, value, lo, hi, default, notices)
        if whole
        else clamp_number(name, value, lo, hi, default, notices)
    )


def clamp_spec(spec: DataSpec, notices: list[str]) -> DataSpec:
    """``spec`` with every value in bounds and fitting the model (a notice for each change)."""
    model = spec.model if isinstance(spec.model, str) and spec.model in MODELS else "linear"
    if model != spec.model:
        notices.append(_("model: {value} is unknown; using linear regression.").format(value=short(spec.model)))
    source = spec.source if isinstance(spec.source, str) and spec.source in SOURCES else GENERATED
    if source != spec.source:
        notices.append(_("data: {value} is unknown; using generated data.").format(value=short(spec.source)))
    if source == UPLOAD and not spec.points:
        notices.append(_("data: an uploaded file cannot travel in a link; using generated data. Upload it again."))
        source = GENERATED
    if source in generators.REAL and generators.REAL[source][0] != KIND[model]:
        notices.append(
            _("data: {source} is a {kind} set; using generated data for {model}.").format(
                source=source, kind=_(generators.REAL[source][0]), model=model
            )
        )
        source = GENERATED
    points = spec.points if source == UPLOAD and isinstance(spec.points, tuple) else ()
    if points and KIND[model] == "classification" and not set(np.unique(np.asarray(points)[:, 2])) <= {0.0, 1.0}:
        notices.append(_("data: your file's labels are not all 0 or 1; a classifier needs them, using generated data."))
        source, points = GENERATED, ()
    shape = spec.shape if isinstance(spec.shape, str) and spec.shape in generators.SHAPES else "overlapping"
    if shape != spec.shape:
        notices.append(_("classes: {value} is unknown; using overlapping.").format(value=short(spec.shape)))
    reg = spec.reg if isinstance(spec.reg, str) and spec.reg in REGULARISERS[1:] else "L2"
    if reg != spec.reg:
        notices.append(_("regulariser: {value} is unknown; using L2.").format(value=short(spec.reg)))
    n = _num(_("N (points)"), spec.n, *N_RANGE, 200, notices, whole=True)
    size = len(points) if points else (len(generators.real(source)[1]) if source in generators.REAL else n)
    batch = _num(_("batch size B"), spec.batch, 1, size, min(32, size), notices, whole=True)
    return replace(
        spec,
        model=model,
        source=source,
        points=points,
        upload_name=spec.upload_name if points else "",
        n=n,
        noise=_num(_("data noise"), spec.noise, *NOISE_RANGE, 0.5, notices),
        outliers=_num(_("outliers"), spec.outliers, *OUTLIER_RANGE, 0.0, notices),
        shape=shape,
        data_seed=_num(_("data seed"), spec.data_seed, *SEED_RANGE, 0, notices, whole=True),
        batch=batch,
        drop_last=bool(spec.drop_last),
        lam=_num(_("λ (regulariser)"), spec.lam, *LAMBDA_RANGE, 0.0, notices),
        reg=reg,
        reg_bias=bool(spec.reg_bias),
        batch_surface=bool(spec.batch_surface),
    )


@lru_cache(maxsize=16)
def spec_surface(spec: DataSpec) -> DataSurface:
    """The data landscape of a clamped ``spec`` (cached: a scene's many readers build it once). The
    surface and its minima do not depend on the batches, so a new B or drop_last reuses them."""
    core = _surface(replace(spec, batch=1, drop_last=False, batch_surface=False))
    return replace(core, problem=replace(core.problem, batch=spec.batch, drop_last=spec.drop_last))


@lru_cache(maxsize=8)
def _surface(spec: DataSpec) -> DataSurface:
    X, y, words = spec.data()
    problem = DataProblem(
        model=spec.model,
        X=X,
        y=y,
        reg=spec.reg,
        lam=spec.lam,
        reg_bias=spec.reg_bias,
        batch=spec.batch,
        drop_last=spec.drop_last,
        source=words,
    )
    return data_surface(problem)
