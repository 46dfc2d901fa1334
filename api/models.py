"""The API stores nothing of its own: it reads the records through their querysets."""
