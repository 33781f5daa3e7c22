"""Textual widgets: they render what the app gives them and post messages up."""
