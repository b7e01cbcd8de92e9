"""The control panel, built from a Scene (so a URL restores every control)."""

from __future__ import annotations

import math

import dash_bootstrap_components as dbc
from dash import dcc, html

import i18n
import landscapes
import optimizers
from app.components import swatch
from app.data.layout import data_box, describe
from app.state.scene import (
    CAMERAS,
    CUSTOM,
    DATA,
    ENSEMBLE_RANGE,
    GRAD_NOISE_RANGE,
    HYPER_RANGE,
    ROUGHNESS_RANGE,
    SEED_RANGE,
    STEPS_RANGE,
    Scene,
)
from i18n import N_, _
from i18n import gettext as translate  # a message marked elsewhere (N_)
from landscapes.formula import DEFAULT_DOMAIN, DEFAULT_FORMULA, DOMAIN_LIMIT, FUNCTIONS, MAX_LENGTH
from optimizers.rule import GROUPS
from optimizers.schedules import KINDS as SCHEDULE_KINDS
from optimizers.schedules import default as default_schedule

HYPER_HELP = {name: spec.help for name, spec in optimizers.SPECS.items()}  # optimizers.hyper


def _label(text: str, target: str, help_text: str):
    return html.Div(
        [
            dbc.Label(text, html_for=target, className="mb-0 small fw-semibold", id=f"{target}-label"),
            dbc.Tooltip(help_text, target=f"{target}-label", placement="right"),
        ]
    )


def _group(name: str, scene: Scene, children) -> html.Div:
    """One panel group; hidden, or locked (shown, its inputs disabled) as the scene says."""
    hidden = name in scene.hide
    if name in scene.lock:
        note = html.Div(_("Locked by the lesson"), className="small text-body-secondary fst-italic")
        children = html.Fieldset([*children, note], disabled=True, className="locked")
    return html.Div(children, id=f"group-{name}", className="mb-3", style={"display": "none"} if hidden else {})


def _hyper_controls(rule: str, scene: Scene) -> list:
    values = scene.hyper_of(rule)
    rows = []
    for name, value in values.items():
        hid = {"type": "hp", "rule": rule, "name": name}
        lo, hi = HYPER_RANGE[name]
        label = html.Span(name, title=_(HYPER_HELP[name]), className="small")
        number = dcc.Input(
            id=hid,
            type="text",
            inputMode="decimal",  # 0,01 and 0.01 alike (read on the server)
            value=i18n.box_text(value),
            min=lo,
            max=hi,
            step="any",
            debounce=True,
            className="form-control form-control-sm",
            name=f"{rule}-{name}",
        )
        if optimizers.SPECS[name].log:  # the learning rate: a log-scale slider above its exact box
            low, high = math.log10(lo), math.log10(hi)
            slider = dcc.Slider(
                id={"type": "lr-slider", "rule": rule},
                min=low,
                max=high,
                step=0.01,
                value=math.log10(value),
                updatemode="mouseup",
                allow_direct_input=False,  # the exact learning rate has its own box below
                marks={e: {"label": f"1e{e}"} for e in range(math.ceil(low), math.floor(high) + 1, 2)},
                tooltip={"placement": "bottom", "always_visible": False, "transform": "pow10"},
            )
            rows.append(html.Div([label, slider, number], className="mb-2"))
        else:
            rows.append(html.Div([label, number], className="mb-2"))
    rows.append(_schedule_controls(rule, scene))
    return rows


