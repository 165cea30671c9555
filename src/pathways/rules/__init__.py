"""Schema, loader and expression language of the knowledge base."""
