"""In headless Chromium: what one user action costs, until the page has settled (goal: median < 300 ms,
1 request per action, each graph redrawn once).

The app runs under real gunicorn (the Dockerfile's command). For each sample the page is watched
(``ARM_JS``: every ``/_dash-update-component`` POST, through a wrapper around ``window.fetch``, and
every graph's ``plotly_afterplot``), then the action is done as a user does it (Selenium's key press
on a slider's handle, clicks on the surface menu), and ``SETTLE_JS`` waits until no request is in
flight and nothing has happened for ``QUIET_MS``. The clock starts at the action's first key or
pointer event in the page and stops at the last graph redraw: the page has settled then.
"""

from __future__ import annotations

import shutil
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from bench.serve import gunicorn

GRAPHS = ("graph-3d", "graph-contour", "graph-loss")
SAMPLES = 15
QUIET_MS = 400  # settled: no redraw, no request started or answered, for this long

# Watch the page from now on: requests (counted in a wrapper around window.fetch, installed once),
# every graph's redraws (listeners re-attached, so graphs drawn since the last action count too)
# and the first key or pointer event (the clock's start).
ARM_JS = """
var w = window.__watch;
if (!w) {
  w = window.__watch = {};
  var fetch0 = window.fetch;
  window.fetch = function (url, opts) {
    if (!w.on || String(url).indexOf('_dash-update-component') === -1) return fetch0.apply(this, arguments);
    var output = '';
    try { output = JSON.parse(opts.body).output; } catch (e) {}
    var name = output.split('...')[0].replace(/^[.][.]/, '').replace(/[.][.]$/, '').split('@')[0];
    w.requests.push(name); w.inflight += 1; w.last = performance.now(); w.log.push([name, w.last]);
    return fetch0.apply(this, arguments).finally(function () {
      w.inflight -= 1; w.last = performance.now(); w.log.push([name + ' answered', w.last]);
    });
  };
  ['keydown', 'pointerdown', 'mousedown', 'change'].forEach(function (type) {
    document.addEventListener(type, function () { if (w.on && w.t0 === null) w.t0 = performance.now(); }, true);
  });
  window.addEventListener('resize', function () { if (w.on) w.log.push(['window resize', performance.now()]); });
  w.handlers = [];
  // a graph's name: the id of its dcc.Graph holder
  w.holderId = function (gd) { var h = gd.parentElement && gd.parentElement.closest('[id]'); return h ? h.id : '?'; };
}
w.handlers.forEach(function (h) { h[0].removeListener(h[1], h[2]); });
w.handlers = []; w.requests = []; w.plots = {}; w.draws = {}; w.log = []; w.firstPlot = w.lastPlot = w.t0 = null;
w.last = 0; w.inflight = 0;
document.querySelectorAll('.js-plotly-plot').forEach(function (gd) {
  var id = w.holderId(gd);
  var handler = function () {
    var now = performance.now();
    w.plots[id] = (w.plots[id] || 0) + 1; w.lastPlot = w.last = now; w.log.push([id, now]);
    if (w.firstPlot === null) w.firstPlot = now;
  };
  var drawing = function () { w.draws[id] = (w.draws[id] || 0) + 1; };
  gd.on('plotly_afterplot', handler);
  gd.on('plotly_beforeplot', drawing);
  w.handlers.push([gd, 'plotly_afterplot', handler], [gd, 'plotly_beforeplot', drawing]);
});
w.on = true;
"""

