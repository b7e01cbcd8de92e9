"""The data settings (shown while the surface is "Loss from data") and the data panel's chart."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

import i18n
from app.components import graph
from app.data.store import spec_to_store
from app.state.scene import DATA, Scene
from i18n import N_, _, decimal_text, number
from landscapes.data import generators
from landscapes.data.csvfile import MAX_BYTES, MAX_ROWS
from landscapes.data.spec import GENERATED, LAMBDA_RANGE, N_RANGE, NOISE_RANGE, OUTLIER_RANGE, UPLOAD, kind_of

MODELS = (
    (N_("Linear regression ŷ = w₁x + w₂ (MSE)"), "linear"),
    (N_("Logistic regression σ(w₁x₁ + w₂x₂) (cross-entropy)"), "logistic"),
    (N_("One tanh unit ŷ = w₂·tanh(w₁x) (MSE)"), "tanh"),
)
SHAPES = {"separable": N_("separable"), "overlapping": N_("overlapping"), "imbalanced": N_("imbalanced")}
# The shipped sets in words (``generators.REAL`` keeps the English for the data scripts).
SET_WORDS = {
    "Motor Trend cars (1974): fuel use (mpg) against weight (1000 lb), 32 cars": N_(
        "Motor Trend cars (1974): fuel use (mpg) against weight (1000 lb), 32 cars"
    ),
    "Anscombe's quartet, set I (1973): 11 points": N_("Anscombe's quartet, set I (1973): 11 points"),
    "Fisher's irises (1936): setosa vs versicolor by sepal size (separable)": N_(
        "Fisher's irises (1936): setosa vs versicolor by sepal size (separable)"
    ),
    "Fisher's irises (1936): versicolor vs virginica by petal size (overlapping)": N_(
        "Fisher's irises (1936): versicolor vs virginica by petal size (overlapping)"
    ),
}


def model_options() -> list[dict]:
    return [{"label": _(label), "value": value} for label, value in MODELS]


def shape_options() -> list[dict]:
    return [{"label": _(SHAPES.get(shape, shape)), "value": shape} for shape in generators.SHAPES]


def source_options(model: str, uploaded: str = "") -> list[dict]:
    """Generated data, the shipped sets that fit the model, and an uploaded file when there is one."""
    kind = kind_of(model)
    options = [{"label": _("Generated (seeded)"), "value": GENERATED}]
    options += [
        {"label": _(SET_WORDS.get(words, words)), "value": name}
        for name, (k, words) in generators.REAL.items()
        if k == kind
    ]
    if uploaded:
        options.append({"label": _("Your file: {name}").format(name=uploaded), "value": UPLOAD})
    return options


def shown_for(model: str, kind: str) -> dict:
    """A style that shows a setting only for models of ``kind`` (regression or classification)."""
    return {} if kind_of(model) == kind else {"display": "none"}


def _row(label: str, target: str, tip: str, control, **style) -> html.Div:
    return html.Div(
        [
            dbc.Label(label, html_for=target, className="mb-0 small fw-semibold", id=f"{target}-label"),
            dbc.Tooltip(tip, target=f"{target}-label", placement="right"),
            control,
        ],
        className="mb-2",
        id=f"{target}-row",
        style=style.get("style", {}),
    )


def _number(id_: str, value, lo, hi, step) -> dbc.Input:
    """A text box for a number (``0,5`` and ``0.5`` alike: ``i18n.clamp`` reads it on the server)."""
    del lo, hi, step  # the server clamps and names what it changed
    return dbc.Input(id=id_, type="text", inputMode="decimal", value=i18n.box_text(value), size="sm", debounce=True)


def data_box(scene: Scene) -> html.Div:
    """Model, data, batches and regulariser; hidden unless the surface is "Loss from data"."""
    d = scene.data
    size = len(d.points) if d.points else d.n
    return html.Div(
        [
            dcc.Store(id="data-spec", data=spec_to_store(d)),
            dcc.Store(id="data-upload"),  # {"name", "data" (base64)} or {"name", "error"} (assets/data.js)
            dcc.Store(id="data-upload-limit", data=MAX_BYTES),  # assets/data.js refuses a larger file
            dcc.Store(id="data-surface-name", data=DATA),  # assets/data.js shows the data parts for it
            _row(
                _("Model"),
                "data-model",
                _("The model with two weights W = (w₁, w₂)"),
                dcc.Dropdown(id="data-model", options=model_options(), value=d.model, clearable=False),
            ),
            _row(
                _("Data"),
                "data-source",
                _("Generated with a seed, a shipped real set (public domain), or your file"),
                dcc.Dropdown(id="data-source", options=source_options(d.model), value=d.source, clearable=False),
            ),
            html.Div(
                [
                    _row(
                        _("N points"),
                        "data-n",
                        _("How many points the generator draws"),
                        _number("data-n", d.n, *N_RANGE, 1),
                    ),
                    _row(
                        _("Noise"),
                        "data-noise",
                        _("Spread of the points around the true curve (or of the classes)"),
                        _number("data-noise", d.noise, *NOISE_RANGE, 0.05),
                    ),
                    _row(
                        _("Outliers"),
                        "data-outliers",
                        _("Fraction of regression points moved far off (0 to 0.5)"),
                        _number("data-outliers", d.outliers, *OUTLIER_RANGE, 0.01),
                        style=shown_for(d.model, "regression"),
                    ),
                    _row(
                        _("Classes"),
                        "data-shape",
                        _("Classification: separable, overlapping or imbalanced classes"),
                        dcc.Dropdown(id="data-shape", options=shape_options(), value=d.shape, clearable=False),
                        style=shown_for(d.model, "classification"),
                    ),
                    _row(
                        _("Data seed"),
                        "data-seed",
                        _("The generator's seed"),
                        _number("data-seed", d.data_seed, 0, 2**32 - 1, 1),
                    ),
                ],
                id="data-generator",
            ),
            _row(
                _("Batch size B"),
                "data-batch",
                _(
                    "Points per step, drawn as DataLoader(shuffle=True) does: "
                    "B = 1 is pure SGD, B = N is gradient descent"
                ),
                dcc.Slider(
                    id="data-batch",
                    min=1,
                    max=size,
                    step=1,
                    value=min(d.batch, size),
                    marks={1: "1", min(32, size): str(min(32, size)), size: f"N={size}"},
                    tooltip={"placement": "bottom", "always_visible": False},
                ),
            ),
            dbc.Checklist(
                id="data-flags",
                options=[
                    {"label": _("drop_last (skip the short last batch)"), "value": "drop_last"},
                    {"label": _("regularise the bias w₂ (linear regression)"), "value": "reg_bias"},
                    {
                        "label": _("draw the batch's own loss surface at the scrubber's step (faint, contour map)"),
                        "value": "batch_surface",
                    },
                ],
                value=[k for k in ("drop_last", "reg_bias", "batch_surface") if getattr(d, k)],
                className="small",
            ),
            html.Div(
                [
                    _row(
                        "λ",
                        "data-lam",
                        _("Weight of the regulariser λR(W); 0: none"),
                        _number("data-lam", d.lam, *LAMBDA_RANGE, 0.01),
                    ),
                    _row(
                        "R(W)",
                        "data-reg",
                        _("L2: ‖W‖² (in the loss, unlike AdamW's decoupled decay); L1: ‖W‖₁"),
                        dbc.RadioItems(
                            id="data-reg", options=["L2", "L1"], value=d.reg, inline=True, className="small"
                        ),
                    ),
                ],
                className="d-flex gap-3",
            ),
            dcc.Upload(
                id="data-upload-file",
                children=html.Div([_("Drop a CSV here or "), html.A(_("choose a file"), href="#")], className="small"),
                className="border border-secondary-subtle rounded p-2 text-center",
                accept=".csv,text/csv,text/plain",
                multiple=False,
            ),
            html.Div(
                _(
                    "x,y for regression; x1,x2,label (0 or 1) for classification; at most {rows} rows and "
                    "{size} KB. Your file stays in this page: it cannot travel in a link."
                ).format(rows=number(MAX_ROWS, "#,##0"), size=MAX_BYTES // 1024),
                className="form-text",
            ),
            html.Div(id="data-upload-message", className="small", role="status", **{"aria-live": "polite"}),
        ],
        id="data-box",
        className="mt-2",
        style={} if scene.surface == DATA else {"display": "none"},
    )


def data_panel() -> html.Div:
    """The points, the current batch highlighted and each optimizer's fit at the scrubber's step."""
    return html.Div(
        graph("graph-data", "360px", _("data, the current batch and each optimizer's fit")),
        id="data-panel",
        style={"display": "none"},
    )


MODEL_WORDS = {
    "linear": N_("linear regression ŷ = w₁·x + w₂, mean squared error"),
    "logistic": N_("logistic regression through the origin σ(w₁x₁ + w₂x₂), cross-entropy"),
    "tanh": N_("one tanh unit ŷ = w₂·tanh(w₁·x), mean squared error"),
}


def _data_words(spec) -> str:
    """Where the data come from, in the reader's language (``DataSpec.data`` says it in English)."""
    if spec.source == UPLOAD and spec.points:
        return _("your file {name}").format(name=spec.upload_name or "upload")
    if spec.source in generators.REAL:
        words = generators.REAL[spec.source][1]
        return _(SET_WORDS.get(words, words))
    noise = decimal_text(f"{spec.noise:g}")
    if kind_of(spec.model) == "classification":
        shape = _(SHAPES.get(spec.shape, spec.shape))
        return _("generated: {shape}, spread {noise}, seed {seed}").format(
            shape=shape, noise=noise, seed=spec.data_seed
        )
    out = _(", outliers: {share} %").format(share=round(100 * spec.outliers)) if spec.outliers else ""
    return _("generated: noise {noise}{outliers}, seed {seed}").format(noise=noise, outliers=out, seed=spec.data_seed)


def describe(scene: Scene, surface) -> str:
    """The surface's one-line description in the reader's language: a registry surface's from the
    catalog; a data landscape's built here from its settings (the cached surface keeps English)."""
    problem = getattr(surface, "problem", None)
    if problem is None or scene.surface != DATA:
        return _(surface.description) if surface.description else ""
    reg = ""
    if problem.reg_kind:
        reg = f" + {decimal_text(f'{problem.lam:g}')}·{'‖W‖²' if problem.reg == 'L2' else '‖W‖₁'}"
    none = " " + _("No minimum: the data are separable, the loss only approaches 0.") if not surface.minima else ""
    return (
        _("{model} over {n} points ({data}){reg}.").format(
            model=_(MODEL_WORDS.get(problem.model, problem.model)),
            n=number(problem.n, "#,##0"),
            data=_data_words(scene.data),
            reg=reg,
        )
        + none
    )
