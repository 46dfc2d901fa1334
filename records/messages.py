"""Error messages quote what the caller sent only as a short excerpt (issue 14, "Bad input").

A message that repeats an 8 KB path or parameter back whole amplifies the request and makes the
error body a reflection channel; the first few dozen characters say enough to recognise it.
"""

EXCERPT_LENGTH = 40
# A whole message, excerpts included, is never longer than this.
MESSAGE_LENGTH = 300
ELLIPSIS = "…"


def excerpt(value, limit: int = EXCERPT_LENGTH) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + ELLIPSIS


def bounded(message, limit: int = MESSAGE_LENGTH) -> str:
    """A message cut to ``limit`` characters: the last guard for texts a library wrote with the value in them."""
    return excerpt(message, limit)


def bounded_errors(errors):
    """Per-field error lists (DRF's, django-filter's) with every message bounded."""
    if isinstance(errors, dict):
        return {key: bounded_errors(value) for key, value in errors.items()}
    if isinstance(errors, list):
        return [bounded_errors(value) for value in errors]
    return bounded(errors)
