"""The app as ``app.server`` builds it, but with Dash's unminified renderer (and React's development
builds): served by ``python -m bench.browser_profile --dev-bundles``, Chrome's profiler then names
dash_renderer's functions (``getSnapshotWithSelector``, ramda's ``pathOr``...) instead of one
"(anonymous)". For finding where the time goes, not for timing: React's development build is slower.
"""

from app.server import app

app.enable_dev_tools(
    debug=False,
    dev_tools_ui=False,
    dev_tools_props_check=False,
    dev_tools_hot_reload=False,
    dev_tools_serve_dev_bundles=True,
)
server = app.server
# Dash lets a worker serve only the bundles its own rendered page named: render the page once here,
# before gunicorn forks its workers (preload_app), so every worker serves the unminified ones.
server.test_client().get("/")
