"""Lessons: the files in lessons/, checked, and their card in the page."""

from app.lessons import callbacks  # noqa: F401  (importing the feature registers its callbacks)
