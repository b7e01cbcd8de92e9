"""Data landscapes in the Scene and the link: every setting round-trips, hostile values are clamped
with a notice, an upload never travels in a link, and the scene runs (records batches)."""

from dataclasses import replace

import numpy as np

from analysis.outcomes import run_scene, surface_of
from app.state.link import query_to_scene, scene_to_query
from app.state.scene import DATA, Scene, clamp_scene
from landscapes.data.spec import DataSpec


def test_every_data_setting_round_trips_through_the_link():
    spec = DataSpec(model="tanh", n=300, noise=0.25, outliers=0.1, data_seed=7, batch=16, drop_last=True, lam=0.2)
    spec = replace(spec, reg="L1", reg_bias=True)
    scene, notices = clamp_scene(Scene(surface=DATA, data=spec, steps=100))
    assert notices == []
    back, more = query_to_scene(scene_to_query(scene))
    assert more == []
    assert back.data == scene.data and back.surface == DATA


def test_a_shipped_set_and_classification_settings_round_trip():
    q = "?surface=data&model=logistic&data=iris_sepal&batch=10&lam=0.05"
    scene, notices = query_to_scene(q)
    assert notices == [] and scene.data.source == "iris_sepal" and scene.data.batch == 10
    assert query_to_scene(scene_to_query(scene))[0].data == scene.data


def test_hostile_data_values_are_clamped_with_a_notice():
    q = "?surface=data&model=cubic&n=1e9&batch=0&lam=-3&dnoise=nan&reg=L7&dseed=1.5&data=mtcars&classes=x"
    scene, notices = query_to_scene(q)
    d = scene.data
    assert d.model == "linear" and d.n == 10_000 and d.batch == 1 and d.lam == 0.0 and d.reg == "L2"
    assert d.noise == 0.5 and d.data_seed == 2 and d.source == "mtcars"
    text = " ".join(notices)
    for word in ("model", "N (points)", "batch size", "λ", "data noise", "regulariser", "data seed", "classes"):
        assert word in text


def test_batch_is_bounded_by_the_data_set_size():
    scene, notices = query_to_scene("?surface=data&data=anscombe&batch=500")
    assert scene.data.batch == 11 and any("batch size B" in n for n in notices)


def test_a_wrong_kind_of_set_falls_back_with_a_notice():
    scene, notices = query_to_scene("?surface=data&model=logistic&data=mtcars")
    assert scene.data.source == "generated" and any("regression set" in n for n in notices)


def test_an_upload_cannot_travel_in_a_link():
    pts = tuple((float(x), 0.0, 2.0 * x) for x in range(5))
    scene, _ = clamp_scene(Scene(surface=DATA, data=DataSpec(source="upload", points=pts, upload_name="a.csv")))
    assert scene.data.points == pts
    query = scene_to_query(scene)
    assert "data=upload" in query and "2.0" not in query.split("data=upload")[1][:40]
    back, notices = query_to_scene(query)
    assert back.data.source == "generated" and any("cannot travel in a link" in n for n in notices)


def test_noise_and_roughness_do_not_apply_to_data():
    scene, notices = clamp_scene(Scene(surface=DATA, roughness=2.0, grad_noise=1.0))
    assert scene.roughness == 0.0 and scene.grad_noise == 0.0
    assert any("minibatches are the noise" in n for n in notices)


def test_a_data_scene_runs_every_enabled_optimizer():
    scene, _ = query_to_scene("?surface=data&model=tanh&n=120&batch=8&steps=150&lam=0.01")
    outcomes = run_scene(scene, surface_of(scene))
    assert set(outcomes) == set(scene.rules)
    for o in outcomes.values():
        assert o.result.batches.indices(149).shape == (8,)
        assert np.isfinite(o.result.loss).all()


def test_an_ensemble_on_data_runs_other_shuffling_seeds():
    scene, notices = query_to_scene("?surface=data&model=linear&n=80&batch=4&steps=60&opt=sgd&ens=6&seed=5")
    assert notices == [] and scene.ensemble == 6
    o = run_scene(scene, surface_of(scene))["sgd"]
    assert o.ensemble is not None and o.ensemble.path.shape == (61, 6, 2)
    np.testing.assert_array_equal(o.ensemble.path[:, 0], o.result.path)  # run 0 shuffles as the single run
    assert len({tuple(p) for p in o.ensemble.path[-1]}) == 6  # the others: other batches, other ends


def test_the_inspector_draws_the_full_data_and_the_batch_gradient():
    from analysis.inspector import arrows

    scene, _ = query_to_scene("?surface=data&model=linear&n=80&batch=4&steps=30&opt=sgd")
    surface = surface_of(scene)
    o = run_scene(scene, surface)["sgd"]
    notes, _ = arrows(o, 5, surface, scene.grad_noise)
    texts = [a["name"] for a in notes]
    assert texts[:2] == ["−lr·∇L (full-data gradient)", "−lr·g (this step's batch gradient, used)"]
    full = np.array(surface.gradient(*o.result.path[5]))
    assert not np.allclose(full, o.result.grads[5])  # a batch of 4 is not the whole data set


