"""The main view: its controls, how the panel is read, callbacks, figures, patches, table and inspector."""
