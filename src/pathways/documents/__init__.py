"""Letters and documents rendered from a letter kind (knowledge/letters/) and its data:
composed once (compose.py), laid out as HTML and PDF (html.py) and as DOCX (docx.py)."""
