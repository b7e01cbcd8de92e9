"""Your own surface: a formula in x and y, parsed safely, with its exact gradient and Hessian.

The text is parsed by Python's own parser (``ast.parse``) into a syntax tree, which is then
walked against a whitelist: numbers, the names ``x``, ``y``, ``pi``, ``e``, the operators
``+ - * / ^ **`` and one-argument calls of the functions in ``FUNCTIONS``. Anything else (attribute
access, subscripts, strings, keywords, ``__import__``, lambdas, comparisons...) is refused with
the position where it occurs. The text itself is never evaluated: the tree is rebuilt as a SymPy
expression node by node, its partial derivatives are taken symbolically (``sympy.diff``; twice
for the Hessian, ``second_derivatives``), and value, gradient and Hessian are compiled to
vectorised numpy by ``sympy.lambdify`` (which prints code from the SymPy tree, made only of
whitelisted functions and numbers), and value and gradient, for the engine's loop,
printed by SymPy's Python printer into one scalar function that numba compiles to machine code
(``fn(x, y, which)``: L, dL/dx or dL/dy), so a formula runs as fast as a built-in surface.

Bounds keep the work small: at most ``MAX_LENGTH`` characters, ``MAX_NODES`` tree nodes,
``MAX_DEPTH`` levels, constant exponents up to ``MAX_EXPONENT`` and constants up to ``MAX_CONSTANT``.
Constant sub-expressions are folded in floats first, so ``9^9^9`` is refused, not computed.
"""

from __future__ import annotations

import ast
import math
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache

import numba
import numpy as np
import sympy
from scipy.optimize import minimize
from sympy.printing.pycode import PythonCodePrinter
from threadpoolctl import threadpool_limits

from i18n import _, decimal_text, parse_number
from landscapes.surface import Surface, distances

MAX_LENGTH = 200
MAX_NODES = 120
MAX_DEPTH = 24
MAX_EXPONENT = 64.0
MAX_CONSTANT = 1e6
DOMAIN_LIMIT = 1000.0  # |x|, |y| of a formula's view
MIN_SIDE = 0.01  # a view's range is at least this wide,
MIN_SIDE_RELATIVE = 1e-4  # and at least this part of its larger end (the charts draw in float32)
MAX_VALUE = 1e36  # |L| over the view: the charts draw in float32 (up to 3.4e38)
CHECK_GRIDS = (41, 60, 100)  # grids (points per side) a formula is checked on: the charts' own among them
MAX_MINIMA = 12
MINIMA_EVALUATIONS = 2500  # of L and its gradient, over all starts of the minima search

X, Y = sympy.symbols("x y", real=True)
NAMES = {"x": X, "y": Y, "pi": sympy.pi, "e": sympy.E}
FUNCTIONS = {
    "sin": (sympy.sin, math.sin),
    "cos": (sympy.cos, math.cos),
    "tan": (sympy.tan, math.tan),
    "exp": (sympy.exp, math.exp),
    "log": (sympy.log, math.log),
    "ln": (sympy.log, math.log),
    "sqrt": (sympy.sqrt, math.sqrt),
    "abs": (sympy.Abs, abs),
    "tanh": (sympy.tanh, math.tanh),
    "sinh": (sympy.sinh, math.sinh),
    "cosh": (sympy.cosh, math.cosh),
    "atan": (sympy.atan, math.atan),
    "arctan": (sympy.atan, math.atan),
}
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "^"}
_ARITHMETIC = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}
_ALLOWED_CHARS = re.compile(r"[0-9A-Za-z_.,+\-*/^()\s]")
DEFAULT_FORMULA = "sin(x)*cos(y) + 0.1*(x^2 + y^2)"
DEFAULT_DOMAIN = ((-5.0, 5.0), (-5.0, 5.0))