def _schedule_controls(rule: str, scene: Scene) -> html.Div:
    """Schedule kind and its two settings; their labels follow the kind (clientside, see playback.js)."""
    sched = scene.schedules.get(rule, default_schedule("constant"))
    label_a, label_b = (_(SCHEDULE_KINDS[sched.kind][i]) if SCHEDULE_KINDS[sched.kind][i] else "" for i in (1, 3))

    def setting(name: str, value: float, label: str) -> html.Div:
        return html.Div(
            [
                html.Span(label, id={"type": "sched-label", "rule": rule, "name": name}, className="small"),
                dcc.Input(
                    id={"type": "sched", "rule": rule, "name": name},
                    type="text",
                    inputMode="decimal",  # 0,01 and 0.01 alike (read on the server)
                    value=i18n.box_text(value),
                    step="any",
                    debounce=True,
                    disabled=not label,
                    className="form-control form-control-sm",
                    name=f"{rule}-sched-{name}",
                ),
            ],
            className="flex-fill",
        )

    return html.Div(
        [
            html.Span(
                _("learning-rate schedule"),
                className="small",
                title=_("as torch.optim.lr_scheduler, stepped per update"),
            ),
            dbc.Select(
                id={"type": "sched", "rule": rule, "name": "kind"},
                options=[{"label": _(v[0]), "value": k} for k, v in SCHEDULE_KINDS.items()],
                value=sched.kind,
                size="sm",
                name=f"{rule}-sched-kind",
            ),
            html.Div([setting("a", sched.a, label_a), setting("b", sched.b, label_b)], className="d-flex gap-2 mt-1"),
        ],
        className="mb-2",
    )


def _noise_slider(sid: str, bounds: tuple[float, float], step: float, value: float, marks) -> dcc.Slider:
    """A slider for one noise level; it reports on release, so dragging does not flood the server."""
    return dcc.Slider(
        id=sid,
        min=bounds[0],
        max=bounds[1],
        step=step,
        value=value,
        updatemode="mouseup",
        marks={m: str(m) for m in marks},
        tooltip={"placement": "bottom"},
    )


def _coordinate(axis: str, value: float, bounds: tuple[float, float]) -> list:
    """A labelled number box for one coordinate of the start point, bounded by the domain."""
    box = dcc.Input(
        id=f"start-{axis}",
        type="text",
        inputMode="decimal",  # 0,01 and 0.01 alike (read on the server)
        value=i18n.box_text(value),
        step="any",
        debounce=True,
        min=bounds[0],
        max=bounds[1],
        className="form-control",
    )
    return [dbc.InputGroupText(axis), box]


def _formula_box(scene: Scene) -> html.Div:
    """The own-formula field and its view; shown while the surface is "your own formula"."""
    (x0, x1), (y0, y1) = scene.view or DEFAULT_DOMAIN

    def end(key: str, value: float) -> list:
        box = dcc.Input(
            id=f"view-{key}",
            type="text",
            inputMode="decimal",  # 0,01 and 0.01 alike (read on the server)
            value=i18n.box_text(value),
            step="any",
            debounce=True,
            min=-DOMAIN_LIMIT,
            max=DOMAIN_LIMIT,
            className="form-control",
            name=f"view {key[0]} {'from' if key[1] == '0' else 'to'}",
        )
        text = _("{axis} from") if key[1] == "0" else _("{axis} to")
        return [dbc.InputGroupText(text.format(axis=key[0])), box]

    return html.Div(
        [
            _label(
                _("Your formula L(x, y)"),
                "formula",
                _(
                    "x, y, numbers, + - * / ^, pi, e and {functions}; the exact gradient is derived "
                    "symbolically. Press Enter to apply."
                ).format(functions=", ".join(FUNCTIONS)),
            ),
            dbc.Input(
                id="formula",
                value=scene.formula or DEFAULT_FORMULA,
                debounce=True,
                maxLength=MAX_LENGTH,
                size="sm",
                autocomplete="off",
                className="font-monospace",
            ),
            html.Div(id="formula-feedback", className="small font-monospace", **{"aria-live": "polite"}),
            dbc.InputGroup([*end("x0", x0), *end("x1", x1)], size="sm", className="mt-1"),
            dbc.InputGroup([*end("y0", y0), *end("y1", y1)], size="sm", className="mt-1"),
        ],
        id="formula-box",
        className="mt-2",
        style={} if scene.surface == CUSTOM else {"display": "none"},
    )


