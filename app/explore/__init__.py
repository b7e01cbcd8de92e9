"""The explore tabs: basin map, sweep and compare surfaces, with their long jobs."""

from app.explore import callbacks  # noqa: F401  (importing the feature registers its callbacks)
