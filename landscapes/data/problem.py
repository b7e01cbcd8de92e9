"""A data landscape: a model, a data set and a regulariser, as plain data and as a ``Surface``.

The objective over the whole data set is L(W) = 1/N Σᵢ ℓᵢ(W) + λR(W) (``landscapes.data.models``);
the engine's steps use the same formula over one minibatch (``landscapes.data.batches``). A
``DataSurface`` is a ``Surface`` (value, gradient and Hessian over all N samples, vectorised over
grids, with its minima) that also carries its ``problem``, so every view, the inspector, the events,
basin maps and sweeps work on it, and ``optimizers.engine.run_batch`` runs it batch by batch.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from landscapes.data import generators
from landscapes.data.models import (
    GRID_CHUNK,
    LINEAR,
    LOGISTIC,
    MODELS,
    REGULARISERS,
    TANH,
    grid_terms,
    logistic_grid_chunk,
)
from landscapes.surface import Surface

WORDS = {
    "linear": "linear regression ŷ = w₁·x + w₂, mean squared error",
    "logistic": "logistic regression through the origin σ(w₁x₁ + w₂x₂), cross-entropy",
    "tanh": "one tanh unit ŷ = w₂·tanh(w₁·x), mean squared error",
}


@dataclass(frozen=True, kw_only=True)
class DataProblem:
    """Model, data and regulariser (see ``landscapes.data.models`` for the formulas)."""

    model: str  # one of MODELS
    X: np.ndarray  # (N, 2) float64, C-contiguous
    y: np.ndarray  # (N,) float64
    reg: str = "none"  # one of REGULARISERS
    lam: float = 0.0
    reg_bias: bool = False  # linear regression: is the bias w₂ in R(W)?
    batch: int = 32  # minibatch size B (clipped to N)
    drop_last: bool = False
    source: str = ""  # what the data are, in words

    def __post_init__(self):
        if self.model not in MODELS:
            raise ValueError(f"unknown model {self.model!r}; choose one of: {', '.join(MODELS)}")
        if self.reg not in REGULARISERS:
            raise ValueError(f"unknown regulariser {self.reg!r}; choose one of: {', '.join(REGULARISERS)}")
        object.__setattr__(self, "X", np.ascontiguousarray(self.X, dtype=np.float64).reshape(-1, 2))
        object.__setattr__(self, "y", np.ascontiguousarray(self.y, dtype=np.float64).reshape(-1))
        if self.X.shape[0] != self.y.shape[0] or self.y.shape[0] < 2:
            raise ValueError("a data set needs at least 2 samples, with as many labels as inputs")

    def __getstate__(self) -> dict:
        # kept grids and the column copies stay in this process
        return {k: v for k, v in self.__dict__.items() if k not in ("_grids", "x1", "x2", "stats")}

    @property
    def n(self) -> int:
        return int(self.y.shape[0])

    @property
    def model_id(self) -> int:
        return MODELS.index(self.model)

    @property
    def reg_kind(self) -> int:
        return REGULARISERS.index(self.reg) if self.lam > 0.0 else 0

    @property
    def mask(self) -> tuple[float, float]:
        """Which weights R(W) covers: (1, 0) for linear regression with an unregularised bias."""
        return (1.0, 1.0 if (self.reg_bias or self.model_id != LINEAR) else 0.0)

    @cached_property
    def stats(self) -> np.ndarray:
        """(mean x², mean x, mean xy, mean y, mean y²) of the data (linear regression's O(1) loss)."""
        return _stats(self.X, self.y)

    @cached_property
    def x1(self) -> np.ndarray:
        """The first input column, contiguous (the compiled loops read columns)."""
        return np.ascontiguousarray(self.X[:, 0])

    @cached_property
    def x2(self) -> np.ndarray:
        """The second input column, contiguous."""
        return np.ascontiguousarray(self.X[:, 1])

    def unregularised(self) -> DataProblem:
        return DataProblem(
            model=self.model, X=self.X, y=self.y, batch=self.batch, drop_last=self.drop_last, source=self.source
        )

    def evaluate(self, w1, w2, which: int, rows: np.ndarray | None = None) -> np.ndarray:
        """0: value, 1: gradient (…, 2), 2: Hessian (…, 3) = (h11, h12, h22) of the objective over all
        samples (or the samples ``rows``), at broadcast points (w1, w2)."""
        w1, w2 = np.broadcast_arrays(np.asarray(w1, dtype=float), np.asarray(w2, dtype=float))
        shape = w1.shape
        if rows is None:
            x1, x2, y, stats = self.x1, self.x2, self.y, self.stats
        else:
            x1, x2, y = self.x1[rows], self.x2[rows], self.y[rows]
            stats = _stats(np.stack([x1, x2], axis=1), y)
        out = np.empty((w1.size, 3))
        m1, m2 = self.mask
        grid_terms(
            self.model_id,
            x1,
            x2,
            y,
            stats,
            self.reg_kind,
            float(self.lam),
            m1,
            m2,
            np.ascontiguousarray(w1.reshape(-1)),
            np.ascontiguousarray(w2.reshape(-1)),
            which,
            out,
        )
        width = (1, 2, 3)[which]
        return out[:, :width].reshape(*shape, width)


def _stats(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    x = X[:, 0]
    return np.array([np.mean(x * x), np.mean(x), np.mean(x * y), np.mean(y), np.mean(y * y)])


def _scalar(a: np.ndarray):
    return float(a) if a.ndim == 0 else a


def find_minima(problem: DataProblem) -> tuple[tuple[float, float], ...]:
    """The objective's minima: Newton-polished BFGS from a few starts (Nelder–Mead for L1); none
    when the minimiser runs off (separable data without λ: the loss only approaches 0)."""
    from scipy.optimize import minimize

    f = lambda w: float(problem.evaluate(w[0], w[1], 0)[0])
    g = lambda w: problem.evaluate(w[0], w[1], 1)
    starts = [(0.5, 0.5), (-0.5, -0.5), (1.5, -1.0), (-1.5, 1.0)]
    found: list[np.ndarray] = []
    for s in starts:
        if problem.reg_kind == 2:
            res = minimize(f, s, method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 4000})
        else:
            res = minimize(f, s, jac=g, method="BFGS", options={"gtol": 1e-10, "maxiter": 2000})
        w = np.asarray(res.x, dtype=float)
        if not np.all(np.isfinite(w)) or np.max(np.abs(w)) > 50.0:
            continue
        if problem.reg_kind != 2 and np.max(np.abs(g(w))) > 1e-6:
            continue  # still sliding (no minimum), or stuck
        if problem.reg_kind != 2:
            h = problem.evaluate(w[0], w[1], 2)
            if np.linalg.eigvalsh(np.array([[h[0], h[1]], [h[1], h[2]]])).min() <= 0:
                continue  # a saddle (the tanh unit's origin)
        if all(np.hypot(*(w - q)) > 1e-4 for q in found):
            found.append(w)
    best = min((f(w) for w in found), default=None)
    keep = [w for w in found if best is not None and f(w) <= best + 1e-9 * (1 + abs(best))]
    return tuple((float(w[0]), float(w[1])) for w in sorted(keep, key=lambda w: (w[0], w[1])))


@dataclass(frozen=True)
class DataSurface(Surface):
    """A ``Surface`` whose value is a data set's objective; ``problem`` says how to take a batch of it.

    ``free_minima`` are the minima without the regulariser (λ = 0), to show its pull.
    """

    problem: DataProblem | None = field(default=None, repr=False, compare=False)
    free_minima: tuple[tuple[float, float], ...] = ()

    def grid(self, resolution: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``Surface.grid`` with at most ``GRID_SAMPLES`` sample evaluations: linear regression costs O(1)
        a point, the tanh unit and logistic regression have separable forms (``tanh_grid``,
        ``logistic_grid``); only logistic regression on data too large for its separable form (huge
        inputs) costs N exp/log per point and is drawn on a coarser grid (``resolution_for``). The last
        ``GRIDS_KEPT`` grids are kept with the problem (copies are returned; a scene's surface is rebuilt
        around the same problem): the 3-D view and the contour map often share one, and every redraw of
        the same data (a new optimizer setting) reuses it."""
        resolution = resolution_for(self.problem, resolution, self.domain)
        owner = self if self.problem is None else self.problem
        kept = owner.__dict__.setdefault("_grids", {})  # frozen dataclasses: a cache beside their fields
        key = (resolution, self.domain)
        grid = kept.get(key)
        if grid is None:
            (x0, x1), (y0, y1) = self.domain
            xs, ys = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
            if self.problem is not None and self.problem.model_id == TANH:
                grid = (xs, ys, tanh_grid(self.problem, xs, ys))
            elif self.problem is not None and separable_logistic(self.problem, self.domain):
                grid = (xs, ys, logistic_grid(self.problem, xs, ys))
            else:
                grid = super().grid(resolution)
            with _GRID_LOCK:  # request threads share the surface
                while len(kept) >= GRIDS_KEPT:
                    kept.pop(next(iter(kept)), None)
                kept[key] = grid
        return tuple(a.copy() for a in grid)


def tanh_grid(problem: DataProblem, w1s: np.ndarray, w2s: np.ndarray) -> np.ndarray:
    """The tanh unit's objective on the grid w1s x w2s, z[j, i] at (w1s[i], w2s[j]), exactly and in
    O(N·len(w1s) + grid): with tᵢ = tanh(w₁xᵢ) the data loss 1/N Σ (w₂tᵢ − yᵢ)² is
    w₂²·A(w₁) − 2w₂·B(w₁) + C, A = mean tᵢ², B = mean yᵢtᵢ, C = mean yᵢ² (one tanh per sample and column)."""
    x, y = problem.X[:, 0], problem.y
    t = np.tanh(np.multiply.outer(np.asarray(w1s, dtype=float), x))  # (columns, N)
    a, b, c = np.mean(t * t, axis=1), t @ y / problem.n, float(np.mean(y * y))
    w1, w2 = np.meshgrid(np.asarray(w1s, dtype=float), np.asarray(w2s, dtype=float))
    return _with_regulariser(problem, w2 * w2 * a[None, :] - 2.0 * w2 * b[None, :] + c, w1, w2)


def _with_regulariser(problem: DataProblem, z: np.ndarray, w1: np.ndarray, w2: np.ndarray) -> np.ndarray:
    """``z`` + λR(W) on the grid (w1, w2), in place: L2 λ(m₁w₁² + m₂w₂²), L1 λ(m₁|w₁| + m₂|w₂|)."""
    m1, m2 = problem.mask
    if problem.reg_kind == 1:
        z += problem.lam * (m1 * w1 * w1 + m2 * w2 * w2)
    elif problem.reg_kind == 2:
        z += problem.lam * (m1 * np.abs(w1) + m2 * np.abs(w2))
    return z


def separable_logistic(problem: DataProblem, domain) -> bool:
    """Whether ``logistic_grid`` applies on ``domain``: logistic regression whose factors e^{±w₁x₁},
    e^{±w₂x₂} stay far inside float64's range (|w·x| ≤ ``SEPARABLE_EXPONENT`` for each weight)."""
    if problem.model_id != LOGISTIC:
        return False
    (x0, x1), (y0, y1) = domain
    reach1 = max(abs(x0), abs(x1)) * float(np.max(np.abs(problem.x1)))
    reach2 = max(abs(y0), abs(y1)) * float(np.max(np.abs(problem.x2)))
    return bool(reach1 <= SEPARABLE_EXPONENT and reach2 <= SEPARABLE_EXPONENT)


def logistic_grid(problem: DataProblem, w1s: np.ndarray, w2s: np.ndarray) -> np.ndarray:
    """Logistic regression's objective on the grid w1s x w2s, z[j, i] at (w1s[i], w2s[j]), exactly up to
    rounding and without an exp or log per sample and point: e^{w₁x₁ + w₂x₂} = e^{w₁x₁}·e^{w₂x₂} from
    O(N·(len(w1s) + len(w2s))) exponentials (``landscapes.data.models.logistic_grid_chunk``)."""
    x1, x2, y = problem.x1, problem.x2, problem.y
    w1s, w2s = np.asarray(w1s, dtype=float), np.asarray(w2s, dtype=float)
    lin = np.zeros((w2s.size, w1s.size))
    logs = np.zeros((w2s.size, w1s.size))
    for c in range(0, problem.n, GRID_CHUNK):  # a chunk's factors stay in the cache for every point
        part = slice(c, c + GRID_CHUNK)
        ea = np.exp(np.multiply.outer(w1s, x1[part]))
        eb = np.exp(np.multiply.outer(w2s, x2[part]))
        logistic_grid_chunk(x1[part], x2[part], y[part], w1s, w2s, ea, 1.0 / ea, eb, 1.0 / eb, lin, logs)
    w1, w2 = np.meshgrid(w1s, w2s)
    return _with_regulariser(problem, (lin + logs) / problem.n, w1, w2)


SEPARABLE_EXPONENT = 300.0  # |w·x| per weight for logistic_grid: products of two factors stay finite
GRID_SAMPLES = 2_000_000  # sample evaluations per drawn grid (~0.15 s on the 2-core machine)
MIN_GRID = 16
GRIDS_KEPT = 3  # grids (resolutions) a data surface keeps
_GRID_LOCK = threading.Lock()


def resolution_for(problem: DataProblem | None, resolution: int, domain=None) -> int:
    """The grid resolution (at most ``resolution``) whose points x N stay within ``GRID_SAMPLES`` (linear
    regression, the tanh unit and logistic regression in its separable form on ``domain``: ``resolution``,
    their grids cost O(N·resolution) exp/tanh at most, plus a few multiplications per sample and point)."""
    if problem is None or problem.model_id in (LINEAR, TANH):
        return resolution
    if domain is not None and separable_logistic(problem, domain):
        return resolution
    return int(max(MIN_GRID, min(resolution, (GRID_SAMPLES / problem.n) ** 0.5)))


def _domain(points, model: str) -> tuple[tuple[float, float], tuple[float, float]]:
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    if model == "tanh" or pts.size == 0:
        h = max(3.0, 1.5 * float(np.max(np.abs(pts)))) if pts.size else 4.0
        return ((-h, h), (-h, h))
    centre = pts.mean(axis=0)
    h = max(3.0, 1.2 * float(np.max(np.abs(pts - centre))) + 2.0, 0.6 * float(np.max(np.abs(centre))))
    return ((centre[0] - h, centre[0] + h), (centre[1] - h, centre[1] + h))


def data_surface(problem: DataProblem) -> DataSurface:
    """The full-data objective of ``problem`` as a drawable, runnable ``Surface``."""
    minima = find_minima(problem)
    free = minima if problem.reg_kind == 0 else find_minima(problem.unregularised())
    domain = _domain(minima + free, problem.model)
    (x0, x1), (y0, y1) = domain
    start = (x0 + 0.15 * (x1 - x0), y0 + 0.8 * (y1 - y0))
    if problem.model_id == TANH:
        start = (x0 + 0.55 * (x1 - x0), y0 + 0.45 * (y1 - y0))
    saddles = ((0.0, 0.0),) if problem.model_id == TANH else ()

    def value(x, y):
        return _scalar(problem.evaluate(x, y, 0)[..., 0])

    def gradient(x, y):
        g = problem.evaluate(x, y, 1)
        return _scalar(g[..., 0]), _scalar(g[..., 1])

    def hessian(x, y):
        h = problem.evaluate(x, y, 2)
        return _scalar(h[..., 0]), _scalar(h[..., 1]), _scalar(h[..., 2])

    reg = "" if problem.reg_kind == 0 else f" + {problem.lam:g}·{'‖W‖²' if problem.reg == 'L2' else '‖W‖₁'}"
    none = " No minimum: the data are separable, the loss only approaches 0." if not minima else ""
    return DataSurface(
        name="data",
        label=f"Data: {problem.model}",
        description=f"{WORDS[problem.model]} over {problem.n} points ({problem.source}){reg}.{none}",
        domain=domain,
        start=start,
        minima=minima,
        saddles=saddles,
        value=value,
        gradient=gradient,
        hessian=hessian,
        problem=problem,
        free_minima=free,
    )


__all__ = ["LOGISTIC", "DataProblem", "DataSurface", "data_surface", "find_minima", "generators"]
