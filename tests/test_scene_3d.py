"""The 3-D view: marker symbols, a cut for a dominating peak (with its note), camera presets in the link."""

import numpy as np

from analysis import outcomes as compute
from analysis.statistics import shown_z_range
from app.runs.figures import surface_figure
from app.state.link import query_to_scene, scene_to_query
from app.state.scene import CAMERAS, Scene, clamp_scene

PLOTLY_3D_SYMBOLS = {"circle", "circle-open", "cross", "diamond", "diamond-open", "square", "square-open", "x"}


def _figure(**kw):
    scene, _ = clamp_scene(Scene(**kw))
    surface = compute.surface_of(scene)
    return surface_figure(surface, compute.run_scene(scene, surface), scene)


def test_minima_start_and_ends_are_marker_symbols_not_text():
    fig = _figure(surface="himmelblau", steps=100, rules=("adam", "sgd"))
    for tr in fig["data"]:
        assert "text" not in (tr.get("mode") or "")
        symbol = (tr.get("marker") or {}).get("symbol")
        if symbol is not None:
            assert symbol in PLOTLY_3D_SYMBOLS, (tr["name"], symbol)
    names = {tr["name"]: tr for tr in fig["data"]}
    assert names["known minima"]["marker"]["symbol"] == "diamond"
    assert len(names["known minima"]["x"]) == 4  # Himmelblau's four minima


def test_a_dominating_peak_is_cut_with_a_note_and_a_flat_surface_is_not():
    z = np.zeros((50, 50))
    z[25, 25] = 1000.0  # one spike
    z += np.linspace(0, 1, 50)[None, :]
    lo, hi, peak = shown_z_range(z)
    assert peak == z.max() and lo == 0.0 and hi < 2.0
    bowl = np.add.outer(np.linspace(-1, 1, 50) ** 2, np.linspace(-1, 1, 50) ** 2)
    assert shown_z_range(bowl)[2] is None
    spiky = _figure(surface="custom", formula="1/(x^2+y^2+0.001)", steps=50, rules=("adam",))
    notes = spiky["layout"].get("annotations", [])
    assert notes and "cut at" in notes[0]["text"] and "a peak reaches" in notes[0]["text"]
    assert spiky["layout"]["scene"]["zaxis"]["range"][1] < 1000
    assert "annotations" not in _figure(surface="paraboloid", steps=50, rules=("adam",))["layout"]


def test_camera_presets_in_the_link_and_clamped_with_a_notice():
    assert CAMERAS["notebook"]["eye"] == (2.0, 2.0, 2.0)
    scene, notices = query_to_scene("?cam=top")
    assert scene.camera == "top" and not notices
    assert "cam=top" in scene_to_query(scene)
    assert "cam=" not in scene_to_query(query_to_scene("")[0])  # the default is left out
    fig = _figure(camera="side", steps=20, rules=("sgd",))
    assert fig["layout"]["scene"]["camera"]["eye"] == {"x": 0.0, "y": -2.8, "z": 0.35}
    assert _figure(steps=20, rules=("sgd",))["layout"]["scene"]["camera"]["eye"] == {"x": 2.0, "y": 2.0, "z": 2.0}
    scene, notices = query_to_scene("?cam=<script>")
    assert scene.camera == "notebook"
    assert any("camera (cam)" in n and "unknown" in n for n in notices)


def test_present_flag_round_trips_through_the_link():
    scene, _ = query_to_scene("?present=1&cam=side")
    assert scene.present and "present=1" in scene_to_query(scene)
    assert query_to_scene(scene_to_query(scene))[0] == scene
