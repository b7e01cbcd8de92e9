"""Dash-free analysis of runs: outcomes, events and the inspector's state (no Dash, no Plotly)."""
