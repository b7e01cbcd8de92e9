"""One way of writing numbers everywhere: no -0, the same significant digits in tables and hovers."""

import re

import numpy as np
import pytest

import optimizers
from analysis import outcomes as compute
from analysis.events import events_of
from analysis.inspector import state_at
from analysis.numbers import HOVER, SIG, fmt, hover, pair, whole
from app.runs.figures import contour_figure, loss_figure, surface_figure
from app.state.scene import Scene, clamp_scene

NEG_ZERO = re.compile(r"(?<![\w.])-0(?![.\d]*[1-9eE])")  # "-0", "-0.0", "-0.000" but not "-0.5" or "-0e..."


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (-0.0, "0"),
        (0.0, "0"),
        (-1e-20, "-1e-20"),
        (0.5, "0.5"),
        (1e-7, "1e-7"),
        (123456.0, "1.235e5"),
        (-2.5e-12, "-2.5e-12"),
        (3.14159265, "3.142"),
        (float("nan"), "—"),
        (float("inf"), "inf"),
        (np.float32(-0.0), "0"),
    ],
)
def test_fmt_writes_numbers_as_a_person_does(value, text):
    assert fmt(value) == text


def test_whole_and_pair_never_write_minus_zero():
    assert whole(-0.0) == "0" and whole(-0.4) == "0" and whole(5.0) == "5" and whole(float("nan")) == "—"
    assert pair((-0.0, 0.0)) == "(0, 0)"
    assert pair(np.array([-1e-300 * 1e-300, 2.0])) == "(0, 2)"


def test_hover_format_is_the_shared_one():
    assert HOVER == f".{SIG}~g" and hover("x") == "%{x:.4~g}"


def _scene(**kw):
    scene, _ = clamp_scene(Scene(**kw))
    surface = compute.surface_of(scene)
    return scene, surface, compute.run_scene(scene, surface)


def test_inspector_and_table_show_no_minus_zero_from_a_start_on_an_axis():
    # x = 0 exactly: gradients and moments there are -0.0 or 0.0 depending on the formula.
    _, surface, out = _scene(surface="paraboloid", start=(0.0, -3.0), steps=20, rules=tuple(optimizers.NAMES))
    texts = []
    for o in out.values():
        for k in (0, 1, 5, 20):
            texts += [v for _, v in state_at(o, k)["rows"]]
    texts += [v for row in compute.table_rows(out) for v in row.values()]
    for o in out.values():
        texts += [e.text for e in events_of(o, surface)]
    bad = [t for t in texts if NEG_ZERO.search(t)]
    assert not bad, bad[:5]
    assert any(t.startswith("(0, ") for t in texts)  # a zero coordinate is there, written "0"


def test_every_hovertemplate_uses_the_shared_format():
    scene, surface, out = _scene(surface="himmelblau", steps=50, rules=("adam", "sgd"))
    figs = [surface_figure(surface, out, scene), contour_figure(surface, out, scene), loss_figure(surface, out, scene)]
    formats = set()
    for fig in figs:
        for tr in fig["data"]:
            formats |= set(re.findall(r"%\{\w+:([^}]*)\}", tr.get("hovertemplate") or ""))
    assert formats == {HOVER}