def _surface_group(scene: Scene, surface) -> html.Div:
    options = [{"label": landscapes.get(n).label, "value": n} for n in landscapes.NAMES]
    options.append({"label": _("Your own formula…"), "value": CUSTOM})
    options.append({"label": _("Loss from data…"), "value": DATA})  # app.data
    return _group(
        "surface",
        scene,
        [
            _label(_("Surface"), "surface", _("The loss landscape L(x, y)")),
            # a native menu: the phone's own picker, and far less work for the page than dcc.Dropdown
            # on every choice (bench.browser: ~25 ms of the surface menu's ~300)
            dbc.Select(id="surface", options=options, value=scene.surface),
            html.Div(describe(scene, surface), id="surface-description", className="form-text"),
            _formula_box(scene),
            data_box(scene),
        ],
    )


def _seed_box(scene: Scene) -> dbc.InputGroup:
    return dbc.InputGroup(
        [
            dcc.Input(
                id="seed",
                type="number",
                value=scene.seed,
                min=SEED_RANGE[0],
                max=SEED_RANGE[1],
                step=1,
                debounce=True,
                className="form-control",
            ),
            dbc.Button(_("New seed"), id="new-seed", color="secondary", outline=True, size="sm"),
        ],
        size="sm",
    )


def _noise_group(scene: Scene) -> html.Div:
    return _group(
        "noise",
        scene,
        [
            _label(
                _("Surface roughness"),
                "roughness",
                _("Adds roughness × a seeded random spline field (the notebook's +2·rand)"),
            ),
            _noise_slider("roughness", ROUGHNESS_RANGE, 0.1, scene.roughness, (0, 2, 5, 10)),
            _label(
                _("Gradient noise σ"), "grad-noise", _("Gaussian noise added to every gradient (stochastic gradients)")
            ),
            _noise_slider("grad-noise", GRAD_NOISE_RANGE, 0.01, scene.grad_noise, (0, 1, 5, 10)),
            _label(
                _("Ensemble: runs with other noise seeds"),
                "ensemble",
                _(
                    "With gradient noise on: run each optimizer under this many noise seeds at once; the contour "
                    "map shows their cloud of paths, the loss chart their median and 10-90 % band"
                ),
            ),
            _noise_slider("ensemble", ENSEMBLE_RANGE, 1, scene.ensemble, (0, 50, 100, 200)),
            _label(_("Random seed"), "seed", _("The same seed always gives the same picture and paths")),
            _seed_box(scene),
        ],
    )


def _start_group(scene: Scene, surface) -> html.Div:
    start = scene.start_point()
    return _group(
        "start",
        scene,
        [
            _label(_("Start point (or click the contour map)"), "start-x", _("Where every optimizer starts")),
            dbc.InputGroup(
                [*_coordinate("x", start[0], surface.domain[0]), *_coordinate("y", start[1], surface.domain[1])],
                size="sm",
            ),
        ],
    )


def _steps_group(scene: Scene) -> html.Div:
    return _group(
        "steps",
        scene,
        [
            _label(
                _("Steps"),
                "steps",
                _("Number of update steps, {lo} to {hi}").format(
                    lo=STEPS_RANGE[0], hi=i18n.decimal_text(f"{STEPS_RANGE[1]:,}")
                ),
            ),
            dcc.Input(
                id="steps",
                type="number",
                value=scene.steps,
                min=STEPS_RANGE[0],
                max=STEPS_RANGE[1],
                step=1,
                debounce=True,
                className="form-control form-control-sm",
            ),
        ],
    )


# Why two torch.optim algorithms are not in the list (one line in the panel).
NOT_OFFERED = N_(
    "Not offered: torch.optim's Muon (it orthogonalises matrix-shaped weights; here the weights are one "
    "2-vector) and SparseAdam (it needs sparse gradients; a surface's gradient is dense)."
)
GROUP_PREFIX = "group:"  # the value of a heading's (disabled) entry in the list; never a rule's name