def test_newton_and_lbfgs_recompute_on_data_through_the_endpoint():
    """The real Dash endpoint: a data scene with the vector rules answers with their rows and no notice."""
    import json

    from app.data.store import spec_to_store
    from app.server import app
    from bench import dash_requests as dr

    q = "?surface=data&model=tanh&n=60&batch=8&steps=40&opt=newton,lbfgs&lbfgs.line_search=1&lbfgs.max_eval=25"
    scene, notices = query_to_scene(q)
    assert notices == [] and scene.rules == ("newton", "lbfgs")
    body = dr.recompute_scene(scene)
    (spec,) = [i for i in body["inputs"] if isinstance(i, dict) and i.get("id") == "data-spec"]
    spec["value"] = spec_to_store(scene.data)  # the data panel's store, as the page sends it
    r = app.server.test_client().post(dr.ENDPOINT, data=json.dumps(body), content_type="application/json")
    assert r.status_code == 200, r.data[:300]
    response = json.loads(r.data)["response"]
    assert response.get("control-notices", {}).get("children") in (None, [])  # left out when already empty
    assert "model=tanh" in response["query"]["data"] and "opt=newton,lbfgs" in response["query"]["data"]
    table = json.dumps(response["results"]["children"])
    assert "Newton" in table and "L-BFGS" in table and "not run" not in table
    outcomes = run_scene(scene, surface_of(scene))
    for rule in scene.rules:
        result = outcomes[rule].result
        assert result.batches is not None and np.isfinite(result.batch_loss[:3]).all()
    assert outcomes["lbfgs"].result.trail is not None  # its line search's points, for the map


def test_vector_rules_run_ensembles_and_basin_maps_on_data():
    """Ensembles over shuffling seeds and a basin map over starts, for the vector rules on data."""
    from explore.basins import basin_map

    q = "?surface=data&model=tanh&n=60&batch=8&steps=30&lam=0.05&opt=newton,lbfgs,adafactor&ens=4&newton.damping=0.5"
    scene, notices = query_to_scene(q)
    assert notices == []
    for rule, o in run_scene(scene, surface_of(scene)).items():
        assert o.ensemble.path.shape == (31, 4, 2)
        np.testing.assert_array_equal(o.ensemble.path[:, 0], o.result.path)  # run 0 shuffles as the single run
        assert len({tuple(p) for p in o.ensemble.path[-1]}) == 4, rule  # the others: other batches
    surface = surface_of(scene)
    m = basin_map("lbfgs", surface, 12, 40, line_search=1.0, max_eval=25.0)
    assert m.label.shape == (12, 12) and (m.label >= 0).any()  # some starts reach a minimum


def test_exports_use_the_pages_upload_not_the_links_generated_data():
    """An upload never travels in the link; the callbacks that rebuild the scene from it (exports, the
    paused step) take the file from the page's data-spec store, as the main view does."""
    import base64
    import json

    from app.data.store import spec_to_store
    from app.server import app
    from bench import dash_requests as dr

    csv = "x,y\n" + "".join(f"{i / 10},{3 - 0.25 * i / 10}\n" for i in range(23))
    upload = {"name": "mine.csv", "data": base64.b64encode(csv.encode()).decode()}
    q = "?surface=data&model=linear&data=upload&batch=4&steps=30&opt=sgd"
    scene, _ = query_to_scene(q)
    store = spec_to_store(replace(scene.data, source="upload"), upload)  # as the page's store holds it
    client = app.server.test_client()

    def export(state_store):
        body = dr.call(
            "download.data",
            [(i, "n_clicks", 1 if i == "export-json" else None) for i in dr.EXPORT_ITEMS],
            [("query", "data", q), ("data-spec", "data", state_store)],
            "export-json.n_clicks",
        )
        r = client.post(dr.ENDPOINT, data=json.dumps(body), content_type="application/json")
        assert r.status_code == 200, r.data[:300]
        return json.loads(r.data)["response"]["download"]["data"]["content"]

    mine, generated = json.loads(export(store)), json.loads(export(None))
    assert mine["results"] != generated["results"]
    assert mine["results"] == json.loads(export(store))["results"]  # the same file, the same run


def test_an_animation_of_an_uploaded_data_set_says_it_shows_the_links_data(tmp_path, monkeypatch):
    """A job's scene is its link, which never carries an upload: the animation dialog says so."""
    import json

    from app.data.store import spec_to_store
    from app.server import app
    from bench import dash_requests as dr

    monkeypatch.setenv("CACHE_DIR", str(tmp_path))
    q = "?surface=data&model=linear&batch=4&steps=30&opt=sgd"
    scene, _ = query_to_scene(q)
    store = spec_to_store(replace(scene.data, source="upload"), {"name": "mine.csv", "data": "eCx5CjEsMgozLDQK"})
    controls = [("anim-format", "value", "gif"), ("anim-frames", "value", 10), ("anim-width", "value", 320)]
    controls += [("anim-fps", "value", 10), ("anim-loss", "value", []), ("anim-turn", "value", [])]
    controls += [("query", "data", q), ("url", "search", q), ("data-spec", "data", store)]
    body = dr.job_flow("anim-notice.children", "anim", "run", controls)
    r = app.server.test_client().post(dr.ENDPOINT, data=json.dumps(body), content_type="application/json")
    assert r.status_code == 200, r.data[:300]
    assert "not in the link" in json.dumps(json.loads(r.data)["response"]["anim-notice"])
