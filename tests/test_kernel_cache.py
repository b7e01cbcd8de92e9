"""The compiled engine is compiled at most once per machine: later processes load it from disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

import landscapes
import optimizers
from optimizers import kernel_cache

ROOT = Path(__file__).resolve().parents[1]

# A fresh process: run one pairing, report numba's own cache statistics for its kernel.
PROBE = """
import json, sys
import landscapes, optimizers
from optimizers import kernel_cache
rule, name = sys.argv[1], sys.argv[2]
surface = landscapes.get(name)
result = optimizers.run(rule, surface, surface.start, 50)
k = kernel_cache.kernel(optimizers.RULES[rule], surface.kernel_value, surface.kernel_gradient)
print(json.dumps({
    "hits": sum(k.stats.cache_hits.values()),
    "misses": sum(k.stats.cache_misses.values()),
    "end": result.path[-1].tolist(),
    "folder": str(kernel_cache.cache_dir()),
}))
"""


def _probe(cache: Path, rule: str = "nadam", surface: str = "beale", **env: str) -> dict:
    environ = {**os.environ, "KERNEL_CACHE": str(cache), **env}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, rule, surface], cwd=ROOT, env=environ, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_second_process_loads_the_kernel_instead_of_compiling_it(tmp_path):
    first = _probe(tmp_path)
    second = _probe(tmp_path)
    assert first["misses"] == 1 and first["hits"] == 0  # compiled, then saved
    assert second["hits"] == 1 and second["misses"] == 0  # loaded from disk
    assert first["end"] == second["end"]
    folder = Path(first["folder"])
    assert folder.parent == tmp_path and folder.name == kernel_cache.fingerprint()
    assert any(folder.glob("__pycache__/*.nbi"))


def test_processes_racing_for_one_pairing_all_get_it(tmp_path):
    environ = {**os.environ, "KERNEL_CACHE": str(tmp_path)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", PROBE, "radam", "himmelblau"], cwd=ROOT, env=environ, stdout=subprocess.PIPE
        )
        for _ in range(3)
    ]
    ends = [json.loads(p.communicate(timeout=300)[0].decode().strip().splitlines()[-1])["end"] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert ends[0] == ends[1] == ends[2]
    assert len(list(Path(tmp_path, kernel_cache.fingerprint()).glob("*.py"))) == 1  # written once
    assert _probe(tmp_path, "radam", "himmelblau")["misses"] == 0


def test_an_unwritable_cache_folder_falls_back_to_the_temp_dir(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    found = _probe(blocked / "kernels", "sgd", "paraboloid")
    assert not found["folder"].startswith(str(blocked))
    assert found["folder"].endswith(kernel_cache.fingerprint())


def test_the_generated_source_binds_the_pairings_own_functions():
    surface = landscapes.get("rosenbrock")
    text = kernel_cache.source(optimizers.RULES["adamw"], surface.kernel_value, surface.kernel_gradient)
    assert "from optimizers.adamw import init as _init, update as _update" in text
    assert "from landscapes.functions import rosenbrock as _value, rosenbrock_grad as _gradient" in text
    assert "@numba.njit(nogil=True, cache=True)\ndef run_kernel(" in text
    compile(text, "<kernel>", "exec")  # valid Python


def test_the_fingerprint_covers_every_source_file_of_the_engine():
    files = {p.relative_to(ROOT).as_posix() for pkg in kernel_cache.PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    assert {"optimizers/kernel_loop.py", "optimizers/adam.py", "landscapes/functions.py"} <= files
    assert len(kernel_cache.fingerprint()) == 16


def test_cached_kernels_agree_with_the_numpy_loop_for_every_pairing():
    # 15 steps: long enough to use every state slot, short enough that rounding differences between
    # the two spline evaluations are not amplified by the unbounded surfaces (monkey saddle).
    for name in landscapes.NAMES:
        surface = landscapes.get(name)  # the rough layer: tests/test_engine.py
        for rule in optimizers.NAMES:
            compiled = optimizers.run(rule, surface, surface.start, 15, grad_noise=0.1, seed=1, lr=0.01)
            plain = optimizers.run(rule, surface, surface.start, 15, grad_noise=0.1, seed=1, lr=0.01, backend="numpy")
            np.testing.assert_allclose(compiled.path, plain.path, rtol=1e-9, atol=1e-12, err_msg=f"{rule} on {name}")


FORMULA_PROBE = """
import json, sys
import optimizers
from landscapes.formula import formula_surface
from optimizers import kernel_cache
surface = formula_surface(sys.argv[1])
result = optimizers.run("adam", surface, surface.start, 50)
k = kernel_cache.formula_kernel(optimizers.RULES["adam"])
print(json.dumps({"hits": sum(k.stats.cache_hits.values()), "misses": sum(k.stats.cache_misses.values()),
                  "end": result.path[-1].tolist()}))
"""


def test_one_formula_kernel_per_rule_serves_every_formula_and_is_cached_on_disk(tmp_path):
    environ = {**os.environ, "KERNEL_CACHE": str(tmp_path)}

    def probe(text: str) -> dict:
        command = [sys.executable, "-c", FORMULA_PROBE, text]
        out = subprocess.run(command, cwd=ROOT, env=environ, capture_output=True, text=True, check=True)
        return json.loads(out.stdout.strip().splitlines()[-1])

    first, second = probe("x^2 + 3*y^2"), probe("sin(x)*cos(y) + 0.1*(x^2 + y^2)")
    assert first["misses"] == 1 and second["misses"] == 0 and second["hits"] == 1  # another formula: no compiling
    assert len(list(Path(tmp_path, kernel_cache.fingerprint()).glob("k_adam__formula.py"))) == 1


def test_the_formula_kernel_is_the_loop_with_the_surface_passed_in():
    text = kernel_cache.formula_source(optimizers.RULES["nesterov"])
    assert "from optimizers.nesterov import init as _init, update as _update" in text
    assert "def run_kernel(fn, starts," in text and "value(fn, x, y)" in text and "gradient(fn, x, y)" in text
    assert "value(x, y)" not in text and "gradient(x, y)" not in text
    compile(text, "<kernel>", "exec")
