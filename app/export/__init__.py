"""Export: every step as CSV, the scene as JSON, runnable NumPy and PyTorch scripts."""
