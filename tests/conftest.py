"""Shared test setup: headless Chromium options for dash[testing]'s ``dash_duo``."""

import os

from selenium.webdriver.chrome.options import Options

from bench.browser import CHROMIUM_FLAGS


def pytest_setup_options():
    """Chromium flags that work as root on a machine with no network but loopback."""
    options = Options()
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    if os.path.exists("/usr/bin/chromium"):
        options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return options
