"""The analysis package, the Scene and the export formats work without Dash or Plotly (from a notebook,
a script, a job runner)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NOTEBOOK = """
import json, sys
import analysis, analysis.statistics, landscapes, optimizers
surface = landscapes.get("rosenbrock")
outcome = analysis.describe("adam", optimizers.run("adam", surface, (-1.5, 2.5), 300, lr=0.05), surface)
events = analysis.events_of(outcome, surface)
from app.state.scene import Scene, clamp_scene  # the page's record: no Dash app is built for it
scene, _ = clamp_scene(Scene(surface="himmelblau", rules=("adam", "sgd"), steps=200))
runs = analysis.run_scene(scene)
from app.export import formats
script = formats.numpy_script(scene)
print(json.dumps({"status": outcome.status, "events": len(events), "runs": sorted(runs), "script": len(script),
                  "loaded": sorted(m for m in ("dash", "plotly", "flask") if m in sys.modules)}))
"""


def test_analysis_runs_without_dash_or_plotly():
    done = subprocess.run([sys.executable, "-c", NOTEBOOK], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["loaded"] == [], answer
    assert answer["status"] and answer["events"] >= 0
    assert answer["runs"] == ["adam", "sgd"] and answer["script"] > 0
