"""Export: every step as CSV, the scene as JSON, runnable NumPy and PyTorch scripts."""

from app.export import callbacks  # noqa: F401  (importing the feature registers its callbacks)
