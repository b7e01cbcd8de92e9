"""``python -m app``: serve the dashboard locally (http://127.0.0.1:8050, or $HOST:$PORT)."""

import os

from app.server import app
from app.serving.warmup import warm_up
from jobs import start_local_pool

if __name__ == "__main__":
    # The default scene's kernels, loaded from this machine's cache (compiled on its very first run),
    # before the first visitor asks; other pairings load on first use.
    warm_up(("multimodal",))
    start_local_pool()  # the processes that compute basin maps and sweeps (one per core)
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8050")),
        debug=os.environ.get("DASH_DEBUG") == "1",
    )
