"""The `pathways` command line: Typer commands (app.py) and their presentation."""

from .app import app, main

__all__ = ["app", "main"]
