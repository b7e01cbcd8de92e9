"""Lessons: the files in lessons/, checked, and their card in the page."""
