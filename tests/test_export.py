"""Exports: CSV and JSON of a run, and the generated NumPy and PyTorch scripts run for real."""

import csv
import io
import json
import subprocess
import sys

import numpy as np
import pytest

import optimizers
from analysis import outcomes as compute
from app.export import formats as export
from app.state.link import query_to_scene
from app.state.scene import Scene, clamp_scene
from optimizers.schedules import Schedule

SCENES = {
    "every rule, noisy gradients": Scene(
        surface="multimodal", rules=tuple(optimizers.NAMES), steps=300, grad_noise=0.05, seed=7
    ),
    "rough surface": Scene(
        surface="paraboloid",
        rules=("sgd", "adam", "nadam", "adamw"),
        steps=200,
        roughness=0.3,
        seed=4,
        start=(1.0, 1.5),
        hyper={"sgd": {"lr": 0.01}, "adam": {"lr": 0.01}, "nadam": {"lr": 0.01}, "adamw": {"lr": 0.01}},
    ),
    "learning-rate schedules": Scene(
        surface="rosenbrock",
        rules=("sgd", "momentum", "adam", "adamw", "rmsprop"),
        steps=300,
        hyper={"sgd": {"lr": 0.001}, "momentum": {"lr": 0.0005}},
        schedules={
            "sgd": Schedule("step", 50, 0.5),
            "momentum": Schedule("exponential", 0, 0.99),
            "adam": Schedule("cosine", 0, 0.05),
            "adamw": Schedule("warmup", 40, 0.1),
        },
    ),
    "the newer rules under schedules": Scene(
        surface="rosenbrock",
        rules=("sgd", "asgd", "rprop", "schedulefree_sgd", "schedulefree_adamw", "lion", "adopt"),
        steps=200,
        grad_noise=0.02,
        hyper={"asgd": {"lr": 0.001, "t0": 20.0}, "schedulefree_sgd": {"lr": 0.001, "warmup_steps": 10.0}},
        schedules={
            "asgd": Schedule("step", 50, 0.5),
            "rprop": Schedule("exponential", 0, 0.99),
            "schedulefree_sgd": Schedule("cosine", 0, 0.05),
            "schedulefree_adamw": Schedule("warmup", 40, 0.1),
            "lion": Schedule("cosine", 0, 0.1),
        },
    ),
    "a diverging run": Scene(surface="paraboloid", rules=("sgd", "rmsprop"), steps=100, hyper={"sgd": {"lr": 1.5}}),
    "own formula, rough": Scene(
        surface="custom",
        formula="sin(x)*cos(y) + 0.1*(x^2 + y^2) + exp(-(x - y)^2)",
        view=((-4.0, 4.0), (-3.0, 3.0)),
        rules=("sgd", "adam", "nesterov"),
        hyper={"sgd": {"lr": 0.02}, "adam": {"lr": 0.02}, "nesterov": {"lr": 0.01}},
        roughness=0.2,
        steps=300,
    ),
}
RUN = (
    "import json, runpy, sys; g = runpy.run_path(sys.argv[1]); "
    "print(json.dumps({k: v.tolist() for k, v in g['paths'].items()}))"
)


def _outcomes(scene):
    scene, _ = clamp_scene(scene)
    surface = compute.surface_of(scene)
    return scene, surface, compute.run_scene(scene, surface)


def _run_script(text: str, tmp_path) -> dict:
    path = tmp_path / "reproduce.py"
    path.write_text(text)
    done = subprocess.run([sys.executable, "-c", RUN, str(path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return {k: np.array(v, dtype=float) for k, v in json.loads(done.stdout).items()}


def _same_paths(paths: dict, outcomes: dict) -> None:
    assert set(paths) == set(outcomes)
    for rule, path in paths.items():
        engine = outcomes[rule].result.path
        assert path.shape[0] == (outcomes[rule].result.diverged_at or outcomes[rule].result.steps) + 1
        # L-BFGS's curvature pairs amplify last-bit differences (numpy's exp against LLVM's) over 300
        # noisy steps: the vector rules are held to torch.optim's 1e-6 (tests/test_vector_rules.py)
        rtol = 1e-6 if optimizers.RULES[rule].vector else 1e-9
        np.testing.assert_allclose(path, engine[: path.shape[0]], rtol=rtol, atol=1e-11, err_msg=rule)


def test_csv_has_a_row_per_step_and_optimizer_up_to_divergence():
    _, _, out = _outcomes(SCENES["a diverging run"])
    rows = list(csv.DictReader(io.StringIO(export.to_csv(out))))
    sgd = [r for r in rows if r["optimizer"] == "sgd"]
    assert len(sgd) == out["sgd"].result.diverged_at + 1 and len(rows) == len(sgd) + 101
    assert float(rows[0]["x"]) == out["sgd"].result.path[0, 0] and rows[0]["grad_x"] != ""
    assert float(sgd[1]["loss"]) == pytest.approx(out["sgd"].result.loss[1])
    assert sgd[-1]["grad_x"] == ""  # no step was taken from the last point


def test_json_holds_the_scene_its_link_and_every_result():
    scene, surface, out = _outcomes(SCENES["a diverging run"])
    doc = json.loads(export.to_json(scene, out, surface))
    assert query_to_scene(doc["link"]) == (scene, [])
    assert doc["results"]["sgd"]["diverged_at"] == out["sgd"].result.diverged_at
    assert doc["results"]["sgd"]["events"][0]["kind"] == "diverged"
    assert len(doc["results"]["rmsprop"]["path"]) == 101


@pytest.mark.parametrize("name", SCENES)
def test_the_numpy_script_reproduces_the_engine(name, tmp_path):
    scene, _, out = _outcomes(SCENES[name])
    text = export.numpy_script(scene)
    assert "import torch" not in text and "landscapes" not in text.split('"""', 2)[2]  # stands alone
    _same_paths(_run_script(text, tmp_path), out)


@pytest.mark.parametrize("name", SCENES)
def test_the_pytorch_script_reproduces_the_engine(name, tmp_path):
    pytest.importorskip("torch")
    scene, _, out = _outcomes(SCENES[name])
    text = export.torch_script(scene)
    lr = scene.hyper_of("sgd")["lr"]
    assert f"'sgd': lambda params: torch.optim.SGD(params, lr={lr!r})" in text  # torch's own optimizer
    if "lion" in scene.rules:  # torch.optim has none: the authors' package
        assert "import lion_pytorch" in text and "'lion': lambda params: lion_pytorch.Lion(params" in text
    _same_paths(_run_script(text, tmp_path), out)
