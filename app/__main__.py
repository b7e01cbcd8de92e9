"""``python -m app``: serve the dashboard locally (http://127.0.0.1:8050, or $HOST:$PORT)."""

import os

from app import app

if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8050")),
        debug=os.environ.get("DASH_DEBUG") == "1",
    )
