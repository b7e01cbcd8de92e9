"""Run every benchmark: ``python -m bench`` (``python -m bench.load`` runs the 60-second load test)."""

from bench import app, browser, coldstart, engine, explore, vector, wire

if __name__ == "__main__":
    engine.main()
    coldstart.main()
    explore.main()
    vector.main()
    app.main()
    browser.main()
    wire.main()
