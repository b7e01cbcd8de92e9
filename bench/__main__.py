"""Run every benchmark: ``python -m bench``."""

from bench import app, engine

if __name__ == "__main__":
    engine.main()
    app.main()
