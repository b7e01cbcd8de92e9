"""The main view: its controls, how the panel is read, callbacks, figures, patches, table and inspector."""

from app.runs import callbacks  # noqa: F401  (importing the feature registers its callbacks)
