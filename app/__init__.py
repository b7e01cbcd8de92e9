"""The dashboard: one package per feature (runs, explore, lessons, embed, export), the page's state
(state: the Scene and its link) and serving. ``app.server`` builds the Dash app (``create_app``).
"""
