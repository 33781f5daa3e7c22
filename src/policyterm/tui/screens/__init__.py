"""Modal screens: search and help."""