class FormulaError(ValueError):
    """A formula that cannot be used; ``position`` is the 1-based column in the user's text (0: none)."""

    def __init__(self, message: str, position: int = 0):
        super().__init__(_("position {n}: {message}").format(n=position, message=message) if position else message)
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Formula:
    text: str
    expr: sympy.Expr
    dx: sympy.Expr
    dy: sympy.Expr


def _to_python(text: str) -> tuple[str, list[int]]:
    """``^`` becomes ``**``; ``where[i]`` is the 1-based column in ``text`` of character i of the result."""
    out, where = [], []
    for i, ch in enumerate(text):
        if ch == "^":
            out.append("**")
            where += [i + 1, i + 1]
        else:
            out.append(ch)
            where.append(i + 1)
    return "".join(out), where


def _depth(node: ast.AST) -> int:
    children = list(ast.iter_child_nodes(node))
    return 1 + (max(map(_depth, children)) if children else 0)


class _Builder:
    """Rebuilds a whitelisted syntax tree as a SymPy expression, folding constants in floats."""

    def __init__(self, where: list[int]):
        self.where = where

    def pos(self, node: ast.AST) -> int:
        col = getattr(node, "col_offset", None)
        return self.where[col] if col is not None and col < len(self.where) else 0

    def fail(self, node: ast.AST, message: str):
        raise FormulaError(message, self.pos(node))

    def build(self, node: ast.AST) -> sympy.Expr:
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                self.fail(node, _("{value} is not a number").format(value=repr(v)))
            if not abs(v) <= MAX_CONSTANT:
                self.fail(
                    node,
                    _("the number {value} is too large (at most {limit})").format(
                        value=repr(v), limit=f"{MAX_CONSTANT:g}"
                    ),
                )
            return sympy.Integer(v) if isinstance(v, int) else sympy.Float(v)
        if isinstance(node, ast.Name):
            if node.id not in NAMES:
                known = ", ".join([*NAMES, *FUNCTIONS])
                self.fail(node, _("unknown name {name}; use x, y and: {known}").format(name=repr(node.id), known=known))
            return NAMES[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self.build(node.operand)
            return self.fold(node, -inner if isinstance(node.op, ast.USub) else inner)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            a, b = self.build(node.left), self.build(node.right)
            if isinstance(node.op, ast.Pow):
                if b.is_number and not abs(float(b)) <= MAX_EXPONENT:
                    self.fail(
                        node.right, _("the exponent is too large (at most {limit})").format(limit=f"{MAX_EXPONENT:g}")
                    )
                return self.fold(node, a**b)
            if isinstance(node.op, ast.Div) and b.is_number and float(b) == 0.0:
                self.fail(node.right, "division by zero")
            return self.fold(node, _ARITHMETIC[type(node.op)](a, b))
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else None
            if name not in FUNCTIONS:
                what = name if name else "this kind of call"
                self.fail(
                    node,
                    _("{name} is not an allowed function; use one of: {known}").format(
                        name=repr(what), known=", ".join(FUNCTIONS)
                    ),
                )
            if node.keywords or len(node.args) != 1:
                self.fail(node, _("{name}() takes exactly one argument").format(name=name))
            return self.fold(node, FUNCTIONS[name][0](self.build(node.args[0])))
        if isinstance(node, ast.Attribute):
            self.fail(node, "attribute access (a dot after a name) is not allowed")
        if isinstance(node, ast.BinOp):
            self.fail(node, "only + - * / ^ are allowed as operators")
        self.fail(node, _("{what} is not allowed in a formula").format(what=type(node).__name__.lower()))
        raise AssertionError  # unreachable: fail raises

    def fold(self, node: ast.AST, expr: sympy.Expr) -> sympy.Expr:
        """A constant sub-expression becomes one float (refused when it is not finite or too large)."""
        if not expr.free_symbols and not expr.is_Integer:
            try:
                value = float(sympy.N(expr, 17, strict=False))
            except (TypeError, ValueError, OverflowError, ZeroDivisionError):
                self.fail(node, "this constant part has no real value")
            if not (math.isfinite(value) and abs(value) <= MAX_CONSTANT):
                self.fail(
                    node,
                    _("this constant part is too large or not a real number (at most {limit})").format(
                        limit=f"{MAX_CONSTANT:g}"
                    ),
                )
            return sympy.Float(value)
        if expr.is_Integer and abs(int(expr)) > MAX_CONSTANT:
            self.fail(node, _("this constant part is too large (at most {limit})").format(limit=f"{MAX_CONSTANT:g}"))
        if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            self.fail(node, "this part is infinite or undefined everywhere")
        return expr


def parse(text: str) -> Formula:
    """The formula and its exact partial derivatives, or a ``FormulaError`` saying where it fails."""
    if not isinstance(text, str):
        raise FormulaError(_("the formula must be text"))
    return _parse(text)


@lru_cache(maxsize=64)
def _parse(text: str) -> Formula:
    if not text.strip():
        raise FormulaError(_("the formula is empty; try for example {example}").format(example=DEFAULT_FORMULA))
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            _("the formula is {n} characters long (at most {limit})").format(n=len(text), limit=MAX_LENGTH),
            MAX_LENGTH + 1,
        )
    for i, ch in enumerate(text):
        if not _ALLOWED_CHARS.fullmatch(ch):
            raise FormulaError(_("the character {ch} is not allowed").format(ch=repr(ch)), i + 1)
    source, where = _to_python(text)
    try:
        with warnings.catch_warnings():  # "2x" also warns (invalid decimal literal); the error says it
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        col = (exc.offset or 1) - 1
        position = where[col] if 0 <= col < len(where) else len(text)
        hint = _("; write 2*x, not 2x") if re.search(r"\d[A-Za-z_(]", text) else ""
        raise FormulaError(
            _("the formula is not well formed ({reason}){hint}").format(reason=exc.msg, hint=hint), position
        ) from None
    except (RecursionError, MemoryError, ValueError):
        raise FormulaError(_("the formula is nested too deeply")) from None
    nodes = sum(1 for _ in ast.walk(tree))
    if nodes > MAX_NODES:
        raise FormulaError(
            _("the formula has {n} parts (at most {limit}); make it shorter").format(n=nodes, limit=MAX_NODES)
        )
    if _depth(tree) > MAX_DEPTH:
        raise FormulaError(_("the formula is nested more than {limit} levels deep").format(limit=MAX_DEPTH))
    expr = _Builder(where).build(tree.body)
    if not expr.free_symbols <= {X, Y}:
        raise FormulaError(_("the formula may only use x and y"))
    if expr.has(sympy.I):
        raise FormulaError(
            _("the formula is not a real number (it simplifies to {value})").format(value=_short(sympy.sstr(expr)))
        )
    return Formula(text=text, expr=expr, dx=sympy.diff(expr, X), dy=sympy.diff(expr, Y))


