"""Loss from data in the dashboard: the data settings (inside the surface group), the upload, and the
data panel (the points, the current batch, each optimizer's fit at the scrubber's step)."""
