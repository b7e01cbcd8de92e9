"""What the figures show about runs, computed without Dash or Plotly."""

DRAWABLE = 1e36  # |value| the browser can draw (WebGL and SVG work in float32, up to 3.4e38); beyond: a gap