@lru_cache(maxsize=64)
def second_derivatives(text: str) -> tuple[sympy.Expr, sympy.Expr, sympy.Expr]:
    """The exact second partial derivatives (d2L/dx2, d2L/dxdy, d2L/dy2), ``sympy.diff`` of the
    gradient's, as ``scipy.optimize.rosen_hess`` is of ``rosen_der``. Where the gradient jumps (the kink
    of ``abs``: d/dx sign(x) = 2 delta(x)) the delta is left out: the Hessian of the smooth pieces."""
    f = parse(text)
    second = (sympy.diff(f.dx, X), sympy.diff(f.dx, Y), sympy.diff(f.dy, Y))
    return tuple(e.replace(sympy.DiracDelta, lambda *args: sympy.S.Zero) for e in second)


def formula_source(text: str) -> str:
    """Standalone numpy source of ``clean_loss(x, y)``, ``clean_gradient(x, y)`` and
    ``clean_hessian(x, y)`` (Lxx, Lxy, Lyy) for ``text``."""
    from sympy.printing.numpy import NumPyPrinter

    f = parse(text)
    code = NumPyPrinter().doprint
    return (
        "import numpy\n\n\n"
        f'def clean_loss(x, y):\n    """L(x, y) = {text}"""\n    return {code(f.expr)} + 0.0 * x\n\n\n'
        f'def clean_gradient(x, y):\n    """Exact partial derivatives (SymPy)."""\n'
        f"    return {code(f.dx)} + 0.0 * x, {code(f.dy)} + 0.0 * y\n\n\n"
        f'def clean_hessian(x, y):\n    """Exact second partial derivatives (SymPy)."""\n'
        f"    return {', '.join(f'{code(e)} + 0.0 * x' for e in second_derivatives(text))}\n"
    )


