"""The NumPy and PyTorch export scripts of a data scene reproduce its runs, batch for batch."""

import numpy as np
import pytest

from analysis.outcomes import run_scene, surface_of
from app.export.formats import numpy_script, torch_script
from app.state.link import query_to_scene

SCENES = [
    "?surface=data&model=linear&n=60&batch=7&steps=80&lam=0.1&reg=L2&seed=3",
    "?surface=data&model=logistic&n=60&batch=8&steps=80&lam=0.05&reg=L1&droplast=1",
    "?surface=data&model=tanh&n=50&batch=5&steps=80&opt=adam,nadam,adadelta",
    # the vector rules: a closure over the current batch, the batch's Hessian
    "?surface=data&model=tanh&n=50&batch=8&steps=40&lam=0.05&opt=newton,lbfgs,adafactor&newton.damping=0.5"
    "&lbfgs.line_search=1&lbfgs.max_eval=25&lbfgs.lr=0.5",
    "?surface=data&model=logistic&n=60&batch=8&steps=40&lam=0.05&opt=newton,lbfgs",
]


def _paths(script: str) -> dict:
    namespace: dict = {"__name__": "exported"}
    exec(compile(script, "exported.py", "exec"), namespace)  # our own generated script, in a test
    return namespace["paths"]


@pytest.mark.parametrize("query", SCENES)
def test_numpy_script_reproduces_the_data_runs(query):
    scene, notices = query_to_scene(query)
    assert notices == []
    outcomes = run_scene(scene, surface_of(scene))
    paths = _paths(numpy_script(scene))
    assert set(paths) == set(outcomes)
    for rule, o in outcomes.items():
        np.testing.assert_allclose(paths[rule], o.result.path, rtol=1e-9, atol=1e-12, err_msg=rule)


@pytest.mark.parametrize("query", SCENES)
def test_torch_script_reproduces_the_data_runs(query):
    pytest.importorskip("torch")
    scene, _ = query_to_scene(query)
    outcomes = run_scene(scene, surface_of(scene))
    paths = _paths(torch_script(scene))
    for rule, o in outcomes.items():
        np.testing.assert_allclose(paths[rule], o.result.path, rtol=1e-6, atol=1e-10, err_msg=rule)
