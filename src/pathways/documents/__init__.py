"""Letters and documents rendered from a letter kind (knowledge/letters/) and its data:
composed once (compose.py), laid out as HTML and PDF (html.py) and as DOCX (docx.py).

The names below are the public library's (`from pathways import letter_pdf`): the faces lay
out the `Letter` that `Engine.letter` composes and never reach into this package."""

from .docx import docx as letter_docx
from .html import STYLESHEET as LETTER_STYLESHEET
from .html import fragment as letter_fragment
from .html import page as letter_page
from .html import pdf as letter_pdf

__all__ = ["letter_docx", "letter_fragment", "letter_page", "letter_pdf", "LETTER_STYLESHEET"]