def _real(values) -> np.ndarray:
    """Floats; complex values (none should reach here: ``parse`` refuses ``i``) are NaN unless real."""
    values = np.asarray(values)
    if np.iscomplexobj(values):
        return np.where(values.imag == 0, values.real, np.nan)
    return values.astype(float)


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


KERNEL_SIGNATURE = "float64(float64, float64, int64)"


class _KernelPrinter(PythonCodePrinter):
    """SymPy's Python printer, but ``x**(-n)`` as ``1.0/x**n``: numba raises for 0.0 to a negative
    whole power (a C function cannot pass that on), while a division by zero gives inf as numpy does."""

    def _print_Pow(self, expr, rational=False):
        if expr.exp.is_Integer and expr.exp < 0:
            return f"(1.0/({self._print(expr.base**-expr.exp)}))"
        return super()._print_Pow(expr, rational=rational)


@lru_cache(maxsize=64)
def operation_count(text: str) -> int:
    """Operations in L, dL/dx and dL/dy together (``sympy.count_ops``): what a step of the formula costs."""
    f = parse(text)
    return int(sum(sympy.count_ops(e) for e in (f.expr, f.dx, f.dy)))


@lru_cache(maxsize=32)
def kernel_function(text: str):
    """The formula's value, gradient and Hessian as one numba-compiled C function ``fn(x, y, which)``
    (which 0: L, 1: dL/dx, 2: dL/dy, 3-5: Lxx, Lxy, Lyy) for the engine's compiled loop, or None when
    numba cannot compile it (the engine then runs its numpy loop). The source is SymPy's printing of
    the checked tree, not the text."""
    f = parse(text)
    pycode = _KernelPrinter({"standard": "python3"}).doprint
    branches = []
    exprs = (f.expr, f.dx, f.dy, *second_derivatives(text))  # which 3, 4, 5: Lxx, Lxy, Lyy (Newton)
    for which, expr in enumerate(exprs):  # each with its own common subexpressions
        shared, (reduced,) = sympy.cse(expr, symbols=sympy.numbered_symbols("_c"))
        lines = [f"{name} = {pycode(value)}" for name, value in shared]
        body = "".join(f"        {line}\n" for line in lines) + f"        return {pycode(reduced)}\n"
        branches.append(f"    if which == {which}:\n{body}")
    source = "def fn(x, y, which):\n" + "".join(branches) + "    return math.nan\n"
    namespace = {"math": math}
    try:
        exec(compile(source, "<formula>", "exec"), namespace)  # printed by SymPy from the checked tree
        return numba.cfunc(KERNEL_SIGNATURE, error_model="numpy")(namespace["fn"])
    except Exception:  # anything numba cannot type: the engine falls back to its numpy loop
        return None


def _vectorised(exprs: list[sympy.Expr]):
    fn = sympy.lambdify((X, Y), exprs, modules="numpy", cse=True)

    def call(x, y):
        x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        with np.errstate(all="ignore"):
            out = fn(x, y)
        return [np.broadcast_to(_real(o), x.shape) + 0.0 for o in out]

    return call


