"""The own-formula parser: hostile inputs are refused with a position, known gradients are exact."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import optimizers
from landscapes.formula import (
    MAX_LENGTH,
    FormulaError,
    check_domain,
    formula_source,
    formula_surface,
    parse,
)

HOSTILE = [
    ("__import__('os').system('ls')", "not allowed"),
    ("__import__", "unknown name"),
    ("x.__class__", "attribute access"),
    ("(1).real", "attribute access"),
    ("open(x)", "not an allowed function"),
    ("eval(x)", "not an allowed function"),
    ("exec(x)", "not an allowed function"),
    ("getattr(x, y)", "not an allowed function"),
    ("sin(x, y)", "exactly one argument"),
    ("lambda x: x", "not allowed"),
    ("x if y else 1", "not allowed"),
    ("[x for x in y]", "not allowed"),
    ("x[0]", "not allowed"),
    ("'x'", "not allowed"),
    ("x < y", "not allowed"),
    ("x, y", "tuple is not allowed"),
    ("9^9^9", "too large"),
    ("9**9**9**9", "too large"),
    ("x^1000", "exponent is too large"),
    ("exp(1000)*x", "too large"),
    ("1e400*x", "too large"),
    ("10000000*x", "too large"),
    ("x/0", "division by zero"),
    ("log(0) + x", "no real value"),
    ("(-1)^0.5 + x", "no real value"),
    ("exp(" * 30 + "x" + ")" * 30, "nested"),
    ("x+" * 70 + "x", "parts"),
    ("x" * (MAX_LENGTH + 1), "characters long"),
    ("z + x", "unknown name 'z'"),
    ("2x + y", "write 2*x"),
    ("x +", "not well formed"),
    ("", "empty"),
    ("x @ y", "not allowed"),
    ("x // y", "only + - * / ^"),
    ("x % y", "not allowed"),
    ("True * x", "not a number"),
    ("x; import os", "not allowed"),
    ("x\\ny", "not allowed"),
]


@pytest.mark.parametrize(("text", "reason"), HOSTILE)
def test_hostile_formulas_are_refused_with_a_reason(text, reason):
    t0 = time.perf_counter()
    with pytest.raises(FormulaError) as info:
        parse(text)
    assert reason in str(info.value)
    assert time.perf_counter() - t0 < 5.0  # refused, not computed (a hang guard, not a benchmark)


def test_the_position_points_at_the_offending_part():
    assert parse_error("x + foo(y)").position == 5
    assert parse_error("x.real").position == 1
    assert parse_error("x ^ 1000").position == 5  # the exponent, in the user's own text ("^", not "**")
    assert parse_error("x + y ; 1").position == 7
    assert parse_error("sin(x)^2 + a").position == 12


def parse_error(text: str) -> FormulaError:
    with pytest.raises(FormulaError) as info:
        parse(text)
    return info.value


@pytest.mark.parametrize(
    ("text", "value", "dx", "dy"),
    [
        ("x^2 + y^2", lambda x, y: x**2 + y**2, lambda x, y: 2 * x, lambda x, y: 2 * y),
        (
            "sin(x)*cos(y) + 0.1*(x^2+y^2)",
            lambda x, y: np.sin(x) * np.cos(y) + 0.1 * (x**2 + y**2),
            lambda x, y: np.cos(x) * np.cos(y) + 0.2 * x,
            lambda x, y: -np.sin(x) * np.sin(y) + 0.2 * y,
        ),
        (
            "(1-x)^2 + 100*(y-x^2)^2",
            lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
            lambda x, y: -2 * (1 - x) - 400 * x * (y - x**2),
            lambda x, y: 200 * (y - x**2),
        ),
        (
            "exp(-x^2)*ln(1+y^2)",
            lambda x, y: np.exp(-(x**2)) * np.log(1 + y**2),
            lambda x, y: -2 * x * np.exp(-(x**2)) * np.log(1 + y**2),
            lambda x, y: np.exp(-(x**2)) * 2 * y / (1 + y**2),
        ),
        ("x^3 - 3*x*y^2", lambda x, y: x**3 - 3 * x * y**2, lambda x, y: 3 * x**2 - 3 * y**2, lambda x, y: -6 * x * y),
        ("pi*x + e^y", lambda x, y: np.pi * x + np.exp(y), lambda x, y: np.pi + 0 * x, lambda x, y: np.exp(y)),
    ],
)
def test_known_gradients_are_exact(text, value, dx, dy):
    s = formula_surface(text, ((-2.0, 2.0), (-2.0, 2.0)))
    rng = np.random.default_rng(1)
    x, y = rng.uniform(-2, 2, (2, 500))
    np.testing.assert_allclose(s.value(x, y), value(x, y), rtol=1e-12, atol=1e-12)
    gx, gy = s.gradient(x, y)
    np.testing.assert_allclose(gx, dx(x, y), rtol=1e-11, atol=1e-11)
    np.testing.assert_allclose(gy, dy(x, y), rtol=1e-11, atol=1e-11)


@settings(max_examples=30, deadline=None)
@given(st.floats(-3, 3), st.floats(-3, 3))
def test_gradient_matches_central_differences(x, y):
    s = formula_surface("sin(x)*cos(y) + 0.1*(x^2 + y^2) + tanh(x*y)")
    h = 1e-6
    gx, gy = s.gradient(x, y)
    assert gx == pytest.approx((s.value(x + h, y) - s.value(x - h, y)) / (2 * h), abs=1e-6)
    assert gy == pytest.approx((s.value(x, y + h) - s.value(x, y - h)) / (2 * h), abs=1e-6)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="xy0123456789.+-*/^() sincoexplgqrtab_,e", max_size=60))
def test_any_text_parses_or_is_refused_cleanly(text):
    try:
        f = parse(text)
    except FormulaError as err:
        assert 0 <= err.position <= len(text) + 1
    else:
        assert {str(v) for v in f.expr.free_symbols} <= {"x", "y"}


def test_redundant_parentheses_are_harmless():
    assert str(parse("(" * 60 + "x" + ")" * 60).expr) == "x"


def test_vectorised_shapes_and_constant_formulas():
    s = formula_surface("3")
    assert s.value(np.zeros((4, 5)), np.zeros((4, 5))).shape == (4, 5)
    gx, gy = s.gradient(np.zeros(7), 1.0)
    assert gx.shape == gy.shape == (7,) and not gx.any()
    assert s.minima == ()  # a flat surface has no strict minimum


def test_minima_are_found_numerically():
    him = formula_surface("(x^2+y-11)^2+(x+y^2-7)^2")
    expected = [(3.0, 2.0), (-2.805118, 3.131313), (-3.779310, -3.283186), (3.584428, -1.848127)]
    assert len(him.minima) == 4
    for p in expected:
        assert min(np.hypot(p[0] - q[0], p[1] - q[1]) for q in him.minima) < 1e-4


def test_domain_checks():
    with pytest.raises(FormulaError):
        check_domain(((1, 0), (0, 1)))
    with pytest.raises(FormulaError):
        check_domain(((0, float("inf")), (0, 1)))
    with pytest.raises(FormulaError):
        check_domain("nonsense")
    assert check_domain(((-1, 1), (-2, 2))) == ((-1.0, 1.0), (-2.0, 2.0))


def test_exported_source_matches_the_surface():
    text = "sin(x)*cos(y) + 0.1*(x^2 + y^2)"
    namespace: dict = {}
    exec(compile(formula_source(text), "<formula>", "exec"), namespace)  # our own generated code, in a test
    s = formula_surface(text)
    assert namespace["clean_loss"](0.3, -1.2) == pytest.approx(float(s.value(0.3, -1.2)), abs=1e-14)
    gx, gy = namespace["clean_gradient"](0.3, -1.2)
    ex, ey = s.gradient(0.3, -1.2)
    assert (gx, gy) == (pytest.approx(float(ex), abs=1e-14), pytest.approx(float(ey), abs=1e-14))


@pytest.mark.parametrize(
    "text",
    [
        "sin(x)*cos(y) + 0.1*(x^2 + y^2)",
        "abs(x) + sqrt(y^2 + 1)",
        "atan(x)*tanh(y)/3 + log(x^2 + 1) + e^x*pi/100",
        "x^-2 + y^2",
        "ln(x^2 + y^2 + 1) + cosh(x/5) - sinh(y/5) + tan(x/10)",
        "1",
    ],
)
def test_formulas_run_compiled_and_match_the_numpy_loop(text):
    surface = formula_surface(text)
    assert surface.kernel_function is not None  # compiled: no slow numpy loop for own formulas
    for rule in ("adam", "nesterov", "radam"):
        fast = optimizers.run(rule, surface, surface.start, 200, grad_noise=0.3, seed=4, lr=0.01)
        plain = optimizers.run(rule, surface, surface.start, 200, grad_noise=0.3, seed=4, lr=0.01, backend="numpy")
        np.testing.assert_allclose(fast.path, plain.path, rtol=1e-9, atol=1e-12, err_msg=f"{rule} on {text}")
        assert fast.diverged_at == plain.diverged_at
