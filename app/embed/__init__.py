"""Embedding in a course website: the dialog and the iframe snippet."""

from app.embed import callbacks  # noqa: F401  (importing the feature registers its callbacks)
