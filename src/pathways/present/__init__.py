"""Presentation shared by the faces (the CLI and the pages): drawings and words that render
what the engine returns, and compute nothing of their own."""
