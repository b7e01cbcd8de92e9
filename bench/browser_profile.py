"""Where a user action's time goes in the browser: Chrome's own sampling profiler (the DevTools
protocol's ``Profiler`` domain, through the same Selenium driver as ``bench.browser``) around each
action of ``bench.browser``, its samples summed by script and by function.

    python -m bench.browser_profile [samples per action] [--dev-bundles]

``--dev-bundles`` serves ``bench.dev_bundles``: Dash's unminified renderer, its functions named.

Scripts: dash_renderer (Dash's store, its wrappers around every component), react-dom, plotly.min.js
(``Plotly.react`` of each graph), the component suites; "(program)" is the browser's own work outside
JavaScript (style, layout, paint, WebGL in SwiftShader), "(idle)" waiting. A figure, not a test: it
varies with the machine's load like ``bench.browser``.
"""

from __future__ import annotations

import statistics
import sys
from collections import Counter

from bench import browser as B

TOP_FUNCTIONS = 15


def self_times(profile: dict) -> Counter:
    """ms of samples per (function, script) of a ``Profiler.stop`` profile (its own time, not its callees')."""
    nodes = {n["id"]: n["callFrame"] for n in profile["nodes"]}
    out: Counter = Counter()
    for node, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = nodes[node]
        script = frame["url"].rsplit("/", 1)[-1].split("?")[0]
        script = script.split(".v")[0] if ".v" in script else script  # dash's cache-busting suffix
        out[(frame["functionName"] or "(anonymous)", script)] += delta / 1000
    return out


def profile_action(driver, action, n: int) -> tuple[list[float], Counter]:
    """Settled ms of ``n`` samples of ``action`` and the summed self times of all of them."""
    driver.execute_cdp_cmd("Profiler.enable", {})
    driver.execute_cdp_cmd("Profiler.setSamplingInterval", {"interval": 250})
    total: Counter = Counter()
    settled = []
    for i in range(n):
        driver.execute_cdp_cmd("Profiler.start", {})
        result = B.measure(driver, action(i))
        total.update(self_times(driver.execute_cdp_cmd("Profiler.stop", {})["profile"]))
        settled.append(result["ms"])
    return settled, total


def main(n: int = 6, dev_bundles: bool = False) -> None:
    if B.chromium_missing("Browser profile"):
        return
    target = "bench.dev_bundles:server" if dev_bundles else "app.server:server"
    with B.app_in_chromium(target=target) as (driver, url):
        driver.get(url + "/")
        B._wait_ready(driver)
        B.open_adam_settings(driver)
        reports = []
        for name, action in B.actions(driver).items():
            B._samples(driver, action, 4)  # untimed (an even number: each action alternates back and forth)
            settled, total = profile_action(driver, action, n)
            reports.append((name, settled, total))
    print(f"Chrome's sampling profiler around each action ({n} each; ms per action, the action until settled plus")
    print(f"the {B.QUIET_MS} ms of quiet that ends it)")
    for name, settled, total in reports:
        scripts: Counter = Counter()
        for (_fn, script), ms in total.items():
            scripts[script or "(browser)"] += ms / n
        print(f"  {name}: settled median {statistics.median(settled):.0f} ms")
        print("    by script: " + ", ".join(f"{s} {ms:.0f}" for s, ms in scripts.most_common(8)))
        top = [(k, ms / n) for k, ms in total.most_common() if k[1]][:TOP_FUNCTIONS]
        print("    by function: " + ", ".join(f"{fn} ({script}) {ms:.0f}" for (fn, script), ms in top))


if __name__ == "__main__":
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    main(int(numbers[0]) if numbers else 6, dev_bundles="--dev-bundles" in sys.argv)
