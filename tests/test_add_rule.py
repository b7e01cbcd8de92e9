"""Adding a rule is one module plus one registry line: a toy rule written into a temporary module,
registered with ``optimizers.register``, shows up in the control panel, the link, a run (numpy and
compiled), the inspector and the numpy export; unregistered afterwards."""

from __future__ import annotations

import importlib
import sys
import textwrap

import numpy as np
import pytest

import landscapes
import optimizers

TOY = '''
"""Sign momentum (a toy): v_t = rho * v_{t-1} + g_t;  theta_t = theta_{t-1} - lr * sign(v_t)."""

from typing import NamedTuple

import numpy as np

from optimizers.hyper import defaults
from optimizers.rule import Rule


class State(NamedTuple):
    """The decayed running sum of gradients."""

    trace: np.ndarray


def init(params):
    return (0.0 * params,)


def update(grad, state, params, hyper):
    (v,) = state
    v = hyper.rho * v + grad
    return params - hyper.lr * np.sign(v), (v,)


RULE = Rule(
    name="signum",
    label="Sign momentum",
    color="#999999",
    dash="dot",
    torch="SGD(lr, momentum=rho)",
    defaults=defaults("lr", "rho", lr=0.05, rho=0.5),
    state=State,
    init=init,
    update=update,
)
'''


@pytest.fixture
def toy(tmp_path, monkeypatch):
    (tmp_path / "toy_signum.py").write_text(textwrap.dedent(TOY))
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("toy_signum")
    optimizers.register(module.RULE)  # the one line
    try:
        yield module.RULE
    finally:
        optimizers.unregister("signum")
        sys.modules.pop("toy_signum", None)
    assert "signum" not in optimizers.NAMES


def _reference(start, steps, lr, rho, surface):
    p, v, path = np.array(start, dtype=float), np.zeros(2), [np.array(start, dtype=float)]
    for _ in range(steps):
        v = rho * v + np.array(surface.gradient(p[0], p[1]), dtype=float)
        p = p - lr * np.sign(v)
        path.append(p)
    return np.array(path)


def test_the_toy_rule_runs_in_both_engines(toy):
    assert optimizers.NAMES[-1] == "signum" and optimizers.RULES["signum"] is toy
    s = landscapes.get("rosenbrock")
    want = _reference((-1.5, 2.5), 200, 0.05, 0.5, s)
    for backend in ("numpy", "numba"):
        r = optimizers.run("signum", s, (-1.5, 2.5), 200, backend=backend)
        np.testing.assert_allclose(r.path, want, rtol=1e-12, atol=1e-12, err_msg=backend)
        assert set(r.state) == {"trace"}
    with pytest.raises(ValueError, match="has no hyperparameter"):
        optimizers.run("signum", s, (0.0, 0.0), 5, beta1=0.9)


def test_the_toy_rule_is_in_the_panel_the_link_the_inspector_and_the_export(toy, tmp_path):
    from analysis import inspector
    from analysis import outcomes as compute
    from app.export import formats as export
    from app.runs import controls
    from app.state.link import query_to_scene, scene_to_query
    from app.state.scene import Scene, clamp_scene

    scene, notices = clamp_scene(
        Scene(surface="paraboloid", rules=("sgd", "signum"), steps=60, hyper={"signum": {"lr": 0.2}})
    )
    assert notices == [] and scene.rules == ("sgd", "signum") and scene.hyper == {"signum": {"lr": 0.2}}

    # the panel: the rule among the choices, and its own settings' controls
    text = str(controls.controls_panel(scene))
    assert "Sign momentum" in text
    for name in ("lr", "rho"):
        assert f"'type': 'hp', 'rule': 'signum', 'name': '{name}'" in text

    # the link
    query = scene_to_query(scene)
    assert "signum.lr=0.2" in query
    assert query_to_scene(query) == (scene, [])

    # the inspector (no hooks: the state's own rows)
    outcomes = compute.run_scene(scene)
    rows = dict(inspector.state_at(outcomes["signum"], 10)["rows"])
    assert "trace" in rows

    # the export: a standalone numpy script with the toy's own source reproduces the engine
    import json
    import subprocess

    script = tmp_path / "reproduce.py"
    script.write_text(export.numpy_script(scene))
    run = "import json, runpy, sys; g = runpy.run_path(sys.argv[1]); print(json.dumps(g['paths']['signum'].tolist()))"
    done = subprocess.run([sys.executable, "-c", run, str(script)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    path = np.array(json.loads(done.stdout))
    np.testing.assert_allclose(path, outcomes["signum"].result.path[: path.shape[0]], rtol=1e-9, atol=1e-11)