def check_domain(domain) -> tuple[tuple[float, float], tuple[float, float]]:
    """A view ``((x0, x1), (y0, y1))`` with x0 < x1, y0 < y1, all within +-``DOMAIN_LIMIT``."""
    try:
        (x0, x1), (y0, y1) = ((parse_number(a), parse_number(b)) for a, b in domain)
    except (TypeError, ValueError):
        raise FormulaError(_("the view must be two ranges: x from .. to, y from .. to")) from None
    for lo, hi, axis in ((x0, x1, "x"), (y0, y1, "y")):
        if not (math.isfinite(lo) and math.isfinite(hi) and -DOMAIN_LIMIT <= lo < hi <= DOMAIN_LIMIT):
            raise FormulaError(
                _("the {axis} range must go from a smaller to a larger number within ±{limit}").format(
                    axis=axis, limit=f"{DOMAIN_LIMIT:g}"
                )
            )
        need = max(MIN_SIDE, MIN_SIDE_RELATIVE * max(abs(lo), abs(hi)))
        if hi - lo < need:
            wide = hi - lo
            raise FormulaError(
                _("the {axis} range is {wide} wide; it must be at least {need} wide to be drawn").format(
                    axis=axis, wide=decimal_text(f"{wide:.3g}"), need=decimal_text(f"{need:.3g}")
                )
            )
    return (x0, x1), (y0, y1)


def check_values(value, domain) -> None:
    """Refuse a formula the charts cannot show over ``domain``: without a finite value on one of the
    ``CHECK_GRIDS`` over it (the 3-D view and the contour map draw such grids), or with finite values
    beyond ±``MAX_VALUE``. Undefined or infinite in parts (``log(x)``, ``1/x``) is fine: those parts
    are gaps in the charts."""
    (x0, x1), (y0, y1) = domain
    for n in CHECK_GRIDS:
        xx, yy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
        z = value(xx, yy)
        finite = np.isfinite(z)
        if not finite.any():
            raise FormulaError(
                f"L(x, y) has no finite value on a {n}×{n} grid over this view (at ({xx[0, 0]:.3g}, "
                f"{yy[0, 0]:.3g}) it is {z[0, 0]:g}), so it cannot be drawn; change the formula or the view"
            )
        size = np.where(finite, np.abs(z), 0.0)
        j, i = np.unravel_index(np.argmax(size), z.shape)
        if size[j, i] > MAX_VALUE:
            raise FormulaError(
                f"L(x, y) reaches {z[j, i]:.3g} at ({xx[j, i]:.3g}, {yy[j, i]:.3g}); the charts draw values up "
                f"to ±{MAX_VALUE:g}: try a smaller view"
            )


def _local_minima(value, gradient, hessian, domain, per_side: int = 7) -> tuple[tuple[float, float], ...]:
    """Local minima inside the view, found by L-BFGS-B (exact gradient) from a grid of starts; each a
    strict minimum by its exact Hessian (``_strict_minimum``).

    At most ``MINIMA_EVALUATIONS`` evaluations in all: a formula undefined in much of its view makes
    the line searches flounder, and the search must stay a small part of a request's work."""
    (x0, x1), (y0, y1) = domain
    span = max(x1 - x0, y1 - y0)
    found: list[tuple[float, float]] = []
    calls = [0]

    def f(p):
        calls[0] += 1
        return float(value(p[0], p[1]))

    def g(p):
        return np.array([float(v) for v in gradient(p[0], p[1])])

    def h(p):
        hxx, hxy, hyy = (float(v) for v in hessian(p[0], p[1]))
        return np.array([[hxx, hxy], [hxy, hyy]])

    with threadpool_limits(limits=1, user_api="blas"):  # see below
        _search(f, g, h, domain, per_side, span, found, calls)
    return tuple(sorted(found)[:MAX_MINIMA])


