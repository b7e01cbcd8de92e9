"""Animations of a scene to take away, rendered on the server without a browser and without Dash:
GIF and MP4 of the contour map with the paths drawing step by step (``animate.video``, matplotlib's
animation writers: Pillow for GIF, ffmpeg from the ``imageio-ffmpeg`` wheel for MP4), and a
standalone offline HTML page that plays the scene with Plotly's frames (``animate.offline``).
What may be asked for, and its caps, is ``animate.plan``.
"""