def rule_options() -> list[dict]:
    """The optimizer list: under each heading of ``optimizers.rule.GROUPS`` (those with rules), its
    rules in registry order, each with its swatch, label and one-line description (``Rule.blurb``).
    A heading is a disabled entry whose box the theme hides (``.rule-group-heading``)."""
    options = []
    for group, heading in GROUPS.items():
        names = [n for n in optimizers.NAMES if optimizers.RULES[n].group == group]
        if not names:
            continue
        title, _sep, words = _(heading).partition(": ")
        label = html.Span([html.Strong(title), f": {words}"], className="rule-group-heading")
        options.append({"label": label, "value": GROUP_PREFIX + group, "disabled": True})
        for n in names:
            r = optimizers.RULES[n]
            blurb = html.Span(_(r.blurb), className="rule-blurb d-block text-muted") if r.blurb else None
            options.append({"label": html.Span([swatch(n), r.label, blurb], title=_(r.blurb)), "value": n})
    return options


def _settings_item(rule: str, scene: Scene) -> dbc.AccordionItem:
    """One optimizer's settings (hyperparameters and schedule) as an accordion item."""
    title = html.Span([swatch(rule), optimizers.RULES[rule].label])
    return dbc.AccordionItem(_hyper_controls(rule, scene), title=title, item_id=rule)


def settings_items(scene: Scene) -> list:
    """The settings of the enabled optimizers only (in registry order): every component on the page is
    consulted at each update of the page's state, and most of the 21 rules are off. A disabled rule's
    settings live on in ``kept_settings``."""
    with i18n.use(scene.lang):
        return [_settings_item(r, scene) for r in optimizers.NAMES if r in scene.rules]


def kept_settings(scene: Scene) -> dict:
    """Every optimizer's settings that differ from the defaults, as plain data (``hyper-kept``): those of
    a disabled rule, whose boxes are not on the page, stay in the scene and the link, and its boxes
    show them again when it is enabled (``app.runs.panel`` reads them back)."""
    return {
        "hyper": {r: dict(v) for r, v in scene.hyper.items()},
        "schedules": {r: {"kind": s.kind, "a": s.a, "b": s.b} for r, s in scene.schedules.items()},
    }


def _optimizers_group(scene: Scene) -> html.Div:
    """The optimizers to run (grouped, each with its one line), and each enabled one's settings in an accordion."""
    accordion = dbc.Accordion(
        settings_items(scene),
        start_collapsed=True,
        always_open=True,
        id="hyper-accordion",
        className="mb-2",
    )
    return _group(
        "optimizers",
        scene,
        [
            _label(_("Optimizers"), "rules", _("Tick to run; settings below")),
            dbc.Checklist(id="rules", options=rule_options(), value=list(scene.rules), className="small rule-list"),
            html.Div(_(NOT_OFFERED), className="small text-muted mt-1", id="not-offered"),
            html.Div(_("Settings"), className="small fw-semibold mt-2"),
            accordion,
            dcc.Store(id="hyper-kept", data=kept_settings(scene)),
        ],
    )


def controls_panel(scene: Scene) -> list:
    """Every control of the main view, set from ``scene`` (groups hidden or locked as it says), in the
    scene's language (else the request's)."""
    with i18n.use(scene.lang):
        return _controls_panel(scene)


def _controls_panel(scene: Scene) -> list:
    surface = scene.clean_surface()
    log_switch = dbc.Checklist(
        id="log-loss",
        options=[{"label": _("Log-scale loss chart"), "value": "log"}],
        value=["log"] if scene.log_loss else [],
        switch=True,
        className="small",
    )
    camera = html.Div(
        [
            _label(
                _("3-D view from"), "camera", _("Camera of the 3-D view; in the link as cam=notebook, top or side.")
            ),
            dbc.Select(
                id="camera",
                size="sm",
                value=scene.camera,
                options=[{"label": translate(c["label"]), "value": name} for name, c in CAMERAS.items()],
            ),
        ],
        className="mt-2",
    )
    return [
        _surface_group(scene, surface),
        _noise_group(scene),
        _start_group(scene, surface),
        _steps_group(scene),
        _optimizers_group(scene),
        log_switch,
        camera,
    ]