def _strict_minimum(f, h, p: np.ndarray, radius: float) -> bool:
    """Whether the stationary point ``p`` is a strict local minimum: its exact Hessian ``h(p)`` is
    positive definite, or, when that is only semidefinite (x⁴ + y⁴ at 0), L is higher all round a
    circle of ``radius`` (a valley floor, as x² along y, is not)."""
    hess = h(p)
    if not np.all(np.isfinite(hess)):
        return False
    smallest = np.linalg.eigvalsh(hess)[0]
    if smallest > 1e-8 or smallest < -1e-8:
        return bool(smallest > 1e-8)
    angles = np.linspace(0.0, 2.0 * math.pi, 16, endpoint=False)
    return all(f(p + radius * np.array([math.cos(a), math.sin(a)])) > f(p) for a in angles)


def _search(f, g, h, domain, per_side: int, span: float, found: list, calls: list) -> None:
    """The starts' searches. One BLAS thread: L-BFGS-B's tiny 2-D algebra then takes microseconds an
    iteration, against about a millisecond with OpenBLAS's threads contending on a busy server."""
    (x0, x1), (y0, y1) = domain
    for sx in np.linspace(x0, x1, per_side + 2)[1:-1]:
        for sy in np.linspace(y0, y1, per_side + 2)[1:-1]:
            left = MINIMA_EVALUATIONS - calls[0]
            if left <= 0:
                break
            options = {"maxiter": 200, "maxfun": min(200, left)}
            with np.errstate(all="ignore"):
                res = minimize(f, [sx, sy], jac=g, method="L-BFGS-B", bounds=domain, options=options)
            p = res.x
            if not np.all(np.isfinite(p)) or not np.isfinite(res.fun):
                continue
            margin = 1e-6 * span
            if not (x0 + margin < p[0] < x1 - margin and y0 + margin < p[1] < y1 - margin):
                continue  # on the edge of the view: not a minimum of the surface
            if np.hypot(*g(p)) > 1e-5 * max(1.0, abs(res.fun)):
                continue
            if found and distances(p, found).min() < 1e-3 * span:
                continue
            if not _strict_minimum(f, h, p, 1e-3 * span):
                continue
            found.append((round(float(p[0]), 6) + 0.0, round(float(p[1]), 6) + 0.0))


@lru_cache(maxsize=32)
def formula_surface(text: str, domain: tuple = DEFAULT_DOMAIN) -> Surface:
    """The surface of a formula over ``domain``; its known minima are found numerically."""
    formula = parse(text)
    domain = check_domain(domain)
    values = _vectorised([formula.expr])
    grads = _vectorised([formula.dx, formula.dy])
    hessians = _vectorised(list(second_derivatives(text)))

    def value(x, y):
        return values(x, y)[0]

    def gradient(x, y):
        gx, gy = grads(x, y)
        return gx, gy

    def hessian(x, y):
        hxx, hxy, hyy = hessians(x, y)
        return hxx, hxy, hyy

    check_values(value, domain)
    compiled = kernel_function(text)
    if compiled is not None:  # the minima search evaluates one point at a time: the compiled form is quicker
        point = compiled.ctypes
        search = (lambda x, y: point(x, y, 0), lambda x, y: (point(x, y, 1), point(x, y, 2)))
    else:
        search = (value, gradient)
    (x0, x1), (y0, y1) = domain
    return Surface(
        name="custom",
        label="Your formula",
        description=f"L(x, y) = {text}; gradient ({sympy.sstr(formula.dx)}, {sympy.sstr(formula.dy)})",
        domain=domain,
        start=(round(x0 + 0.8 * (x1 - x0), 6), round(y0 + 0.8 * (y1 - y0), 6)),
        minima=_local_minima(*search, hessian, domain),
        value=value,
        gradient=gradient,
        hessian=hessian,
        kernel_function=compiled,
    )