# Wait until the page has settled; then {ms: last redraw after the action (null: none), first: the
# first redraw, requests:
# [first output of each request], plots: {graph: redraws}, draws: {graph: Plotly's full draws, each
# ``plotly_beforeplot``: more than one per redraw when automargin widened a margin and drew it all
# again}, timeout: true if it never settled,
# log: ["what ms", ...] every request sent and answered and every redraw, in order, from the action on}.
SETTLE_JS = """
var done = arguments[arguments.length - 1], quiet = arguments[0], limit = arguments[1];
var w = window.__watch, start = performance.now();
// graphs out of view whose new figure waits until they come into view (app/assets/in-view.js)
function waiting() {
  return [].slice.call(document.querySelectorAll('.js-plotly-plot')).filter(function (gd) {
    return window.inView && window.inView.waiting(gd);
  }).map(w.holderId);
}
(function poll() {
  var now = performance.now();
  var settled = w.t0 !== null && w.inflight === 0 && now - Math.max(w.last, w.t0) >= quiet;
  if (settled || now - start > limit) {
    w.on = false;
    var t0 = w.t0 === null ? start : w.t0;
    var none = w.lastPlot === null || w.t0 === null;
    done({ms: none ? null : w.lastPlot - w.t0, first: none ? null : w.firstPlot - w.t0,
          requests: w.requests.slice(), plots: Object.assign({}, w.plots), draws: Object.assign({}, w.draws),
          timeout: !settled, waiting: waiting(),
          log: w.log.map(function (e) { return e[0] + ' ' + Math.round(e[1] - t0); })});
  } else {
    setTimeout(poll, 20);
  }
})();
"""


def measure(driver: webdriver.Chrome, act: Callable[[], None], quiet_ms: int = QUIET_MS, limit_s: float = 30) -> dict:
    """Watch the page, do ``act()`` and wait until the page settles: ms to its last redraw, the
    requests sent and the redraws of each graph (see ``SETTLE_JS``)."""
    driver.execute_script(ARM_JS)
    act()
    driver.set_script_timeout(limit_s + 10)
    return driver.execute_async_script(SETTLE_JS, quiet_ms, limit_s * 1000)


def press(driver: webdriver.Chrome, slider_css: str, key: str) -> Callable[[], None]:
    """The action: ``key`` on the handle of the slider ``slider_css`` (as a keyboard user moves it)."""
    return lambda: driver.find_element(By.CSS_SELECTOR, slider_css + " [role=slider]").send_keys(key)


def pick(driver: webdriver.Chrome, select_css: str, label: str) -> Callable[[], None]:
    """The action: choose ``label`` in the native menu (``<select>``) ``select_css``: a click on its
    option. The clock starts at the choice (the option's mouse events or the menu's change event),
    not at WebDriver's search for the option."""

    def act() -> None:
        menu = driver.find_element(By.CSS_SELECTOR, select_css)
        driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", menu)
        option = next(o for o in Select(menu).options if o.text == label)
        driver.execute_script("window.__watch.t0 = null;")
        option.click()

    return act


ADAM_LR = '[id=\'{"rule":"adam","type":"lr-slider"}\']'


def open_adam_settings(driver: webdriver.Chrome) -> None:
    """The learning-rate slider lives in Adam's collapsed settings."""
    driver.execute_script("document.querySelectorAll('#hyper-accordion .accordion-button')[4].click();")
    time.sleep(0.5)


def actions(driver: webdriver.Chrome) -> dict[str, Callable[[int], Callable[[], None]]]:
    """name -> (sample number -> the action), each alternating back and forth."""

    def arrow(i: int) -> str:
        return Keys.ARROW_RIGHT if i % 2 == 0 else Keys.ARROW_LEFT

    return {
        "surface roughness slider (surface and every path)": lambda i: press(driver, "#roughness", arrow(i)),
        "Adam's learning-rate slider (Patch of its traces)": lambda i: press(driver, ADAM_LR, arrow(i)),
        "surface menu, Rosenbrock <-> multimodal (new surface and start)": lambda i: pick(
            driver, "#surface", "Rosenbrock" if i % 2 == 0 else "Multimodal (seed)"
        ),
        "step scrubber, paused (markers, inspector, arrows)": lambda i: press(driver, "#step", arrow(i)),
    }


# Headless Chromium as the tests start it too (tests/conftest.py): root, no GPU, loopback only.
# WebGL (the 3-D view) renders in software through SwiftShader: Chromium is removing its automatic
# fallback, so it is asked for explicitly.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--disable-component-update",
    "--no-first-run",
    "--window-size=1400,1000",
)


