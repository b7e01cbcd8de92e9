"""The page's state: the Scene, its link and the notices said about it."""
