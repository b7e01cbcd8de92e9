"""Embedding in a course website: the dialog and the iframe snippet."""
