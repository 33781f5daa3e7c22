"""Modal screens: search, help, the overviews, the cited paragraphs, and choosing from a list."""
