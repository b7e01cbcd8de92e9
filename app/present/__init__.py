"""Phones and projectors: the control panel as an off-canvas drawer on narrow screens, and the
projector mode (``present=1``): the charts large, big fonts, thick lines, keyboard shortcuts."""
