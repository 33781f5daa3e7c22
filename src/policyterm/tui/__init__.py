"""The Textual explorer: the app, its widgets, screens, palette and styles."""