def _driver(flags: tuple[str, ...] = CHROMIUM_FLAGS, network_log: bool = False) -> webdriver.Chrome:
    """Headless Chromium with ``flags``; ``network_log``: the DevTools protocol's network events kept."""
    options = Options()
    for flag in flags:
        options.add_argument(flag)
    if shutil.which("chromium"):
        options.binary_location = shutil.which("chromium")
    if network_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        options.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True, "enablePage": False})
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def chromium_missing(what: str) -> bool:
    """True (and says so) when Debian's chromium and chromium-driver are not installed."""
    if shutil.which("chromium") and shutil.which("chromedriver"):
        return False
    print(f"{what}: skipped (install Debian's chromium and chromium-driver)")
    return True


@contextmanager
def app_in_chromium(
    flags: tuple[str, ...] = CHROMIUM_FLAGS, network_log: bool = False, target: str = "app.server:server"
) -> Iterator[tuple[webdriver.Chrome, str]]:
    """The app (``target``) under real gunicorn (2 workers, 2 threads) and a Chromium driver, quit at the end."""
    with gunicorn(workers=2, threads=2, target=target) as (url, _pid):
        driver = _driver(flags, network_log)
        try:
            yield driver, url
        finally:
            driver.quit()


def _wait_ready(driver: webdriver.Chrome, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        ready = driver.execute_script(
            "return !!document.getElementById('results-table') && arguments[0].every(function (id) {"
            "  return document.querySelector('#' + id + ' .js-plotly-plot'); });",
            list(GRAPHS),
        )
        if ready:
            time.sleep(1.0)  # let the first markers/legend callbacks settle
            return
        time.sleep(0.2)
    raise RuntimeError("the page did not render its graphs")


def _samples(driver: webdriver.Chrome, action: Callable[[int], Callable[[], None]], n: int = SAMPLES) -> list[dict]:
    out = []
    for i in range(n):
        result = measure(driver, action(i))
        if result["timeout"] or result["ms"] is None:
            raise RuntimeError(f"the page did not settle, or drew nothing: {result}")
        out.append(result)
        time.sleep(0.2)
    return out


def _report(name: str, samples: list[dict]) -> str:
    ms = statistics.median(r["ms"] for r in samples)
    requests = [len(r["requests"]) for r in samples]
    asked = Counter(q for r in samples for q in r["requests"])
    graphs = sorted({g for r in samples for g in r["plots"]})
    redraws = ", ".join(
        f"{g} {statistics.median(r['plots'].get(g, 0) for r in samples):g}"
        f" (max {max(r['plots'].get(g, 0) for r in samples)})"
        for g in graphs
    )
    draws = ", ".join(f"{g} {statistics.median(r['draws'].get(g, 0) for r in samples):g}" for g in graphs)
    later = Counter(g for r in samples for g in r["waiting"])
    if later:
        redraws += "; out of view, drawn when it comes into view: " + ", ".join(
            f"{g} (in {c} of {len(samples)})" for g, c in later.items()
        )
    per = ", ".join(f"{q} ×{c / len(samples):.3g}" for q, c in asked.most_common())
    first = statistics.median(r["first"] for r in samples)
    return (
        f"  {name}\n"
        f"    settled (last redraw) median {ms:.0f} ms, min {min(r['ms'] for r in samples):.0f}, "
        f"max {max(r['ms'] for r in samples):.0f}; first redraw median {first:.0f} ms   (goal: settled < 300 ms)\n"
        f"    requests per action: median {statistics.median(requests):g}, max {max(requests)}   (goal 1)  [{per}]\n"
        f"    redraws per graph: {redraws}   (goal 1 each)\n"
        f"    Plotly's full draws per graph, median (automargin's redraws included): {draws}   (goal 1 each)"
    )


# The basin tab: 200x200 grid and the given steps (each sample a new job, not a kept result), then
# the clock from the click on "Compute" to the drawn map.
BASIN_JS = """
var done = arguments[arguments.length - 1];
var sel = document.getElementById('basin-resolution');
Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set.call(sel, '200');
sel.dispatchEvent(new Event('change', {bubbles: true}));
var steps = document.getElementById('basin-steps');
Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(steps, String(arguments[0]));
steps.dispatchEvent(new Event('input', {bubbles: true}));
setTimeout(function () {
  var gd = document.querySelector('#basin-graph .js-plotly-plot');
  var t0 = performance.now();
  var handler = function () {
    var z = gd.data && gd.data.length && gd.data[0].z;
    if (z && (z.shape === '200, 200' || z.length === 200)) {
      gd.removeListener('plotly_afterplot', handler);
      done(performance.now() - t0);
    }
  };
  gd.on('plotly_afterplot', handler);
  document.getElementById('basin-run').click();
  setTimeout(function () { done(null); }, 60000);
}, 300);
"""


SCROLL_JS = (
    "window.__watch.t0 = performance.now();document.getElementById(arguments[0]).scrollIntoView({block: 'center'});"
)


def _scroll_samples(driver: webdriver.Chrome, n: int = 5) -> list[dict]:
    """After a roughness change seen from the top of the page, scrolling down to the loss chart: its
    figure, put off while out of view, is drawn then (ms from the scroll to its redraw)."""
    out = []
    for i in range(n):
        driver.execute_script("window.scrollTo(0, 0);")
        time.sleep(0.3)
        measure(driver, press(driver, "#roughness", Keys.ARROW_RIGHT if i % 2 == 0 else Keys.ARROW_LEFT))
        driver.execute_script("window.scrollTo(0, 0);")
        out.append(measure(driver, lambda: driver.execute_script(SCROLL_JS, "graph-loss")))
        time.sleep(0.2)
    driver.execute_script("window.scrollTo(0, 0);")
    return out


def _basin_samples(driver: webdriver.Chrome, n: int = 3) -> list[float]:
    """Seconds from "Compute basin map" (200x200, Adam, about 300 steps, default scene) to the drawn map;
    each sample has its own number of steps, so each is computed (identical requests share a result)."""
    driver.set_script_timeout(90)
    driver.execute_script("[...document.querySelectorAll('#view-tabs .nav-link')][1].click();")
    time.sleep(0.5)
    out = []
    for i in range(n + 1):  # the first one compiles nothing new but warms the job machinery; not counted
        ms = driver.execute_async_script(BASIN_JS, 300 + i)
        if ms is None:
            raise RuntimeError("the basin map did not arrive within 60 s")
        out.append(ms / 1000)
        time.sleep(0.5)
    return out[1:]


def main() -> None:
    if chromium_missing("User actions in Chromium"):
        return
    with app_in_chromium() as (driver, url):
        driver.get(url + "/")
        _wait_ready(driver)
        open_adam_settings(driver)
        results = {}
        for name, action in actions(driver).items():
            _samples(driver, action, 4)  # untimed: both workers load this scene's kernels
            results[name] = _samples(driver, action)
        scrolled = _scroll_samples(driver)
        driver.get(url + "/")  # the default scene again (the slider samples left the surface rough)
        _wait_ready(driver)
        basin = _basin_samples(driver)
    print(
        f"One user action until the page settles, headless Chromium (SwiftShader WebGL), gunicorn on localhost "
        f"({SAMPLES} actions each; settled: no redraw or request for {QUIET_MS} ms)"
    )
    for name, samples in results.items():
        print(_report(name, samples))
    drawn = [r["ms"] for r in scrolled if r["ms"] is not None]
    print(
        f"  scrolling down to the loss chart after a change: redrawn then in {len(drawn)} of {len(scrolled)}, "
        f"median {statistics.median(drawn) if drawn else float('nan'):.0f} ms from the scroll; requests "
        f"{sum(len(r['requests']) for r in scrolled)}   (a figure put off out of view: app/assets/in-view.js)"
    )
    print(
        f"  basin map 200x200 (Adam, ~300 steps, a new job each): click to drawn map, median "
        f"{statistics.median(basin):.2f} s of {len(basin)}"
    )


if __name__ == "__main__":
    main()
