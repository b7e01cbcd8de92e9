"""One table of hyperparameter specs (optimizers.hyper.SPECS): everything else derives from it, and
no code outside optimizers/ asks for a rule by name."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import optimizers
from optimizers.hyper import SPECS, defaults

ROOT = Path(__file__).resolve().parents[1]


def test_every_table_derives_from_the_specs():
    from app.runs.controls import HYPER_HELP
    from app.state.scene import HYPER_RANGE
    from explore.sweep import LR_RANGE, SWEEPABLE
    from optimizers.validation import RANGES

    assert tuple(optimizers.Hyper._fields) == optimizers.HYPER_NAMES == tuple(SPECS)
    for name, spec in SPECS.items():
        assert RANGES[name] == (spec.low, spec.high, not spec.low_open, not spec.high_open)
        assert HYPER_RANGE[name] == spec.control and HYPER_HELP[name] == spec.help
        lo, hi = spec.control  # the dashboard's bounds lie inside the engine's
        assert (spec.low < lo if spec.low_open else spec.low <= lo) and (hi < spec.high or not spec.high_open)
    assert SWEEPABLE == {n: s.sweep for n, s in SPECS.items() if s.sweep and n != "lr"}
    assert LR_RANGE == SPECS["lr"].sweep


# Overrides of the table's defaults: the reference implementation's own default where the notebook's
# convention does not fit (README, "Learning-rate conventions").
REFERENCE_DEFAULTS = {
    "adadelta": {"lr", "eps"},  # torch: lr 1.0, eps 1e-6
    "rprop": {"lr"},  # torch: lr 0.01 (the first step size)
    "lion": {"beta2", "weight_decay"},  # lion-pytorch: betas (0.9, 0.99), weight_decay 0
    "adopt": {"beta2", "eps"},  # pytorch_optimizer: betas (0.9, 0.9999), eps 1e-6
    "schedulefree_adamw": {"eps"},  # schedulefree: eps 1e-8
    "adafactor": {"lr", "eps", "weight_decay"},  # torch: lr 1e-2, eps (None: float64's eps, 1e-3), weight_decay 0
    "newton": {"lr"},  # a full Newton step: lr 1
    "lbfgs": {"lr"},  # torch: lr 1
}


def test_rule_defaults_come_from_the_table_unless_overridden():
    for rule in optimizers.RULES.values():
        assert set(rule.defaults) <= set(SPECS)
        overridden = {k for k, v in rule.defaults.items() if v != SPECS[k].default}
        assert overridden <= REFERENCE_DEFAULTS.get(rule.name, set()), rule.name
    with pytest.raises(ValueError, match="no hyperparameter"):
        defaults("lr", "momentum")


def test_engine_checks_follow_the_specs():
    import landscapes

    s = landscapes.get("paraboloid")
    with pytest.raises(ValueError, match=r"rho must be in \[0, 1\)"):
        optimizers.run("momentum", s, (1.0, 1.0), 3, rho=1.0)
    with pytest.raises(ValueError, match=r"eps must be in \(0, 1\]"):
        optimizers.run("adam", s, (1.0, 1.0), 3, eps=0.0)
    r = optimizers.run("momentum", s, (1.0, 1.0), 3, rho=np.nextafter(1.0, 0.0))
    assert r.diverged_at is None


def test_no_rule_is_asked_for_by_name_outside_optimizers():
    pattern = re.compile(r"""rule\s*(==|!=|in\s*[([{])\s*['"([{]|\.rule\s*==\s*['"]""")
    found = []
    for package in ("app", "analysis", "explore", "jobs", "landscapes", "bench", "scripts"):
        for file in (ROOT / package).rglob("*.py"):
            for n, line in enumerate(file.read_text().splitlines(), 1):
                if pattern.search(line):
                    found.append(f"{file.relative_to(ROOT)}:{n}: {line.strip()}")
    assert found == []
