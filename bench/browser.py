"""In headless Chromium: the time from a slider change to the redrawn figures (goal: median < 300 ms).

The app runs under real gunicorn (the Dockerfile's command). For each sample the page focuses a
slider's handle and presses an arrow key, as a keyboard user would; the clock starts at the key
press and stops at Plotly's ``plotly_afterplot`` event of each graph (first and last of the three).
"""

from __future__ import annotations

import shutil
import statistics
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

from bench.serve import gunicorn

GRAPHS = ("graph-3d", "graph-contour", "graph-loss")
SAMPLES = 15

# Arm a listener on every graph, press the key on the slider's handle, report when all redrew.
MEASURE_JS = """
var done = arguments[arguments.length - 1], sliderId = arguments[0], key = arguments[1], graphs = arguments[2];
var thumb = document.getElementById(sliderId).querySelector('[role=slider]');
var times = {}, t0 = 0;
graphs.forEach(function (id) {
  var gd = document.querySelector('#' + id + ' .js-plotly-plot');
  var handler = function () {
    if (times[id] === undefined) times[id] = performance.now() - t0;
    gd.removeListener('plotly_afterplot', handler);
    if (Object.keys(times).length === graphs.length) done(times);
  };
  gd.on('plotly_afterplot', handler);
});
setTimeout(function () { done(times); }, 20000);
thumb.focus();
t0 = performance.now();
thumb.dispatchEvent(new KeyboardEvent('keydown', {key: key, bubbles: true}));
"""


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


def _driver() -> webdriver.Chrome:
    options = Options()
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    if shutil.which("chromium"):
        options.binary_location = shutil.which("chromium")
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def _wait_ready(driver: webdriver.Chrome, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        ready = driver.execute_script(
            "return !!document.getElementById('results-table') && "
            "['graph-3d', 'graph-contour', 'graph-loss'].every(function (id) {"
            "  return document.querySelector('#' + id + ' .js-plotly-plot'); });"
        )
        if ready:
            time.sleep(1.0)  # let the first markers/legend callbacks settle
            return
        time.sleep(0.2)
    raise RuntimeError("the page did not render its graphs")


def _samples(driver: webdriver.Chrome, slider_id: str) -> tuple[list[float], list[float]]:
    first, last = [], []
    driver.set_script_timeout(30)
    for i in range(SAMPLES):
        key = "ArrowRight" if i % 2 == 0 else "ArrowLeft"
        times = driver.execute_async_script(MEASURE_JS, slider_id, key, list(GRAPHS))
        if len(times) != len(GRAPHS):
            raise RuntimeError(f"not every graph redrew after {slider_id} changed: {times}")
        first.append(min(times.values()))
        last.append(max(times.values()))
        time.sleep(0.3)
    return first, last


# The basin tab: 200x200 grid, then the clock from the click on "Compute" to the drawn map.
BASIN_JS = """
var done = arguments[arguments.length - 1];
var sel = document.getElementById('basin-resolution');
Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set.call(sel, '200');
sel.dispatchEvent(new Event('change', {bubbles: true}));
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


def _basin_samples(driver: webdriver.Chrome, n: int = 3) -> list[float]:
    """Seconds from "Compute basin map" (200x200, Adam, 300 steps, default scene) to the drawn map."""
    driver.set_script_timeout(90)
    driver.execute_script("[...document.querySelectorAll('#view-tabs .nav-link')][1].click();")
    time.sleep(0.5)
    out = []
    for _ in range(n + 1):  # the first one compiles nothing new but warms the job machinery; not counted
        ms = driver.execute_async_script(BASIN_JS)
        if ms is None:
            raise RuntimeError("the basin map did not arrive within 60 s")
        out.append(ms / 1000)
        time.sleep(0.5)
    return out[1:]


def main() -> None:
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        print("Slider to redraw in Chromium: skipped (install Debian's chromium and chromium-driver)")
        return
    with gunicorn(workers=2, threads=2) as (url, _pid):
        driver = _driver()
        try:
            driver.get(url + "/")
            _wait_ready(driver)
            # The learning-rate slider lives in Adam's collapsed settings: open them first.
            driver.execute_script("document.querySelectorAll('#hyper-accordion .accordion-button')[4].click();")
            time.sleep(0.5)
            lr_slider = '{"rule":"adam","type":"lr-slider"}'
            # One untimed change per slider compiles the kernels this scene needs in both workers.
            for sid in (lr_slider, "roughness"):
                _samples_once = driver.execute_async_script(MEASURE_JS, sid, "ArrowRight", list(GRAPHS))
                driver.execute_async_script(MEASURE_JS, sid, "ArrowLeft", list(GRAPHS))
                del _samples_once
            results = {
                "Adam's learning-rate slider (Patch of its traces)": _samples(driver, lr_slider),
                "surface roughness slider (surface and all paths)": _samples(driver, "roughness"),
            }
            driver.get(url + "/")  # the default scene again (the slider samples left the surface rough)
            _wait_ready(driver)
            basin = _basin_samples(driver)
        finally:
            driver.quit()
    print(f"Slider change to redrawn figures, headless Chromium, gunicorn on localhost ({SAMPLES} changes each)")
    for name, (first, last) in results.items():
        print(
            f"  {name}: median {statistics.median(last):.0f} ms until all three graphs redrew "
            f"(first graph {statistics.median(first):.0f} ms)  (goal < 300 ms)"
        )
    print(
        f"  basin map 200x200 (Adam, 300 steps, background job): click to drawn map, median "
        f"{statistics.median(basin):.2f} s of {len(basin)}"
    )


if __name__ == "__main__":
    main()
