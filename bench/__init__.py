"""Benchmarks: ``python -m bench`` prints timings and ratios measured in one run."""
