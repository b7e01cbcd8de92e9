"""The header's language switch (EN | DE): the same scene's link with another ``lang``."""
