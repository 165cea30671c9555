"""The letter renderers as the workspace uses them: the HTML fragment of the preview, its
stylesheet, the PDF and the DOCX. A letter is composed by the engine (`Engine.letter`); these
only lay it out. The one module of the workspace that names the renderers."""

from __future__ import annotations

from functools import lru_cache


def fragment(letter) -> str:
    """The letter as an <article class="letter"> (every text escaped)."""
    from pathways import letter_fragment

    return letter_fragment(letter)


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The letter's own stylesheet: the preview looks as the PDF prints."""
    from pathways import LETTER_STYLESHEET

    return LETTER_STYLESHEET.read_text(encoding="utf-8")


def render(letter, fmt: str) -> bytes:
    """The letter's file: `pdf` (WeasyPrint) or `docx` (python-docx)."""
    if fmt == "pdf":
        from pathways import letter_pdf

        return letter_pdf(letter)
    if fmt == "docx":
        from pathways import letter_docx

        return letter_docx(letter)
    raise ValueError(f"no letter format {fmt!r}; accepted: pdf, docx")


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
