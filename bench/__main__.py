"""Run every benchmark: ``python -m bench`` (``python -m bench.load`` runs the 60-second load test)."""

from bench import animation, app, browser, coldstart, data, engine, explore, request_cost, vector, wire

if __name__ == "__main__":
    engine.main()
    coldstart.main()
    explore.main()
    vector.main()
    data.main()
    app.main()
    request_cost.main([])
    browser.main()
    wire.main()
    animation.main()
